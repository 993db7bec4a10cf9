#include "generate/batch/batch_runner.h"

#include <algorithm>
#include <set>
#include <sstream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>

#include "generate/batch/batch_spec_parser.h"
#include "support/fake_agent.h"
#include "support/scratch_dir.h"

namespace diary::generate {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using test::FakeTurn;

std::vector<nlohmann::json> ledger_lines(const fs::path& path) {
  std::istringstream in(test::read_file(path));
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

std::vector<nlohmann::json> events_named(const std::vector<nlohmann::json>& lines, const std::string& name) {
  std::vector<nlohmann::json> out;
  for (const auto& line : lines)
    if (line["event"] == name) out.push_back(line);
  return out;
}

// A turn that does what the first prompt says: "write <file>" (relative to the job's workdir).
test::FakeTurnScript write_requested_file(fs::path workdir) {
  return [workdir](const std::string& prompt, const agent::TurnOptions&) -> agent::Result<agent::AgentTurnResult> {
    const auto at = prompt.find("write ");
    if (at == std::string::npos) return test::fake_completed("nothing asked");
    const std::string file = prompt.substr(at + 6, prompt.find_first_of(" \n", at + 6) - (at + 6));
    test::write_file(workdir / file, "content of " + file);
    return test::fake_completed("wrote " + file, test::fake_usage(10, 5));
  };
}

// A turn whose app-server dies under it (as CodexAgentRunner reports it).
test::FakeTurnScript backend_dies(std::shared_ptr<bool> alive) {
  return [alive](const std::string&, const agent::TurnOptions&) -> agent::Result<agent::AgentTurnResult> {
    *alive = false;
    return agent::fail(agent::ErrorKind::process_exited, "codex app-server exited (killed by signal 9)");
  };
}

// The fake behind a "backend" that must be started again after it died: a start takes a moment
// (as spawning codex and its handshake do) and is reported to BackendHealth, as the command does
// from the Codex factory's callback.
class RestartingFactory : public agent::AgentSessionFactory {
 public:
  RestartingFactory(test::FakeAgentSessionFactory& inner, std::shared_ptr<BackendHealth> health)
      : inner_(inner), health_(std::move(health)) {}
  asio::awaitable<agent::Result<std::shared_ptr<agent::AgentRunner>>> create_runner(agent::AgentConfig config) override {
    while (!*alive) {
      if (starting_) {
        co_await test_sleep(1ms);
        continue;
      }
      starting_ = true;
      co_await test_sleep(5ms);
      starting_ = false;
      *alive = true;
      health_->started();
    }
    auto runner = co_await inner_.create_runner(std::move(config));
    co_return runner;
  }
  asio::awaitable<void> shutdown() override { co_await inner_.shutdown(); }
  std::shared_ptr<bool> alive = std::make_shared<bool>(false);

 private:
  static asio::awaitable<void> test_sleep(std::chrono::milliseconds delay) {
    asio::steady_timer timer(co_await asio::this_coro::executor, delay);
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }

  bool starting_ = false;
  test::FakeAgentSessionFactory& inner_;
  std::shared_ptr<BackendHealth> health_;
};

// Runners that ignore turn/interrupt (a wedged app-server): their turns end only when the
// factory is shut down under them, as a killed app-server would end them.
class WedgedFactory : public agent::AgentSessionFactory {
 public:
  class Runner : public agent::AgentRunner {
   public:
    explicit Runner(WedgedFactory& factory) : factory_(factory) {}
    asio::awaitable<agent::Result<agent::ConversationStart>> start_conversation() override {
      co_return agent::ConversationStart{.id = "wedged"};
    }
    asio::awaitable<agent::Result<agent::AgentTurnResult>> turn(std::string, agent::TurnOptions) override {
      running_ = true;
      auto executor = co_await asio::this_coro::executor;
      auto timer = std::make_shared<asio::steady_timer>(executor, std::chrono::steady_clock::time_point::max());
      factory_.waiting_.push_back(timer);
      boost::system::error_code ignored;
      co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      running_ = false;
      co_return agent::fail(agent::ErrorKind::process_exited, "codex app-server exited (shut down)");
    }
    asio::awaitable<void> interrupt() override {
      ++factory_.interrupts;
      co_return;
    }
    bool turn_running() const override { return running_; }
    std::string conversation_id() const override { return "wedged"; }

   private:
    WedgedFactory& factory_;
    bool running_ = false;
  };

  asio::awaitable<agent::Result<std::shared_ptr<agent::AgentRunner>>> create_runner(agent::AgentConfig) override {
    co_return std::shared_ptr<agent::AgentRunner>(std::make_shared<Runner>(*this));
  }
  asio::awaitable<void> shutdown() override {
    ++shutdowns;
    for (auto& timer : waiting_) timer->cancel();
    co_return;
  }
  int interrupts = 0;
  int shutdowns = 0;

 private:
  std::vector<std::shared_ptr<asio::steady_timer>> waiting_;
};

// Its first create_runner throws, as a backend start did on a wrongly shaped handshake answer
// (issue 10.5); later ones go to the inner fake.
class ThrowingFactory : public agent::AgentSessionFactory {
 public:
  explicit ThrowingFactory(test::FakeAgentSessionFactory& inner) : inner_(inner) {}
  asio::awaitable<agent::Result<std::shared_ptr<agent::AgentRunner>>> create_runner(agent::AgentConfig config) override {
    if (++calls_ == 1) throw std::runtime_error("[json.exception.type_error.306] cannot use value() with number");
    auto runner = co_await inner_.create_runner(std::move(config));
    co_return runner;
  }
  asio::awaitable<void> shutdown() override { co_await inner_.shutdown(); }

 private:
  test::FakeAgentSessionFactory& inner_;
  int calls_ = 0;
};

asio::awaitable<void> stop_after(std::chrono::milliseconds delay, std::stop_source* source) {
  asio::steady_timer timer(co_await asio::this_coro::executor, delay);
  boost::system::error_code ignored;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  source->request_stop();
}

class BatchRunnerTest : public ::testing::Test {
 protected:
  test::ScratchDir dir;
  asio::io_context io;
  test::FakeAgentSessionFactory factory;
  BatchRunOptions options;

  BatchRunnerTest() {
    options.initial_backoff = 1ms;
    options.max_backoff = 1ms;
  }

  fs::path work() const { return fs::canonical(dir.path()); }

  // `n` inline jobs j0..j(n-1), each declaring j<i>.txt and asked to write it; `defaults`
  // goes into [defaults].
  BatchSpec batch(int n, const std::string& defaults = "", const std::string& head = "") {
    std::string toml = head + "[defaults]\n" + defaults + "\n";
    for (int i = 0; i < n; ++i)
      toml += "[[job]]\nname = \"j" + std::to_string(i) + "\"\nprompt = \"write j" + std::to_string(i) +
              ".txt\"\n[[job.artifact]]\npath = \"j" + std::to_string(i) + ".txt\"\n";
    test::write_file(dir / "batch.toml", toml);
    auto spec = parse_batch_spec(dir / "batch.toml");
    EXPECT_TRUE(spec) << (spec ? "" : spec.error().front());
    return spec ? std::move(*spec) : BatchSpec{};
  }

  static std::vector<std::size_t> all(const BatchSpec& spec) {
    std::vector<std::size_t> out(spec.jobs.size());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = i;
    return out;
  }

  BatchResult run(const BatchSpec& spec, agent::AgentSessionFactory& with, std::vector<std::size_t> selected = {}) {
    if (selected.empty()) selected = all(spec);
    auto result = test::run_awaitable(io, run_batch(spec, std::move(selected), with, options), 10s);
    EXPECT_TRUE(result) << result.error().message;
    return result ? std::move(*result) : BatchResult{};
  }
  BatchResult run(const BatchSpec& spec) { return run(spec, factory); }

  static std::vector<std::string> statuses(const BatchResult& result) {
    std::vector<std::string> out;
    for (const auto& job : result.jobs) out.push_back(job.status());
    return out;
  }
  static std::vector<std::string> names(const BatchResult& result) {
    std::vector<std::string> out;
    for (const auto& job : result.jobs) out.push_back(job.name);
    return out;
  }
};

TEST_F(BatchRunnerTest, ResultsAreInBatchOrderWhateverTheCompletionOrder) {
  const auto spec = batch(4);
  // Started in batch order (concurrency 4), finishing j1, j3, j2, j0.
  for (auto delay : {120ms, 10ms, 70ms, 30ms}) factory.push(FakeTurn{write_requested_file(work()), delay});
  const auto result = run(spec);
  EXPECT_EQ(result.status, BatchStatus::complete) << result.reason;
  EXPECT_EQ(names(result), (std::vector<std::string>{"j0", "j1", "j2", "j3"}));
  EXPECT_EQ(statuses(result), (std::vector<std::string>(4, "complete")));
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(result.jobs[i].index, i);
    EXPECT_EQ(result.jobs[i].job->attempts(), 1);
  }

  const auto lines = ledger_lines(result.ledger);
  std::vector<std::string> finished;
  for (const auto& line : events_named(lines, "job_finished")) finished.push_back(line["job"]);
  EXPECT_EQ(finished, (std::vector<std::string>{"j1", "j3", "j2", "j0"}));
  const auto json = to_json(result);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(json["jobs"][i]["name"], "j" + std::to_string(i));
}

TEST_F(BatchRunnerTest, ConcurrencyLimitIsRespectedAndEveryJobGetsItsOwnRunner) {
  const auto spec = batch(10);
  options.concurrency = 3;
  std::size_t most_running = 0;
  for (int i = 0; i < 10; ++i) {
    auto write = write_requested_file(work());
    factory.push(FakeTurn{[&, write](const std::string& prompt, const agent::TurnOptions& turn_options) {
                            const auto& runners = factory.runners();
                            most_running = std::max<std::size_t>(
                                most_running,
                                std::count_if(runners.begin(), runners.end(), [](const auto& r) { return r->turn_running(); }));
                            return write(prompt, turn_options);
                          },
                          15ms});
  }
  const auto result = run(spec);
  EXPECT_EQ(result.status, BatchStatus::complete) << result.reason;
  EXPECT_EQ(most_running, 3u);
  EXPECT_EQ(factory.runners_created(), 10);
  EXPECT_EQ(factory.unexpected_turns(), 0);
  EXPECT_EQ(batch_totals(result)["complete"], 10);
  EXPECT_EQ(batch_totals(result)["turns"], 10);
  EXPECT_EQ(batch_totals(result)["tokens"], 150);
}

TEST_F(BatchRunnerTest, ConcurrencyFromTheBatchFileIsOnlyADefault) {
  const auto spec = batch(2, "", "concurrency = 7\n");
  EXPECT_EQ(spec.concurrency, 7);
}

TEST_F(BatchRunnerTest, CompleteJobsStartNothingAndTheRerunIsANoOp) {
  const auto spec = batch(5);
  for (int i = 0; i < 5; ++i) test::write_file(dir / ("j" + std::to_string(i) + ".txt"), "done");
  const auto started = std::chrono::steady_clock::now();
  const auto result = run(spec);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
  EXPECT_EQ(result.status, BatchStatus::complete);
  EXPECT_EQ(statuses(result), (std::vector<std::string>(5, "complete")));
  EXPECT_EQ(factory.runners_created(), 0);
  EXPECT_EQ(batch_totals(result)["turns"], 0);
  for (const auto& job : result.jobs) EXPECT_EQ(job.job->reason, "artifacts already complete");
}

TEST_F(BatchRunnerTest, OnlyTheSelectedJobsRun) {
  const auto spec = batch(4);
  factory.push(FakeTurn{write_requested_file(work())});
  factory.push(FakeTurn{write_requested_file(work())});
  const auto result = run(spec, factory, {1, 3});
  EXPECT_EQ(names(result), (std::vector<std::string>{"j1", "j3"}));
  EXPECT_EQ(result.status, BatchStatus::complete);
  EXPECT_FALSE(fs::exists(dir / "j0.txt"));
  EXPECT_TRUE(fs::exists(dir / "j3.txt"));
}

TEST_F(BatchRunnerTest, NotCompleteJobMakesTheBatchFailButOthersRun) {
  const auto spec = batch(3, "max_no_progress = 1");
  options.concurrency = 1;
  factory.push(FakeTurn{write_requested_file(work())});
  factory.push_turn([](const std::string&, const agent::TurnOptions&) { return test::fake_completed("did nothing"); });
  factory.push(FakeTurn{write_requested_file(work())});
  const auto result = run(spec);
  EXPECT_EQ(result.status, BatchStatus::failed);
  EXPECT_EQ(statuses(result), (std::vector<std::string>{"complete", "incomplete", "complete"}));
  EXPECT_EQ(result.reason, "1 of 3 job(s) not complete");
}

TEST_F(BatchRunnerTest, FailFastStopsStartingJobsAndInterruptsTheRunningOnes) {
  const auto spec = batch(5, "max_no_progress = 1");
  options.concurrency = 2;
  options.fail_fast = true;
  agent::TurnError provider{.kind = agent::ErrorKind::turn_failed, .message = "model said no"};
  factory.push(FakeTurn{[provider](const std::string&, const agent::TurnOptions&) -> agent::Result<agent::AgentTurnResult> {
                          return test::fake_failed(provider);
                        },
                        10ms});
  factory.push(FakeTurn{.until_interrupted = true});
  const auto result = run(spec);
  EXPECT_EQ(result.status, BatchStatus::failed);
  EXPECT_EQ(statuses(result), (std::vector<std::string>{"failed", "interrupted", "skipped", "skipped", "skipped"}));
  EXPECT_NE(result.reason.find("--fail-fast: job j0 ended failed"), std::string::npos) << result.reason;
  EXPECT_EQ(factory.runners_created(), 2);
  EXPECT_NE(result.jobs[2].skipped_reason.find("not started: --fail-fast"), std::string::npos) << result.jobs[2].skipped_reason;
  const auto json = to_json(result);
  EXPECT_EQ(json["jobs"][4]["status"], "skipped");
  EXPECT_EQ(json["jobs"][4]["attempts"], 0);
  EXPECT_EQ(json["totals"]["skipped"], 3);
  EXPECT_EQ(events_named(ledger_lines(result.ledger), "job_skipped").size(), 3u);
}

TEST_F(BatchRunnerTest, StopRequestInterruptsRunningJobsSkipsPendingAndFlushesTheLedger) {
  const auto spec = batch(4);
  options.concurrency = 2;
  std::stop_source stop;
  options.stop = stop.get_token();
  factory.push(FakeTurn{.until_interrupted = true});
  factory.push(FakeTurn{.until_interrupted = true});
  asio::co_spawn(io, stop_after(40ms, &stop), asio::detached);
  const auto result = run(spec);
  EXPECT_EQ(result.status, BatchStatus::interrupted);
  EXPECT_EQ(statuses(result), (std::vector<std::string>{"interrupted", "interrupted", "skipped", "skipped"}));
  for (const auto& runner : factory.runners()) EXPECT_GE(runner->interrupts(), 1);

  const auto lines = ledger_lines(result.ledger);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.front()["event"], "batch_request");
  EXPECT_EQ(lines.back()["event"], "result");
  EXPECT_EQ(lines.back()["status"], "interrupted");
  EXPECT_EQ(events_named(lines, "stop").at(0)["reason"], "interrupted by a signal");
  EXPECT_TRUE(fs::exists(result.ledger.parent_path() / "result.json"));
  // Each job that ran has its own ledger, ending with its result.
  for (int i = 0; i < 2; ++i) {
    const auto job_lines = ledger_lines(result.jobs[i].job->ledger);
    EXPECT_EQ(job_lines.back()["event"], "result");
    EXPECT_EQ(job_lines.back()["status"], "interrupted");
  }
}

TEST_F(BatchRunnerTest, StopBeforeTheStartRunsNothing) {
  const auto spec = batch(3);
  std::stop_source stop;
  stop.request_stop();
  options.stop = stop.get_token();
  const auto result = run(spec);
  EXPECT_EQ(result.status, BatchStatus::interrupted);
  EXPECT_EQ(statuses(result), (std::vector<std::string>(3, "skipped")));
  EXPECT_EQ(factory.runners_created(), 0);
}

TEST_F(BatchRunnerTest, TurnsThatIgnoreTheInterruptAreEndedByShuttingTheBackendDownAfterTheGrace) {
  const auto spec = batch(2);
  WedgedFactory wedged;
  std::stop_source stop;
  options.stop = stop.get_token();
  options.stop_grace = 100ms;
  asio::co_spawn(io, stop_after(30ms, &stop), asio::detached);
  const auto started = std::chrono::steady_clock::now();
  const auto result = run(spec, wedged);
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(result.status, BatchStatus::interrupted);
  EXPECT_EQ(statuses(result), (std::vector<std::string>{"interrupted", "interrupted"}));
  EXPECT_GE(wedged.interrupts, 2);
  EXPECT_EQ(wedged.shutdowns, 1);
  EXPECT_GE(took, 130ms);
  EXPECT_LT(took, 2s);
  EXPECT_EQ(result.backend_deaths, 0u) << "a backend we shut down did not die";
}

// 12.1: jobs running when the app-server dies resume their conversations on the new one and
// complete; pending jobs continue on it.
TEST_F(BatchRunnerTest, AppServerDeathRunningJobsResumeOnTheNewBackendAndPendingJobsContinue) {
  const auto spec = batch(4);
  options.concurrency = 2;
  options.health = std::make_shared<BackendHealth>();
  RestartingFactory restarting(factory, options.health);
  factory.push(FakeTurn{backend_dies(restarting.alive), 20ms});
  factory.push(FakeTurn{backend_dies(restarting.alive), 20ms});  // the same death, seen by the second job
  for (int i = 0; i < 4; ++i) factory.push(FakeTurn{write_requested_file(work())});
  const auto result = run(spec, restarting);

  EXPECT_EQ(result.status, BatchStatus::complete) << result.reason;
  EXPECT_EQ(statuses(result), std::vector<std::string>(4, "complete"));
  for (int i = 0; i < 2; ++i) {
    const JobResult& job = *result.jobs[i].job;
    ASSERT_EQ(job.attempts(), 2);
    ASSERT_TRUE(job.turns[0].error);
    EXPECT_NE(job.turns[0].error->message.find("codex app-server exited"), std::string::npos) << job.turns[0].error->message;
  }
  // Each recovered job asked for its own earlier conversation.
  std::vector<std::string> resumed;
  for (const auto& config : factory.configs())
    if (config.resume_conversation) resumed.push_back(*config.resume_conversation);
  std::sort(resumed.begin(), resumed.end());
  EXPECT_EQ(resumed, (std::vector<std::string>{"fake-thread-0", "fake-thread-1"}));
  EXPECT_EQ(result.backend_deaths, 1u);
  EXPECT_EQ(result.backend_starts, 2u);
  const auto died = events_named(ledger_lines(result.ledger), "backend_died");
  ASSERT_EQ(died.size(), 1u);
  EXPECT_EQ(died[0]["action"], "restart");
}

TEST_F(BatchRunnerTest, SecondDeathWithinTheWindowStopsTheBatch) {
  const auto spec = batch(4);
  options.concurrency = 1;
  options.health = std::make_shared<BackendHealth>(std::chrono::minutes(1));
  RestartingFactory restarting(factory, options.health);
  factory.push(FakeTurn{backend_dies(restarting.alive)});
  factory.push(FakeTurn{backend_dies(restarting.alive)});  // job 0 again, resumed on the new backend
  const auto result = run(spec, restarting);
  EXPECT_EQ(result.status, BatchStatus::failed);
  EXPECT_EQ(statuses(result), (std::vector<std::string>{"failed", "skipped", "skipped", "skipped"}));
  EXPECT_EQ(result.jobs[0].job->attempts(), 2);
  EXPECT_NE(result.reason.find("died again within 1m"), std::string::npos) << result.reason;
  EXPECT_EQ(result.backend_deaths, 2u);
  const auto died = events_named(ledger_lines(result.ledger), "backend_died");
  ASSERT_EQ(died.size(), 2u);
  EXPECT_EQ(died[1]["action"], "stop");
}

TEST_F(BatchRunnerTest, AJobThatThrowsFailsAndTheBatchStillWritesItsResult) {
  const auto spec = batch(2);
  factory.push_turn(write_requested_file(work()));
  ThrowingFactory throwing(factory);
  options.concurrency = 1;
  const BatchResult result = run(spec, throwing);
  EXPECT_EQ(statuses(result), (std::vector<std::string>{"failed", "complete"}));
  ASSERT_TRUE(result.jobs[0].job);
  EXPECT_NE(result.jobs[0].job->reason.find("type_error.306"), std::string::npos) << result.jobs[0].job->reason;
  EXPECT_TRUE(fs::exists(result.ledger.parent_path() / "result.json"));
  const auto lines = ledger_lines(result.ledger);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back()["event"], "result");
}

TEST_F(BatchRunnerTest, BlockedJobStopsTheBatch) {
  const auto spec = batch(3);
  options.concurrency = 1;
  factory.fail_create_runner({agent::ErrorKind::blocked, "codex not found"});
  const auto result = run(spec);
  EXPECT_EQ(result.status, BatchStatus::blocked);
  EXPECT_EQ(statuses(result), (std::vector<std::string>{"blocked", "skipped", "skipped"}));
  EXPECT_NE(result.reason.find("codex not found"), std::string::npos) << result.reason;
}

TEST_F(BatchRunnerTest, JobsWithTheSameBackendConfigShareOneBackendKey) {
  test::write_file(dir / "batch.toml", R"([defaults]
codex_config = ["mcp_servers.docs.command=\"docs-mcp\""]
[[job]]
name = "a"
prompt = "write a.txt"
[[job]]
name = "b"
prompt = "write b.txt"
[[job]]
name = "c"
prompt = "write c.txt"
codex_config = ["mcp_servers.other.command=\"other\""]
)");
  auto spec = parse_batch_spec(dir / "batch.toml");
  ASSERT_TRUE(spec);
  options.backend.binary = "/opt/codex";
  for (int i = 0; i < 3; ++i) factory.push(FakeTurn{write_requested_file(work())});
  const auto result = run(*spec);
  EXPECT_EQ(result.status, BatchStatus::complete) << result.reason;
  ASSERT_EQ(factory.configs().size(), 3u);
  for (const auto& config : factory.configs()) {
    EXPECT_EQ(config.backend.binary, "/opt/codex");
    EXPECT_EQ(config.working_directory, work());
  }
  std::set<agent::AgentBackendOptions> keys;
  for (const auto& config : factory.configs()) keys.insert(config.backend);
  EXPECT_EQ(keys.size(), 2u) << "a and b share a backend, c needs its own";
}

}  // namespace
}  // namespace diary::generate
