#include "generate/daily/daily_builder.h"

#include <gtest/gtest.h>

#include "generate/daily/citation_index.h"
#include "generate/daily/daily_inputs.h"
#include "generate/daily/project_synthesis_reader.h"
#include "support/daily_fixture.h"
#include "support/scratch_dir.h"

namespace diary::generate::daily {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::alpha_key;
using test::beta_key;
using test::turn_ref;

json build(const fs::path& workspace, const BuildOptions& options = {}) {
  auto inputs = load_daily_inputs(workspace);
  EXPECT_TRUE(inputs) << inputs.error().message;
  return build_skeleton(inputs->index, inputs->syntheses, options);
}

SynthesisWorkItem material_with(std::vector<std::string> terminal_types, std::size_t outcomes) {
  SynthesisWorkItem item;
  item.kind = "material_work_item";
  for (auto& type : terminal_types) item.terminal_states.push_back({type, "s", {}});
  for (std::size_t i = 0; i < outcomes; ++i) item.outcomes.push_back({"code_outcome", "o", "high", {}});
  return item;
}

TEST(DailyDisposition, FailedComesFirst) {
  EXPECT_EQ(work_item_disposition(material_with({"interrupted", "blocked", "failed", "material_result"}, 1)), "failed");
}

TEST(DailyDisposition, BlockedBeatsInterruptedAndOutcomes) {
  EXPECT_EQ(work_item_disposition(material_with({"interrupted", "blocked"}, 2)), "blocked");
}

TEST(DailyDisposition, InterruptedBeatsOutcomes) {
  EXPECT_EQ(work_item_disposition(material_with({"material_result", "interrupted"}, 1)), "interrupted");
}

TEST(DailyDisposition, AnyOutcomeOrMaterialResultIsCompleted) {
  EXPECT_EQ(work_item_disposition(material_with({"no_material"}, 1)), "completed");
  EXPECT_EQ(work_item_disposition(material_with({"material_result"}, 0)), "completed");
}

TEST(DailyDisposition, OtherwiseClarification) {
  EXPECT_EQ(work_item_disposition(material_with({"clarification_only", "other"}, 0)), "clarification");
  EXPECT_EQ(work_item_disposition(material_with({}, 0)), "clarification");
}

TEST(DailyDisposition, OnlyMaterialItemsHaveOne) {
  for (const char* kind : {"no_material_work_item", "evidence_gap_item", "excluded_with_reason"}) {
    auto item = material_with({"failed"}, 1);
    item.kind = kind;
    EXPECT_EQ(work_item_disposition(item), std::nullopt) << kind;
  }
}

TEST(DailyBuilder, OrdersProjectsByMaterialItemsThenLabel) {
  test::ScratchDir dir;
  auto day = test::write_daily_day(dir.path());
  // beta gets two material items, alpha one: beta first despite its label.
  test::write_synthesis(day.workspace, beta_key, "beta",
                        json::array({test::material_item("W0001", "one", "low", json::array({turn_ref("S0001", "T0001")}),
                                                         json::array(), json::array()),
                                     test::material_item("W0002", "two", "low", json::array(), json::array(), json::array())}));
  auto report = build(day.workspace);
  ASSERT_EQ(report["projects"].size(), 2u);
  EXPECT_EQ(report["projects"][0]["project_key"], beta_key);
  EXPECT_EQ(report["projects"][1]["project_key"], alpha_key);

  // Equal material counts: by label.
  test::write_synthesis(day.workspace, beta_key, "beta",
                        json::array({test::material_item("W0001", "one", "low", json::array({turn_ref("S0001", "T0001")}),
                                                         json::array(), json::array())}));
  report = build(day.workspace);
  EXPECT_EQ(report["projects"][0]["project_label"], "alpha");
  EXPECT_EQ(report["projects"][1]["project_label"], "beta");
}

TEST(DailyBuilder, OrdersMaterialItemsByConfidenceThenRefAndTheRestByRef) {
  test::ScratchDir dir;
  auto day = test::write_daily_day(dir.path());
  const json none = json::array();
  test::write_synthesis(day.workspace, alpha_key, "alpha",
                        json::array({test::plain_item("W0001", "no_material_work_item", "chatter", none, "high"),
                                     test::material_item("W0002", "low one", "low", none, none, none),
                                     test::material_item("W0003", "medium one", "medium", none, none, none),
                                     test::plain_item("W0004", "evidence_gap_item", "gap", none, "high"),
                                     test::material_item("W0005", "high one", "high", none, none, none),
                                     test::material_item("W0006", "another medium", "medium", none, none, none)}));
  auto report = build(day.workspace);
  std::vector<std::string> refs;
  for (const auto& item : report["projects"][0]["work_items"]) refs.push_back(item["work_item_ref"]);
  EXPECT_EQ(refs, (std::vector<std::string>{"W0005", "W0003", "W0006", "W0002", "W0001", "W0004"}));
}

TEST(DailyBuilder, LiftsTextAndResolvesCitationsDroppingRefsThatDoNotResolve) {
  test::ScratchDir dir;
  auto day = test::write_daily_day(dir.path());
  // T0002 of alpha has no chain now; S0009 is not indexed at all.
  test::write_evidence_card(day.workspace, alpha_key, "S0001", {day.day.projects[0].sessions[0].turns[0]});
  auto item = test::material_item(
      "W0001", "Verbose flag", "high", json::array({turn_ref("S0001", "T0001"), turn_ref("S0001", "T0002")}),
      json::array(
          {test::outcome("Added --verbose.", "high",
                         json::array({turn_ref("S0001", "T0001"), turn_ref("S0001", "T0002"), turn_ref("S0009", "T0001")}))}),
      json::array({test::terminal_state("material_result", "Done.", json::array({turn_ref("S0001", "T0001")}))}));
  item["limits"] = json::array({"tests not run"});
  item["source"] = "offline";
  test::write_synthesis(day.workspace, alpha_key, "alpha", json::array({item}),
                        json::array({{{"session_ref", "S0001"}, {"turn_ref", "T0002"}, {"messages", {"second"}}},
                                     {{"session_ref", "S0001"}, {"turn_ref", "T0001"}, {"messages", {"first"}}}}));
  auto report = build(day.workspace);
  const json& project = report["projects"][0];
  const json& built = project["work_items"][0];
  const json t1 = {{"project_key", alpha_key}, {"session_ref", "S0001"}, {"turn_ref", "T0001"}, {"lines", "1-4"}};
  EXPECT_EQ(built["outcomes"],
            json::array({{{"what_changed", "Added --verbose."}, {"confidence", "high"}, {"citations", {t1}}}}));
  EXPECT_EQ(built["terminal_states"], json::array({{{"summary", "Done."}, {"citations", {t1}}}}));
  EXPECT_EQ(built["trigger_summary"], "Trigger of Verbose flag");
  EXPECT_EQ(built["agent_reaction_summary"], "Reaction to Verbose flag");
  EXPECT_EQ(built["disposition"], "completed");
  EXPECT_EQ(built["limits"], json::array({"tests not run"}));
  EXPECT_EQ(built["source"], "offline");
  EXPECT_EQ(built["covered_turns"], json::array({turn_ref("S0001", "T0001"), turn_ref("S0001", "T0002")}));
  EXPECT_EQ(project["source_user_messages"][0]["turn_ref"], "T0001");
  EXPECT_EQ(project["source_user_messages"][1]["turn_ref"], "T0002");
  EXPECT_TRUE(project["summary"].is_null());
}

TEST(DailyBuilder, ItemsWithoutTriggerCarryNullSummaries) {
  test::ScratchDir dir;
  auto day = test::write_daily_day(dir.path());
  test::write_synthesis(day.workspace, alpha_key, "alpha",
                        json::array({test::plain_item("W0001", "no_material_work_item", "chatter",
                                                      json::array({turn_ref("S0001", "T0001"), turn_ref("S0001", "T0002")}))}));
  auto report = build(day.workspace);
  const json& item = report["projects"][1]["work_items"][0];  // alpha has no material item now
  EXPECT_TRUE(item["trigger_summary"].is_null());
  EXPECT_TRUE(item["agent_reaction_summary"].is_null());
  EXPECT_TRUE(item["disposition"].is_null());
  EXPECT_FALSE(item.contains("source"));
}

TEST(DailyBuilder, HeaderComesFromMetadataAndTheCaller) {
  test::ScratchDir dir;
  auto day = test::write_daily_day(dir.path());
  BuildOptions options;
  options.generated_by = {"gpt-x", "openai", false};
  options.offline_parts = json::array({{{"task", "evidence"}, {"project_key", alpha_key}, {"reason", "timeout"}}});
  auto report = build(day.workspace, options);
  EXPECT_EQ(report["schema_version"], 1);
  EXPECT_EQ(report["report_date"], "2026-11-30");
  EXPECT_EQ(report["status"], "final");
  EXPECT_EQ(report["window"],
            json({{"start", "2026-11-30T00:00:00+00:00"}, {"end", "2026-12-01T00:00:00+00:00"}, {"timezone", "UTC"}}));
  EXPECT_EQ(report["generated_by"], json({{"model", "gpt-x"}, {"provider", "openai"}, {"offline", false}}));
  EXPECT_EQ(report["offline_parts"], options.offline_parts);
  for (const char* slot : {"report_title", "overall_confidence", "engagement_assessment", "team_learning"})
    EXPECT_TRUE(report[slot].is_null()) << slot;
  EXPECT_TRUE(build(day.workspace)["generated_by"]["model"].is_null());
}

TEST(DailyBuilder, DayWithoutReportableWorkGetsTheFixedTitle) {
  test::ScratchDir dir;
  auto day = test::write_daily_day(dir.path());
  test::write_synthesis(day.workspace, alpha_key, "alpha",
                        json::array({test::plain_item("W0001", "evidence_gap_item", "gap",
                                                      json::array({turn_ref("S0001", "T0001"), turn_ref("S0001", "T0002")}))}));
  test::write_synthesis(day.workspace, beta_key, "beta", json::array());
  auto report = build(day.workspace);
  EXPECT_EQ(report["report_title"], json({{"text", "No Supported Work Evidence"}, {"citations", json::array()}}));
  EXPECT_TRUE(report["engagement_assessment"].is_null());
  EXPECT_TRUE(report["team_learning"].is_null());
  EXPECT_TRUE(report["overall_confidence"].is_null());
}

TEST(DailyBuilder, MissingSynthesisIsAMissingPrerequisite) {
  test::ScratchDir dir;
  auto day = test::write_daily_day(dir.path());
  fs::remove(day.workspace / "projects" / beta_key / "project-synthesis.json");
  auto index = CitationIndex::load(day.workspace);
  ASSERT_TRUE(index);
  auto syntheses = read_project_syntheses(index->workspace());
  ASSERT_FALSE(syntheses);
  EXPECT_EQ(syntheses.error().kind, agent::ErrorKind::invalid_input);
  EXPECT_NE(syntheses.error().message.find("missing prerequisite artifact: "), std::string::npos);
}

TEST(DailyBuilder, WrongShapesAreClearErrorsNotExceptions) {
  const json good = {{"project_key", "p"}, {"work_items", json::array()}, {"source_user_messages", json::array()}};
  struct Case {
    const char* pointer;
    json value;
    const char* expected;
  };
  const std::vector<Case> cases = {
      {"/work_items", "nope", "f: /work_items must be an array"},
      {"/work_items", json::array({42}), "f: /work_items/0 must be an object"},
      {"/work_items", json::array({{{"work_item_ref", 7}}}), "f: /work_items/0/work_item_ref must be a string"},
      {"/work_items", json::array({{{"work_item_ref", "W0001"}, {"kind", "bogus"}, {"title", "t"}, {"confidence", "high"}}}),
       "f: /work_items/0/kind is not a controlled work item kind"},
      {"/work_items",
       json::array({{{"work_item_ref", "W0001"},
                     {"kind", "material_work_item"},
                     {"title", "t"},
                     {"confidence", "high"},
                     {"outcomes", json::array({{{"category", "code_outcome"},
                                                {"summary", "s"},
                                                {"confidence", "high"},
                                                {"evidence_refs", json::array({{{"session_ref", 1}}})}}})}}}),
       "f: /work_items/0/outcomes/0/evidence_refs/0/session_ref must be a string"},
      {"/source_user_messages", json::array({{{"session_ref", "S0001"}, {"turn_ref", "T0001"}, {"messages", {1}}}}),
       "f: /source_user_messages/0/messages/0 must be a string"},
      {"/project_key", "other", "f: /project_key must name the project of its folder"},
  };
  for (const auto& c : cases) {
    json value = good;
    value[json::json_pointer(c.pointer)] = c.value;
    auto parsed = parse_project_synthesis(value, "p", "f");
    ASSERT_FALSE(parsed) << c.expected;
    EXPECT_EQ(parsed.error().message, c.expected);
  }
  EXPECT_FALSE(parse_project_synthesis(json::array(), "p", "f"));
  EXPECT_TRUE(parse_project_synthesis(good, "p", "f"));
}

TEST(CitationIndex, ACardCommitsOnlyIndexedTurnsOfItsOwnSession) {
  test::ScratchDir dir;
  auto day = test::write_daily_day(dir.path());
  const auto card = day.workspace / "projects" / alpha_key / "evidence" / "S0001.json";
  auto index = CitationIndex::load(day.workspace);
  ASSERT_TRUE(index);
  EXPECT_TRUE(index->committed({alpha_key, "S0001", "T0002"}));
  EXPECT_EQ(index->committed_turns(alpha_key).size(), 2u);

  test::write_file(card,
                   R"({"project_key":"alpha-0123456789ab","session_ref":"S0002","evidence_chains":[{"turn_ref":"T0001"}]})");
  EXPECT_TRUE(CitationIndex::load(day.workspace)->committed_turns(alpha_key).empty());
  test::write_file(card, "{not json");
  EXPECT_TRUE(CitationIndex::load(day.workspace)->committed_turns(alpha_key).empty());
  test::write_file(card, R"({"evidence_chains":[{"turn_ref":"T0009"},{"turn_ref":"T0002"},7]})");
  index = CitationIndex::load(day.workspace);
  EXPECT_EQ(index->committed_turns(alpha_key), (std::vector<workspace::TurnId>{{alpha_key, "S0001", "T0002"}}));
  EXPECT_EQ(index->resolve({alpha_key, "S0001", "T0001"}), std::nullopt);
  EXPECT_EQ(*index->resolve({alpha_key, "S0001", "T0002"}),
            json({{"project_key", alpha_key}, {"session_ref", "S0001"}, {"turn_ref", "T0002"}, {"lines", "5-8"}}));
}

}  // namespace
}  // namespace diary::generate::daily
