// `diary batch run` as a user runs it: the built diary executable driving the real pinned codex
// against the in-test mock model. Eight jobs on one app-server; a finished batch re-run that
// starts nothing; SIGINT mid-batch (exit 130, ledgers flushed, no codex left); an app-server
// killed mid-batch (running jobs fail with the cause, one restart, the rest complete); bad
// batch files and shards without codex.
#include <atomic>
#include <csignal>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_support.h"

namespace diary::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<json> ledger_lines(const fs::path& path) {
  std::istringstream in(read_file(path));
  std::vector<json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  return lines;
}

std::vector<json> events_named(const std::vector<json>& lines, const std::string& name) {
  std::vector<json> out;
  for (const auto& line : lines)
    if (line["event"] == name) out.push_back(line);
  return out;
}

std::vector<pid_t> codex_children(pid_t parent) {
  std::vector<pid_t> out;
  for (const auto& child : children_of(parent))
    if (child.comm.starts_with("codex") && child.state != 'Z') out.push_back(child.pid);
  return out;
}

class batch_e2e : public CodexE2eTest {
 protected:
  fs::path batch_file() const { return env_.workdir() / "batch.toml"; }

  // One inline job per prompt: job<i> must leave out<i>.txt in the workdir.
  void write_batch(const std::vector<std::string>& prompts, int concurrency) const {
    std::string toml = "concurrency = " + std::to_string(concurrency) + "\n[defaults]\nturn_timeout = \"120s\"\n";
    for (std::size_t i = 0; i < prompts.size(); ++i) {
      const std::string n = std::to_string(i);
      toml += "\n[[job]]\nname = \"job" + n + "\"\nprompt = '''\n" + prompts[i] + "\n'''\n[[job.artifact]]\npath = \"out" + n +
              ".txt\"\ncontains = [\"result " + n + "\"]\n";
    }
    write_file(batch_file(), toml);
  }

  static std::string writes(std::size_t i) {
    return "RUN: echo result " + std::to_string(i) + " > out" + std::to_string(i) + ".txt\nANSWER: wrote out" +
           std::to_string(i) + ".txt";
  }

  std::vector<std::string> batch_args(const std::vector<std::string>& extra) const {
    std::vector<std::string> args{"batch", "run", batch_file().string()};
    const auto backend = backend_flags();
    args.insert(args.end(), backend.begin(), backend.end());
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  static json parse_out(const Finished& run) {
    const json out = json::parse(run.out, nullptr, false);
    EXPECT_FALSE(out.is_discarded()) << run.out << "\nstderr:\n" << run.err;
    return out;
  }

  static std::vector<std::string> statuses(const json& out) {
    std::vector<std::string> list;
    for (const auto& job : out["jobs"]) list.push_back(job["status"]);
    return list;
  }
};

TEST_F(batch_e2e, EightJobsShareOneAppServerAndAFinishedBatchRerunStartsNothing) {
  std::vector<std::string> prompts;
  for (std::size_t i = 0; i < 8; ++i) prompts.push_back(writes(i));
  write_batch(prompts, 8);

  auto diary = start_diary(batch_args({"--json", "-q"}));
  // Every app-server diary starts is its direct child: watch them for the whole run.
  std::set<pid_t> seen;
  std::optional<int> code;
  const auto deadline = Clock::now() + 120s;
  while (!(code = diary->wait(20ms)) && Clock::now() < deadline)
    for (pid_t pid : codex_children(diary->pid())) seen.insert(pid);
  ASSERT_TRUE(code) << "batch did not finish; stderr: " << diary->err();
  Finished run{code, diary->out(), diary->err(), diary->elapsed()};
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(run.err.empty()) << "-q: " << run.err;

  const json out = parse_out(run);
  EXPECT_EQ(out["status"], "complete");
  EXPECT_EQ(statuses(out), std::vector<std::string>(8, "complete"));
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(out["jobs"][i]["name"], "job" + std::to_string(i)) << "batch-file order";
    EXPECT_EQ(out["jobs"][i]["attempts"], 1);
    EXPECT_EQ(read_file(env_.workdir() / ("out" + std::to_string(i) + ".txt")), "result " + std::to_string(i) + "\n");
  }
  EXPECT_EQ(out["totals"]["complete"], 8);
  EXPECT_EQ(out["totals"]["backend_starts"], 1);
  EXPECT_EQ(seen.size(), 1u) << "app-servers seen as children of diary";

  // The factory's callback recorded every app-server start in the batch ledger: exactly one.
  const fs::path ledger = out["ledger"].get<std::string>();
  EXPECT_EQ(ledger.parent_path().parent_path(), env_.workdir() / ".diary" / "batches");
  const auto lines = ledger_lines(ledger);
  const auto started = events_named(lines, "backend_started");
  ASSERT_EQ(started.size(), 1u);
  if (!seen.empty()) {
    EXPECT_EQ(started[0]["pid"], *seen.begin());
  }
  EXPECT_EQ(events_named(lines, "job_finished").size(), 8u);
  EXPECT_EQ(lines.back()["event"], "result");
  EXPECT_TRUE(fs::exists(ledger.parent_path() / "result.json"));
  // ... and each job has its own ledger.
  for (const auto& job : out["jobs"]) EXPECT_TRUE(fs::exists(job["ledger"].get<std::string>())) << job["ledger"];
  const auto requests = model_.request_count();
  EXPECT_EQ(requests, 16u) << "8 jobs x (shell call + final answer)";
  RecordProperty("batch_8_jobs_ms", std::to_string(run.elapsed.count()));

  // Run it again: everything is complete, so nothing starts and it is quick.
  const auto rerun = run_diary(batch_args({"--json", "-q"}), 30s);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_LT(rerun.elapsed, 1s);
  const json again = parse_out(rerun);
  EXPECT_EQ(again["status"], "complete");
  EXPECT_EQ(statuses(again), std::vector<std::string>(8, "complete"));
  EXPECT_EQ(again["totals"]["turns"], 0);
  EXPECT_EQ(again["totals"]["backend_starts"], 0);
  EXPECT_EQ(model_.request_count(), requests) << "the re-run asked the model nothing";
  EXPECT_TRUE(events_named(ledger_lines(again["ledger"].get<std::string>()), "backend_started").empty());
  RecordProperty("batch_rerun_ms", std::to_string(rerun.elapsed.count()));
}

TEST_F(batch_e2e, SigintStopsTheBatchExits130FlushesLedgersAndLeavesNoCodex) {
  write_batch({"HANG", "HANG", writes(2), writes(3)}, 2);
  auto diary = start_diary(batch_args({"--json"}));
  ASSERT_TRUE(model_.wait_for_requests(2, 60s)) << "the turns never reached the model; stderr: " << diary->err();
  const auto codex = codex_children(diary->pid());
  ASSERT_EQ(codex.size(), 1u) << describe(children_of(diary->pid()));

  const auto signalled = Clock::now();
  diary->signal(SIGINT);
  const auto code = diary->wait(20s);
  const auto reaction = since(signalled);
  ASSERT_TRUE(code.has_value()) << "diary ignored SIGINT; stderr: " << diary->err();
  EXPECT_EQ(*code, 130) << diary->err();
  EXPECT_LT(reaction, 10s);
  EXPECT_TRUE(poll_until([&] { return process_gone(codex[0]) && process_group_gone(codex[0]); }, 3s))
      << "codex " << codex[0] << " outlived diary";
  EXPECT_NE(diary->err().find("interrupt"), std::string::npos) << diary->err();

  const json out = json::parse(diary->out(), nullptr, false);
  ASSERT_FALSE(out.is_discarded()) << diary->out() << "\nstderr:\n" << diary->err();
  EXPECT_EQ(out["status"], "interrupted");
  EXPECT_EQ(statuses(out), (std::vector<std::string>{"interrupted", "interrupted", "skipped", "skipped"}));
  const auto lines = ledger_lines(out["ledger"].get<std::string>());
  EXPECT_EQ(lines.back()["event"], "result");
  EXPECT_EQ(lines.back()["status"], "interrupted");
  for (int i = 0; i < 2; ++i) {
    const auto job_lines = ledger_lines(out["jobs"][i]["ledger"].get<std::string>());
    EXPECT_EQ(job_lines.back()["event"], "result");
    EXPECT_EQ(job_lines.back()["status"], "interrupted");
  }
  RecordProperty("sigint_to_exit_ms", std::to_string(reaction.count()));
}

// 12.1: the app-server dies under two running jobs. One new app-server starts; both jobs resume
// their own threads on it and complete in the same run; pending jobs continue on it too.
TEST_F(batch_e2e, KilledAppServerIsRestartedOnceAndItsRunningJobsResumeTheirThreads) {
  // The first two jobs' model hangs until the app-server has been killed, then does their work.
  const std::string wait_marker = "wait for the app-server to be killed";
  auto killed = std::make_shared<std::atomic<bool>>(false);
  model_.set_handler([killed, wait_marker](const ModelRequest& request) -> std::optional<Reply> {
    if (!killed->load() && request.last_user_text().find(wait_marker) != std::string::npos) return Reply::hang();
    return std::nullopt;  // the prompt's directives
  });
  write_batch({wait_marker + "\n" + writes(0), wait_marker + "\n" + writes(1), writes(2), writes(3), writes(4), writes(5)}, 2);
  auto diary = start_diary(batch_args({"--json"}));
  ASSERT_TRUE(model_.wait_for_requests(2, 60s)) << "the turns never reached the model; stderr: " << diary->err();
  const auto codex = codex_children(diary->pid());
  ASSERT_EQ(codex.size(), 1u) << describe(children_of(diary->pid()));
  killed->store(true);
  ASSERT_EQ(::kill(codex[0], SIGKILL), 0);

  const auto code = diary->wait(120s);
  ASSERT_TRUE(code.has_value()) << "batch did not finish; stderr: " << diary->err();
  EXPECT_EQ(*code, 0) << diary->err();
  const json out = json::parse(diary->out(), nullptr, false);
  ASSERT_FALSE(out.is_discarded()) << diary->out() << "\nstderr:\n" << diary->err();
  EXPECT_EQ(out["status"], "complete");
  EXPECT_EQ(statuses(out), std::vector<std::string>(6, "complete"));
  for (int i = 0; i < 2; ++i) {
    const auto& job = out["jobs"][i];
    ASSERT_EQ(job["attempts"], 2) << job.dump();
    EXPECT_EQ(job["turns"][0]["status"], "error") << job.dump();
    EXPECT_NE(job["turns"][0]["error"]["message"].get<std::string>().find("signal 9"), std::string::npos) << job.dump();
    // The same thread before and after the restart.
    const auto job_lines = ledger_lines(job["ledger"].get<std::string>());
    const auto conversations = events_named(job_lines, "conversation");
    ASSERT_EQ(conversations.size(), 2u) << job.dump();
    EXPECT_EQ(conversations[1]["resumed"], true);
    EXPECT_EQ(conversations[1]["conversation_id"], conversations[0]["conversation_id"]);
  }
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(fs::exists(env_.workdir() / ("out" + std::to_string(i) + ".txt")));
  EXPECT_EQ(out["totals"]["backend_starts"], 2);
  EXPECT_EQ(out["totals"]["backend_deaths"], 1);

  const auto lines = ledger_lines(out["ledger"].get<std::string>());
  const auto started = events_named(lines, "backend_started");
  ASSERT_EQ(started.size(), 2u);
  EXPECT_EQ(started[0]["pid"], codex[0]);
  EXPECT_NE(started[1]["pid"], codex[0]);
  const auto died = events_named(lines, "backend_died");
  ASSERT_EQ(died.size(), 1u);
  EXPECT_EQ(died[0]["action"], "restart");
  EXPECT_NE(diary->err().find("app-server died"), std::string::npos) << diary->err();
  const pid_t second = started[1]["pid"].get<pid_t>();
  EXPECT_TRUE(poll_until([&] { return process_gone(second) && process_group_gone(second); }, 3s));
}

TEST_F(batch_e2e, BadBatchFileListsEveryProblemAndExitsTwoWithoutCodex) {
  write_file(batch_file(),
             "colour = 1\n[[job]]\nname = \"a\"\nprompt = \"x\"\n[[job]]\nname = \"a\"\nprompt = \"y\"\n"
             "[[job]]\nfile = \"missing.toml\"\n");
  const auto run = run_diary(batch_args({}), 30s);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_TRUE(run.out.empty()) << run.out;
  std::vector<std::string> errors;
  std::istringstream in(run.err);
  for (std::string line; std::getline(in, line);) {
    EXPECT_TRUE(line.starts_with("error: ")) << line;
    errors.push_back(line);
  }
  ASSERT_EQ(errors.size(), 3u) << run.err;
  EXPECT_NE(errors[0].find("colour: unknown key"), std::string::npos) << errors[0];
  EXPECT_NE(run.err.find("job[1].name: duplicate job name 'a'"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("job[2].file: job spec not found"), std::string::npos) << run.err;
  EXPECT_EQ(model_.request_count(), 0u);
}

TEST_F(batch_e2e, ShardsOfADryRunPartitionTheBatch) {
  std::vector<std::string> prompts;
  for (std::size_t i = 0; i < 12; ++i) prompts.push_back(writes(i));
  write_batch(prompts, 4);
  std::multiset<std::string> names;
  for (int k = 1; k <= 3; ++k) {
    const auto run = run_diary(batch_args({"--dry-run", "--json", "--shard", std::to_string(k) + "/3"}), 30s);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const json plan = parse_out(run);
    EXPECT_EQ(plan["shard"], std::to_string(k) + "/3");
    for (const auto& job : plan["selected"]) {
      EXPECT_EQ(job["shard"], k);
      EXPECT_TRUE(job["would_run"].get<bool>());
      names.insert(job["name"].get<std::string>());
    }
  }
  EXPECT_EQ(names.size(), 12u);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 12u);
  const auto bad = run_diary(batch_args({"--shard", "4/3"}), 30s);
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("--shard"), std::string::npos) << bad.err;
  EXPECT_EQ(model_.request_count(), 0u);
}

}  // namespace
}  // namespace diary::test
