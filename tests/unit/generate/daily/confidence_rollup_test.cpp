#include "generate/daily/confidence_rollup.h"

#include <gtest/gtest.h>

namespace diary::generate::daily {
namespace {

using nlohmann::json;

json item(const std::string& kind, const std::string& confidence, std::vector<std::string> outcomes = {}) {
  json list = json::array();
  for (auto& value : outcomes) list.push_back({{"what_changed", "x"}, {"confidence", value}, {"citations", json::array()}});
  return {{"kind", kind}, {"confidence", confidence}, {"outcomes", list}};
}

json report(json items, json engagement = nullptr, json learning = nullptr) {
  return {{"projects", json::array({{{"work_items", std::move(items)}}})},
          {"engagement_assessment", std::move(engagement)},
          {"team_learning", std::move(learning)}};
}

TEST(ConfidenceRollup, NothingToAverageIsNull) {
  EXPECT_EQ(overall_confidence(report(json::array())), std::nullopt);
  // Non-material items do not count.
  EXPECT_EQ(overall_confidence(report(json::array({item("no_material_work_item", "high", {"high"})}))), std::nullopt);
  EXPECT_EQ(overall_confidence(json::object()), std::nullopt);
}

TEST(ConfidenceRollup, ExactlyTwoAndAHalfIsHigh) {
  // high item (3) + medium outcome (2) = 2.5
  EXPECT_EQ(overall_confidence(report(json::array({item("material_work_item", "high", {"medium"})}))), "high");
  // 3 + 2 + 2 = 2.33
  EXPECT_EQ(overall_confidence(report(json::array({item("material_work_item", "high", {"medium", "medium"})}))), "medium");
}

TEST(ConfidenceRollup, ExactlyOneAndAHalfIsMedium) {
  EXPECT_EQ(overall_confidence(report(json::array({item("material_work_item", "medium", {"low"})}))), "medium");
  // 2 + 1 + 1 = 1.33
  EXPECT_EQ(overall_confidence(report(json::array({item("material_work_item", "medium", {"low", "low"})}))), "low");
}

TEST(ConfidenceRollup, CountsEngagementAndTeamLearning) {
  const json engagement = {{"overall_reading", {{"confidence", "low"}}},
                           {"observations", json::array({{{"confidence", "low"}}, {{"confidence", "low"}}})}};
  const json learning = {{"takeaways", {{"confidence", "low"}}}, {"patterns", json::array({{{"confidence", "low"}}})}};
  // one high item + five lows = 8 / 6 = 1.33
  EXPECT_EQ(overall_confidence(report(json::array({item("material_work_item", "high")}), engagement, learning)), "low");
  // without the lows: high
  EXPECT_EQ(overall_confidence(report(json::array({item("material_work_item", "high")}))), "high");
  // only the slots count when there are no material items
  EXPECT_EQ(overall_confidence(report(json::array(), engagement)), "low");
}

TEST(ConfidenceRollup, ValuesOutsideTheVocabularyAreNotCounted) {
  EXPECT_EQ(overall_confidence(report(json::array({item("material_work_item", "certain", {"low"})}))), "low");
  EXPECT_EQ(overall_confidence(report(json::array({item("material_work_item", "certain")}))), std::nullopt);
}

}  // namespace
}  // namespace diary::generate::daily
