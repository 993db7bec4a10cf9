#include "generate/daily/slot_preservation.h"

#include <gtest/gtest.h>

#include "support/filled_daily_report.h"
#include "generate/daily/offline_parts.h"

namespace diary::generate::daily {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace testing;
using test::alpha_key;
using test::beta_key;
using test::turn_ref;

const SlotRef alpha_summary{SlotKind::project_summary, alpha_key};
const SlotRef beta_summary{SlotKind::project_summary, beta_key};
const SlotRef title{SlotKind::report_title, {}};
const SlotRef engagement{SlotKind::engagement, {}};
const SlotRef learning{SlotKind::team_learning, {}};

TEST(SlotPreservation, EverySlotIsKeptWhenNothingChanged) {
  test::ScratchDir dir;
  auto day = test::write_daily_day(dir.path());
  fill_every_slot(day.workspace);
  const json before = read_report(day.workspace);
  auto built = build(day.workspace);
  EXPECT_EQ(built.kept, (std::vector<SlotRef>{alpha_summary, beta_summary, title, engagement, learning}));
  EXPECT_EQ(read_report(day.workspace), before);
  EXPECT_EQ(built.report, before);
}

TEST(SlotPreservation, ARunWithAnotherModelStillKeepsThem) {
  test::ScratchDir dir;
  auto day = test::write_daily_day(dir.path());
  fill_every_slot(day.workspace);
  BuildOptions options;
  options.generated_by = {"other-model", "openai", false};
  auto built = build_daily_report(day.workspace, options);
  ASSERT_TRUE(built);
  EXPECT_EQ(built->kept.size(), 5u);
  EXPECT_EQ(built->report["generated_by"]["model"], "other-model");
}

TEST(SlotPreservation, AChangedProjectDropsItsSummaryAndEverythingBuiltOnIt) {
  test::ScratchDir dir;
  auto day = test::write_daily_day(dir.path());
  fill_every_slot(day.workspace);
  // beta's work item gets a new title: beta's view changed, alpha's did not.
  test::write_synthesis(
      day.workspace, beta_key, "beta",
      json::array({test::material_item("W0001", "Explain the deploy failure (retitled)", "medium",
                                       json::array({turn_ref("S0001", "T0001")}), json::array(), json::array())}));
  auto built = build(day.workspace);
  EXPECT_EQ(built.kept, std::vector<SlotRef>{alpha_summary});
  const json report = read_report(day.workspace);
  EXPECT_FALSE(report["projects"][0]["summary"].is_null());
  EXPECT_TRUE(report["projects"][1]["summary"].is_null());
  EXPECT_TRUE(report["report_title"].is_null());
  EXPECT_TRUE(report["engagement_assessment"].is_null());
  EXPECT_TRUE(report["team_learning"].is_null());
}

TEST(SlotPreservation, ASummaryWhoseCitationNoLongerResolvesIsDroppedAndTheTitleWithIt) {
  test::ScratchDir dir;
  auto day = test::write_daily_day(dir.path());
  fill_every_slot(day.workspace);
  store(day.workspace, engagement, engagement_slot({beta_t1()}));
  store(day.workspace, learning, team_learning_slot({alpha_t1()}));
  // alpha's summary cites T0002, whose chain disappears. No work item cites T0002 (the outcome
  // cites T0001), so the deterministic part stays the same: only the summary breaks.
  test::write_evidence_card(day.workspace, alpha_key, "S0001", {day.day.projects[0].sessions[0].turns[0]});
  auto built = build(day.workspace);
  EXPECT_EQ(built.kept, (std::vector<SlotRef>{beta_summary, engagement, learning}));
  const json report = read_report(day.workspace);
  EXPECT_TRUE(report["projects"][0]["summary"].is_null());
  EXPECT_TRUE(report["report_title"].is_null());  // its substrate holds the summaries
  EXPECT_FALSE(report["engagement_assessment"].is_null());
  EXPECT_FALSE(report["team_learning"].is_null());
}

TEST(SlotPreservation, AStoredCitationWithAStaleSpanIsNotKept) {
  test::ScratchDir dir;
  auto day = test::write_daily_day(dir.path());
  fill_every_slot(day.workspace);
  json report = read_report(day.workspace);
  report["projects"][1]["summary"]["citations"][0]["lines"] = "1-3";
  report["engagement_assessment"]["observations"][0]["citations"][0]["project_key"] = beta_key;  // beta has no S0001/T0002
  ASSERT_TRUE(artifacts::write_json_atomic(day.workspace / "daily-report.json", report));
  auto built = build(day.workspace);
  EXPECT_EQ(built.kept, (std::vector<SlotRef>{alpha_summary, learning}));
}

TEST(SlotPreservation, OfflineSlotsAreKeptByOfflineRunsOnly) {
  test::ScratchDir dir;
  auto day = test::write_daily_day(dir.path());
  fill_every_slot(day.workspace);
  auto index = load_index(day.workspace);
  auto written = write_offline_slot(index, learning, "the model run timed out");
  ASSERT_TRUE(written && written->empty());

  auto offline = build(day.workspace, /*offline=*/true);
  EXPECT_EQ(offline.kept.size(), 5u);
  EXPECT_EQ(offline.report["team_learning"]["source"], "offline");
  EXPECT_EQ(find_offline_part(offline.report, learning),
            json({{"task", "daily"}, {"slot", "team_learning"}, {"reason", "the model run timed out"}}));

  auto model = build(day.workspace, /*offline=*/false);
  EXPECT_EQ(model.kept, (std::vector<SlotRef>{alpha_summary, beta_summary, title, engagement}));
  EXPECT_TRUE(model.report["team_learning"].is_null());
  EXPECT_EQ(find_offline_part(model.report, learning), std::nullopt);
}

TEST(SlotPreservation, APreviousFileThatIsNotAReportKeepsNothing) {
  test::ScratchDir dir;
  auto day = test::write_daily_day(dir.path());
  for (const char* text : {"{broken", "[1,2]", R"({"projects":7,"report_title":{"text":"x"}})"}) {
    test::write_file(day.workspace / "daily-report.json", text);
    auto built = build(day.workspace);
    EXPECT_TRUE(built.kept.empty()) << text;
    EXPECT_TRUE(built.report["report_title"].is_null()) << text;
  }
}

TEST(SlotPreservation, ADayWithoutReportableWorkKeepsNoJudgment) {
  test::ScratchDir dir;
  auto day = test::write_daily_day(dir.path());
  fill_every_slot(day.workspace);
  test::write_synthesis(day.workspace, alpha_key, "alpha", json::array());
  test::write_synthesis(day.workspace, beta_key, "beta", json::array());
  auto built = build(day.workspace);
  EXPECT_TRUE(built.kept.empty());
  EXPECT_EQ(built.report["report_title"], empty_day_title());
  EXPECT_TRUE(built.report["engagement_assessment"].is_null());
}

}  // namespace
}  // namespace diary::generate::daily
