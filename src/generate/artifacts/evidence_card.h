// The evidence card of one session, projects/<pk>/evidence/<S>.json (spec/generate.md §3):
// {schema_version:1, project_key, session_ref, evidence_chains:[chain...]}, one chain per indexed
// turn, chains in index order. This module holds every rule `write_evidence` enforces on a
// chain, what the evidence phase needs to resume (inspect: which chains to keep, which to drop,
// which turns are missing or only offline-made), the repair of a partly invalid card, and the
// commit of one chain. Files change only through artifact_store (atomic, under the card's flock).
// Functions are thread-safe; they share nothing but the files.
//
// Decisions [ours]:
// - An invalid chain is dropped on its own; the other chains stay. A card whose envelope is
//   broken (not JSON, wrong schema_version, project_key or session_ref, evidence_chains not a
//   list) is unparsable: removed and redone.
// - A chain whose inputs_sha256 differs from the current turn bytes (or has none) is stale and
//   dropped like an invalid one.
// - inputs_sha256 and source are set by diary only: a write_evidence call carrying either is
//   rejected (the published schema forbids them too), so a model can never vouch for its own
//   inputs or pass its chain off as offline-made.
// - A chain marked "source":"offline" is valid but may be replaced by a model-made chain; so may
//   a stored chain of that turn that is invalid or stale.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/error.h"
#include "generate/artifacts/artifact_store.h"
#include "generate/artifacts/problem.h"
#include "generate/artifacts/provenance.h"
#include "generate/workspace/day_workspace.h"

namespace diary::generate::artifacts {

// Every write_evidence rule for `chain` (a chain of session `session_ref` of `project_key`), one
// Problem per fault. Paths are JSON pointers: the chain's own under `at` (the tool passes
// "/evidence_chain", a card check "/evidence_chains/<i>"), the workspace keys as "/project_key"
// and "/session_ref". `existing_card`: the committed card, for the duplicate rule (a turn whose
// chain there is not offline-made is taken); nullptr skips that rule.
// Checks no inputs_sha256 (see inspect) and accepts source only as "offline".
Problems validate_chain(const nlohmann::json& chain, const workspace::DayWorkspace& day, std::string_view project_key,
                        std::string_view session_ref, const nlohmann::json* existing_card,
                        std::string_view at = "/evidence_chain");

struct DroppedChain {
  std::size_t index = 0;  // position in the stored evidence_chains
  std::string turn_ref;   // "" when the chain has none
  Problems problems;
  bool stale = false;  // valid, but made from other turn bytes or an older prompt
};

struct EvidenceCardState {
  enum class Status { missing, unparsable, valid };
  Status status = Status::missing;
  Problems problems;                        // why it is unparsable
  std::vector<nlohmann::json> kept_chains;  // valid and current, index order
  std::vector<DroppedChain> dropped_chains;
  std::vector<std::string> offline_turns;  // kept, but offline-made: the model should redo them
  std::vector<std::string> missing_turns;  // turns without a kept chain, index order

  // One valid chain per indexed turn (offline-made ones count).
  bool complete() const { return status == Status::valid && missing_turns.empty(); }
  // The file differs from what should be kept (repair_evidence_card would change it).
  bool needs_repair() const { return status == Status::unparsable || !dropped_chains.empty(); }
};

// Reads the card from disk and judges it against the current index and session bytes.
EvidenceCardState inspect_evidence_card(const workspace::DayWorkspace& day, std::string_view project_key,
                                        std::string_view session_ref);
// The same for a value already read (under a lock); `turn_hashes` in index order, or the error
// reading the session copy (then every chain counts as stale).
EvidenceCardState judge_evidence_card(const StoredJson& stored, const workspace::DayWorkspace& day, std::string_view project_key,
                                      const workspace::SessionEntry& session,
                                      const agent::Result<std::vector<std::string>>& turn_hashes);

// Under the card's lock, judges the card again and rewrites it with only the kept chains, or
// removes it when unparsable. A card that needs no repair is left untouched.
agent::Result<void> repair_evidence_card(const workspace::DayWorkspace& day, std::string_view project_key,
                                         std::string_view session_ref);

// Writes {schema_version, project_key, session_ref, evidence_chains:[]} for a session without
// turns (the evidence phase does it instead of an agent call); invalid_input for a session that
// has turns, so a real card is never emptied by mistake.
agent::Result<void> write_empty_card(const workspace::DayWorkspace& day, std::string_view project_key,
                                     std::string_view session_ref);

// The commit of one write_evidence chain.
struct ChainCommit {
  Problems problems;                       // non-empty: rejected, nothing to write
  nlohmann::json card;                     // the card to write when accepted
  std::vector<std::string> missing_turns;  // turns still without a valid chain after it
};

// Adds `chain` (already carrying its inputs_sha256 `turn_hash`) to the card `current`: a fresh
// card when none exists or it is unparsable; replaces an offline-made, invalid or stale chain of
// that turn; otherwise rejects a duplicate. Chains stay in index order. Other chains are kept as
// stored (inspect/repair judge them). `missing_turns` counts a chain as present when its content
// is valid (its staleness is not re-hashed here).
ChainCommit commit_chain(const StoredJson& current, nlohmann::json chain, const std::string& turn_hash,
                         const workspace::DayWorkspace& day, std::string_view project_key, const workspace::SessionEntry& session,
                         std::string_view at = "/evidence_chain");

}  // namespace diary::generate::artifacts
