#include "generate/render/evidence_input.h"

#include <system_error>

#include "util/text_file.h"

namespace diary::generate::render {

using nlohmann::json;

EvidenceInput evidence_from_workspace(const workspace::DayWorkspace& day) {
  EvidenceInput out;
  for (const auto& project : day.projects()) {
    EvidenceProject entry{project.project_key, project.project_label, {}};
    for (const auto& session : project.sessions) {
      EvidenceSession item{session.session_ref, session.turns, true, std::nullopt, {}};
      const auto path = day.evidence_card(project.project_key, session.session_ref);
      std::error_code error;
      if (!std::filesystem::exists(path, error)) {
        item.card_note = "No evidence card was written for this session.";
      } else if (auto text = util::read_text_file(path); !text) {
        item.card_note = "The evidence card of this session could not be read.";
      } else if (auto value = json::parse(*text, nullptr, false); value.is_discarded() || !value.is_object()) {
        item.card_note = "The evidence card of this session is not a JSON object.";
      } else {
        item.card = std::move(value);
      }
      entry.sessions.push_back(std::move(item));
    }
    out.push_back(std::move(entry));
  }
  return out;
}

EvidenceInput evidence_from_cards(const json& cards_by_project_session) {
  EvidenceInput out;
  if (!cards_by_project_session.is_object()) return out;
  for (const auto& [project_key, sessions] : cards_by_project_session.items()) {
    if (!sessions.is_object()) continue;
    EvidenceProject entry{project_key, {}, {}};
    for (const auto& [session_ref, card] : sessions.items()) {
      EvidenceSession item{session_ref, {}, false, std::nullopt, {}};
      if (card.is_object()) item.card = card;
      else item.card_note = "The evidence card of this session is not a JSON object.";
      entry.sessions.push_back(std::move(item));
    }
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace diary::generate::render
