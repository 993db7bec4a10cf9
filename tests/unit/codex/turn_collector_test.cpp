#include "codex/turn_collector.h"

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

namespace diary::codex {
namespace {

jsonrpc::IncomingNotification usage_update(std::int64_t total_in, std::int64_t total_out, std::int64_t last_in,
                                           std::int64_t last_out) {
  auto breakdown = [](std::int64_t in, std::int64_t out) {
    return nlohmann::json{{"inputTokens", in}, {"cachedInputTokens", 0}, {"outputTokens", out},
                          {"reasoningOutputTokens", 0}, {"totalTokens", in + out}};
  };
  return {"thread/tokenUsage/updated",
          {{"threadId", "th"}, {"turnId", "tu"},
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

}  // namespace
}  // namespace diary::codex
