// Header-only helpers for daily tests (they link diary_generate; the support library does not):
// stored citations and slot values, and the standard daily fixture (support/daily_fixture.h)
// built on disk with every slot filled through the slot store, as the four tools leave it.
#pragma once

#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "generate/artifacts/artifact_store.h"
#include "generate/daily/citation_index.h"
#include "generate/daily/daily_report.h"
#include "generate/daily/slot_store.h"
#include "support/daily_fixture.h"
#include "support/scratch_dir.h"

namespace diary::generate::daily::testing {

using nlohmann::json;

inline json cite(const std::string& project_key, const std::string& session_ref, const std::string& turn_ref,
                 const std::string& lines) {
  return {{"project_key", project_key}, {"session_ref", session_ref}, {"turn_ref", turn_ref}, {"lines", lines}};
}
inline json alpha_t1() { return cite(test::alpha_key, "S0001", "T0001", "1-4"); }
inline json alpha_t2() { return cite(test::alpha_key, "S0001", "T0002", "5-8"); }
inline json beta_t1() { return cite(test::beta_key, "S0001", "T0001", "1-4"); }

inline json cited(const std::string& text, json citations) { return {{"text", text}, {"citations", std::move(citations)}}; }

inline json engagement_slot(json citations) {
  return {
      {"overall_reading", {{"text", "Clear direction."}, {"citations", citations}, {"confidence", "high"}}},
      {"observations",
       json::array(
           {{{"dimension", "review"}, {"statement", "Asked for tests."}, {"citations", citations}, {"confidence", "medium"}}})},
      {"limits", json::array({"Offline thinking is not visible."})}};
}

inline json team_learning_slot(json citations) {
  return {{"takeaways", {{"text", "Small asks converge."}, {"citations", citations}, {"confidence", "medium"}}},
          {"patterns", json::array({{{"kind", "promote"},
                                     {"statement", "Ask for a test run after a change."},
                                     {"rationale", "pattern -> evidence -> mattered -> reuse"},
                                     {"recurrence", "twice"},
                                     {"citations", citations},
                                     {"confidence", "low"}}})},
          {"limits", json::array()}};
}

inline CitationIndex load_index(const std::filesystem::path& workspace) {
  auto index = CitationIndex::load(workspace);
  EXPECT_TRUE(index) << index.error().message;
  return std::move(*index);
}

inline json read_report(const std::filesystem::path& workspace) {
  auto stored = artifacts::read_stored_json(workspace / "daily-report.json");
  EXPECT_TRUE(stored.value.has_value());
  return stored.value.value_or(json(nullptr));
}

inline BuiltReport build(const std::filesystem::path& workspace, bool offline = false) {
  BuildOptions options;
  options.generated_by = {"demo", "diary-mock-model", offline};
  auto built = build_daily_report(workspace, options);
  EXPECT_TRUE(built) << built.error().message;
  return built.value_or(BuiltReport{});
}

inline void store(const std::filesystem::path& workspace, const SlotRef& slot, json value) {
  auto index = load_index(workspace);
  auto stored = store_slot(index.workspace(), slot, std::move(value));
  ASSERT_TRUE(stored) << stored.error().message;
  ASSERT_TRUE(stored->empty()) << (*stored)[0].message;
}

// Builds the standard day and fills all five slots.
inline void fill_every_slot(const std::filesystem::path& workspace) {
  build(workspace);
  store(workspace, {SlotKind::project_summary, test::alpha_key}, cited("Alpha gained a verbose flag.", {alpha_t1(), alpha_t2()}));
  store(workspace, {SlotKind::project_summary, test::beta_key}, cited("Beta's deploy failure was traced.", {beta_t1()}));
  store(workspace, {SlotKind::report_title, {}}, cited("Verbose flag shipped, deploy failure traced", {alpha_t1(), beta_t1()}));
  store(workspace, {SlotKind::engagement, {}}, engagement_slot({alpha_t2()}));
  store(workspace, {SlotKind::team_learning, {}}, team_learning_slot({alpha_t2(), beta_t1()}));
}

}  // namespace diary::generate::daily::testing
