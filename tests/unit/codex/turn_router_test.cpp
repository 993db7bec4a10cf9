#include "codex/turn_router.h"

#include <gtest/gtest.h>

using namespace diary::codex;
namespace jsonrpc = diary::jsonrpc;

namespace {

struct RecordingSink : TurnSink {
  std::vector<std::string> seen;  // "method:turnId"
  std::optional<diary::agent::Error> failure;
  void deliver(const jsonrpc::IncomingNotification& n) override {
    std::string turn = n.params.contains("turnId") ? n.params["turnId"].get<std::string>()
                       : n.params.contains("turn") ? n.params["turn"]["id"].get<std::string>()
                                                   : "";
    seen.push_back(n.method + ":" + turn);
  }
  void fail(const diary::agent::Error& error) override { failure = error; }
};

jsonrpc::IncomingNotification item(const std::string& thread, const std::string& turn) {
  return {"item/completed", {{"threadId", thread}, {"turnId", turn}, {"item", {{"type", "agentMessage"}}}}};
}
jsonrpc::IncomingNotification completed(const std::string& thread, const std::string& turn) {
  return {"turn/completed", {{"threadId", thread}, {"turn", {{"id", turn}, {"status", "completed"}}}}};
}

}  // namespace

TEST(TurnRouter, BuffersEventsUntilTheTurnIdIsKnown) {
  TurnRouter router;
  RecordingSink sink;
  router.attach("thr_1", &sink);
  router.route(item("thr_1", "turn_2"));
  router.route(completed("thr_1", "turn_old"));  // a stale completion of an earlier turn
  router.route(completed("thr_1", "turn_2"));
  EXPECT_TRUE(sink.seen.empty());
  router.bind_turn("thr_1", "turn_2");
  EXPECT_EQ(sink.seen, (std::vector<std::string>{"item/completed:turn_2", "turn/completed:turn_2"}));
  EXPECT_EQ(router.stats().stale, 1u);
}

TEST(TurnRouter, IgnoresStaleCompletionsAfterBinding) {
  TurnRouter router;
  RecordingSink sink;
  router.attach("thr_1", &sink);
  router.bind_turn("thr_1", "turn_3");
  router.route(completed("thr_1", "turn_stale"));
  router.route(item("thr_1", "turn_3"));
  router.route(completed("thr_1", "turn_3"));
  EXPECT_EQ(sink.seen, (std::vector<std::string>{"item/completed:turn_3", "turn/completed:turn_3"}));
}

TEST(TurnRouter, KeepsInterleavedThreadsApart) {
  TurnRouter router;
  RecordingSink a, b;
  router.attach("thr_a", &a);
  router.attach("thr_b", &b);
  router.bind_turn("thr_a", "t1");
  router.route(item("thr_b", "t2"));  // b not bound yet: buffered
  router.route(item("thr_a", "t1"));
  router.bind_turn("thr_b", "t2");
  router.route(completed("thr_b", "t2"));
  router.route(completed("thr_a", "t1"));
  router.route(item("thr_unknown", "t9"));
  router.route({"account/rateLimits/updated", {{"rateLimits", {}}}});
  EXPECT_EQ(a.seen, (std::vector<std::string>{"item/completed:t1", "turn/completed:t1"}));
  EXPECT_EQ(b.seen, (std::vector<std::string>{"item/completed:t2", "turn/completed:t2"}));
  EXPECT_EQ(router.stats().unattached, 2u);
}

TEST(TurnRouter, DetachedThreadsGetNothingAndFailAllReachesEveryone) {
  TurnRouter router;
  RecordingSink a, b;
  router.attach("thr_a", &a);
  router.attach("thr_b", &b);
  router.detach("thr_a");
  router.route(item("thr_a", "t1"));
  EXPECT_TRUE(a.seen.empty());
  router.fail_all({diary::agent::ErrorKind::process_exited, "gone"});
  EXPECT_FALSE(a.failure);
  ASSERT_TRUE(b.failure);
  EXPECT_EQ(b.failure->kind, diary::agent::ErrorKind::process_exited);
  EXPECT_EQ(router.attached(), 0u);
}
