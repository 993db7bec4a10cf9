// Shared fixture of the e2e tests that drive the real pinned codex: a scratch dir, a mock model
// on loopback, a hermetic CodexEnv, factory options that record every app-server started, and
// a TearDown that fails the test if any codex of it is left running. Header-only (tests/e2e
// builds only *_test.cpp). Single test thread; the mock server has its own thread.
#pragma once

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <gtest/gtest.h>

#include "agent/agent_config.h"
#include "codex/codex_session_factory.h"
#include "process_probe.h"
#include "spawned_process.h"
#include "support/async_test.h"
#include "support/codex_env.h"
#include "support/mock_model/mock_codex_config.h"
#include "support/mock_model/mock_model_server.h"
#include "support/scratch_dir.h"

namespace diary::test {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

inline std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

// What the factory reported while a test ran (shared with its callbacks).
struct FactoryLog {
  std::vector<int> backend_pids;
  std::vector<std::string> codex_homes;  // as each app-server reported it in its handshake
  std::vector<std::string> warnings;
};

class CodexE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // e2e tests are the proof that the product works: a missing codex is a failure, not a skip.
    if (!std::filesystem::exists(DIARY_TEST_CODEX_BIN))
      GTEST_FAIL() << "codex not installed (run scripts/setup.sh): " << DIARY_TEST_CODEX_BIN;
    // Defence in depth: anything that still ran codex in this process's own environment would
    // write below $CODEX_HOME (default ~/.codex). Point it at a second scratch home; it differs
    // from env_'s, so a backend that ignored its own env would be noticed.
    std::filesystem::create_directories(probe_home_);
    if (const char* home = std::getenv("CODEX_HOME")) saved_codex_home_ = home;
    ::setenv("CODEX_HOME", probe_home_.c_str(), 1);
  }

  // Every codex this test started must be gone: no process with our CODEX_HOME, no member of
  // an app-server's process group, no unreaped child of this process.
  void TearDown() override {
    if (IsSkipped()) return;
    if (saved_codex_home_) ::setenv("CODEX_HOME", saved_codex_home_->c_str(), 1);
    else ::unsetenv("CODEX_HOME");
    for (const auto& home : log_->codex_homes) EXPECT_EQ(home, env_.codex_home().string());
    for (const auto& home : {env_.codex_home(), probe_home_}) {
      const auto left = leftover_codex(home, 5s);
      EXPECT_TRUE(left.empty()) << "codex processes left behind: " << describe(left);
    }
    for (int pid : log_->backend_pids)
      EXPECT_TRUE(poll_until([pid] { return process_group_gone(pid); }, 3s))
          << "process group of app-server " << pid << " still alive";
    std::vector<ProcInfo> children;
    poll_until([&] { return (children = children_of(::getpid())).empty(); }, 3s);
    EXPECT_TRUE(children.empty()) << "children of the test process left: " << describe(children);
  }

  // The pinned codex, the hermetic backend, every started app-server recorded in log_.
  codex::CodexFactoryOptions factory_options() const {
    codex::CodexFactoryOptions options;
    options.codex_binary = DIARY_TEST_CODEX_BIN;
    options.backend = env_.backend_options();
    options.handshake_timeout = 30s;
    auto log = log_;
    options.warn = [log](std::string_view message) { log->warnings.emplace_back(message); };
    options.on_backend_started = [log](const codex::BackendInfo& info, const agent::AgentBackendOptions&) {
      log->backend_pids.push_back(info.pid);
      log->codex_homes.push_back(info.codex_home);
    };
    return options;
  }

  // A conversation in the scratch workdir that may write there without asking.
  agent::AgentConfig config() const {
    agent::AgentConfig config;
    config.working_directory = env_.workdir();
    config.sandbox = "workspace-write";
    config.approval_policy = "never";
    return config;
  }

  // `diary <args...>` as a process, run in the workdir with the hermetic environment.
  std::unique_ptr<SpawnedProcess> start_diary(const std::vector<std::string>& args) const {
    std::vector<std::string> argv{DIARY_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    return std::make_unique<SpawnedProcess>(argv, env_.workdir(), env_.process_environment());
  }

  struct Finished {
    std::optional<int> exit_code;  // nullopt: still running at the deadline (then killed)
    std::string out;
    std::string err;
    std::chrono::milliseconds elapsed{0};
  };

  Finished run_diary(const std::vector<std::string>& args, std::chrono::milliseconds timeout = 60s) const {
    auto process = start_diary(args);
    Finished finished;
    finished.exit_code = process->wait(timeout);
    finished.out = process->out();
    finished.err = process->err();
    finished.elapsed = process->elapsed();
    return finished;
  }

  // --codex-bin, the mock-model -c overrides, a workdir that may be written without asking.
  std::vector<std::string> backend_flags() const {
    std::vector<std::string> flags{"--codex-bin", DIARY_TEST_CODEX_BIN};
    const auto overrides = env_.config_flags();
    flags.insert(flags.end(), overrides.begin(), overrides.end());
    return flags;
  }

  // `job run SPEC --json` with the backend flags, then `extra`.
  std::vector<std::string> job_args(const std::filesystem::path& spec, const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args{"job", "run", spec.string(), "--json"};
    const auto backend = backend_flags();
    args.insert(args.end(), backend.begin(), backend.end());
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  // Writes a job spec as scratch/<name>: beside the workdir, so the ledger the job writes under
  // <workdir>/.diary is the only thing diary adds to the workdir.
  std::filesystem::path write_spec(const std::string& toml, const std::string& name = "job.toml") const {
    const std::filesystem::path path = scratch_ / name;
    write_file(path, toml);
    return path;
  }

  ScratchDir scratch_;
  MockModelServer model_;
  CodexEnv env_{scratch_.path(), mock_provider_overrides(model_.port())};
  std::shared_ptr<FactoryLog> log_ = std::make_shared<FactoryLog>();

 private:
  std::filesystem::path probe_home_ = scratch_ / "version-probe-home";
  std::optional<std::string> saved_codex_home_;
};

// Runs `tasks` concurrently on the current executor and returns their results in order.
// (Boost 1.81's awaitable operators would put temporaries into co_await expressions, which
// GCC 12 miscompiles; a counter and a wake-up timer do not.)
template <class T>
boost::asio::awaitable<std::vector<T>> join_all(std::vector<std::function<boost::asio::awaitable<T>()>> tasks) {
  struct State {
    explicit State(boost::asio::any_io_executor executor, std::size_t n) : wake(executor, Clock::time_point::max()), results(n) {}
    boost::asio::steady_timer wake;
    std::vector<std::optional<T>> results;
    std::size_t pending = 0;
    std::exception_ptr failure;
  };
  auto executor = co_await boost::asio::this_coro::executor;
  auto state = std::make_shared<State>(executor, tasks.size());
  state->pending = tasks.size();
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    boost::asio::co_spawn(executor, tasks[i](), [state, i](std::exception_ptr error, T value) {
      if (error) state->failure = error;
      else state->results[i].emplace(std::move(value));
      if (--state->pending == 0) state->wake.cancel();
    });
  }
  while (state->pending > 0) {
    boost::system::error_code ignored;
    co_await state->wake.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
  }
  if (state->failure) std::rethrow_exception(state->failure);
  std::vector<T> out;
  for (auto& result : state->results) out.push_back(std::move(*result));
  co_return out;
}

// Suspends (without blocking the io_context) until `done` holds or `timeout` passed.
inline boost::asio::awaitable<bool> co_poll_until(std::function<bool()> done, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() >= deadline) co_return false;
    co_await sleep_for(20ms);
  }
  co_return true;
}

}  // namespace diary::test
