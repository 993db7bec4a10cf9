#include "codex/turn_collector.h"

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

namespace diary::codex {
namespace {

jsonrpc::IncomingNotification usage_update(std::int64_t total_in, std::int64_t total_out, std::int64_t last_in,
                                           std::int64_t last_out) {
  auto breakdown = [](std::int64_t in, std::int64_t out) {
    return nlohmann::json{{"inputTokens", in},
                          {"cachedInputTokens", 0},
                          {"outputTokens", out},
                          {"reasoningOutputTokens", 0},
                          {"totalTokens", in + out}};
  };
  return {"thread/tokenUsage/updated",
          {{"threadId", "th"},
           {"turnId", "tu"},
           {"tokenUsage", {{"total", breakdown(total_in, total_out)}, {"last", breakdown(last_in, last_out)}}}}};
}

// codex 0.169.0 sends one update per model request; `last` is that request's usage. A turn with a
// tool call makes two requests, and its usage is the sum of both (the bug: only the last counted).
TEST(TurnCollector, UsageIsTheSumOverEveryModelRequestOfTheTurn) {
  boost::asio::io_context io;
  TurnCollector collector(io.get_executor(), nullptr);
  collector.deliver(usage_update(1000 + 100, 500 + 20, 100, 20));  // earlier turns: 1000 / 500
  collector.deliver(usage_update(1000 + 200, 500 + 50, 100, 30));
  const auto usage = collector.result().usage;
  EXPECT_EQ(usage.input_tokens, 200);
  EXPECT_EQ(usage.output_tokens, 50);
  EXPECT_EQ(usage.total_tokens, 250);
}

// A malformed notification is reported and skipped; the turn goes on and settles normally.
TEST(TurnCollector, AMalformedNotificationIsReportedAndSkipped) {
  boost::asio::io_context io;
  std::vector<std::string> reported;
  TurnCollector collector(io.get_executor(), nullptr, [&](std::string_view what) { reported.emplace_back(what); });
  collector.deliver(
      {"item/completed", {{"item", {{"type", "agentMessage"}, {"id", "bad"}, {"text", 42}, {"phase", "final_answer"}}}}});
  collector.deliver({"error", {{"error", 7}, {"willRetry", "no"}}});
  collector.deliver({"turn/started", {{"turn", 3}}});
  collector.deliver(
      {"item/completed", {{"item", {{"type", "agentMessage"}, {"id", "m"}, {"text", "done"}, {"phase", "final_answer"}}}}});
  collector.deliver({"turn/completed", {{"turn", {{"id", "tu"}, {"status", "completed"}, {"error", nullptr}}}}});
  ASSERT_EQ(reported.size(), 3u);
  EXPECT_EQ(reported[0], "codex sent a malformed item/completed: params.item.text: expected string");
  EXPECT_EQ(reported[1], "codex sent a malformed error: params.error: expected object");
  EXPECT_EQ(reported[2], "codex sent a malformed turn/started: params.turn: expected object");
  ASSERT_TRUE(collector.done().ready());
  ASSERT_TRUE(*collector.done().peek());
  EXPECT_EQ(**collector.done().peek(), agent::TurnStatus::completed);
  EXPECT_EQ(collector.result().assistant_text, "done");
  EXPECT_EQ(collector.result().turn_id, "tu");
}

// The end of the turn, unreadable: the turn fails at once (protocol) instead of timing out.
TEST(TurnCollector, AMalformedTurnCompletedFailsTheTurnAtOnce) {
  boost::asio::io_context io;
  TurnCollector collector(io.get_executor(), nullptr);
  collector.deliver({"turn/completed", {{"turn", {{"id", "tu"}, {"status", 7}}}}});
  ASSERT_TRUE(collector.done().ready());
  const auto& settled = *collector.done().peek();
  ASSERT_FALSE(settled);
  EXPECT_EQ(settled.error().kind, agent::ErrorKind::protocol);
  EXPECT_EQ(settled.error().message, "codex sent a malformed turn/completed: params.turn.status: expected string");
}

}  // namespace
}  // namespace diary::codex
