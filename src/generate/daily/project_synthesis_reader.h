// Reads projects/<pk>/project-synthesis.json for the daily build: only the fields the report
// lifts, checked for shape (a wrong type is an invalid_input error naming the file and the JSON
// pointer, never an exception). Whether the synthesis is complete and sound is the project
// phase's business; this reader only refuses what the builder could not use. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/error.h"
#include "generate/workspace/day_workspace.h"

namespace diary::generate::daily {

struct TurnRef {
  std::string session_ref;
  std::string turn_ref;
  friend bool operator==(const TurnRef&, const TurnRef&) = default;
};

struct SynthesisOutcome {
  std::string category;
  std::string summary;
  std::string confidence;
  std::vector<TurnRef> evidence_refs;
};

struct SynthesisTerminalState {
  std::string type;
  std::string summary;
  std::vector<TurnRef> evidence_refs;
};

struct SynthesisWorkItem {
  std::string work_item_ref;
  std::string kind;
  std::string title;
  std::string confidence;
  std::vector<TurnRef> covered_turns;
  std::optional<std::string> trigger_summary;
  std::optional<std::string> agent_reaction_summary;
  std::vector<SynthesisOutcome> outcomes;
  std::vector<SynthesisTerminalState> terminal_states;
  std::vector<std::string> limits;
  bool offline = false;  // "source":"offline"
};

struct ProjectSynthesis {
  std::string project_key;
  std::vector<SynthesisWorkItem> work_items;
  nlohmann::json source_user_messages = nlohmann::json::array();  // sorted by (session_ref, turn_ref)
};

// `file` names the source in messages.
agent::Result<ProjectSynthesis> parse_project_synthesis(const nlohmann::json& value, std::string_view project_key,
                                                        const std::string& file);

// Every project's synthesis in workspace order; a missing file is
// "missing prerequisite artifact: <path>".
agent::Result<std::vector<ProjectSynthesis>> read_project_syntheses(const workspace::DayWorkspace& workspace);

}  // namespace diary::generate::daily
