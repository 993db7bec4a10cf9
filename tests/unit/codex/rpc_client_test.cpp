#include "codex/rpc_client.h"

#include <gtest/gtest.h>

#include "support/async_test.h"

#include <type_traits>

using namespace diary::codex;
namespace jsonrpc = diary::jsonrpc;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using diary::agent::ErrorKind;
using diary::agent::Result;
using diary::test::run_coro;
using diary::test::sleep_for;

namespace {

// An in-memory peer: records what the client sent; the test answers by feeding lines back.
struct Wire {
  std::vector<json> sent;
  SendLine sender() {
    return [this](std::string line) { sent.push_back(json::parse(line)); };
  }
};

}  // namespace

TEST(RpcClient, MatchesOutOfOrderResponsesById) {
  Wire wire;
  auto results = run_coro<std::vector<int>>([&](asio::any_io_executor ex) -> asio::awaitable<std::vector<int>> {
    RpcClient client(ex, wire.sender());
    std::vector<int> got(2, 0);
    auto first = [&]() -> asio::awaitable<void> {
      auto r = co_await client.call("a", json::object());
      got[0] = r ? (*r)["v"].get<int>() : -1;
    };
    auto second = [&]() -> asio::awaitable<void> {
      auto r = co_await client.call("b", json::object());
      got[1] = r ? (*r)["v"].get<int>() : -1;
    };
    asio::co_spawn(ex, first(), asio::detached);
    asio::co_spawn(ex, second(), asio::detached);
    co_await sleep_for(5ms);
    EXPECT_EQ(wire.sent.size(), 2u);
    EXPECT_NE(wire.sent[0]["id"], wire.sent[1]["id"]);
    // Answer the second first, plus an id nobody asked for.
    client.on_line(json{{"id", 999}, {"result", {{"v", 0}}}}.dump());
    client.on_line(json{{"id", wire.sent[1]["id"]}, {"result", {{"v", 2}}}}.dump());
    client.on_line(json{{"id", wire.sent[0]["id"]}, {"result", {{"v", 1}}}}.dump());
    co_await sleep_for(5ms);
    EXPECT_EQ(client.stats().unknown_responses, 1u);
    EXPECT_EQ(client.pending_calls(), 0u);
    co_return got;
  });
  EXPECT_EQ(results, (std::vector<int>{1, 2}));
}

TEST(RpcClient, ErrorsBecomeRpcErrorsAndDeadlinesTimeouts) {
  Wire wire;
  run_coro<int>([&](asio::any_io_executor ex) -> asio::awaitable<int> {
    RpcClient client(ex, wire.sender());
    asio::co_spawn(
        ex,
        [&]() -> asio::awaitable<void> {
          co_await sleep_for(2ms);
          client.on_line(json{{"id", wire.sent.at(0)["id"]}, {"error", {{"code", -32602}, {"message", "bad params"}}}}.dump());
        },
        asio::detached);
    auto failed = co_await client.call("x", json::object());
    EXPECT_FALSE(failed);
    EXPECT_EQ(failed.error().kind, ErrorKind::rpc);
    EXPECT_NE(failed.error().message.find("bad params"), std::string::npos);

    CallOptions quick;
    quick.timeout = 30ms;
    auto started = std::chrono::steady_clock::now();
    auto timed_out = co_await client.call("never", json::object(), quick);
    EXPECT_FALSE(timed_out);
    EXPECT_EQ(timed_out.error().kind, ErrorKind::timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
    EXPECT_EQ(client.pending_calls(), 0u);
    // A late answer to the abandoned call is counted, not crashed on.
    client.on_line(json{{"id", wire.sent.at(1)["id"]}, {"result", nullptr}}.dump());
    EXPECT_EQ(client.stats().unknown_responses, 1u);
    co_return 0;
  });
}

TEST(RpcClient, RetriesOverloadWithBackoffThenSucceeds) {
  Wire wire;
  auto result = run_coro<Result<json>>([&](asio::any_io_executor ex) -> asio::awaitable<Result<json>> {
    RpcClient client(ex, wire.sender());
    int overloads = 0;
    // Answer every request: overloaded twice, then fine.
    asio::co_spawn(
        ex,
        [&]() -> asio::awaitable<void> {
          std::size_t answered = 0;
          while (answered < 3) {
            co_await sleep_for(1ms);
            while (answered < wire.sent.size()) {
              const auto id = wire.sent[answered++]["id"];
              if (overloads < 2) {
                ++overloads;
                client.on_line(
                    json{{"id", id}, {"error", {{"code", -32001}, {"message", "Server overloaded; retry later."}}}}.dump());
              } else {
                client.on_line(json{{"id", id}, {"result", {{"ok", true}}}}.dump());
              }
            }
          }
        },
        asio::detached);
    CallOptions options;
    options.overload_backoff = 5ms;
    co_return co_await client.call("turn/start", json::object(), options);
  });
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ((*result)["ok"], true);
  EXPECT_EQ(wire.sent.size(), 3u);
  EXPECT_EQ(wire.sent[0]["method"], "turn/start");
  EXPECT_NE(wire.sent[0]["id"], wire.sent[2]["id"]);  // each retry is a new request
}

TEST(RpcClient, GivesUpOnOverloadAfterMaxRetries) {
  Wire wire;
  auto result = run_coro<Result<json>>([&](asio::any_io_executor ex) -> asio::awaitable<Result<json>> {
    RpcClient client(ex, wire.sender());
    asio::co_spawn(
        ex,
        [&]() -> asio::awaitable<void> {
          std::size_t answered = 0;
          for (int i = 0; i < 200 && answered < 3; ++i) {
            co_await sleep_for(1ms);
            while (answered < wire.sent.size())
              client.on_line(
                  json{{"id", wire.sent[answered++]["id"]}, {"error", {{"code", -32001}, {"message", "overloaded"}}}}.dump());
          }
        },
        asio::detached);
    CallOptions options;
    options.overload_backoff = 1ms;
    options.max_overload_retries = 2;
    co_return co_await client.call("m", json::object(), options);
  });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::rpc);
  EXPECT_EQ(wire.sent.size(), 3u);
}

TEST(RpcClient, AnswersEveryServerRequestExactlyOnce) {
  Wire wire;
  run_coro<int>([&](asio::any_io_executor ex) -> asio::awaitable<int> {
    RpcClient client(ex, wire.sender());
    // No handler: -32601.
    client.on_line(R"({"id":0,"method":"fake/unknownThing","params":{}})");
    if (wire.sent.size() != 1u) throw std::runtime_error("expected one reply");
    EXPECT_EQ(wire.sent[0]["id"], 0);
    EXPECT_EQ(wire.sent[0]["error"]["code"], -32601);

    // A handler that forgets to reply still produces exactly one (error) reply.
    client.set_request_handler([](ServerRequest) {});
    client.on_line(R"({"id":"s1","method":"x"})");
    if (wire.sent.size() != 2u) throw std::runtime_error("expected two replies");
    EXPECT_EQ(wire.sent[1]["id"], "s1");
    EXPECT_EQ(wire.sent[1]["error"]["code"], -32603);

    // A handler that replies twice sends one reply.
    client.set_request_handler([](ServerRequest request) {
      request.reply({{"decision", "decline"}});
      request.reply({{"decision", "accept"}});
    });
    client.on_line(R"({"id":5,"method":"item/commandExecution/requestApproval","params":{}})");
    if (wire.sent.size() != 3u) throw std::runtime_error("expected three replies");
    EXPECT_EQ(wire.sent[2]["result"]["decision"], "decline");
    co_return 0;
  });
}

TEST(RpcClient, FailAllWakesEveryPendingCallAndFailsLaterOnes) {
  Wire wire;
  run_coro<int>([&](asio::any_io_executor ex) -> asio::awaitable<int> {
    RpcClient client(ex, wire.sender());
    int failed = 0;
    for (int i = 0; i < 3; ++i)
      asio::co_spawn(
          ex,
          [&]() -> asio::awaitable<void> {
            auto r = co_await client.call("slow", json::object());
            if (!r && r.error().kind == ErrorKind::process_exited) ++failed;
          },
          asio::detached);
    co_await sleep_for(2ms);
    client.fail_all({ErrorKind::process_exited, "codex app-server exited: exit status 101"});
    co_await sleep_for(2ms);
    EXPECT_EQ(failed, 3);
    auto later = co_await client.call("after", json::object());
    EXPECT_FALSE(later);
    EXPECT_EQ(later.error().kind, ErrorKind::process_exited);
    EXPECT_EQ(wire.sent.size(), 3u);  // nothing more was sent to a dead peer
    co_return 0;
  });
}

TEST(RpcClient, NotificationsAndGarbage) {
  Wire wire;
  run_coro<int>([&](asio::any_io_executor ex) -> asio::awaitable<int> {
    RpcClient client(ex, wire.sender());
    std::vector<std::string> methods;
    client.set_notification_handler([&](jsonrpc::IncomingNotification& n) { methods.push_back(n.method); });
    client.on_line("this is not json");
    client.on_line("[1,2,3]");
    client.on_line(R"({"method":"warning","params":{"message":"w"}})");
    client.on_line(R"({"neither":"id nor method"})");
    client.on_line(R"({"method":"turn/completed","params":{}})");
    EXPECT_EQ(methods, (std::vector<std::string>{"warning", "turn/completed"}));
    EXPECT_EQ(client.stats().unclassifiable, 3u);
    co_return 0;
  });
}

// The exception barrier: a handler that throws on one line costs that line only; the next
// line is read, the failure is counted and logged with an excerpt of the line.
TEST(RpcClient, AThrowingHandlerCostsOneLineAndIsLogged) {
  Wire wire;
  run_coro<int>([&](asio::any_io_executor ex) -> asio::awaitable<int> {
    RpcClient client(ex, wire.sender());
    std::vector<std::string> logged, methods;
    client.set_log([&](std::string_view line) { logged.emplace_back(line); });
    client.set_notification_handler([&](jsonrpc::IncomingNotification& n) {
      if (n.method == "boom") (void)n.params.value("text", std::string());  // type_error.302 on a number
      methods.push_back(n.method);
    });
    client.on_line(R"({"method":"boom","params":{"text":42}})");
    client.on_line(R"({"method":"after","params":{}})");
    EXPECT_EQ(methods, (std::vector<std::string>{"after"}));
    EXPECT_EQ(client.stats().handler_exceptions, 1u);
    if (logged.size() != 1u) throw std::runtime_error("expected one log line");
    EXPECT_NE(logged[0].find("type_error"), std::string::npos) << logged[0];
    EXPECT_NE(logged[0].find(R"({"method":"boom")"), std::string::npos) << logged[0];
    co_return 0;
  });
}

// A request handler that throws still answers its request exactly once (-32603).
TEST(RpcClient, AThrowingRequestHandlerStillAnswersOnce) {
  Wire wire;
  run_coro<int>([&](asio::any_io_executor ex) -> asio::awaitable<int> {
    RpcClient client(ex, wire.sender());
    client.set_request_handler([](ServerRequest request) {
      if (request.method() == "x") throw std::runtime_error("bug");
    });
    client.on_line(R"({"id":3,"method":"x","params":{}})");
    if (wire.sent.size() != 1u) throw std::runtime_error("expected one reply");
    EXPECT_EQ(wire.sent[0]["id"], 3);
    EXPECT_EQ(wire.sent[0]["error"]["code"], -32603);
    EXPECT_EQ(client.stats().handler_exceptions, 1u);
    co_return 0;
  });
}

// call_as: a result of the wrong shape fails that call with a protocol error naming the path.
TEST(RpcClient, AWrongShapedResultFailsTheCallWithTheJsonPath) {
  Wire wire;
  run_coro<int>([&](asio::any_io_executor ex) -> asio::awaitable<int> {
    RpcClient client(ex, wire.sender());
    std::vector<std::string> logged;
    client.set_log([&](std::string_view line) { logged.emplace_back(line); });
    std::optional<Result<protocol::ThreadStartResponse>> got;
    asio::co_spawn(
        ex,
        [&]() -> asio::awaitable<void> {
          got = co_await client.call_as<protocol::ThreadStartResponse>("thread/start", json::object());
        },
        asio::detached);
    co_await sleep_for(2ms);
    client.on_line(json{{"id", wire.sent.at(0)["id"]}, {"result", 42}}.dump());
    co_await sleep_for(2ms);
    if (!got) throw std::runtime_error("the call did not settle");
    EXPECT_FALSE(*got);
    EXPECT_EQ(got->error().kind, ErrorKind::protocol);
    EXPECT_EQ(got->error().message, "codex answered thread/start with an unexpected shape: result: expected object");
    EXPECT_EQ(client.stats().malformed, 1u);
    EXPECT_TRUE(logged.empty());  // the caller reports the error it got

    asio::co_spawn(
        ex,
        [&]() -> asio::awaitable<void> {
          got = co_await client.call_as<protocol::ThreadStartResponse>("thread/start", json::object());
        },
        asio::detached);
    co_await sleep_for(2ms);
    client.on_line(json{{"id", wire.sent.at(1)["id"]}, {"result", {{"thread", {{"id", "thr_9"}}}}}}.dump());
    co_await sleep_for(2ms);
    EXPECT_TRUE(*got);
    EXPECT_EQ((*got)->thread_id, "thr_9");
    co_return 0;
  });
}

TEST(RpcClient, MalformedMessagesAreLoggedUpToALimitAndCountedAlways) {
  Wire wire;
  run_coro<int>([&](asio::any_io_executor ex) -> asio::awaitable<int> {
    RpcClient client(ex, wire.sender());
    std::size_t logged = 0;
    client.set_log([&](std::string_view) { ++logged; });
    for (int i = 0; i < 100; ++i) client.report_malformed("codex sent a malformed x");
    EXPECT_EQ(client.stats().malformed, 100u);
    EXPECT_EQ(logged, 21u);  // 20 messages and one "only counted from now on"
    co_return 0;
  });
}

// ReplyOnce: move-construction moves the obligation, the moved-from request is empty and owes
// nothing; a double reply, a reply on a moved-from object and a missing reply are logged.
TEST(ServerRequest, RepliesExactlyOnceByConstruction) {
  static_assert(!std::is_move_assignable_v<ServerRequest>);
  static_assert(!std::is_copy_constructible_v<ServerRequest>);
  static_assert(std::is_nothrow_move_constructible_v<ServerRequest>);
  std::vector<std::string> sent, logged;
  SendLine send = [&](std::string line) { sent.push_back(std::move(line)); };
  LogLine log = [&](std::string_view line) { logged.emplace_back(line); };
  {
    ServerRequest first(jsonrpc::IncomingRequest{std::int64_t{1}, "m", json::object()}, send, log);
    ServerRequest second(std::move(first));
    EXPECT_TRUE(first.empty());  // NOLINT(bugprone-use-after-move): what this test is about
    EXPECT_FALSE(second.empty());
    first.reply({{"ignored", true}});
    EXPECT_TRUE(sent.empty());
    EXPECT_EQ(logged.size(), 1u);
    second.reply({{"ok", true}});
    second.reply_error(-32603, "again");
    EXPECT_EQ(sent.size(), 1u);
    EXPECT_EQ(logged.size(), 2u);
    EXPECT_NE(logged[1].find("second"), std::string::npos) << logged[1];
  }  // neither destructor sends anything more
  EXPECT_EQ(sent.size(), 1u);
  EXPECT_EQ(json::parse(sent[0])["result"]["ok"], true);

  logged.clear();
  { ServerRequest dropped(jsonrpc::IncomingRequest{std::string("s"), "item/tool/call", json::object()}, send, log); }
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(json::parse(sent[1])["error"]["code"], -32603);
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_NE(logged[0].find("no reply to the server request item/tool/call"), std::string::npos) << logged[0];
}
