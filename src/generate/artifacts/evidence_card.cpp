#include "generate/artifacts/evidence_card.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "generate/artifacts/field_checks.h"
#include "generate/artifacts/provenance.h"
#include "generate/artifacts/turn_inputs.h"
#include "generate/artifacts/vocabulary.h"
#include "generate/prepare/json_fields.h"

namespace diary::generate::artifacts {

using nlohmann::json;
using Need = FieldChecks::Need;
using Span = std::pair<std::size_t, std::size_t>;

namespace {

constexpr std::string_view span_hint = "write the span as \"start-end\" with start <= end, e.g. \"12-14\"";

// Line numbers cited somewhere in a chain, as merged inclusive spans.
class LineSet {
 public:
  void add(Span span) { spans_.push_back(span); }
  void add(const std::vector<Span>& spans) { spans_.insert(spans_.end(), spans.begin(), spans.end()); }

  // Every line of `span` is in the set.
  bool covers(Span span) const {
    std::size_t next = span.first;  // first line not yet shown covered
    for (const auto& [a, b] : sorted()) {
      if (a > next) break;
      if (b >= next) next = b + 1;
      if (next > span.second) return true;
    }
    return false;
  }
  bool intersects(Span span) const {
    return std::any_of(spans_.begin(), spans_.end(),
                       [&](const Span& s) { return s.first <= span.second && span.first <= s.second; });
  }

 private:
  std::vector<Span> sorted() const {
    auto out = spans_;
    std::sort(out.begin(), out.end());
    return out;
  }
  std::vector<Span> spans_;
};

using prepare::string_field;

bool is_sha256_hex(std::string_view text) {
  return text.size() == 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

class ChainChecker {
 public:
  ChainChecker(Problems& problems, const workspace::TurnSpan* turn) : checks_(problems), turn_(turn) {}

  FieldChecks& checks() { return checks_; }

  // The citations array parent[key] at `at`; returns the spans that parse (all of them or not,
  // `complete` tells).
  std::vector<Span> citations(const json& parent, std::string_view at, std::string_view key, bool* complete = nullptr) {
    std::vector<Span> spans;
    bool all = true;
    const json* list = checks_.array(parent, at, key);
    if (list == nullptr) all = false;
    const std::string list_at = pointer(at, key);
    for (std::size_t i = 0; list != nullptr && i < list->size(); ++i) {
      const json& citation = (*list)[i];
      const std::string citation_at = pointer(list_at, i);
      checks_.object_shape(citation, citation_at, "citation", {"lines"});
      if (!citation.is_object()) {
        all = false;
        continue;
      }
      const json* lines = checks_.member(citation, citation_at, "lines", Need::required);
      if (lines == nullptr) {
        all = false;
        continue;
      }
      const std::string lines_at = pointer(citation_at, "lines");
      auto span = lines->is_string() ? workspace::parse_line_span(lines->get_ref<const std::string&>()) : std::nullopt;
      if (!span) {
        checks_.add(lines_at,
                    fmt::format("{} must be a line span \"start-end\" with 1 <= start <= end, not {}", lines_at,
                                excerpt(lines->dump(-1, ' ', false, json::error_handler_t::replace))),
                    std::string(span_hint));
        all = false;
        continue;
      }
      if (turn_ != nullptr && !(turn_->contains(span->first) && turn_->contains(span->second))) {
        checks_.add(lines_at,
                    fmt::format("line span {} is outside turn {} span {}", workspace::format_line_span(span->first, span->second),
                                turn_->turn_ref, workspace::format_line_span(turn_->start_line, turn_->end_line)),
                    fmt::format("cite only lines {} of the assigned turn; earlier lines are context, not evidence",
                                workspace::format_line_span(turn_->start_line, turn_->end_line)));
      }
      spans.push_back(*span);
    }
    if (complete != nullptr) *complete = all;
    return spans;
  }

 private:
  FieldChecks checks_;
  const workspace::TurnSpan* turn_;
};

// The session's turns as positions, for index order.
std::size_t turn_position(const workspace::SessionEntry& session, std::string_view turn_ref) {
  for (std::size_t i = 0; i < session.turns.size(); ++i)
    if (session.turns[i].turn_ref == turn_ref) return i;
  return session.turns.size();
}

void sort_by_index(std::vector<json>& chains, const workspace::SessionEntry& session) {
  std::stable_sort(chains.begin(), chains.end(), [&](const json& a, const json& b) {
    return turn_position(session, string_field(a, "turn_ref").value_or("")) <
           turn_position(session, string_field(b, "turn_ref").value_or(""));
  });
}

json card_value(std::string_view project_key, std::string_view session_ref, std::vector<json> chains) {
  json list = json::array();
  for (auto& chain : chains) list.push_back(std::move(chain));
  return {{"schema_version", schema_version},
          {"project_key", project_key},
          {"session_ref", session_ref},
          {"evidence_chains", std::move(list)}};
}

// Problems of the card's envelope (everything but the chains): any of them makes it unparsable.
Problems envelope_problems(const json& card, std::string_view project_key, std::string_view session_ref) {
  return header_problems(card, "the evidence card", {{"project_key", project_key}, {"session_ref", session_ref}},
                         {"evidence_chains"}, "diary removes the card and extracts the session again");
}

std::vector<std::string> turns_without(const workspace::SessionEntry& session, const std::set<std::string>& present) {
  std::vector<std::string> out;
  for (const auto& turn : session.turns)
    if (!present.contains(turn.turn_ref)) out.push_back(turn.turn_ref);
  return out;
}

}  // namespace

Problems validate_chain(const json& chain, const workspace::DayWorkspace& day, std::string_view project_key,
                        std::string_view session_ref, const json* existing_card, std::string_view at) {
  Problems problems;
  FieldChecks shape(problems);
  shape.object_shape(chain, at, "evidence_chain",
                     {"turn_ref", "trigger", "agent_reactions", "outcomes", "observed_checks", "terminal_state", "materiality",
                      "inputs_sha256", "source"});
  if (!chain.is_object()) return problems;

  // Where the chain belongs: project, session, turn.
  const workspace::ProjectEntry* project = day.find_project(project_key);
  const workspace::SessionEntry* session = project ? project->find_session(session_ref) : nullptr;
  if (project == nullptr)
    shape.add("/project_key", fmt::format("unknown project_key {}", excerpt(project_key)),
              "use the project_key from the prepared workspace");
  else if (session == nullptr)
    shape.add("/session_ref", fmt::format("unknown session_ref {} in project {}", excerpt(session_ref), excerpt(project_key)),
              "use a session_ref listed in sessions.index.jsonl");
  const workspace::TurnSpan* turn = nullptr;
  const std::string turn_at = pointer(at, "turn_ref");
  if (const json* turn_ref = shape.text(chain, at, "turn_ref", "use the assigned turn_ref from the target turn")) {
    const auto& ref = turn_ref->get_ref<const std::string&>();
    if (session != nullptr) {
      turn = session->find_turn(ref);
      if (turn == nullptr)
        shape.add(turn_at, fmt::format("turn {} is not a turn of session {}", excerpt(ref), session_ref),
                  "use the assigned turn_ref from the target turn");
    }
    if (turn != nullptr && existing_card != nullptr && existing_card->is_object()) {
      auto chains = existing_card->find("evidence_chains");
      if (chains != existing_card->end() && chains->is_array()) {
        const bool taken = std::any_of(chains->begin(), chains->end(), [&](const json& other) {
          return string_field(other, "turn_ref") == std::string_view(ref) && !is_offline_made(other);
        });
        if (taken)
          shape.add(turn_at, fmt::format("turn {} already has a committed evidence chain (duplicate)", ref),
                    "this turn is already extracted: do not write it again; stop, or write the turn you were assigned");
      }
    }
  }

  ChainChecker checker(problems, turn);
  FieldChecks& checks = checker.checks();
  LineSet trigger_lines;
  LineSet reaction_lines;

  if (const json* trigger = checks.object(chain, at, "trigger", {"type", "summary", "quoted_messages", "citations"})) {
    const std::string trigger_at = pointer(at, "trigger");
    checks.term(*trigger, trigger_at, "type", trigger_types());
    checks.text(*trigger, trigger_at, "summary", FieldChecks::summary_hint);
    if (const json* quotes = checks.array(*trigger, trigger_at, "quoted_messages")) {
      const std::string quotes_at = pointer(trigger_at, "quoted_messages");
      for (std::size_t i = 0; i < quotes->size(); ++i) {
        const json& quote = (*quotes)[i];
        const std::string quote_at = pointer(quotes_at, i);
        checks.object_shape(quote, quote_at, "quoted message", {"text", "citations"});
        if (!quote.is_object()) continue;
        checks.text(quote, quote_at, "text", "quote the user's own words exactly, as a non-empty text");
        trigger_lines.add(checker.citations(quote, quote_at, "citations"));
      }
    }
    trigger_lines.add(checker.citations(*trigger, trigger_at, "citations"));
  }

  // Arrays of {<kind>, summary, citations}; `kind_key` empty for reactions.
  auto entries = [&](std::string_view key, std::string_view what, std::string_view kind_key, const Vocabulary* vocabulary,
                     auto&& each) -> const json* {
    const json* list = checks.array(chain, at, key);
    if (list == nullptr) return nullptr;
    const std::string list_at = pointer(at, key);
    for (std::size_t i = 0; i < list->size(); ++i) {
      const json& entry = (*list)[i];
      const std::string entry_at = pointer(list_at, i);
      if (kind_key.empty()) checks.object_shape(entry, entry_at, what, {"summary", "citations"});
      else checks.object_shape(entry, entry_at, what, {kind_key, "summary", "citations"});
      if (!entry.is_object()) continue;
      if (vocabulary != nullptr) checks.term(entry, entry_at, kind_key, *vocabulary);
      checks.text(entry, entry_at, "summary", FieldChecks::summary_hint);
      each(entry, entry_at);
    }
    return list;
  };

  entries("agent_reactions", "agent reaction", "", nullptr, [&](const json& entry, const std::string& entry_at) {
    reaction_lines.add(checker.citations(entry, entry_at, "citations"));
  });
  struct CitedOutcome {
    std::string at;
    std::vector<Span> spans;
  };
  std::vector<CitedOutcome> cited_outcomes;
  const json* outcomes =
      entries("outcomes", "outcome", "category", &outcome_categories(), [&](const json& entry, const std::string& entry_at) {
        bool complete = false;
        auto spans = checker.citations(entry, entry_at, "citations", &complete);
        if (complete) cited_outcomes.push_back({entry_at, std::move(spans)});
      });
  entries("observed_checks", "observed check", "type", &check_types(),
          [&](const json& entry, const std::string& entry_at) { checker.citations(entry, entry_at, "citations"); });

  const json* terminal_type = nullptr;
  if (const json* terminal = checks.object(chain, at, "terminal_state", {"type", "summary", "citations"})) {
    const std::string terminal_at = pointer(at, "terminal_state");
    terminal_type = checks.term(*terminal, terminal_at, "type", terminal_types());
    checks.text(*terminal, terminal_at, "summary", FieldChecks::summary_hint);
    checker.citations(*terminal, terminal_at, "citations");
  }
  const json* materiality = checks.term(chain, at, "materiality", materiality_levels());

  if (const json* hash = checks.member(chain, at, "inputs_sha256", Need::optional);
      hash != nullptr && !(hash->is_string() && is_sha256_hex(hash->get_ref<const std::string&>())))
    checks.add(pointer(at, "inputs_sha256"), fmt::format("{} must be a lowercase hex SHA-256", pointer(at, "inputs_sha256")),
               "leave inputs_sha256 to diary: it sets it when the chain is committed");
  if (const json* source = checks.member(chain, at, "source", Need::optional);
      source != nullptr && !(source->is_string() && source->get_ref<const std::string&>() == offline_source))
    checks.add(pointer(at, "source"), fmt::format("{} must be \"{}\" when present", pointer(at, "source"), offline_source),
               "remove source: only diary's offline extractor marks chains");

  // Cross-field rules.
  if (terminal_type != nullptr && *terminal_type == "material_result" && outcomes != nullptr && outcomes->empty())
    checks.add(pointer(at, "outcomes"), "terminal_state.type material_result needs at least one outcome",
               "add the outcome the turn produced, or choose another terminal_state.type (e.g. no_material)");
  if (materiality != nullptr && *materiality == "material") {
    for (const auto& outcome : cited_outcomes) {
      const bool only_trigger =
          std::all_of(outcome.spans.begin(), outcome.spans.end(), [&](const Span& s) { return trigger_lines.covers(s); }) &&
          std::none_of(outcome.spans.begin(), outcome.spans.end(), [&](const Span& s) { return reaction_lines.intersects(s); });
      if (only_trigger)
        checks.add(pointer(outcome.at, "citations"),
                   outcome.spans.empty() ? "a material outcome cites no lines" : "a material outcome cites only trigger evidence",
                   "cite the lines where the agent's work shows the outcome (lines of an agent_reaction), not only the "
                   "user's request");
    }
  }
  return problems;
}

EvidenceCardState judge_evidence_card(const StoredJson& stored, const workspace::DayWorkspace& day, std::string_view project_key,
                                      const workspace::SessionEntry& session,
                                      const agent::Result<std::vector<std::string>>& turn_hashes) {
  EvidenceCardState state;
  std::set<std::string> present;
  if (!stored.exists) {
    state.missing_turns = turns_without(session, present);
    return state;
  }
  if (!stored.value) {
    state.status = EvidenceCardState::Status::unparsable;
    state.problems.push_back(
        {"", "the evidence card is not valid JSON", "diary removes the card and extracts the session again"});
    state.missing_turns = turns_without(session, present);
    return state;
  }
  const json& card = *stored.value;
  state.problems = envelope_problems(card, project_key, session.session_ref);
  if (!state.problems.empty()) {
    state.status = EvidenceCardState::Status::unparsable;
    state.missing_turns = turns_without(session, present);
    return state;
  }
  state.status = EvidenceCardState::Status::valid;
  const json& chains = card["evidence_chains"];
  for (std::size_t i = 0; i < chains.size(); ++i) {
    const json& chain = chains[i];
    const std::string at = pointer("/evidence_chains", i);
    DroppedChain verdict{.index = i, .turn_ref = std::string(string_field(chain, "turn_ref").value_or(""))};
    verdict.problems = validate_chain(chain, day, project_key, session.session_ref, nullptr, at);
    if (verdict.problems.empty() && present.contains(verdict.turn_ref))
      verdict.problems.push_back({pointer(at, "turn_ref"),
                                  fmt::format("turn {} already has an earlier evidence chain (duplicate)", verdict.turn_ref),
                                  "diary keeps the first chain of a turn and drops this one"});
    if (verdict.problems.empty()) {
      const std::string hash_at = pointer(at, "inputs_sha256");
      if (!turn_hashes) {
        verdict.problems.push_back({hash_at, "cannot check the chain against its turn: " + turn_hashes.error().message,
                                    "restore the session copy (diary prepare) and run again"});
      } else {
        const std::string& current = (*turn_hashes)[turn_position(session, verdict.turn_ref)];
        if (string_field(chain, "inputs_sha256") != std::string_view(current))
          verdict.problems.push_back(
              {hash_at,
               fmt::format("the chain of turn {} was made from other turn lines or an older prompt (stale)", verdict.turn_ref),
               "diary extracts the turn again"});
      }
      verdict.stale = !verdict.problems.empty();
    }
    if (!verdict.problems.empty()) {
      state.dropped_chains.push_back(std::move(verdict));
      continue;
    }
    present.insert(verdict.turn_ref);
    state.kept_chains.push_back(chain);
  }
  sort_by_index(state.kept_chains, session);
  for (const auto& chain : state.kept_chains)
    if (is_offline_made(chain)) state.offline_turns.emplace_back(*string_field(chain, "turn_ref"));
  state.missing_turns = turns_without(session, present);
  return state;
}

EvidenceCardState inspect_evidence_card(const workspace::DayWorkspace& day, std::string_view project_key,
                                        std::string_view session_ref) {
  const workspace::SessionEntry* session = day.find_session(project_key, session_ref);
  if (session == nullptr) {
    EvidenceCardState state;
    state.status = EvidenceCardState::Status::unparsable;
    state.problems.push_back({"/session_ref", fmt::format("unknown session {}/{}", project_key, session_ref),
                              "use a session_ref listed in sessions.index.jsonl"});
    return state;
  }
  return judge_evidence_card(read_stored_json(day.evidence_card(project_key, session_ref)), day, project_key, *session,
                             session_turn_hashes(day, project_key, *session));
}

agent::Result<void> repair_evidence_card(const workspace::DayWorkspace& day, std::string_view project_key,
                                         std::string_view session_ref) {
  const workspace::SessionEntry* session = day.find_session(project_key, session_ref);
  if (session == nullptr)
    return agent::fail(agent::ErrorKind::invalid_input, fmt::format("unknown session {}/{}", project_key, session_ref));
  // Without the turn bytes every chain would look stale: refuse rather than empty the card.
  auto hashes = session_turn_hashes(day, project_key, *session);
  if (!hashes) return std::unexpected(hashes.error());
  const auto path = day.evidence_card(project_key, session_ref);
  auto lock = ArtifactLock::acquire(path);
  if (!lock) return std::unexpected(lock.error());
  const EvidenceCardState state = judge_evidence_card(read_stored_json(path), day, project_key, *session, hashes);
  if (state.status == EvidenceCardState::Status::unparsable) {
    std::error_code error;
    std::filesystem::remove(path, error);
    if (error) return agent::fail(agent::ErrorKind::io, path.string() + ": cannot remove: " + error.message());
    return {};
  }
  if (!state.needs_repair()) return {};
  return write_json_atomic(path, card_value(project_key, session_ref, state.kept_chains));
}

agent::Result<void> write_empty_card(const workspace::DayWorkspace& day, std::string_view project_key,
                                     std::string_view session_ref) {
  const workspace::SessionEntry* session = day.find_session(project_key, session_ref);
  if (session == nullptr)
    return agent::fail(agent::ErrorKind::invalid_input, fmt::format("unknown session {}/{}", project_key, session_ref));
  if (!session->turns.empty())
    return agent::fail(agent::ErrorKind::invalid_input, fmt::format("session {}/{} has {} turns: its card is not empty",
                                                                    project_key, session_ref, session->turns.size()));
  auto written = update_json_locked(day.evidence_card(project_key, session_ref), [&](const StoredJson&) {
    return std::optional<json>(card_value(project_key, session_ref, {}));
  });
  if (!written) return std::unexpected(written.error());
  return {};
}

ChainCommit commit_chain(const StoredJson& current, json chain, const std::string& turn_hash, const workspace::DayWorkspace& day,
                         std::string_view project_key, const workspace::SessionEntry& session, std::string_view at) {
  ChainCommit commit;
  std::vector<json> chains;
  if (current.value && envelope_problems(*current.value, project_key, session.session_ref).empty())
    chains = (*current.value)["evidence_chains"].get<std::vector<json>>();
  const std::string turn_ref(string_field(chain, "turn_ref").value_or(""));

  // Only a valid, current, model-made chain of this turn blocks the new one.
  json blocking = {{"evidence_chains", json::array()}};
  for (std::size_t i = 0; i < chains.size(); ++i) {
    const json& stored = chains[i];
    if (string_field(stored, "turn_ref") != std::string_view(turn_ref) || is_offline_made(stored)) continue;
    if (string_field(stored, "inputs_sha256") != std::string_view(turn_hash)) continue;
    if (!validate_chain(stored, day, project_key, session.session_ref, nullptr, pointer("/evidence_chains", i)).empty()) continue;
    blocking["evidence_chains"].push_back(stored);
  }
  commit.problems = validate_chain(chain, day, project_key, session.session_ref, &blocking, at);
  if (!commit.problems.empty()) return commit;

  chain["inputs_sha256"] = turn_hash;
  std::erase_if(chains, [&](const json& stored) { return string_field(stored, "turn_ref") == std::string_view(turn_ref); });
  chains.push_back(std::move(chain));
  sort_by_index(chains, session);

  std::set<std::string> present;
  for (std::size_t i = 0; i < chains.size(); ++i)
    if (validate_chain(chains[i], day, project_key, session.session_ref, nullptr, pointer("/evidence_chains", i)).empty())
      present.emplace(string_field(chains[i], "turn_ref").value_or(""));
  commit.missing_turns = turns_without(session, present);
  commit.card = card_value(project_key, session.session_ref, std::move(chains));
  return commit;
}

}  // namespace diary::generate::artifacts
