// Test helper shared by the artifact and write-tool tests: a prepared day (by default
// two_project_day(): alpha S0001 T0001 1-4, T0002 5-8; beta S0001 T0001 1-4) loaded as a
// DayWorkspace, and well-formed evidence chains and work items for it that each test breaks in
// one place. Header-only; one instance per test.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "generate/artifacts/artifact_store.h"
#include "generate/artifacts/evidence_card.h"
#include "generate/artifacts/turn_inputs.h"
#include "generate/workspace/day_workspace.h"
#include "support/scratch_dir.h"
#include "support/workspace_fixture.h"

namespace diary::test {

inline const std::string alpha = "alpha-0123456789ab";
inline const std::string beta = "beta-ba9876543210";

class PreparedDay {
 public:
  explicit PreparedDay(const FixtureDay& day = two_project_day()) : workspace_(write_fixture_workspace(scratch_.path(), day)) {
    reload();
  }

  void reload() {
    auto loaded = generate::workspace::DayWorkspace::load(workspace_);
    if (!loaded) ADD_FAILURE() << loaded.error().message;
    day_ = std::move(*loaded);
  }

  const std::filesystem::path& workspace() const { return workspace_; }
  const generate::workspace::DayWorkspace& day() const { return day_; }
  std::filesystem::path card(const std::string& pk = alpha, const std::string& session = "S0001") const {
    return day_.evidence_card(pk, session);
  }
  std::filesystem::path synthesis(const std::string& pk = alpha) const { return day_.project_synthesis(pk); }

 private:
  ScratchDir scratch_;
  std::filesystem::path workspace_;
  generate::workspace::DayWorkspace day_;
};

inline std::string span(std::size_t a, std::size_t b) { return std::to_string(a) + "-" + std::to_string(b); }

// A valid material chain for a four-line turn starting at `first` (user line, shell call, output,
// answer): trigger on the first line, reaction on the rest, outcome on the answer.
inline nlohmann::json sample_chain(const std::string& turn_ref = "T0001", std::size_t first = 1,
                                   const std::string& quote = "Add a --verbose flag to the CLI") {
  using nlohmann::json;
  auto cite = [](std::size_t a, std::size_t b) { return json::array({{{"lines", span(a, b)}}}); };
  return {{"turn_ref", turn_ref},
          {"trigger",
           {{"type", "explicit_user_message"},
            {"summary", "The user asked for a change."},
            {"quoted_messages", json::array({{{"text", quote}, {"citations", cite(first, first)}}})},
            {"citations", cite(first, first)}}},
          {"agent_reactions",
           json::array({{{"summary", "The agent searched and edited the code."}, {"citations", cite(first + 1, first + 3)}}})},
          {"outcomes",
           json::array(
               {{{"category", "code_outcome"}, {"summary", "The change was made."}, {"citations", cite(first + 3, first + 3)}}})},
          {"observed_checks",
           json::array(
               {{{"type", "command_output"}, {"summary", "grep found the spot."}, {"citations", cite(first + 2, first + 2)}}})},
          {"terminal_state", {{"type", "material_result"}, {"summary", "Done."}, {"citations", cite(first + 3, first + 3)}}},
          {"materiality", "material"}};
}

inline nlohmann::json evidence_args(const std::string& pk, const std::string& session, nlohmann::json chain) {
  return {{"project_key", pk}, {"session_ref", session}, {"evidence_chain", std::move(chain)}};
}

inline nlohmann::json turn(const std::string& session, const std::string& turn_ref) {
  return {{"session_ref", session}, {"turn_ref", turn_ref}};
}

// A valid material work item covering alpha S0001/T0001 (which needs a committed chain).
inline nlohmann::json sample_item(const std::string& ref = "W0001",
                                  nlohmann::json covered = nlohmann::json::array({turn("S0001", "T0001")})) {
  using nlohmann::json;
  const json first = covered.empty() ? turn("S0001", "T0001") : covered.front();
  return {{"work_item_ref", ref},
          {"kind", "material_work_item"},
          {"title", "Add a --verbose flag"},
          {"covered_turns", covered},
          {"trigger", {{"summary", "The user asked for a flag."}, {"evidence_refs", json::array({first})}}},
          {"agent_reaction", {{"summary", "The agent edited the CLI."}, {"main_actions", json::array({"edited src/cli.cpp"})}}},
          {"outcomes", json::array({{{"category", "code_outcome"},
                                     {"summary", "The flag exists."},
                                     {"evidence_refs", json::array({first})},
                                     {"confidence", "high"}}})},
          {"terminal_states",
           json::array({{{"type", "material_result"}, {"summary", "Done."}, {"evidence_refs", json::array({first})}}})},
          {"limits", json::array()},
          {"confidence", "high"}};
}

// An evidence_gap_item covering `covered` (turns without a chain).
inline nlohmann::json gap_item(const std::string& ref, nlohmann::json covered) {
  return {{"work_item_ref", ref},
          {"kind", "evidence_gap_item"},
          {"title", "Turns without evidence"},
          {"covered_turns", covered},
          {"outcomes", nlohmann::json::array()},
          {"terminal_states", nlohmann::json::array()},
          {"limits", nlohmann::json::array({"no chain could be extracted"})},
          {"confidence", "low"}};
}

// Commits `chain` to a card the way write_evidence does (hash of the turn, under the lock);
// fails the test when it is rejected.
inline void store_chain(const PreparedDay& prepared, const std::string& pk, const std::string& session_ref,
                        const nlohmann::json& chain) {
  using namespace generate::artifacts;
  const auto* session = prepared.day().find_session(pk, session_ref);
  ASSERT_NE(session, nullptr);
  const auto* span = session->find_turn(chain["turn_ref"].get<std::string>());
  ASSERT_NE(span, nullptr);
  auto hash = turn_inputs_sha256(prepared.day(), pk, *session, *span);
  ASSERT_TRUE(hash.has_value()) << hash.error().message;
  Problems problems;
  auto written =
      update_json_locked(prepared.card(pk, session_ref), [&](const StoredJson& current) -> std::optional<nlohmann::json> {
        auto commit = commit_chain(current, chain, *hash, prepared.day(), pk, *session);
        problems = commit.problems;
        if (!problems.empty()) return std::nullopt;
        return commit.card;
      });
  ASSERT_TRUE(written.has_value());
  ASSERT_TRUE(problems.empty()) << invalid_result(problems).dump(2);
}

// Exactly one problem, at `path`, whose message contains `message` and which has a hint.
inline void expect_one_problem(const generate::artifacts::Problems& problems, const std::string& path,
                               const std::string& message) {
  ASSERT_EQ(problems.size(), 1u) << generate::artifacts::invalid_result(problems).dump(2);
  EXPECT_EQ(problems[0].path, path);
  EXPECT_NE(problems[0].message.find(message), std::string::npos) << problems[0].message;
  EXPECT_FALSE(problems[0].hint.empty());
}

inline nlohmann::json read_json_file(const std::filesystem::path& path) { return nlohmann::json::parse(read_file(path)); }

}  // namespace diary::test
