// Hostile reproductions for the resume loop and its backend (issues 10.5, 10.6, 11.1, 11.2), as
// a user meets them: the built diary executable as a process, each wait with a deadline.
// - a batch whose app-server start fails (a wrongly shaped initialize answer) ends with a result
//   instead of hanging;
// - a model that appends to a file without ever passing its check ends: at --max-turns, and by
//   default after growth alone stopped counting as progress;
// - an app-server killed mid-job ends the job at once with the crash as its cause, with no turns
//   in the ledger that never reached codex;
// - a provider error no retry can fix (an expired login, a context window exceeded) ends the job
//   at once with its cause (exit 3 for the login).
#include <csignal>
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
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line, nullptr, false));
  return lines;
}

std::vector<json> events_named(const std::vector<json>& lines, const std::string& name) {
  std::vector<json> out;
  for (const auto& line : lines)
    if (line.is_object() && line.value("event", "") == name) out.push_back(line);
  return out;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class hostile_loop : public CodexE2eTest {
 protected:
  static json parse(const Finished& run) {
    const json out = json::parse(run.out, nullptr, false);
    EXPECT_FALSE(out.is_discarded()) << run.out << "\nstderr:\n" << run.err;
    return out;
  }

  // A job whose every turn appends a line to log.txt, which must contain a word never written.
  fs::path appending_job(const std::string& extra_keys = "") const {
    return write_spec("name = \"appender\"\nworkdir = \"" + env_.workdir().string() + "\"\n" + extra_keys +
                      "prompt = '''\nRUN: echo more >> log.txt\nANSWER: appended\n'''\n"
                      "resume_prompt = '''\nRUN: echo more >> log.txt\nANSWER: appended again\n'''\n"
                      "[[artifact]]\npath = \"log.txt\"\ncontains = [\"never-written\"]\n");
  }
};

// 10.5: the first job starts the app-server, the second waits for that start; the start throws
// on `"result": 42`. Before: the waiter slept forever and the batch never ended.
TEST_F(hostile_loop, BatchWhoseBackendStartFailsEndsWithAResult) {
  const fs::path batch = env_.workdir() / "batch.toml";
  write_file(batch,
             "concurrency = 2\n"
             "[[job]]\nname = \"a\"\nprompt = \"x\"\n[[job.artifact]]\npath = \"a.txt\"\n"
             "[[job]]\nname = \"b\"\nprompt = \"y\"\n[[job.artifact]]\npath = \"b.txt\"\n");
  std::vector<std::string> argv{DIARY_BIN, "batch", "run", batch.string(), "--json", "--codex-bin", DIARY_FAKE_APP_SERVER};
  auto environment = env_.process_environment();
  environment.push_back("FAKE_APP_SERVER_MODE=initialize-not-object");
  SpawnedProcess diary(argv, env_.workdir(), environment);
  const auto code = diary.wait(30s);
  ASSERT_TRUE(code.has_value()) << "the batch hung; stderr: " << diary.err();
  EXPECT_EQ(*code, 3) << "a backend that cannot start blocks the batch; stderr: " << diary.err();
  const json out = json::parse(diary.out(), nullptr, false);
  ASSERT_FALSE(out.is_discarded()) << diary.out() << "\nstderr:\n" << diary.err();
  EXPECT_EQ(out["status"], "blocked");
  ASSERT_EQ(out["jobs"].size(), 2u);
  for (const auto& job : out["jobs"]) {
    EXPECT_EQ(job["status"], "blocked") << job.dump();
    EXPECT_EQ(job["attempts"], 0) << job.dump();
  }
  const fs::path ledger = out["ledger"].get<std::string>();
  EXPECT_TRUE(fs::exists(ledger.parent_path() / "result.json"));
  const auto lines = ledger_lines(ledger);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back()["event"], "result");
}

// 10.6: every turn grows log.txt, none passes its check. --max-turns caps the turns even though
// max_no_progress would allow more.
TEST_F(hostile_loop, AppendingModelStopsAtMaxTurns) {
  const auto run = run_diary(job_args(appending_job("max_no_progress = 50\n"), {"--max-turns", "3"}), 90s);
  ASSERT_TRUE(run.exit_code.has_value()) << "diary did not finish; stderr: " << run.err;
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const json out = parse(run);
  EXPECT_EQ(out["status"], "incomplete") << out.dump(2);
  EXPECT_EQ(out["attempts"], 3) << out.dump(2);
  EXPECT_TRUE(contains(out.value("reason", ""), "max_turns (3)")) << out.value("reason", "");
  EXPECT_EQ(read_file(env_.workdir() / "log.txt"), "more\nmore\nmore\n");
}

// 10.6 with the defaults: the file's creation is progress, growth alone counts for three more
// turns, then three turns without progress end the job (1 + 3 + 3 = 7 turns). Before: it never
// ended.
TEST_F(hostile_loop, AppendingModelGivesUpWhenGrowthAloneStopsCounting) {
  const auto run = run_diary(job_args(appending_job()), 90s);
  ASSERT_TRUE(run.exit_code.has_value()) << "diary did not finish; stderr: " << run.err;
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const json out = parse(run);
  EXPECT_EQ(out["status"], "incomplete") << out.dump(2);
  EXPECT_EQ(out["attempts"], 7) << out.value("reason", "");
  EXPECT_TRUE(contains(out.value("reason", ""), "without progress")) << out.value("reason", "");
  EXPECT_TRUE(contains(out.value("reason", ""), "only grew")) << out.value("reason", "");
}

// 11.2 + 12.1: the app-server dies under a running turn. The job resumes its thread on one new
// app-server; when that one dies too, the job ends at once with the crash as its cause. The
// ledger holds the two turns that ran, no turns that never reached codex.
TEST_F(hostile_loop, AppServerThatDiesTwiceEndsTheJobAtOnceWithTheCrash) {
  const auto spec = write_spec("name = \"killed\"\nworkdir = \"" + env_.workdir().string() +
                               "\"\nprompt = \"HANG\"\n[[artifact]]\npath = \"never.txt\"\n");
  auto diary = start_diary(job_args(spec));
  auto app_server = [&] {
    std::vector<pid_t> codex;
    for (const auto& child : children_of(diary->pid()))
      if (child.comm.starts_with("codex") && child.state != 'Z') codex.push_back(child.pid);
    return codex;
  };
  ASSERT_TRUE(model_.wait_for_requests(1, 60s)) << "the turn never reached the model; stderr: " << diary->err();
  const auto first = app_server();
  ASSERT_EQ(first.size(), 1u) << describe(children_of(diary->pid()));
  ASSERT_EQ(::kill(first[0], SIGKILL), 0);
  // The recovery: a second app-server, the same thread resumed, its turn at the model.
  ASSERT_TRUE(model_.wait_for_requests(2, 60s)) << "no turn after the recovery; stderr: " << diary->err();
  std::vector<pid_t> second;
  ASSERT_TRUE(poll_until([&] { return (second = app_server()).size() == 1 && second[0] != first[0]; }, 10s))
      << describe(children_of(diary->pid()));
  const auto killed = Clock::now();
  ASSERT_EQ(::kill(second[0], SIGKILL), 0);

  const auto code = diary->wait(30s);
  ASSERT_TRUE(code.has_value()) << "diary did not finish; stderr: " << diary->err();
  EXPECT_LT(since(killed), 5s) << "no backoff, no further turns";
  EXPECT_EQ(*code, 1) << diary->err();
  const json out = json::parse(diary->out(), nullptr, false);
  ASSERT_FALSE(out.is_discarded()) << diary->out() << "\nstderr:\n" << diary->err();
  EXPECT_EQ(out["status"], "failed");
  EXPECT_EQ(out["attempts"], 2) << out.dump(2);
  EXPECT_TRUE(contains(out.value("reason", ""), "backend exited")) << out.value("reason", "");
  EXPECT_TRUE(contains(out.value("reason", ""), "signal 9")) << out.value("reason", "");
  EXPECT_FALSE(contains(out.value("reason", ""), "without progress")) << out.value("reason", "");
  ASSERT_EQ(out["turns"].size(), 2u);
  for (const auto& turn : out["turns"]) EXPECT_EQ(turn["error"]["cause"], "backend_exited") << turn.dump();

  const auto lines = ledger_lines(out["ledger"].get<std::string>());
  EXPECT_EQ(events_named(lines, "turn_started").size(), 2u);
  EXPECT_EQ(events_named(lines, "turn_completed").size(), 2u);
  EXPECT_TRUE(events_named(lines, "backoff").empty());
  EXPECT_EQ(lines.back()["event"], "result");
  EXPECT_EQ(model_.request_count(), 2u);
}

// 11.2: a 401 from the provider is an expired login: blocked (exit 3) after one turn, not three
// retried turns and exit 1.
TEST_F(hostile_loop, ExpiredLoginIsBlockedAtOnce) {
  const auto spec = write_spec("name = \"login\"\nworkdir = \"" + env_.workdir().string() +
                               "\"\nprompt = \"FAIL_HTTP: 401\"\n[[artifact]]\npath = \"never.txt\"\n");
  const auto run = run_diary(job_args(spec), 90s);
  ASSERT_TRUE(run.exit_code.has_value()) << "diary did not finish; stderr: " << run.err;
  EXPECT_EQ(run.exit_code, 3) << run.err;
  const json out = parse(run);
  EXPECT_EQ(out["status"], "blocked") << out.dump(2);
  EXPECT_EQ(out["attempts"], 1) << out.dump(2);
  ASSERT_EQ(out["turns"].size(), 1u);
  EXPECT_EQ(out["turns"][0]["error"]["cause"], "unauthorized") << out["turns"][0].dump();
  // What to do about it, as `diary doctor` says it.
  EXPECT_TRUE(contains(out.value("reason", ""), "run `codex login`")) << out.value("reason", "");
}

// 11.2: a context window exceeded cannot be fixed by asking again.
TEST_F(hostile_loop, ContextWindowExceededFailsAtOnce) {
  const auto spec = write_spec("name = \"context\"\nworkdir = \"" + env_.workdir().string() +
                               "\"\nprompt = \"RESPONSE_FAILED: context_length_exceeded\"\n"
                               "[[artifact]]\npath = \"never.txt\"\n");
  const auto run = run_diary(job_args(spec), 90s);
  ASSERT_TRUE(run.exit_code.has_value()) << "diary did not finish; stderr: " << run.err;
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const json out = parse(run);
  EXPECT_EQ(out["status"], "failed") << out.dump(2);
  EXPECT_EQ(out["attempts"], 1) << out.dump(2);
  ASSERT_EQ(out["turns"].size(), 1u);
  EXPECT_EQ(out["turns"][0]["error"]["cause"], "context_window_exceeded") << out["turns"][0].dump();
  EXPECT_TRUE(contains(out.value("reason", ""), "context window")) << out.value("reason", "");
}

}  // namespace
}  // namespace diary::test
