// ChildProcess against real short-lived programs: several coroutines may wait for the exit at
// once and every one of them wakes when it happens (not at its own deadline).
#include "codex/child_process.h"

#include <gtest/gtest.h>

#include "support/async_test.h"

using namespace diary;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using test::run_coro;

namespace {

codex::ChildSpec shell(const std::string& script) {
  codex::ChildSpec spec;
  spec.executable = "/bin/sh";
  spec.args = {"-c", script};
  return spec;
}

TEST(ChildProcess, EveryConcurrentWaiterWakesAtTheExit) {
  struct Waited {
    int exited = 0;
    std::vector<std::chrono::milliseconds> after;
  };
  auto waited = run_coro<Waited>([](asio::any_io_executor ex) -> asio::awaitable<Waited> {
    auto child = codex::ChildProcess::spawn(ex, shell("sleep 0.3"));
    if (!child) throw std::runtime_error(child.error().message);
    (*child)->start([](std::string_view) {}, [](agent::Error) {});
    Waited out;
    const auto started = std::chrono::steady_clock::now();
    int done = 0;
    for (int i = 0; i < 3; ++i)
      asio::co_spawn(
          ex,
          [&, child = *child]() -> asio::awaitable<void> {
            const bool exited = co_await child->wait_exit(20s);
            out.exited += exited ? 1 : 0;
            out.after.push_back(
                std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started));
            ++done;
          },
          asio::detached);
    for (int i = 0; i < 500 && done < 3; ++i) co_await test::sleep_for(10ms);
    co_return out;
  });
  EXPECT_EQ(waited.exited, 3);
  ASSERT_EQ(waited.after.size(), 3u);
  for (auto after : waited.after) EXPECT_LT(after, 3s) << "a waiter slept until its own deadline";
}

TEST(ChildProcess, AWaiterWhoseDeadlinePassesFirstSaysSoWhileOthersKeepWaiting) {
  auto results = run_coro<std::vector<bool>>([](asio::any_io_executor ex) -> asio::awaitable<std::vector<bool>> {
    auto child = codex::ChildProcess::spawn(ex, shell("sleep 0.4"));
    if (!child) throw std::runtime_error(child.error().message);
    (*child)->start([](std::string_view) {}, [](agent::Error) {});
    std::vector<bool> out(2, false);
    int done = 0;
    auto wait = [&, child = *child](std::size_t slot, std::chrono::milliseconds timeout) -> asio::awaitable<void> {
      out[slot] = co_await child->wait_exit(timeout);
      ++done;
    };
    asio::co_spawn(ex, wait(0, 50ms), asio::detached);
    asio::co_spawn(ex, wait(1, 20s), asio::detached);
    for (int i = 0; i < 500 && done < 2; ++i) co_await test::sleep_for(10ms);
    co_return out;
  });
  EXPECT_EQ(results, (std::vector<bool>{false, true}));
}

// A line handler that throws ends the reader: that must not go unnoticed (Asio's `detached`
// would drop it and leave every waiter hanging). The child is killed and the exit handler says why.
TEST(ChildProcess, AReaderThatDiesKillsTheChildAndReportsIt) {
  auto message = run_coro<std::string>([](asio::any_io_executor ex) -> asio::awaitable<std::string> {
    auto child = codex::ChildProcess::spawn(ex, shell("echo hi; exec sleep 30"));
    if (!child) throw std::runtime_error(child.error().message);
    std::optional<std::string> exited;
    testing::internal::CaptureStderr();
    (*child)->start([](std::string_view) { throw std::runtime_error("handler bug"); },
                    [&](agent::Error error) { exited = error.message; });
    for (int i = 0; i < 500 && !exited; ++i) co_await test::sleep_for(10ms);
    const std::string logged = testing::internal::GetCapturedStderr();
    EXPECT_NE(logged.find("internal error in the codex stdout reader: handler bug"), std::string::npos) << logged;
    co_return exited.value_or("(no exit reported)");
  });
  EXPECT_NE(message.find("killed by signal 9"), std::string::npos) << message;
  EXPECT_NE(message.find("handler bug"), std::string::npos) << message;
}

}  // namespace
