// Issue 12.1 with the real pinned codex: a job's conversation survives the process that ran it.
// `kill -9` of diary mid-turn, then a re-run: the job completes on the same codex thread (one
// rollout in CODEX_HOME, and the model's request carries the earlier turn's tool call); the
// app-server killed mid-job: the same run resumes the thread on a new app-server; a rollout that
// is gone: a clean fallback to a new conversation with a warning.
#include <atomic>
#include <csignal>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "e2e_support.h"

namespace diary::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

class DurableConversationTest : public CodexE2eTest {
 protected:
  // Phase 1: the model writes a.txt, then hangs (the test kills something meanwhile).
  // Phase 2: it writes b.txt and answers. Driven by the handler, not by the prompt, so that the
  // resume prompt (which may restate the task) cannot change what the model does.
  void SetUp() override {
    CodexE2eTest::SetUp();
    auto phase = phase_;
    model_.set_handler([phase](const ModelRequest& request) -> std::optional<Reply> {
      const std::size_t outputs = request.function_outputs_since_last_user().size();
      if (phase->load() == 1) return outputs == 0 ? Reply::shell("echo A > a.txt") : Reply::hang();
      return outputs == 0 ? Reply::shell("echo B > b.txt") : Reply::message("both written");
    });
  }

  fs::path durable_spec() const {
    return write_spec(
        "name = \"durable\"\nworkdir = \"work\"\nprompt = \"Write a.txt and b.txt.\"\nturn_timeout = \"60s\"\n"
        "[[artifact]]\npath = \"a.txt\"\n[[artifact]]\npath = \"b.txt\"\n");
  }

  fs::path workdir() const { return scratch_ / "work"; }

  // The rollout files of every codex thread in the hermetic CODEX_HOME.
  std::vector<fs::path> rollouts() const {
    std::vector<fs::path> out;
    const fs::path sessions = env_.codex_home() / "sessions";
    std::error_code ec;
    for (fs::recursive_directory_iterator it(sessions, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_regular_file() && it->path().extension() == ".jsonl") out.push_back(it->path());
    return out;
  }

  static std::size_t session_metas(const fs::path& rollout) {
    std::ifstream in(rollout);
    std::size_t count = 0;
    for (std::string line; std::getline(in, line);)
      if (contains(line, "\"type\":\"session_meta\"")) ++count;
    return count;
  }

  std::vector<json> ledger_events(const std::string& run_id) const {
    std::ifstream in(workdir() / ".diary" / "runs" / run_id / "events.jsonl");
    std::vector<json> out;
    for (std::string line; std::getline(in, line);) out.push_back(json::parse(line, nullptr, false));
    return out;
  }

  std::vector<std::string> run_ids() const {
    std::vector<std::string> ids;
    for (const auto& entry : fs::directory_iterator(workdir() / ".diary" / "runs")) ids.push_back(entry.path().filename());
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  // The first run: writes a.txt, hangs in its second model request, and dies by `kill(what)`.
  void first_run_until_hung(SpawnedProcess& diary) {
    ASSERT_TRUE(poll_until([&] { return fs::exists(workdir() / "a.txt"); }, 60s)) << diary.err();
    ASSERT_TRUE(model_.wait_for_requests(2, 60s)) << diary.err();  // the hung one
  }

  // The first run of `spec`, `kill -9`ed while its model hangs; its codex must be gone after.
  void killed_first_run(const fs::path& spec) {
    auto diary = start_diary(job_args(spec));
    first_run_until_hung(*diary);
    diary->signal(SIGKILL);
    ASSERT_TRUE(diary->wait(10s).has_value());
    EXPECT_TRUE(leftover_codex(env_.codex_home(), 5s).empty());
  }

  std::shared_ptr<std::atomic<int>> phase_ = std::make_shared<std::atomic<int>>(1);
};

TEST_F(DurableConversationTest, KillMinus9MidTurnThenTheRerunContinuesTheSameThread) {
  fs::create_directories(workdir());
  const fs::path spec = durable_spec();
  ASSERT_NO_FATAL_FAILURE(killed_first_run(spec));
  ASSERT_EQ(rollouts().size(), 1u);
  const std::size_t requests_before = model_.request_count();

  phase_->store(2);
  const auto second = run_diary(job_args(spec), 90s);
  ASSERT_TRUE(second.exit_code.has_value()) << second.err;
  EXPECT_EQ(*second.exit_code, 0) << second.out << second.err;
  const json result = json::parse(second.out, nullptr, false);
  ASSERT_TRUE(result.is_object()) << second.out;
  EXPECT_EQ(result["status"], "complete") << result.dump(2);
  const auto ids = run_ids();
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(result["conversation"]["continued_from_run"], ids[0]) << result.dump(2);
  EXPECT_TRUE(contains(second.err, "continuing its conversation")) << second.err;

  // One thread on disk, started once: the re-run resumed it rather than starting another.
  const auto files = rollouts();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(session_metas(files[0]), 1u);
  // The killed run recorded that thread as soon as codex answered, and the re-run resumed it.
  std::string recorded;
  for (const auto& event : ledger_events(ids[0]))
    if (event.value("event", "") == "conversation") recorded = event.value("conversation_id", "");
  ASSERT_FALSE(recorded.empty());
  EXPECT_EQ(result["conversation"]["id"], recorded);
  EXPECT_TRUE(contains(files[0].filename().string(), recorded)) << files[0];

  // The model saw the earlier turn: its first request of the re-run carries run 1's tool call.
  const auto requests = model_.requests();
  ASSERT_GT(requests.size(), requests_before);
  const auto earlier = requests[requests_before].all_tool_exchanges();
  ASSERT_FALSE(earlier.empty()) << requests[requests_before].body.dump();
  EXPECT_TRUE(contains(earlier.front().arguments.dump(), "echo A > a.txt")) << earlier.front().arguments.dump();
  EXPECT_TRUE(fs::exists(workdir() / "b.txt"));
}

TEST_F(DurableConversationTest, AppServerKilledMidJobTheSameRunResumesTheThread) {
  fs::create_directories(workdir());
  auto diary = start_diary(job_args(durable_spec()));
  first_run_until_hung(*diary);
  pid_t app_server = 0;
  for (const auto& child : children_of(diary->pid()))
    if (child.comm == "codex") app_server = child.pid;
  ASSERT_NE(app_server, 0) << describe(children_of(diary->pid()));
  phase_->store(2);
  ::kill(app_server, SIGKILL);

  const auto code = diary->wait(90s);
  ASSERT_TRUE(code.has_value()) << diary->err();
  EXPECT_EQ(*code, 0) << diary->out() << diary->err();
  const json result = json::parse(diary->out(), nullptr, false);
  ASSERT_TRUE(result.is_object()) << diary->out();
  EXPECT_EQ(result["status"], "complete") << result.dump(2);
  ASSERT_EQ(result["turns"].size(), 2u) << result.dump(2);
  EXPECT_EQ(result["turns"][0]["status"], "error");
  const auto files = rollouts();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(session_metas(files[0]), 1u);

  const auto events = ledger_events(run_ids().at(0));
  std::vector<json> conversations;
  int recoveries = 0, backends = 0;
  for (const auto& event : events) {
    if (event.value("event", "") == "conversation") conversations.push_back(event);
    if (event.value("event", "") == "backend_started") ++backends;
    if (event.value("event", "") == "loop" && event.value("decision", "") == "backend_recovery") ++recoveries;
  }
  EXPECT_EQ(backends, 2);
  EXPECT_EQ(recoveries, 1);
  ASSERT_EQ(conversations.size(), 2u);
  EXPECT_EQ(conversations[1]["resumed"], true);
  EXPECT_EQ(conversations[1]["conversation_id"], conversations[0]["conversation_id"]);
  EXPECT_EQ(conversations[1]["after_turn"], 1);
}

TEST_F(DurableConversationTest, AResumeOfADeletedRolloutFallsBackToANewConversation) {
  fs::create_directories(workdir());
  const fs::path spec = durable_spec();
  ASSERT_NO_FATAL_FAILURE(killed_first_run(spec));
  for (const auto& rollout : rollouts()) fs::remove(rollout);

  phase_->store(2);
  const auto second = run_diary(job_args(spec, {"-q"}), 90s);
  ASSERT_TRUE(second.exit_code.has_value()) << second.err;
  EXPECT_EQ(*second.exit_code, 0) << second.out << second.err;
  EXPECT_TRUE(contains(second.err, "warning: could not continue the earlier conversation")) << second.err;
  EXPECT_TRUE(contains(second.err, "no rollout found")) << second.err;
  const json result = json::parse(second.out, nullptr, false);
  ASSERT_TRUE(result.is_object()) << second.out;
  EXPECT_EQ(result["status"], "complete");
  EXPECT_TRUE(result["conversation"]["continued_from_run"].is_null()) << result.dump(2);
  EXPECT_EQ(rollouts().size(), 1u);  // the new one
}

TEST_F(DurableConversationTest, FreshIgnoresTheUnfinishedRun) {
  fs::create_directories(workdir());
  const fs::path spec = durable_spec();
  ASSERT_NO_FATAL_FAILURE(killed_first_run(spec));
  phase_->store(2);
  const auto second = run_diary(job_args(spec, {"--fresh"}), 90s);
  ASSERT_TRUE(second.exit_code.has_value()) << second.err;
  EXPECT_EQ(*second.exit_code, 0) << second.out << second.err;
  EXPECT_EQ(rollouts().size(), 2u);
  EXPECT_FALSE(contains(second.err, "continuing its conversation")) << second.err;
}

}  // namespace
}  // namespace diary::test
