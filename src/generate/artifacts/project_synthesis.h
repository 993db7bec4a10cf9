// The project synthesis envelope, projects/<pk>/project-synthesis.json (spec/generate.md §3):
// {schema_version:1, project_key, project_label, work_items:[...], source_user_messages:[...],
// inputs_sha256}. Every indexed turn of the project is covered by exactly one work item. This
// module holds every rule `write_work_item` enforces, the committed chains a synthesis is built
// on, the envelope's staleness, what the project phase needs to resume (inspect), the repair of
// a partly invalid envelope and the commit of one item. Files change only through
// artifact_store (atomic, under the envelope's flock). Thread-safe; shares nothing but files.
//
// Decisions [ours]:
// - An invalid work item is dropped on its own (items are judged in stored order, each against
//   the ones kept before it); the others stay. A broken envelope (not JSON, wrong schema_version,
//   key or label, work_items or source_user_messages not a list) is unparsable: removed, redone.
// - inputs_sha256 = SHA-256 over the project's committed chains in index order (each chain's
//   session_ref, turn_ref and canonical JSON, which includes the chain's own inputs_sha256) plus
//   artifacts::project_prompt_version. Hashing the chain itself, not only its inputs_sha256,
//   is what makes a synthesis stale when an offline chain is replaced by a model-made one for
//   the same turn bytes. A stale (or hash-less) envelope is redone as a whole.
// - source_user_messages is rebuilt by diary from the chains on every accepted write; a stored
//   one that differs is repaired.
// - A work item marked "source":"offline" is valid, but a model-made item supersedes it: an item
//   reusing its ref or covering one of its turns replaces it (its other turns become uncovered).
//   The tool reports turns covered only by offline items as still to do.
#pragma once

#include <compare>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/error.h"
#include "generate/artifacts/artifact_store.h"
#include "generate/artifacts/problem.h"
#include "generate/workspace/day_workspace.h"

namespace diary::generate::artifacts {

// A turn of the project: {session_ref, turn_ref}.
struct TurnRef {
  std::string session_ref;
  std::string turn_ref;
  friend auto operator<=>(const TurnRef&, const TurnRef&) = default;
};
nlohmann::json to_json(const TurnRef& turn);
nlohmann::json to_json(const std::vector<TurnRef>& turns);

// The kept (valid, current) chains of every evidence card of a project, index order.
struct CommittedChain {
  TurnRef turn;
  nlohmann::json chain;
};
struct ProjectChains {
  std::vector<CommittedChain> chains;
  const CommittedChain* find(std::string_view session_ref, std::string_view turn_ref) const;
  // project_inputs_sha256(*this), computed on first use: an offline project commits dozens of
  // items against one set of chains, and each commit judges the synthesis by this hash. Do not
  // change `chains` after the first call.
  const std::string& inputs_sha256() const;
  mutable std::optional<std::string> cached_inputs_sha256;
};
ProjectChains committed_project_chains(const workspace::DayWorkspace& day, std::string_view project_key);

std::string project_inputs_sha256(const ProjectChains& chains);
// [{session_ref, turn_ref, messages:[verbatim quote...]}] sorted by (session_ref, turn_ref); only
// turns whose chain quotes at least one message.
nlohmann::json source_user_messages(const ProjectChains& chains);

// Every write_work_item rule for `item`, one Problem per fault, paths under `at`. `committed`:
// the project's chains (which turns have one); `existing_envelope`: the committed envelope, for
// ref uniqueness and coverage (its offline items do not block); nullptr = no items yet.
Problems validate_work_item(const nlohmann::json& item, const workspace::DayWorkspace& day, std::string_view project_key,
                            const ProjectChains& committed, const nlohmann::json* existing_envelope,
                            std::string_view at = "/work_item");

struct DroppedItem {
  std::size_t index = 0;      // position in the stored work_items
  std::string work_item_ref;  // "" when it has none
  Problems problems;
};

struct ProjectSynthesisState {
  enum class Status { missing, unparsable, stale, valid };
  Status status = Status::missing;
  Problems problems;                       // why it is unparsable or stale
  std::vector<nlohmann::json> kept_items;  // stored order
  std::vector<DroppedItem> dropped_items;
  std::vector<std::string> offline_items;  // refs of kept offline-made items
  std::vector<TurnRef> offline_turns;      // turns covered by those items, index order
  std::vector<TurnRef> uncovered_turns;    // turns no kept item covers, index order
  bool source_messages_outdated = false;   // stored source_user_messages differ from the chains'

  // Valid and every indexed turn covered exactly once (offline-made items count).
  bool complete() const { return status == Status::valid && uncovered_turns.empty(); }
  bool needs_repair() const {
    return status == Status::unparsable || status == Status::stale || !dropped_items.empty() || source_messages_outdated;
  }
};

ProjectSynthesisState inspect_project_synthesis(const workspace::DayWorkspace& day, std::string_view project_key);
ProjectSynthesisState judge_project_synthesis(const StoredJson& stored, const workspace::DayWorkspace& day,
                                              const workspace::ProjectEntry& project, const ProjectChains& committed);

// Under the envelope's lock: removes an unparsable or stale envelope, rewrites a valid one with
// only the kept items (and current source_user_messages); leaves a sound one untouched.
agent::Result<void> repair_project_synthesis(const workspace::DayWorkspace& day, std::string_view project_key);

// The envelope of a project without turns (no agent call); invalid_input if it has turns.
agent::Result<void> write_empty_synthesis(const workspace::DayWorkspace& day, std::string_view project_key);

// The commit of one write_work_item item.
struct WorkItemCommit {
  Problems problems;        // non-empty: rejected
  nlohmann::json envelope;  // to write when accepted
  // Turns still to do, index order: uncovered, or covered only by an offline-made item.
  std::vector<TurnRef> remaining_turns;
};

// Adds `item` to the envelope `current` (a fresh one when missing, unparsable or stale; invalid
// stored items are dropped, superseded offline items removed).
WorkItemCommit commit_work_item(const StoredJson& current, const nlohmann::json& item, const workspace::DayWorkspace& day,
                                const workspace::ProjectEntry& project, const ProjectChains& committed,
                                std::string_view at = "/work_item");

// Several items at once (the offline fallback commits a project's items together), each checked
// against the items before it as commit_work_item would check them one by one; the stored
// synthesis is judged once. The first rejected item rejects all (problems under
// /work_items/<i>).
WorkItemCommit commit_work_items(const StoredJson& current, const nlohmann::json& items, const workspace::DayWorkspace& day,
                                 const workspace::ProjectEntry& project, const ProjectChains& committed);

}  // namespace diary::generate::artifacts
