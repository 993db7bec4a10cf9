// Fidelity of the mock model against the real pinned codex: `codex exec` (not diary's client)
// with the mock provider overrides must run a scripted shell command, send its output back and
// print the scripted answer; a scripted HTTP 500 must fail the run promptly. Every codex run has
// a deadline and is killed (with its process group) when it passes.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/mock_model/mock_codex_config.h"
#include "support/mock_model/mock_model_server.h"
#include "support/scratch_dir.h"

extern char** environ;

namespace diary::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

constexpr auto kCodexDeadline = 60s;

struct ProcessResult {
  int exit_code = -1;  // -1 when killed or not started
  bool timed_out = false;
  std::string out;
  std::string err;
  std::chrono::milliseconds elapsed{0};
};

// Runs argv in cwd with the given environment, draining stdout and stderr; SIGKILLs the whole
// process group at the deadline.
ProcessResult run_process(const std::vector<std::string>& args, const fs::path& cwd, const std::vector<std::string>& env,
                          std::chrono::milliseconds timeout) {
  ProcessResult result;
  std::array<int, 2> out_pipe{}, err_pipe{};
  if (::pipe2(out_pipe.data(), O_CLOEXEC) != 0 || ::pipe2(err_pipe.data(), O_CLOEXEC) != 0) {
    result.err = std::string("pipe2: ") + std::strerror(errno);
    return result;
  }
  std::vector<char*> argv, envp;
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  for (const auto& entry : env) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);
  const std::string dir = cwd.string();

  const auto started = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {  // child: async-signal-safe calls only
    ::setpgid(0, 0);
    const int null_in = ::open("/dev/null", O_RDONLY);
    if (null_in < 0 || ::dup2(null_in, 0) < 0 || ::dup2(out_pipe[1], 1) < 0 || ::dup2(err_pipe[1], 2) < 0 ||
        ::chdir(dir.c_str()) != 0)
      ::_exit(126);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (pid < 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    result.err = std::string("fork: ") + std::strerror(errno);
    return result;
  }
  ::setpgid(pid, pid);  // also from here, so the kill below cannot race the child's setpgid

  const auto deadline = started + timeout;
  std::array<pollfd, 2> fds{pollfd{out_pipe[0], POLLIN, 0}, pollfd{err_pipe[0], POLLIN, 0}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  int open_fds = 2;
  while (open_fds > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) {
      result.timed_out = true;
      break;
    }
    if (::poll(fds.data(), fds.size(), static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[8192];
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& fd : fds)
    if (fd.fd >= 0) ::close(fd.fd);

  // Both pipes closed: the child is exiting; still bound the wait by the same deadline.
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (result.timed_out || std::chrono::steady_clock::now() >= deadline) {
      result.timed_out = true;
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    ::usleep(10'000);
  }
  if (!result.timed_out && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  return result;
}

// The caller's environment without API keys and with a throw-away CODEX_HOME.
std::vector<std::string> hermetic_env(const fs::path& codex_home) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto name = text.substr(0, text.find('='));
    if (name == "OPENAI_API_KEY" || name == "CODEX_API_KEY" || name == "CODEX_HOME") continue;
    env.emplace_back(text);
  }
  env.push_back("CODEX_HOME=" + codex_home.string());
  return env;
}

class mock_model_smoke : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(DIARY_TEST_CODEX_BIN)) GTEST_SKIP() << "codex not installed: " << DIARY_TEST_CODEX_BIN;
    fs::create_directories(codex_home_);
    fs::create_directories(work_);
  }

  // `codex exec` with the mock overrides; --strict-config makes codex reject any override it
  // does not know, so a passing run also proves every override is accepted by this version.
  ProcessResult codex_exec(const std::string& prompt, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{DIARY_TEST_CODEX_BIN, "exec",      "--skip-git-repo-check",
                                  "--strict-config",    "--sandbox", "workspace-write"};
    for (const auto& override_value : mock_provider_overrides(server_.port())) {
      args.push_back("-c");
      args.push_back(override_value);
    }
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(prompt);
    auto result = run_process(args, work_, hermetic_env(codex_home_), kCodexDeadline);
    EXPECT_FALSE(result.timed_out) << "codex exec passed its deadline; stderr:\n" << result.err;
    return result;
  }

  ScratchDir scratch_;
  fs::path codex_home_ = scratch_ / "codex-home";
  fs::path work_ = scratch_ / "work";
  MockModelServer server_;
};

TEST_F(mock_model_smoke, ExecRunsTheScriptedShellCommandAndPrintsTheAnswer) {
  const auto run = codex_exec("RUN: echo hello > out.txt\nANSWER: wrote it");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ASSERT_TRUE(fs::exists(work_ / "out.txt")) << run.err;
  EXPECT_EQ(read_file(work_ / "out.txt"), "hello\n");
  EXPECT_NE(run.out.find("wrote it"), std::string::npos) << run.out;

  const auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_TRUE(server_.unhandled_requests().empty());
  const auto& first = requests[0];
  const auto& second = requests[1];
  EXPECT_EQ(first.model(), "mock-model");
  EXPECT_EQ(first.body.value("stream", false), true);
  EXPECT_EQ(first.last_user_text(), "RUN: echo hello > out.txt\nANSWER: wrote it");
  EXPECT_TRUE(first.function_outputs_since_last_user().empty());
  EXPECT_EQ(first.shell_tool(), "exec_command");
  EXPECT_FALSE(first.has_output_schema());
  // prompt_cache_key is the codex session (thread) id: stable across the turn's requests.
  EXPECT_FALSE(first.prompt_cache_key().empty());
  EXPECT_EQ(first.prompt_cache_key(), second.prompt_cache_key());

  // The second request carries our call and codex's output for it.
  const json& input = second.body["input"];
  ASSERT_GE(input.size(), 2u);
  const json& call = input[input.size() - 2];
  const json& output = input.back();
  EXPECT_EQ(call["type"], "function_call");
  EXPECT_EQ(call["name"], "exec_command");
  EXPECT_EQ(json::parse(call["arguments"].get<std::string>())["cmd"], "echo hello > out.txt");
  EXPECT_EQ(output["type"], "function_call_output");
  EXPECT_EQ(output["call_id"], call["call_id"]);
  ASSERT_EQ(second.function_outputs_since_last_user().size(), 1u);
  EXPECT_NE(second.function_outputs_since_last_user()[0].find("Process exited with code 0"), std::string::npos)
      << second.function_outputs_since_last_user()[0];

  std::string tools;
  for (const auto& tool : first.offered_tools())
    tools += (tool.tool_namespace.empty() ? "" : tool.tool_namespace + ".") + tool.name + " ";
  RecordProperty("offered_tools", tools);
  RecordProperty("prompt_cache_key", first.prompt_cache_key());
}

TEST_F(mock_model_smoke, ExecFailsPromptlyOnHttp500) {
  const auto run = codex_exec("FAIL_HTTP: 500");
  EXPECT_NE(run.exit_code, 0) << run.out;
  EXPECT_LT(run.elapsed, 20s);
  EXPECT_EQ(server_.request_count(), 1u);  // request_max_retries=0: no retry
  // codex words a 500 as "high demand"; the status itself is not printed.
  EXPECT_NE(run.err.find("ERROR:"), std::string::npos) << run.err;
}

TEST_F(mock_model_smoke, OutputSchemaArrivesAsStrictJsonSchemaTextFormat) {
  const json schema = {
      {"type", "object"}, {"properties", {{"n", {{"type", "integer"}}}}}, {"required", {"n"}}, {"additionalProperties", false}};
  write_file(scratch_ / "schema.json", schema.dump());
  const auto run = codex_exec("ANSWER_JSON: {\"n\": 3}", {"--output-schema", (scratch_ / "schema.json").string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("{\"n\":3}"), std::string::npos) << run.out;
  ASSERT_EQ(server_.request_count(), 1u);
  const auto request = server_.requests()[0];
  ASSERT_TRUE(request.has_output_schema());
  EXPECT_EQ(request.body["text"]["format"],
            (json{{"type", "json_schema"}, {"name", "codex_output_schema"}, {"strict", true}, {"schema", schema}}));
}

}  // namespace
}  // namespace diary::test
