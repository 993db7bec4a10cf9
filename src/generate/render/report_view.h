// The daily report as the renderers see it: daily-report.json (spec/generate.md §3, read
// tolerantly) and the evidence appendix joined into typed values, with every id the documents
// use assigned once (unique across the page) and the coverage gaps worked out, so report.md and
// report.html show the same things and cannot drift apart. Strings are stored raw; escaping is
// the renderers' job (escape.h). Value types; thread-safe once built.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/error.h"
#include "generate/render/evidence_input.h"

namespace diary::generate::render {

struct CitationRef {
  std::string project_key;
  std::string session_ref;
  std::string turn_ref;
};

struct TurnRef {
  std::string session_ref;
  std::string turn_ref;
};

// A statement the model wrote, with what it cites. confidence "" = not recorded.
struct Claim {
  std::string text;
  std::string confidence;
  std::vector<CitationRef> citations;
  bool offline = false;  // "source":"offline"
};

struct WorkItemView {
  std::string ref, title, kind, disposition, confidence, reason;
  bool material = false;
  bool offline = false;
  std::vector<TurnRef> covered_turns;
  std::string trigger_summary, agent_reaction_summary;
  std::vector<Claim> outcomes;         // text = what_changed
  std::vector<Claim> terminal_states;  // text = summary, no confidence
  std::vector<std::string> limits;
  std::vector<std::string> user_messages;  // verbatim, of the covered turns, in turn order
};

struct ProjectView {
  std::string key, label, id;  // id: the section's unique element id
  bool in_report = false;      // false: only the index knows this project
  std::optional<Claim> summary;
  std::vector<WorkItemView> material_items;  // report order
  std::vector<WorkItemView> other_items;     // report order
  std::vector<TurnRef> uncovered_turns;      // indexed turns no work item covers
};

struct ObservationView {
  std::string dimension;
  Claim claim;
};

struct PatternView {
  std::string kind, statement, rationale, recurrence, confidence;
  std::vector<CitationRef> citations;
};

struct EngagementView {
  std::optional<Claim> overall_reading;
  std::vector<ObservationView> observations;
  std::vector<std::string> limits;
  bool offline = false;
};

struct TeamLearningView {
  std::optional<Claim> takeaways;
  std::vector<PatternView> patterns;
  std::vector<std::string> limits;
  bool offline = false;
};

struct OfflinePartView {
  std::string task, project_key, session_ref, turn_ref, slot, reason;
};

struct GeneratedBy {
  std::string model, provider;
  bool offline = false;
};

struct ChainView {
  std::string trigger_type, trigger_summary;
  std::vector<std::string> quotes;
  std::vector<std::string> reactions;
  std::vector<std::pair<std::string, std::string>> outcomes;  // category, summary
  std::vector<std::pair<std::string, std::string>> checks;    // type, summary
  std::string terminal_type, terminal_summary, materiality;
  bool offline = false;
};

// One turn in the evidence appendix.
struct AppendixEntry {
  std::string session_ref, turn_ref;
  std::string lines;   // "a-b" from the index, "" when unknown
  std::string anchor;  // its unique element id
  std::optional<ChainView> chain;
  std::string note;  // why there is no chain, when there is none
};

struct AppendixProject {
  std::string key, label;
  std::vector<AppendixEntry> entries;
};

struct ReportView {
  std::string report_date, status, window_start, window_end, timezone;
  bool has_window = false;
  std::optional<GeneratedBy> generated_by;
  std::optional<Claim> title;
  std::string overall_confidence;     // "" = n/a
  std::vector<ProjectView> projects;  // those with something to show, report order, then index-only
  std::optional<EngagementView> engagement;
  std::optional<TeamLearningView> team_learning;
  std::vector<OfflinePartView> offline_parts;
  std::vector<AppendixProject> appendix;

  // The appendix entry a citation links to; nullptr when the turn has none (unlinked citation).
  const AppendixEntry* find_entry(const std::string& project_key, const std::string& session_ref,
                                  const std::string& turn_ref) const;
  // The label to show for a project key: the report's, else the index's, else the key, else
  // "Unnamed project". The reference may be `project_key` itself: keep the argument alive.
  const std::string& label_of(const std::string& project_key) const;

  std::unordered_map<std::string, std::pair<std::size_t, std::size_t>> entry_index;  // key -> appendix[i].entries[j]
  std::unordered_map<std::string, std::string> labels;
};

// Fixed ids of the page's sections; project and evidence ids never take these.
inline constexpr const char* work_section_id = "work";
inline constexpr const char* engagement_section_id = "engagement";
inline constexpr const char* team_learning_section_id = "team-learning";
inline constexpr const char* offline_section_id = "made-without-a-model";
inline constexpr const char* evidence_section_id = "evidence";

// invalid_input naming every wrong-typed field (by JSON pointer) of daily-report.json. A card
// with wrong types does not fail the report: its appendix entries carry a note instead.
agent::Result<ReportView> build_report_view(const nlohmann::json& report, const EvidenceInput& evidence);

}  // namespace diary::generate::render
