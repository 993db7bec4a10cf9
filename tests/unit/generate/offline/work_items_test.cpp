#include "generate/offline/work_items.h"

#include <gtest/gtest.h>

#include "generate/offline/evidence_chain.h"
#include "unit/generate/offline/offline_fixture.h"

namespace {

using namespace diary::generate;
using diary::test::ScratchDir;
using nlohmann::json;

class OfflineWorkItems : public ::testing::Test {
 protected:
  OfflineWorkItems() {
    auto loaded = workspace::DayWorkspace::load(diary::test::write_fixture_workspace(scratch.path(), diary::test::offline_day()));
    EXPECT_TRUE(loaded);
    day = std::move(*loaded);
  }

  // The offline cards of a project and the turns they hold chains for.
  std::vector<json> cards(const std::string& project_key, std::set<std::pair<std::string, std::string>>& chained) {
    std::vector<json> out;
    for (const auto& session : day.find_project(project_key)->sessions) {
      auto card = offline::offline_evidence_card(day, project_key, session);
      EXPECT_TRUE(card);
      for (const auto& chain : (*card)["evidence_chains"]) chained.emplace(session.session_ref, chain["turn_ref"]);
      out.push_back(std::move(*card));
    }
    return out;
  }

  ScratchDir scratch;
  workspace::DayWorkspace day;
};

TEST_F(OfflineWorkItems, EveryProjectIsCoveredByValidItems) {
  for (const auto& project : day.projects()) {
    SCOPED_TRACE(project.project_key);
    std::set<std::pair<std::string, std::string>> chained;
    const json items = offline::offline_work_items(day, project.project_key, cards(project.project_key, chained));
    diary::test::expect_valid_items(items, project, chained);
  }
}

TEST_F(OfflineWorkItems, OneMaterialItemPerSessionWithChangesAndGapsApart) {
  std::set<std::pair<std::string, std::string>> chained;
  json items = offline::offline_work_items(day, diary::test::edits_project, cards(diary::test::edits_project, chained));
  ASSERT_EQ(items.size(), 1u);
  const json& item = items[0];
  EXPECT_EQ(item["work_item_ref"], "W0001");
  EXPECT_EQ(item["kind"], "material_work_item");
  EXPECT_EQ(item["title"], "Write the notes and fix the parser.");
  EXPECT_EQ(item["covered_turns"].size(), 3u);
  ASSERT_EQ(item["outcomes"].size(), 2u);
  EXPECT_EQ(item["outcomes"][0]["category"], "code_outcome");
  EXPECT_EQ(item["outcomes"][0]["evidence_refs"], json::parse(R"([{"session_ref":"S0001","turn_ref":"T0001"}])"));
  EXPECT_EQ(item["terminal_states"][0]["type"], "material_result");
  EXPECT_EQ(item["terminal_states"][1]["type"], "no_material");
  EXPECT_EQ(item["terminal_states"][1]["evidence_refs"].size(), 2u);
  EXPECT_EQ(item["trigger"]["evidence_refs"].size(), 3u);
  EXPECT_NE(item["trigger"]["summary"].get<std::string>().find("(and 2 later requests in this session)"), std::string::npos);

  chained.clear();
  items = offline::offline_work_items(day, diary::test::alpha_project, cards(diary::test::alpha_project, chained));
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]["kind"], "no_material_work_item");  // alpha S0001: commands and answers only
  EXPECT_EQ(items[1]["kind"], "no_material_work_item");  // S0002: the interrupted and the unanswered turn
  EXPECT_EQ(items[1]["covered_turns"],
            json::parse(R"([{"session_ref":"S0002","turn_ref":"T0001"},{"session_ref":"S0002","turn_ref":"T0003"}])"));
  EXPECT_EQ(items[2]["kind"], "evidence_gap_item");  // S0002 T0002: malformed lines only
  EXPECT_EQ(items[2]["work_item_ref"], "W0003");
  EXPECT_EQ(items[2]["covered_turns"], json::parse(R"([{"session_ref":"S0002","turn_ref":"T0002"}])"));
}

TEST_F(OfflineWorkItems, CommittedItemsKeepTheirTurnsAndRefs) {
  std::set<std::pair<std::string, std::string>> chained;
  const auto project_cards = cards(diary::test::alpha_project, chained);
  const std::vector<json> committed = {json::parse(
      R"({"work_item_ref":"W0004","kind":"no_material_work_item","title":"by the model","covered_turns":[{"session_ref":"S0001","turn_ref":"T0001"},{"session_ref":"S0001","turn_ref":"T0002"}]})")};
  json items = offline::offline_work_items(day, diary::test::alpha_project, project_cards, committed);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]["work_item_ref"], "W0005");
  EXPECT_EQ(items[0]["covered_turns"], json::parse(R"([{"session_ref":"S0001","turn_ref":"T0003"}])"));
  json all = items;
  all.insert(all.begin(), committed.front());
  diary::test::expect_valid_items(all, *day.find_project(diary::test::alpha_project), chained);
}

TEST_F(OfflineWorkItems, MissingCardsMakeGapItemsAndAnUnknownProjectNone) {
  json items = offline::offline_work_items(day, diary::test::delta_project, {});
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["kind"], "evidence_gap_item");
  EXPECT_EQ(items[0]["covered_turns"].size(), 3u);
  diary::test::expect_valid_items(items, *day.find_project(diary::test::delta_project), {});
  EXPECT_TRUE(offline::offline_work_items(day, "nope", {}).empty());
  // Hostile card content is skipped, not thrown on.
  const std::vector<json> odd = {
      json::parse(R"({"session_ref":"S0001","evidence_chains":[5,{"turn_ref":7},{"turn_ref":"T0009"}]})"), json::array()};
  EXPECT_NO_THROW(items = offline::offline_work_items(day, diary::test::delta_project, odd));
  EXPECT_EQ(items[0]["kind"], "evidence_gap_item");
}

}  // namespace
