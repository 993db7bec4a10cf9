// Self-check of the scripted fake app-server (tests/support/fake_app_server/README.md): drives it
// over plain POSIX pipes, independent of src/codex, so a broken fake is caught before it makes
// client tests lie. Every read has a deadline.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/scratch_dir.h"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
constexpr auto kTimeout = std::chrono::seconds(10);

// The fake as a child process: JSON lines in, JSON lines out, stderr into a scratch file.
class FakeProcess {
 public:
  FakeProcess(const std::filesystem::path& dir, const std::string& mode, const std::string& log_path = "") {
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    std::string stderr_path = (dir / "fake.stderr").string();
    pid_ = ::fork();
    if (pid_ == 0) {
      int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(in[0], STDIN_FILENO);
      ::dup2(out[1], STDOUT_FILENO);
      if (err >= 0) ::dup2(err, STDERR_FILENO);
      if (!log_path.empty()) ::setenv("FAKE_APP_SERVER_LOG", log_path.c_str(), 1);
      ::execl(DIARY_FAKE_APP_SERVER, "codex", "app-server", "-c", "model=\"x\"", "--mode", mode.c_str(),
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    stdin_ = in[1];
    stdout_ = out[0];
  }

  ~FakeProcess() {
    close_stdin();
    if (stdout_ >= 0) ::close(stdout_);
    if (!exit_status_ && wait_exit(std::chrono::seconds(5)) == std::nullopt) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  void send(const json& message) {
    std::string line = message.dump() + "\n";
    ASSERT_EQ(::write(stdin_, line.data(), line.size()), static_cast<ssize_t>(line.size()));
  }

  void close_stdin() {
    if (stdin_ >= 0) ::close(stdin_);
    stdin_ = -1;
  }

  // Next stdout line, or nullopt at EOF or when the deadline passes.
  std::optional<std::string> next_line(Clock::time_point deadline) {
    for (;;) {
      if (auto newline = buffer_.find('\n'); newline != std::string::npos) {
        std::string line = buffer_.substr(0, newline);
        buffer_.erase(0, newline + 1);
        return line;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return std::nullopt;
      pollfd fd{stdout_, POLLIN, 0};
      if (::poll(&fd, 1, static_cast<int>(left)) <= 0) continue;
      char chunk[65536];
      ssize_t n = ::read(stdout_, chunk, sizeof chunk);
      if (n <= 0) return std::nullopt;
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  // All JSON messages up to and including the first one matching `stop`; fails on timeout.
  std::vector<json> read_until(const std::function<bool(const json&)>& stop) {
    std::vector<json> seen;
    auto deadline = Clock::now() + kTimeout;
    while (auto line = next_line(deadline)) {
      json message = json::parse(*line, nullptr, false);
      if (!message.is_object()) continue;
      seen.push_back(message);
      if (stop(message)) return seen;
    }
    ADD_FAILURE() << "timed out or EOF; got " << seen.size() << " messages";
    return seen;
  }

  std::optional<int> wait_exit(Clock::duration timeout) {
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return exit_status_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return std::nullopt;
  }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  std::string buffer_;
  std::optional<int> exit_status_;
};

std::function<bool(const json&)> is_method(std::string method) {
  return [method](const json& m) { return m.value("method", "") == method; };
}

std::function<bool(const json&)> is_response(int id) {
  return [id](const json& m) { return !m.contains("method") && m.value("id", -1) == id; };
}

std::function<bool(const json&)> is_turn_completed(const std::string& turn_id) {
  return [turn_id](const json& m) { return m.value("method", "") == "turn/completed" && m["params"]["turn"]["id"] == turn_id; };
}

json turn_start(int id, const std::string& thread_id, const std::string& text) {
  return {{"id", id},
          {"method", "turn/start"},
          {"params", {{"threadId", thread_id}, {"input", json::array({{{"type", "text"}, {"text", text}}})}}}};
}

// Runs the handshake and starts one thread; returns its id.
std::string start_thread(FakeProcess& fake) {
  fake.send(json::parse(R"({"id":1,"method":"initialize","params":{"clientInfo":{"name":"diary","version":"0"}}})"));
  auto init = fake.read_until(is_response(1));
  EXPECT_EQ(init.back()["result"]["platformFamily"], "unix");
  EXPECT_TRUE(init.back()["result"].contains("codexHome"));
  fake.send({{"method", "initialized"}});
  fake.send({{"id", 2}, {"method", "thread/start"}, {"params", {{"cwd", "/work"}}}});
  auto started = fake.read_until(is_method("thread/started"));
  auto response = std::find_if(started.begin(), started.end(), is_response(2));
  EXPECT_NE(response, started.end());
  return response == started.end() ? "" : (*response)["result"]["thread"]["id"].get<std::string>();
}

std::size_t index_of(const std::vector<json>& messages, const std::function<bool(const json&)>& pred) {
  auto it = std::find_if(messages.begin(), messages.end(), pred);
  return it == messages.end() ? messages.size() : static_cast<std::size_t>(it - messages.begin());
}

// Text of the last completed agentMessage whose phase is final_answer.
std::string final_answer(const std::vector<json>& messages) {
  std::string text;
  for (const auto& m : messages)
    if (m.value("method", "") == "item/completed" && m["params"]["item"]["type"] == "agentMessage" &&
        m["params"]["item"].value("phase", json()) == "final_answer")
      text = m["params"]["item"]["text"];
  return text;
}

TEST(FakeAppServerContract, TurnResponseComesFirstAndEchoesPrompt) {
  diary::test::ScratchDir dir;
  FakeProcess fake(dir.path(), "normal");
  std::string thread = start_thread(fake);
  ASSERT_EQ(thread, "thr_1");

  fake.send(turn_start(3, thread, "hello world"));
  auto messages = fake.read_until(is_method("turn/completed"));
  std::size_t response = index_of(messages, is_response(3));
  std::size_t started = index_of(messages, is_method("turn/started"));
  ASSERT_LT(response, messages.size());
  ASSERT_LT(started, messages.size());
  EXPECT_LT(response, started);
  std::string turn_id = messages[response]["result"]["turn"]["id"];
  EXPECT_EQ(messages[response]["result"]["turn"]["status"], "inProgress");
  EXPECT_EQ(messages.back()["params"]["turn"]["id"], turn_id);
  EXPECT_EQ(messages.back()["params"]["turn"]["status"], "completed");
  EXPECT_EQ(final_answer(messages), "echo: hello world");
  EXPECT_LT(index_of(messages, is_method("thread/tokenUsage/updated")), messages.size());
}

TEST(FakeAppServerContract, SecondTurnSeesTheFirst) {
  diary::test::ScratchDir dir;
  FakeProcess fake(dir.path(), "normal");
  std::string thread = start_thread(fake);
  fake.send(turn_start(3, thread, "first"));
  fake.read_until(is_method("turn/completed"));
  fake.send(turn_start(4, thread, "second"));
  EXPECT_EQ(final_answer(fake.read_until(is_method("turn/completed"))), "echo: second | history: first");
}

TEST(FakeAppServerContract, EarlyEmitsTurnEventsBeforeTheResponse) {
  diary::test::ScratchDir dir;
  FakeProcess fake(dir.path(), "normal");
  std::string thread = start_thread(fake);
  fake.send(turn_start(3, thread, "EARLY please"));
  auto messages = fake.read_until(is_method("turn/completed"));
  std::size_t response = index_of(messages, is_response(3));
  std::size_t started = index_of(messages, is_method("turn/started"));
  std::size_t answer = index_of(messages, [](const json& m) {
    return m.value("method", "") == "item/completed" && m["params"]["item"]["type"] == "agentMessage";
  });
  ASSERT_LT(response, messages.size());
  EXPECT_LT(started, response);
  EXPECT_LT(answer, response);
  EXPECT_LT(response + 1, messages.size());  // turn/completed still follows the response
  EXPECT_EQ(final_answer(messages), "echo: EARLY please");
}

TEST(FakeAppServerContract, RequestBeforeInitializeIsRejected) {
  diary::test::ScratchDir dir;
  FakeProcess fake(dir.path(), "normal");
  fake.send({{"id", 9}, {"method", "thread/start"}, {"params", {{"cwd", "/work"}}}});
  auto reply = fake.read_until(is_response(9)).back();
  EXPECT_EQ(reply["error"]["code"], -32600);
  EXPECT_EQ(reply["error"]["message"], "Not initialized");
}

TEST(FakeAppServerContract, HangEndsInterruptedAndTheLogShowsTheInterrupt) {
  diary::test::ScratchDir dir;
  auto log = dir / "received.jsonl";
  FakeProcess fake(dir.path(), "normal", log.string());
  std::string thread = start_thread(fake);
  fake.send(turn_start(3, thread, "HANG"));
  auto messages = fake.read_until(is_method("turn/started"));
  std::string turn_id = messages.back()["params"]["turn"]["id"];
  fake.send({{"id", 4}, {"method", "turn/interrupt"}, {"params", {{"threadId", thread}, {"turnId", turn_id}}}});
  messages = fake.read_until(is_turn_completed(turn_id));
  EXPECT_LT(index_of(messages, is_response(4)), messages.size());
  EXPECT_EQ(messages.back()["params"]["turn"]["status"], "interrupted");
  EXPECT_NE(diary::test::read_file(log).find("\"turn/interrupt\""), std::string::npos);
}

TEST(FakeAppServerContract, ApprovalDecisionBecomesTheAnswer) {
  diary::test::ScratchDir dir;
  FakeProcess fake(dir.path(), "normal");
  std::string thread = start_thread(fake);
  fake.send(turn_start(3, thread, "APPROVAL"));
  auto request = fake.read_until(is_method("item/commandExecution/requestApproval")).back();
  EXPECT_EQ(request["params"]["threadId"], thread);
  fake.send({{"id", request["id"]}, {"result", {{"decision", "decline"}}}});
  EXPECT_EQ(final_answer(fake.read_until(is_method("turn/completed"))), "decision: decline");
}

TEST(FakeAppServerContract, ExitImmediatelyAndStdinEof) {
  diary::test::ScratchDir dir;
  {
    FakeProcess fake(dir.path(), "exit-immediately");
    EXPECT_EQ(fake.wait_exit(kTimeout), 7);
    EXPECT_NE(diary::test::read_file(dir / "fake.stderr").find("fatal: boom"), std::string::npos);
  }
  FakeProcess fake(dir.path(), "normal");
  start_thread(fake);
  fake.close_stdin();
  EXPECT_EQ(fake.wait_exit(kTimeout), 0);
}

}  // namespace
