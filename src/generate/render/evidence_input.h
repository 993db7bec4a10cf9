// What the evidence appendix is built from: per project, per session, the indexed turns (with
// their line spans) and the session's evidence card as stored. Built from a loaded workspace
// (index order; cards read from disk) or, for tests and tools, from cards alone
// ({"<pk>": {"<S>": card}}; the turns are then the card's chains). A card that is missing or
// does not parse is kept as a note, never an error: the appendix says so for that session.
// Value types; thread-safe once built.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "generate/workspace/day_workspace.h"

namespace diary::generate::render {

struct EvidenceSession {
  std::string session_ref;
  // Indexed turns; when `indexed` is false they are unknown and the card's chains stand in.
  std::vector<workspace::TurnSpan> turns;
  bool indexed = false;
  std::optional<nlohmann::json> card;  // nullopt when missing or unparseable (see card_note)
  std::string card_note;               // why there is no card, in words for the reader
};

struct EvidenceProject {
  std::string project_key;
  std::string project_label;  // "" when unknown (the report's label is used)
  std::vector<EvidenceSession> sessions;
};

using EvidenceInput = std::vector<EvidenceProject>;

// Every indexed session of `day`, with projects/<pk>/evidence/<S>.json read from disk.
EvidenceInput evidence_from_workspace(const workspace::DayWorkspace& day);

// {"<pk>": {"<S>": card, …}, …} in key order; anything that is not an object of objects is
// ignored (a non-object card becomes a note).
EvidenceInput evidence_from_cards(const nlohmann::json& cards_by_project_session);

}  // namespace diary::generate::render
