#include "generate/ledger/unfinished_run.h"

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace diary::generate {
namespace {

class UnfinishedRunTest : public ::testing::Test {
 protected:
  test::ScratchDir dir;
  std::filesystem::path runs = runs_directory(dir.path());

  // A run directory with these events (one JSON object per line) and, if given, a result status.
  void run(const std::string& id, const std::string& job, const std::vector<std::string>& events,
           const std::string& status = "") {
    std::string text = R"({"seq":1,"event":"job_request","job":{"name":")" + job + "\"}}\n";
    for (const auto& event : events) text += event + "\n";
    test::write_file(runs / id / "events.jsonl", text);
    if (!status.empty()) test::write_file(runs / id / "result.json", R"({"status":")" + status + "\"}");
  }
  static std::string conversation(const std::string& id) {
    return R"({"event":"conversation","conversation_id":")" + id + R"(","location":"/r/)" + id + "\"}";
  }
  static std::string turn(const std::string& status) { return R"({"event":"turn_completed","status":")" + status + "\"}"; }
};

TEST_F(UnfinishedRunTest, NothingToContinueWithoutRuns) { EXPECT_FALSE(find_unfinished_conversation(runs, "notes", "")); }

TEST_F(UnfinishedRunTest, TheNewestUnfinishedRunOfTheJobWins) {
  run("20260101T000001.000Z-aaaaaa", "notes", {conversation("t1"), turn("completed")}, "incomplete");
  run("20260101T000002.000Z-aaaaaa", "notes", {conversation("t2"), turn("interrupted")});  // killed
  run("20260101T000003.000Z-aaaaaa", "other", {conversation("t3")});                       // another job
  auto found = find_unfinished_conversation(runs, "notes", "");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->conversation_id, "t2");
  EXPECT_EQ(found->run_id, "20260101T000002.000Z-aaaaaa");
  EXPECT_EQ(found->location, "/r/t2");
  EXPECT_FALSE(found->earlier_turn_completed);
}

// A run killed before its conversation opened continues the one of the run before it; turns
// completed on that conversation in any of those runs count.
TEST_F(UnfinishedRunTest, ARunWithoutAConversationLooksFurtherBack) {
  run("20260101T000001.000Z-aaaaaa", "notes", {conversation("t1"), turn("completed")}, "failed");
  run("20260101T000002.000Z-aaaaaa", "notes", {});
  auto found = find_unfinished_conversation(runs, "notes", "");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->conversation_id, "t1");
  EXPECT_TRUE(found->earlier_turn_completed);
}

TEST_F(UnfinishedRunTest, ACompleteRunStopsTheSearch) {
  run("20260101T000001.000Z-aaaaaa", "notes", {conversation("t1")}, "interrupted");
  run("20260101T000002.000Z-aaaaaa", "notes", {conversation("t2")}, "complete");
  EXPECT_FALSE(find_unfinished_conversation(runs, "notes", ""));
}

TEST_F(UnfinishedRunTest, TheRunJustOpenedAndTornLinesAreIgnored) {
  run("20260101T000001.000Z-aaaaaa", "notes", {conversation("t1"), R"({"event":"turn_comp)"});
  run("20260101T000002.000Z-aaaaaa", "notes", {conversation("t2")});
  auto found = find_unfinished_conversation(runs, "notes", "20260101T000002.000Z-aaaaaa");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->conversation_id, "t1");
}

// A run that moved to a new backend and conversation mid-way continues the last one it used.
TEST_F(UnfinishedRunTest, TheLastConversationOfARunCounts) {
  run("20260101T000001.000Z-aaaaaa", "notes", {conversation("t1"), turn("error"), conversation("t9"), turn("completed")});
  auto found = find_unfinished_conversation(runs, "notes", "");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->conversation_id, "t9");
  EXPECT_TRUE(found->earlier_turn_completed);
}

// diary generate: per task pass, the newest conversation of a task no later run ended "ok".
TEST_F(UnfinishedRunTest, GenerateTasksContinueTheirOwnConversations) {
  auto generate_run = [&](const std::string& id, const std::vector<std::string>& events) {
    std::string text = R"({"seq":1,"event":"run_start","workspace":"/w"})"
                       "\n";
    for (const auto& event : events) text += event + "\n";
    test::write_file(runs / id / "events.jsonl", text);
  };
  auto conversation_of = [](const std::string& task, const std::string& pass, const std::string& id) {
    return R"({"event":"conversation","task":")" + task + R"(","pass":")" + pass + R"(","conversation_id":")" + id + "\"}";
  };
  auto event = [](const std::string& kind, const std::string& task, const std::string& status) {
    return R"({"event":")" + kind + R"(","task":")" + task + R"(","status":")" + status + "\"}";
  };
  generate_run("20260101T000001.000Z-aaaaaa",
               {conversation_of("evidence:p/S1", "evidence", "e1"), event("turn_end", "evidence:p/S1", "completed"),
                event("task_end", "evidence:p/S1", "degraded"), conversation_of("evidence:p/S2", "evidence", "e2"),
                event("task_end", "evidence:p/S2", "ok")});
  generate_run("20260101T000002.000Z-aaaaaa", {conversation_of("project:p", "project", "p1")});  // killed
  run("20260101T000003.000Z-aaaaaa", "a-job", {conversation("j1")});                             // a job run in the same folder
  const auto found = find_unfinished_task_conversations(runs, "");
  ASSERT_EQ(found.size(), 2u);
  ASSERT_TRUE(found.contains(task_pass_key("evidence:p/S1", "evidence")));
  EXPECT_EQ(found.at(task_pass_key("evidence:p/S1", "evidence")).conversation_id, "e1");
  EXPECT_TRUE(found.at(task_pass_key("evidence:p/S1", "evidence")).earlier_turn_completed);
  ASSERT_TRUE(found.contains(task_pass_key("project:p", "project")));
  EXPECT_EQ(found.at(task_pass_key("project:p", "project")).conversation_id, "p1");
  EXPECT_FALSE(found.at(task_pass_key("project:p", "project")).earlier_turn_completed);
  EXPECT_FALSE(found.contains(task_pass_key("evidence:p/S2", "evidence")));  // ended ok

  // A newer run that ends a task ok settles it.
  generate_run("20260101T000004.000Z-aaaaaa", {event("task_end", "project:p", "ok")});
  EXPECT_FALSE(find_unfinished_task_conversations(runs, "").contains(task_pass_key("project:p", "project")));
}

}  // namespace
}  // namespace diary::generate
