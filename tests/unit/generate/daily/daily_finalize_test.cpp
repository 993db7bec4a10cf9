#include "generate/daily/daily_finalize.h"

#include <gtest/gtest.h>

#include "support/filled_daily_report.h"
#include "generate/daily/offline_parts.h"
#include "generate/daily/title_rules.h"

namespace diary::generate::daily {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace testing;
using test::alpha_key;
using test::beta_key;
using test::turn_ref;

// A day with every slot filled (finalize passes on it) whose file a test then edits.
class DailyFinalize : public ::testing::Test {
 protected:
  void SetUp() override {
    day_ = test::write_daily_day(dir_.path());
    fill_every_slot(day_.workspace);
  }

  fs::path report_path() const { return day_.workspace / "daily-report.json"; }

  void edit(const std::function<void(json&)>& change) {
    json report = read_report(day_.workspace);
    change(report);
    ASSERT_TRUE(artifacts::write_json_atomic(report_path(), report));
  }

  // Finalize must refuse with a problem at `path` whose message contains `message`, and leave the
  // file byte-identical.
  void expect_rejected(const std::string& path, const std::string& message) {
    const std::string before = fs::exists(report_path()) ? test::read_file(report_path()) : std::string();
    auto outcome = finalize_daily_report(day_.workspace);
    ASSERT_TRUE(outcome) << outcome.error().message;
    bool found = false;
    for (const auto& problem : outcome->problems) {
      if (problem.path == path && problem.message.find(message) != std::string::npos) found = true;
      EXPECT_FALSE(problem.hint.empty()) << problem.message;
    }
    std::string all;
    for (const auto& problem : outcome->problems) all += problem.path + ": " + problem.message + "\n";
    EXPECT_TRUE(found) << "wanted " << path << ": " << message << "\ngot:\n" << all;
    EXPECT_EQ(fs::exists(report_path()) ? test::read_file(report_path()) : std::string(), before);
  }

  test::ScratchDir dir_;
  test::DailyDay day_;
};

TEST_F(DailyFinalize, ACompleteReportPassesAndGetsItsOverallConfidence) {
  auto outcome = finalize_daily_report(day_.workspace);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->problems.empty()) << outcome->problems[0].path << ": " << outcome->problems[0].message;
  // items high(3)+outcome high(3), medium(2)+medium(2), reading high(3), observation medium(2),
  // takeaways medium(2), pattern low(1): 18 / 8 = 2.25
  EXPECT_EQ(outcome->overall_confidence, "medium");
  EXPECT_EQ(read_report(day_.workspace)["overall_confidence"], "medium");
}

TEST_F(DailyFinalize, ADayWithoutReportableWorkPassesWithTheFixedTitle) {
  test::write_synthesis(day_.workspace, alpha_key, "alpha", json::array());
  test::write_synthesis(day_.workspace, beta_key, "beta", json::array());
  build(day_.workspace);
  auto outcome = finalize_daily_report(day_.workspace);
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome->problems.empty());
  EXPECT_EQ(outcome->overall_confidence, std::nullopt);
  const json report = read_report(day_.workspace);
  EXPECT_EQ(report["report_title"], empty_day_title());
  EXPECT_TRUE(report["overall_confidence"].is_null());
}

TEST_F(DailyFinalize, AProjectWithoutReportableWorkNeedsNoSummary) {
  test::write_synthesis(
      day_.workspace, beta_key, "beta",
      json::array({test::plain_item("W0001", "excluded_with_reason", "not work", json::array({turn_ref("S0001", "T0001")}))}));
  fill_every_slot(day_.workspace);
  edit([](json& report) { report["projects"][1]["summary"] = nullptr; });
  auto outcome = finalize_daily_report(day_.workspace);
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome->problems.empty()) << outcome->problems[0].message;
}

TEST_F(DailyFinalize, RejectsAMissingReport) {
  fs::remove(report_path());
  expect_rejected("", "daily report skeleton not found");
  EXPECT_FALSE(fs::exists(report_path()));
}

TEST_F(DailyFinalize, RejectsAnEditedWorkItem) {
  edit([](json& report) { report["projects"][1]["work_items"][0]["title"] = "Saved the company"; });
  expect_rejected("/projects/1", "differs from what the project syntheses give");
}

TEST_F(DailyFinalize, RejectsAnEditedHeader) {
  edit([](json& report) { report["status"] = "partial"; });
  expect_rejected("/status", "differs");
}

TEST_F(DailyFinalize, RejectsAMissingTitle) {
  edit([](json& report) { report["report_title"] = nullptr; });
  expect_rejected("/report_title", "the report_title is not written");
}

TEST_F(DailyFinalize, RejectsAMissingSummaryOfAProjectWithReportableWork) {
  edit([](json& report) { report["projects"][0]["summary"] = nullptr; });
  expect_rejected("/projects/0/summary", "the summary of project 'alpha-0123456789ab' is not written");
}

TEST_F(DailyFinalize, RejectsAMissingEngagementAssessment) {
  edit([](json& report) { report["engagement_assessment"] = nullptr; });
  expect_rejected("/engagement_assessment", "the engagement_assessment is not written");
}

TEST_F(DailyFinalize, RejectsMissingTeamLearning) {
  edit([](json& report) { report.erase("team_learning"); });
  expect_rejected("", "the team_learning is not written");
}

TEST_F(DailyFinalize, RejectsABlankText) {
  edit([](json& report) { report["projects"][0]["summary"]["text"] = "  \n"; });
  expect_rejected("/projects/0/summary/text", "must be a non-empty string");
}

TEST_F(DailyFinalize, RejectsAnUncitedTitle) {
  edit([](json& report) { report["report_title"]["citations"] = json::array(); });
  expect_rejected("/report_title/citations", "must cite at least one turn");
}

TEST_F(DailyFinalize, RejectsAnUncitedSummary) {
  edit([](json& report) { report["projects"][1]["summary"].erase("citations"); });
  expect_rejected("/projects/1/summary/citations", "must cite at least one turn");
}

TEST_F(DailyFinalize, RejectsAnUncitedEngagementReading) {
  edit([](json& report) { report["engagement_assessment"]["overall_reading"]["citations"] = json::array(); });
  expect_rejected("/engagement_assessment/overall_reading/citations", "must cite at least one turn");
}

TEST_F(DailyFinalize, RejectsUncitedTakeaways) {
  edit([](json& report) { report["team_learning"]["takeaways"]["citations"] = json::array(); });
  expect_rejected("/team_learning/takeaways/citations", "must cite at least one turn");
}

TEST_F(DailyFinalize, RejectsAnUncitedObservation) {
  edit([](json& report) { report["engagement_assessment"]["observations"][0]["citations"] = json::array(); });
  expect_rejected("/engagement_assessment/observations/0/citations", "must cite at least one turn");
}

TEST_F(DailyFinalize, RejectsAnUncitedPattern) {
  edit([](json& report) { report["team_learning"]["patterns"][0]["citations"] = json::array(); });
  expect_rejected("/team_learning/patterns/0/citations", "must cite at least one turn");
}

TEST_F(DailyFinalize, RejectsAnUncitedTerminalStateOfAMaterialItemWithoutOutcomes) {
  // beta's item reports only a terminal state, and its evidence ref does not resolve.
  test::write_synthesis(
      day_.workspace, beta_key, "beta",
      json::array({test::material_item(
          "W0001", "Explain the deploy failure", "medium", json::array({turn_ref("S0001", "T0001")}), json::array(),
          json::array({test::terminal_state("blocked", "Needs a token.", json::array({turn_ref("S0009", "T0001")}))}))}));
  fill_every_slot(day_.workspace);
  expect_rejected("/projects/1/work_items/0/terminal_states/0/citations", "must cite at least one turn");
}

TEST_F(DailyFinalize, RejectsAControlledValueOutsideItsVocabulary) {
  edit([](json& report) { report["engagement_assessment"]["observations"][0]["dimension"] = "charisma"; });
  expect_rejected("/engagement_assessment/observations/0/dimension", "must be a controlled engagement dimension value");
}

TEST_F(DailyFinalize, RejectsAFieldTheSlotDoesNotHave) {
  edit([](json& report) { report["team_learning"]["verdict"] = "great"; });
  expect_rejected("/team_learning/verdict", "is not a field of this slot");
}

TEST_F(DailyFinalize, RejectsASourceOtherThanOffline) {
  edit([](json& report) { report["projects"][0]["summary"]["source"] = "model"; });
  expect_rejected("/projects/0/summary/source", "may only be \"offline\"");
}

TEST_F(DailyFinalize, RejectsATitleEditedIntoAGenericLabel) {
  edit([](json& report) { report["report_title"]["text"] = "Daily Report"; });
  expect_rejected("/report_title/text", "must not be a generic label");
}

// Hostile edits of stored citations: every one is re-resolved against the index.

TEST_F(DailyFinalize, RejectsACitationMissingAKey) {
  edit([](json& report) { report["report_title"]["citations"][0].erase("lines"); });
  expect_rejected("/report_title/citations/0", "must hold exactly project_key, session_ref, turn_ref and lines");
}

TEST_F(DailyFinalize, RejectsACitationWithAnExtraKey) {
  edit([](json& report) { report["report_title"]["citations"][0]["note"] = "trust me"; });
  expect_rejected("/report_title/citations/0", "must hold exactly");
}

TEST_F(DailyFinalize, RejectsACitationOfATurnWithoutEvidence) {
  edit([](json& report) { report["team_learning"]["patterns"][0]["citations"][0] = cite(alpha_key, "S0001", "T0007", "9-12"); });
  expect_rejected("/team_learning/patterns/0/citations/0",
                  "S0001/T0007 has no committed evidence in project 'alpha-0123456789ab'");
}

TEST_F(DailyFinalize, RejectsACitationOfAnUncommittedTurn) {
  // T0002 is indexed, but its chain is gone; the engagement assessment cites it.
  test::write_evidence_card(day_.workspace, alpha_key, "S0001", {day_.day.projects[0].sessions[0].turns[0]});
  expect_rejected("/engagement_assessment/overall_reading/citations/0", "S0001/T0002 has no committed evidence");
}

TEST_F(DailyFinalize, RejectsASummaryCitingAnotherProject) {
  edit([](json& report) { report["projects"][0]["summary"]["citations"][0] = beta_t1(); });
  expect_rejected("/projects/0/summary/citations/0", "cites project 'beta-ba9876543210' inside project 'alpha-0123456789ab'");
}

TEST_F(DailyFinalize, RejectsACitationWithAStaleSpan) {
  edit([](json& report) { report["projects"][1]["summary"]["citations"][0]["lines"] = "2-4"; });
  expect_rejected("/projects/1/summary/citations/0", "lines 2-4 of S0001/T0001 are not the turn's span 1-4");
}

TEST_F(DailyFinalize, RejectsAnEditedWorkItemCitation) {
  edit([](json& report) {
    report["projects"][0]["work_items"][0]["outcomes"][0]["citations"][0] = cite(alpha_key, "S0001", "T0001", "1-8");
  });
  expect_rejected("/projects/0/work_items/0/outcomes/0/citations/0", "are not the turn's span 1-4");
}

TEST_F(DailyFinalize, OfflineSlotsLetTheReportPassAndAreListed) {
  build(day_.workspace);  // a model run: the slots are kept
  edit([](json& report) {
    report["report_title"] = nullptr;
    report["projects"][0]["summary"] = nullptr;
    report["engagement_assessment"] = nullptr;
    report["team_learning"] = nullptr;
  });
  auto index = load_index(day_.workspace);
  for (const auto& slot : unwritten_slots(read_report(day_.workspace))) {
    auto written = write_offline_slot(index, slot, "model turn timed out\nafter 600 s");
    ASSERT_TRUE(written && written->empty()) << slot_label(slot);
  }
  auto outcome = finalize_daily_report(day_.workspace);
  ASSERT_TRUE(outcome);
  ASSERT_TRUE(outcome->problems.empty()) << outcome->problems[0].path << ": " << outcome->problems[0].message;
  const json report = read_report(day_.workspace);
  EXPECT_EQ(report["report_title"]["text"], "Made without a model: alpha, beta");
  EXPECT_EQ(report["report_title"]["source"], "offline");
  EXPECT_EQ(report["projects"][0]["summary"]["text"], "needs a model: model turn timed out\nafter 600 s");
  EXPECT_EQ(report["projects"][0]["summary"]["citations"], json::array({alpha_t1(), alpha_t2()}));
  EXPECT_EQ(report["engagement_assessment"]["overall_reading"]["confidence"], "low");
  EXPECT_EQ(report["offline_parts"].size(), 4u);
  EXPECT_TRUE(find_offline_part(report, {SlotKind::project_summary, alpha_key}));
  EXPECT_FALSE(find_offline_part(report, {SlotKind::project_summary, beta_key}));
  EXPECT_TRUE(unwritten_slots(report).empty());
}

TEST(OfflineSlot, TheOfflineTitleNamesTheProjectsWithWorkWhateverTheReason) {
  test::ScratchDir dir;
  auto day = test::write_daily_day(dir.path());
  build(day.workspace);
  auto index = load_index(day.workspace);
  const json report = read_report(day.workspace);
  const json value = offline_slot_value(report, index, {SlotKind::report_title, {}}, std::string(200, 'x'));
  const std::string text = value["text"];
  EXPECT_EQ(text.rfind("Made without a model: ", 0), 0u) << text;
  EXPECT_LE(code_point_count(text), 80u);
  EXPECT_TRUE(title_problems(text, "").empty());
  EXPECT_EQ(offline_slot_value(report, index, {SlotKind::report_title, {}}, "quota until 2026-12-01")["text"], text);
  // Citations: every committed turn covered by reportable work.
  EXPECT_EQ(value["citations"], json::array({alpha_t1(), alpha_t2(), beta_t1()}));
}

}  // namespace
}  // namespace diary::generate::daily
