// `diary job run` as a user runs it: the built diary executable as a process, driving the real
// pinned codex 0.169.0 against an in-test mock model. Each test asserts what ended up on disk
// (artifacts, the run ledger, result.json), what the mock model was asked, the --json result and
// the exit code; CodexE2eTest's TearDown proves no codex is left running.
#include <algorithm>
#include <atomic>
#include <csignal>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_support.h"

namespace diary::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class job_e2e : public CodexE2eTest {
 protected:
  // Runs the job and parses stdout as the --json result (discarded JSON when it is not one).
  struct JobRun {
    Finished process;
    json result;
  };
  JobRun run_job(const fs::path& spec, const std::vector<std::string>& extra = {},
                 std::chrono::milliseconds timeout = 120s) const {
    std::vector<std::string> argv{DIARY_BIN};
    const auto args = job_args(spec, extra);
    argv.insert(argv.end(), args.begin(), args.end());
    SpawnedProcess process(argv, env_.workdir(), environment());
    JobRun run;
    run.process.exit_code = process.wait(timeout);  // nullopt: still running; ~SpawnedProcess kills its group
    run.process.out = process.out();
    run.process.err = process.err();
    run.process.elapsed = process.elapsed();
    run.result = json::parse(run.process.out, nullptr, false);
    return run;
  }

  // The hermetic environment (its private HOME keeps root's login profile out of codex's shells).
  std::vector<std::string> environment() const { return env_.process_environment(); }

  fs::path runs_dir() const { return env_.workdir() / ".diary" / "runs"; }

  // The run directories under <workdir>/.diary/runs.
  std::vector<fs::path> run_dirs() const {
    std::vector<fs::path> dirs;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(runs_dir(), ec))
      if (entry.is_directory()) dirs.push_back(entry.path());
    return dirs;
  }
};

// The ledger's lines, each parsed; a line that is not JSON fails the test.
std::vector<json> read_ledger(const fs::path& events) {
  std::vector<json> out;
  for (const auto& line : lines_of(read_file(events))) {
    json event = json::parse(line, nullptr, false);
    EXPECT_FALSE(event.is_discarded()) << "ledger line is not JSON: " << line;
    out.push_back(std::move(event));
  }
  return out;
}

std::vector<json> events_named(const std::vector<json>& ledger, const std::string& name) {
  std::vector<json> out;
  for (const auto& event : ledger)
    if (event.value("event", "") == name) out.push_back(event);
  return out;
}

std::vector<std::string> event_names(const std::vector<json>& ledger) {
  std::vector<std::string> names;
  for (const auto& event : ledger) names.push_back(event.value("event", "?"));
  return names;
}

// Every ledger line starts with seq, ts and event; seq counts up from 1 without gaps.
void expect_well_formed(const std::vector<json>& ledger) {
  for (std::size_t i = 0; i < ledger.size(); ++i) {
    const json& event = ledger[i];
    ASSERT_TRUE(event.is_object()) << event.dump();
    EXPECT_EQ(event.value("seq", -1), static_cast<int>(i + 1)) << event.dump();
    EXPECT_TRUE(event.contains("ts") && event["ts"].is_string()) << event.dump();
    EXPECT_TRUE(event.contains("event") && event["event"].is_string()) << event.dump();
  }
}

TEST_F(job_e2e, FirstTurnWritesHalfTheArtifactAndTheResumeCompletesIt) {
  // The first turn writes the first section only; the resume prompt ends with the spec's
  // resume_prompt, whose directives (the mock reads the latest user message) append the rest.
  const auto spec = write_spec(R"(name = "half-then-resume"
workdir = "work"
prompt = '''
RUN: printf '# Notes\n## Highlights\n' > NOTES.md
ANSWER: wrote the first half
'''
resume_prompt = '''
RUN: printf '## Fixes\n' >> NOTES.md
ANSWER: wrote the rest
'''

[[artifact]]
path = "NOTES.md"
contains = ["## Highlights", "## Fixes"]
matches = "^# .+"
)");
  const auto run = run_job(spec);
  ASSERT_TRUE(run.process.exit_code.has_value()) << "diary did not finish; stderr: " << run.process.err;
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err;
  ASSERT_FALSE(run.result.is_discarded()) << run.process.out;
  const json& result = run.result;

  // On disk: both halves, in order.
  EXPECT_EQ(read_file(env_.workdir() / "NOTES.md"), "# Notes\n## Highlights\n## Fixes\n");

  // The result.
  EXPECT_EQ(result["name"], "half-then-resume");
  EXPECT_EQ(result["status"], "complete");
  EXPECT_EQ(result["attempts"], 2);
  ASSERT_EQ(result["turns"].size(), 2u) << result.dump(2);
  EXPECT_EQ(result["turns"][0]["kind"], "first");
  EXPECT_EQ(result["turns"][1]["kind"], "resume");
  for (const auto& turn : result["turns"]) {
    EXPECT_EQ(turn["status"], "completed") << turn.dump();
    EXPECT_TRUE(turn["error"].is_null()) << turn.dump();
    EXPECT_FALSE(turn["turn_id"].get<std::string>().empty());
  }
  EXPECT_NE(result["turns"][0]["turn_id"], result["turns"][1]["turn_id"]);
  EXPECT_EQ(result["final_message"], "wrote the rest");
  ASSERT_EQ(result["artifacts"].size(), 1u);
  EXPECT_EQ(result["artifacts"][0]["path"], "NOTES.md");
  EXPECT_EQ(result["artifacts"][0]["ok"], true);
  EXPECT_TRUE(result["artifacts"][0]["problems"].empty());
  // Four model requests (a shell call and an answer per turn), 120 input and 30 output tokens
  // each as the mock reports them: per turn and for the job, the exact sums.
  for (const auto& turn : result["turns"]) {
    EXPECT_EQ(turn["usage"]["input_tokens"], 240) << turn.dump();
    EXPECT_EQ(turn["usage"]["output_tokens"], 60) << turn.dump();
  }
  EXPECT_EQ(result["usage"]["input_tokens"], 480) << result["usage"].dump();
  EXPECT_EQ(result["usage"]["output_tokens"], 120) << result["usage"].dump();
  EXPECT_EQ(result["usage"]["total_tokens"], 600) << result["usage"].dump();

  // The model: a shell call and an answer per turn, all on one thread (one prompt_cache_key),
  // and the second turn's prompt names exactly the check that still failed.
  const auto requests = model_.requests();
  ASSERT_EQ(requests.size(), 4u);
  const std::string thread_key = requests[0].prompt_cache_key();
  EXPECT_FALSE(thread_key.empty());
  for (const auto& request : requests) EXPECT_EQ(request.prompt_cache_key(), thread_key);
  EXPECT_TRUE(contains(requests[0].last_user_text(), "wrote the first half"));
  const std::string resume = requests[2].last_user_text();
  EXPECT_TRUE(contains(resume, "- NOTES.md: missing substring \"## Fixes\"")) << resume;
  EXPECT_FALSE(contains(resume, "## Highlights\"")) << "a passing check was listed as failing: " << resume;
  EXPECT_TRUE(resume.ends_with("ANSWER: wrote the rest\n")) << resume;  // the spec's text, last
  EXPECT_EQ(requests[3].last_user_text(), resume);

  // The ledger: <workdir>/.diary/runs/<run_id>/events.jsonl and result.json beside it.
  const std::string run_id = result["run_id"];
  const fs::path run_dir = runs_dir() / run_id;
  EXPECT_EQ(run_dirs(), std::vector<fs::path>{run_dir});  // one run, one directory
  EXPECT_EQ(fs::path(result["ledger"].get<std::string>()), run_dir / "events.jsonl");
  ASSERT_TRUE(fs::exists(run_dir / "events.jsonl"));
  const auto ledger = read_ledger(run_dir / "events.jsonl");
  expect_well_formed(ledger);
  const auto names = event_names(ledger);
  auto count = [&](const std::string& name) { return std::count(names.begin(), names.end(), name); };
  ASSERT_GE(names.size(), 4u);
  EXPECT_EQ(names.front(), "job_request");
  EXPECT_EQ(names.back(), "result");
  EXPECT_EQ(count("backend_started"), 1) << ::testing::PrintToString(names);
  EXPECT_EQ(count("turn_started"), 2);
  EXPECT_EQ(count("turn_completed"), 2);
  EXPECT_EQ(count("artifact_check"), 3);  // before any turn, after turn 1, after turn 2
  EXPECT_EQ(ledger.front()["run_id"], run_id);
  EXPECT_EQ(fs::path(ledger.front()["spec"].get<std::string>()), spec);

  const auto checks = events_named(ledger, "artifact_check");
  ASSERT_EQ(checks.size(), 3u);
  EXPECT_EQ(checks[0]["turn"], 0);
  EXPECT_EQ(checks[0]["complete"], false);
  EXPECT_EQ(checks[1]["turn"], 1);
  EXPECT_EQ(checks[1]["complete"], false);
  EXPECT_EQ(checks[1]["failing_checks"], 1) << checks[1].dump();
  EXPECT_EQ(checks[2]["turn"], 2);
  EXPECT_EQ(checks[2]["complete"], true);
  EXPECT_EQ(checks[2]["failing_checks"], 0);

  const auto started = events_named(ledger, "turn_started");
  EXPECT_EQ(started[0]["kind"], "first");
  EXPECT_EQ(started[1]["kind"], "resume");
  EXPECT_EQ(started[1]["prompt"], resume);  // the ledger holds the prompt the model saw

  bool saw_command = false;
  for (const auto& item : events_named(ledger, "item"))
    if (item["kind"] == "command" && contains(item["summary"].get<std::string>(), "printf")) saw_command = true;
  EXPECT_TRUE(saw_command) << "no command item in the ledger";

  const auto loop = events_named(ledger, "loop");
  ASSERT_FALSE(loop.empty());
  EXPECT_EQ(loop.back()["decision"], "stop");
  EXPECT_EQ(loop.back()["status"], "complete");
  EXPECT_EQ(ledger.back()["status"], "complete");

  ASSERT_TRUE(fs::exists(run_dir / "result.json"));
  const json stored = json::parse(read_file(run_dir / "result.json"), nullptr, false);
  ASSERT_FALSE(stored.is_discarded());
  EXPECT_EQ(stored["status"], "complete");
  EXPECT_EQ(stored["run_id"], run_id);
  EXPECT_EQ(stored["turns"], result["turns"]);

  // Progress went to stderr, the result only to stdout.
  EXPECT_TRUE(contains(run.process.err, "turn 2 started (resume")) << run.process.err;
  RecordProperty("job_ms", std::to_string(run.process.elapsed.count()));
}

TEST_F(job_e2e, AlreadyCompleteJobStartsNoBackend) {
  write_file(env_.workdir() / "DONE.md", "# Done\nalready here\n");
  const auto spec = write_spec(R"(name = "already-done"
workdir = "work"
prompt = "ANSWER: must never be asked"

[[artifact]]
path = "DONE.md"
contains = ["already here"]
)");
  const auto run = run_job(spec, {}, 60s);
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err;
  ASSERT_FALSE(run.result.is_discarded()) << run.process.out;
  EXPECT_EQ(run.result["status"], "complete");
  EXPECT_EQ(run.result["attempts"], 0);
  EXPECT_TRUE(run.result["turns"].empty());
  EXPECT_EQ(run.result["artifacts"][0]["ok"], true);
  EXPECT_EQ(model_.request_count(), 0u);
  // No codex process ever ran with this test's CODEX_HOME, and codex leaves no session files.
  EXPECT_TRUE(fs::is_empty(env_.codex_home())) << "codex ran: " << env_.codex_home();
  // Starting codex alone takes seconds on this machine; a check of one file does not.
  EXPECT_LT(run.process.elapsed, 10s);

  const fs::path events = run.result["ledger"].get<std::string>();
  ASSERT_TRUE(fs::exists(events));
  EXPECT_EQ(run_dirs(), std::vector<fs::path>{events.parent_path()});  // a 0-turn run is a run too
  const auto ledger = read_ledger(events);
  expect_well_formed(ledger);
  const auto names = event_names(ledger);
  EXPECT_EQ(std::count(names.begin(), names.end(), "backend_started"), 0) << ::testing::PrintToString(names);
  EXPECT_EQ(std::count(names.begin(), names.end(), "turn_started"), 0);
  EXPECT_EQ(names.back(), "result");
  EXPECT_TRUE(fs::exists(events.parent_path() / "result.json"));
  RecordProperty("job_ms", std::to_string(run.process.elapsed.count()));
}

// Which settings make codex 0.169.0 ask (found by experiment, mock model, Linux sandbox):
// - approval_policy "untrusted" asks before every command that is not on codex's known-safe list
//   (`touch` is not), whatever the sandbox. With sandbox "read-only" an accepted command still
//   runs inside the read-only sandbox (touch exits 1); with "workspace-write" it can write the
//   workdir, so that is the combination used here.
// - "on-request" with "read-only" never asks: the mock's shell calls do not request escalation,
//   so the commands just run sandboxed and fail.
// - "on-failure" is not in 0.169.0's AskForApproval at all (thread/start answers -32600, see
//   OnFailureApprovalPolicyIsRejectedBeforeAnythingRuns).
TEST_F(job_e2e, ApprovalRequestsAreAnsweredByPolicyAndLogged) {
  const auto spec = write_spec(R"(name = "approvals"
workdir = "work"
sandbox = "workspace-write"
approval_policy = "untrusted"
prompt = '''
RUN: touch allowed.txt
RUN: touch denied.txt
RUN: touch unlisted.txt
ANSWER: tried all three
'''

[[artifact]]
path = "allowed.txt"
min_bytes = 0

[policy]
allow_commands = ["touch allowed.txt", "touch denied.txt"]
deny_commands = ["touch denied.txt"]
)");
  const auto run = run_job(spec);
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err;
  ASSERT_FALSE(run.result.is_discarded()) << run.process.out;
  EXPECT_EQ(run.result["status"], "complete");
  EXPECT_EQ(run.result["attempts"], 1);

  // Only the allowed command ran: deny wins over an allow rule, no rule means decline.
  EXPECT_TRUE(fs::exists(env_.workdir() / "allowed.txt"));
  EXPECT_FALSE(fs::exists(env_.workdir() / "denied.txt"));
  EXPECT_FALSE(fs::exists(env_.workdir() / "unlisted.txt"));

  const auto ledger = read_ledger(run.result["ledger"].get<std::string>());
  expect_well_formed(ledger);
  const auto approvals = events_named(ledger, "approval");
  ASSERT_EQ(approvals.size(), 3u) << ::testing::PrintToString(event_names(ledger));
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"touch allowed.txt", "accept"}, {"touch denied.txt", "decline"}, {"touch unlisted.txt", "decline"}};
  for (std::size_t i = 0; i < approvals.size(); ++i) {
    const json& approval = approvals[i];
    EXPECT_EQ(approval["kind"], "command") << approval.dump();
    EXPECT_EQ(approval["method"], "item/commandExecution/requestApproval") << approval.dump();
    EXPECT_TRUE(contains(approval["command"].get<std::string>(), expected[i].first)) << approval.dump();
    EXPECT_EQ(approval["decision"], expected[i].second) << approval.dump();
    EXPECT_EQ(approval["turn"], 1) << approval.dump();
  }
  EXPECT_EQ(approvals[0]["rule"], "allow_commands: \"touch allowed.txt\"");
  EXPECT_EQ(approvals[1]["rule"], "deny_commands: \"touch denied.txt\"");
  EXPECT_EQ(approvals[2]["rule"], "");
  EXPECT_TRUE(contains(approvals[2]["why"].get<std::string>(), "no allow_commands rule")) << approvals[2].dump();

  // The model went on after each answer: three shell calls, then the final message.
  const auto requests = model_.requests();
  ASSERT_EQ(requests.size(), 4u);
  const auto outputs = requests[3].function_outputs_since_last_user();
  EXPECT_EQ(outputs.size(), 3u) << ::testing::PrintToString(outputs);
  EXPECT_TRUE(contains(run.process.err, "approval: accept")) << run.process.err;
  EXPECT_TRUE(contains(run.process.err, "approval: decline")) << run.process.err;
  RecordProperty("job_ms", std::to_string(run.process.elapsed.count()));
}

// Bug found while looking for the settings above: the spec accepts "on-failure" (docs/jobs.md
// lists it), but codex 0.169.0's AskForApproval has only untrusted, on-request, granular and
// never, so thread/start fails with -32600 on every turn and the job burns max_no_progress
// attempts plus backoff before giving up (exit 1). An enum value the pinned codex does not know
// should be a spec error (exit 2) like any other, before codex starts.
TEST_F(job_e2e, OnFailureApprovalPolicyIsRejectedBeforeAnythingRuns) {
  const auto spec = write_spec(R"(name = "on-failure"
workdir = "work"
approval_policy = "on-failure"
prompt = "ANSWER: never"
max_no_progress = 2
)");
  const auto run = run_job(spec, {}, 60s);
  EXPECT_EQ(run.process.exit_code, 2) << run.process.out << run.process.err;
  EXPECT_TRUE(contains(run.process.err, "approval_policy")) << run.process.err;
  EXPECT_EQ(model_.request_count(), 0u);
}

// Bug: when codex rejects the conversation itself (thread/start answers JSON-RPC -32600, here
// "failed to load configuration: Model provider `nope` not found"), no later turn can succeed,
// yet the loop counts it as an ordinary failed attempt (ErrorKind::rpc is not in
// resume_loop.cpp's fatal_status) and retries max_no_progress times with 1 s, 2 s, ... backoff.
// Expected: the job stops after the first attempt with status failed, like backend_broken.
TEST_F(job_e2e, CodexRejectingTheConversationFailsAtOnce) {
  const auto spec = write_spec(R"(name = "bad-provider"
workdir = "work"
model_provider = "nope"
prompt = "ANSWER: never"
)");
  const auto run = run_job(spec, {}, 60s);
  ASSERT_EQ(run.process.exit_code, 1) << run.process.err;
  ASSERT_FALSE(run.result.is_discarded()) << run.process.out;
  EXPECT_EQ(run.result["status"], "failed");
  EXPECT_TRUE(contains(run.result["error"].dump(), "nope")) << run.result["error"].dump();
  EXPECT_EQ(model_.request_count(), 0u);
  // The conversation is opened before the first turn (12.1): no turn ran at all.
  EXPECT_EQ(run.result["attempts"], 0) << run.result["reason"];
  EXPECT_TRUE(contains(run.result["reason"].get<std::string>(), "could not start the agent")) << run.result["reason"];
  const auto ledger = read_ledger(run.result["ledger"].get<std::string>());
  for (const auto& loop : events_named(ledger, "loop"))
    EXPECT_NE(loop.value("decision", ""), "backoff") << "retrying a rejected conversation: " << loop.dump();
}

TEST_F(job_e2e, FinalMessageFailingTheOutputSchemaIsRepaired) {
  const json schema = {{"type", "object"},
                       {"properties", {{"version", {{"type", "string"}, {"pattern", "^[0-9]+\\.[0-9]+\\.[0-9]+$"}}}}},
                       {"required", {"version"}},
                       {"additionalProperties", false}};
  write_file(scratch_ / "answer.schema.json", schema.dump(2));
  // codex sends the schema as text.format (strict); the mock ignores it, so the first answer can
  // break it and only diary's own validation notices. The repair prompt gets the valid answer.
  std::atomic<int> invalid_answers{0};
  model_.set_handler([&invalid_answers](const ModelRequest& request) -> std::optional<Reply> {
    if (contains(request.last_user_text(), "failed validation")) return Reply::message(R"({"version":"2.4.0"})");
    ++invalid_answers;
    return Reply::message(R"({"version":2})");
  });
  const auto spec = write_spec(R"(name = "schema-repair"
workdir = "work"
prompt = "Report the version as JSON."
output_schema = "answer.schema.json"
)");
  const auto run = run_job(spec);
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err;
  ASSERT_FALSE(run.result.is_discarded()) << run.process.out;
  const json& result = run.result;
  EXPECT_EQ(result["status"], "complete");
  EXPECT_EQ(result["attempts"], 2);
  ASSERT_EQ(result["turns"].size(), 2u);
  EXPECT_EQ(result["turns"][0]["kind"], "first");
  EXPECT_EQ(result["turns"][1]["kind"], "repair");
  EXPECT_EQ(result["structured_output"], (json{{"version", "2.4.0"}}));
  EXPECT_EQ(result["final_message"], R"({"version":"2.4.0"})");
  EXPECT_TRUE(result["output_problems"].empty()) << result.dump(2);
  EXPECT_EQ(invalid_answers.load(), 1);

  const auto requests = model_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].prompt_cache_key(), requests[1].prompt_cache_key());
  for (const auto& request : requests) {
    ASSERT_TRUE(request.has_output_schema());
    EXPECT_EQ(request.body["text"]["format"]["schema"], schema);
  }
  const std::string repair = requests[1].last_user_text();
  EXPECT_TRUE(contains(repair, "- $.version: ")) << repair;      // the error, with its JSON path
  EXPECT_TRUE(contains(repair, "'type' constraint")) << repair;  // ... and what broke
  EXPECT_TRUE(contains(repair, "corrected JSON")) << repair;

  const auto ledger = read_ledger(result["ledger"].get<std::string>());
  const auto checks = events_named(ledger, "artifact_check");
  ASSERT_EQ(checks.size(), 3u);
  EXPECT_FALSE(checks[1]["output_problems"].empty()) << checks[1].dump();
  EXPECT_TRUE(checks[2]["output_problems"].empty()) << checks[2].dump();
  const auto started = events_named(ledger, "turn_started");
  ASSERT_EQ(started.size(), 2u);
  EXPECT_EQ(started[1]["kind"], "repair");
  EXPECT_EQ(started[1]["prompt"], repair);
}

TEST_F(job_e2e, RateLimitedModelFallsBackToFallbackModel) {
  // The mock refuses the primary model with 429 (the provider retries nothing: see
  // mock_provider_overrides); the resume restates the task, which the fallback model then does.
  const auto spec = write_spec(R"(name = "fallback"
workdir = "work"
model = "primary-model"
fallback_model = "fallback-model"
prompt = '''
FAIL_HTTP_MODEL: primary-model 429
RUN: printf 'made by the fallback\n' > OUT.md
ANSWER: done on the fallback
'''

[[artifact]]
path = "OUT.md"
contains = ["made by the fallback"]
)");
  const auto run = run_job(spec);
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err;
  ASSERT_FALSE(run.result.is_discarded()) << run.process.out;
  const json& result = run.result;
  EXPECT_EQ(result["status"], "complete");
  EXPECT_EQ(read_file(env_.workdir() / "OUT.md"), "made by the fallback\n");
  ASSERT_EQ(result["turns"].size(), 2u) << result.dump(2);
  const json& failed = result["turns"][0];
  EXPECT_EQ(failed["status"], "failed") << failed.dump();
  ASSERT_TRUE(failed["error"].is_object()) << failed.dump();
  EXPECT_EQ(failed["error"]["http_status"], 429) << failed.dump();
  EXPECT_EQ(failed["error"]["retryable"], true) << failed.dump();
  EXPECT_EQ(failed["error"]["cause"], "rate_limited") << failed.dump();
  const json& rescued = result["turns"][1];
  EXPECT_EQ(rescued["status"], "completed") << rescued.dump();
  EXPECT_EQ(rescued["model"], "fallback-model") << rescued.dump();
  EXPECT_EQ(result["final_message"], "done on the fallback");

  // The model saw the primary first, then only the fallback, on the same thread.
  const auto requests = model_.requests();
  ASSERT_EQ(requests.size(), 3u);  // 429; shell call; answer
  EXPECT_EQ(requests[0].model(), "primary-model");
  for (std::size_t i = 1; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].model(), "fallback-model") << i;
    EXPECT_EQ(requests[i].prompt_cache_key(), requests[0].prompt_cache_key()) << i;
  }
  // No turn completed before the resume, so it restates the task.
  EXPECT_TRUE(contains(requests[1].last_user_text(), "The task:\n")) << requests[1].last_user_text();

  const auto ledger = read_ledger(result["ledger"].get<std::string>());
  bool switched = false;
  for (const auto& loop : events_named(ledger, "loop")) {
    if (loop["decision"] == "model_fallback" && loop["model"] == "fallback-model") switched = true;
    EXPECT_NE(loop.value("decision", ""), "backoff") << "the switch must skip the backoff wait: " << loop.dump();
  }
  EXPECT_TRUE(switched) << "no model_fallback decision in the ledger";
  RecordProperty("job_ms", std::to_string(run.process.elapsed.count()));
}

TEST_F(job_e2e, SigintDuringATurnExits130AndTheLedgerEndsWithTheResult) {
  const auto spec = write_spec(R"(name = "interrupted"
workdir = "work"
prompt = "HANG"
turn_timeout = "120s"

[[artifact]]
path = "NEVER.md"
)");
  std::vector<std::string> argv{DIARY_BIN};
  const auto args = job_args(spec);
  argv.insert(argv.end(), args.begin(), args.end());
  SpawnedProcess diary(argv, env_.workdir(), environment());
  ASSERT_TRUE(model_.wait_for_requests(1, 60s)) << "the turn never reached the model; stderr: " << diary.err();
  const auto signalled = Clock::now();
  diary.signal(SIGINT);
  const auto code = diary.wait(20s);
  ASSERT_TRUE(code.has_value()) << "diary ignored SIGINT; stderr: " << diary.err();
  EXPECT_EQ(*code, 130) << diary.err();
  EXPECT_LT(since(signalled), 10s);
  const json result = json::parse(diary.out(), nullptr, false);
  ASSERT_FALSE(result.is_discarded()) << diary.out() << diary.err();
  EXPECT_EQ(result["status"], "interrupted");
  ASSERT_EQ(result["turns"].size(), 1u);
  EXPECT_EQ(result["turns"][0]["status"], "interrupted") << result["turns"][0].dump();

  // Every line readable, the last one the result, result.json beside it.
  const fs::path events = result["ledger"].get<std::string>();
  const auto ledger = read_ledger(events);
  expect_well_formed(ledger);
  ASSERT_FALSE(ledger.empty());
  EXPECT_EQ(ledger.back()["event"], "result");
  EXPECT_EQ(ledger.back()["status"], "interrupted");
  const json stored = json::parse(read_file(events.parent_path() / "result.json"), nullptr, false);
  EXPECT_EQ(stored["status"], "interrupted");
  RecordProperty("sigint_to_exit_ms", std::to_string(since(signalled).count()));
}

TEST_F(job_e2e, BadSpecExitsTwoWithOneErrorLineNamingFileLineAndKey) {
  const auto spec = write_spec(R"(name = "bad"
workdir = "work"
colour = "blue"
prompt = "ANSWER: never"
)");
  const auto run = run_job(spec, {}, 30s);
  EXPECT_EQ(run.process.exit_code, 2) << run.process.err;
  const auto lines = lines_of(run.process.err);
  ASSERT_EQ(lines.size(), 1u) << run.process.err;
  EXPECT_TRUE(lines[0].starts_with("error: ")) << lines[0];
  EXPECT_TRUE(contains(lines[0], "job.toml:3:")) << lines[0];
  EXPECT_TRUE(contains(lines[0], "colour")) << lines[0];
  EXPECT_TRUE(run.process.out.empty()) << run.process.out;
  EXPECT_EQ(model_.request_count(), 0u);
  EXPECT_FALSE(fs::exists(env_.workdir() / ".diary")) << "a bad spec must not start a run";
}

TEST_F(job_e2e, DryRunRunsNothing) {
  const auto spec = write_spec(R"(name = "dry"
workdir = "work"
prompt = "RUN: touch SHOULD_NOT_EXIST\nANSWER: never"
sandbox = "read-only"

[[artifact]]
path = "OUT.md"
)");
  const auto run = run_job(spec, {"--dry-run"}, 30s);
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err;
  ASSERT_FALSE(run.result.is_discarded()) << run.process.out;
  EXPECT_EQ(run.result["would_run"], true) << run.result.dump(2);
  EXPECT_GE(run.result["failing_checks"].get<int>(), 1);
  EXPECT_EQ(run.result["job"]["sandbox"], "read-only") << run.result.dump(2);
  EXPECT_EQ(model_.request_count(), 0u);
  EXPECT_TRUE(fs::is_empty(env_.codex_home()));
  EXPECT_FALSE(fs::exists(env_.workdir() / "SHOULD_NOT_EXIST"));
  EXPECT_FALSE(fs::exists(env_.workdir() / ".diary"));
}

}  // namespace
}  // namespace diary::test
