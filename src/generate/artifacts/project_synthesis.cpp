#include "generate/artifacts/project_synthesis.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "generate/artifacts/evidence_card.h"
#include "generate/artifacts/field_checks.h"
#include "generate/artifacts/provenance.h"
#include "generate/artifacts/versions.h"
#include "generate/artifacts/vocabulary.h"
#include "generate/prepare/json_fields.h"
#include "util/sha256.h"

namespace diary::generate::artifacts {

using nlohmann::json;
using Need = FieldChecks::Need;

namespace {

using prepare::string_field;

std::string shown(const TurnRef& turn) { return excerpt(turn.session_ref) + "/" + excerpt(turn.turn_ref); }

bool is_work_item_ref(std::string_view ref) {
  return ref.size() == 5 && ref[0] == 'W' && std::all_of(ref.begin() + 1, ref.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// One more than the highest W#### ref among `items`.
int next_ref_number(const std::vector<const json*>& items) {
  int highest = 0;
  for (const json* item : items)
    if (auto ref = string_field(*item, "work_item_ref"); ref && is_work_item_ref(*ref))
      highest = std::max(highest, std::stoi(std::string(ref->substr(1))));
  return highest + 1;
}

// The turns an item covers, as far as they read as {session_ref, turn_ref} strings.
std::vector<TurnRef> covered_by(const json& item) {
  std::vector<TurnRef> out;
  auto list = item.is_object() ? item.find("covered_turns") : item.end();
  if (!item.is_object() || list == item.end() || !list->is_array()) return out;
  for (const auto& entry : *list) {
    auto session = string_field(entry, "session_ref");
    auto turn = string_field(entry, "turn_ref");
    if (session && turn) out.push_back({std::string(*session), std::string(*turn)});
  }
  return out;
}

std::vector<TurnRef> project_turns(const workspace::ProjectEntry& project) {
  std::vector<TurnRef> out;
  for (const auto& session : project.sessions)
    for (const auto& turn : session.turns) out.push_back({session.session_ref, turn.turn_ref});
  return out;
}

class ItemChecker {
 public:
  ItemChecker(Problems& problems, const workspace::ProjectEntry* project, const ProjectChains& committed)
      : checks_(problems), project_(project), committed_(committed) {}

  FieldChecks& checks() { return checks_; }

  // A {session_ref, turn_ref} entry; nullopt when malformed (reported).
  std::optional<TurnRef> turn_entry(const json& entry, const std::string& at) {
    checks_.object_shape(entry, at, "turn reference", {"session_ref", "turn_ref"});
    if (!entry.is_object()) return std::nullopt;
    const json* session = checks_.text(entry, at, "session_ref", "use the session_ref of the turn, e.g. S0001");
    const json* turn = checks_.text(entry, at, "turn_ref", "use the turn_ref of the turn, e.g. T0001");
    if (session == nullptr || turn == nullptr) return std::nullopt;
    return TurnRef{session->get<std::string>(), turn->get<std::string>()};
  }

  bool indexed(const TurnRef& turn) const {
    const workspace::SessionEntry* session = project_ ? project_->find_session(turn.session_ref) : nullptr;
    return session != nullptr && session->find_turn(turn.turn_ref) != nullptr;
  }

  // evidence_refs of parent at `at`: each a covered turn with a chain.
  void evidence_refs(const json& parent, const std::string& at, const std::set<TurnRef>& covered) {
    const json* refs = checks_.array(parent, at, "evidence_refs");
    const std::string refs_at = pointer(at, "evidence_refs");
    for (std::size_t i = 0; refs != nullptr && i < refs->size(); ++i) {
      const std::string ref_at = pointer(refs_at, i);
      auto turn = turn_entry((*refs)[i], ref_at);
      if (!turn) continue;
      if (!covered.contains(*turn))
        checks_.add(ref_at, fmt::format("evidence ref {} is not a turn this work item covers", shown(*turn)),
                    "cite only turns listed in this item's covered_turns");
      else if (committed_.find(turn->session_ref, turn->turn_ref) == nullptr)
        checks_.add(ref_at, fmt::format("evidence ref {} has no evidence chain", shown(*turn)),
                    "cite only turns that have an evidence chain");
    }
  }

 private:
  FieldChecks checks_;
  const workspace::ProjectEntry* project_;
  const ProjectChains& committed_;
};

// validate_work_item, with `offline_blocks`: whether offline items of the envelope hold their
// refs and turns (when judging a stored envelope they do; a new item may supersede them).
Problems check_work_item(const json& item, const workspace::DayWorkspace& day, std::string_view project_key,
                         const ProjectChains& committed, const json* existing_envelope, std::string_view at,
                         bool offline_blocks) {
  Problems problems;
  const workspace::ProjectEntry* project = day.find_project(project_key);
  ItemChecker checker(problems, project, committed);
  FieldChecks& checks = checker.checks();
  checks.object_shape(item, at, "work_item",
                      {"work_item_ref", "kind", "title", "covered_turns", "trigger", "agent_reaction", "outcomes",
                       "terminal_states", "limits", "reason", "confidence", "source"});
  if (!item.is_object()) return problems;
  if (project == nullptr)
    checks.add("/project_key", fmt::format("unknown project_key {}", excerpt(project_key)),
               "use the project_key from the prepared workspace");

  // The committed items that hold refs and turns.
  std::vector<const json*> holders;
  if (existing_envelope != nullptr && existing_envelope->is_object()) {
    auto items = existing_envelope->find("work_items");
    if (items != existing_envelope->end() && items->is_array())
      for (const auto& other : *items)
        if (offline_blocks || !is_offline_made(other)) holders.push_back(&other);
  }

  if (const json* ref = checks.text(item, at, "work_item_ref", "number work items W0001, W0002, ... in order")) {
    const auto& value = ref->get_ref<const std::string&>();
    const std::string ref_at = pointer(at, "work_item_ref");
    if (!is_work_item_ref(value))
      checks.add(ref_at, fmt::format("{} must look like W0001 (W and four digits), not {}", ref_at, excerpt(value)),
                 "number work items W0001, W0002, ... in order");
    else if (std::any_of(holders.begin(), holders.end(),
                         [&](const json* other) { return string_field(*other, "work_item_ref") == std::string_view(value); }))
      checks.add(ref_at, fmt::format("work item {} already exists", value),
                 fmt::format("use the next free ref after the committed ones (W{:04})", next_ref_number(holders)));
  }
  const json* kind_value = checks.term(item, at, "kind", work_item_kinds());
  const std::string kind = kind_value ? kind_value->get<std::string>() : std::string();
  const bool gap = kind == "evidence_gap_item";
  const bool excluded = kind == "excluded_with_reason";
  checks.text(item, at, "title", "give the work item a short descriptive title");

  // Coverage.
  std::map<TurnRef, std::string> held;  // turn -> ref of the committed item covering it
  for (const json* other : holders)
    for (auto& turn : covered_by(*other))
      held.emplace(std::move(turn), std::string(string_field(*other, "work_item_ref").value_or("?")));
  std::set<TurnRef> covered;
  if (const json* turns = checks.array(item, at, "covered_turns")) {
    const std::string turns_at = pointer(at, "covered_turns");
    if (turns->empty())
      checks.add(turns_at, fmt::format("{} must list at least one turn", turns_at),
                 "cover the turns this item is about, e.g. {\"session_ref\":\"S0001\",\"turn_ref\":\"T0001\"}");
    for (std::size_t i = 0; i < turns->size(); ++i) {
      const std::string turn_at = pointer(turns_at, i);
      auto turn = checker.turn_entry((*turns)[i], turn_at);
      if (!turn) continue;
      if (!checker.indexed(*turn)) {
        checks.add(turn_at, fmt::format("{} is not an indexed turn of project {}", shown(*turn), project_key),
                   "cover only turns listed in the assignment (sessions.index.jsonl)");
        continue;
      }
      if (!covered.insert(*turn).second) {
        checks.add(turn_at, fmt::format("turn {} is listed twice in covered_turns", shown(*turn)), "list each turn once");
        continue;
      }
      if (auto it = held.find(*turn); it != held.end())
        checks.add(turn_at, fmt::format("turn {} is already covered by work item {}", shown(*turn), it->second),
                   "every turn belongs to exactly one work item: leave it out here");
      const bool has_chain = committed.find(turn->session_ref, turn->turn_ref) != nullptr;
      if (kind_value != nullptr && gap && has_chain)
        checks.add(turn_at,
                   fmt::format("turn {} has an evidence chain; an evidence_gap_item covers only turns without one", shown(*turn)),
                   "cover this turn with a material_work_item or no_material_work_item");
      if (kind_value != nullptr && !gap && !has_chain)
        checks.add(turn_at, fmt::format("turn {} has no evidence chain; only an evidence_gap_item may cover it", shown(*turn)),
                   "cover this turn with an evidence_gap_item");
    }
  }

  const json* trigger = checks.object(item, at, "trigger", {"summary", "evidence_refs"}, Need::optional);
  if (trigger != nullptr) {
    const std::string trigger_at = pointer(at, "trigger");
    checks.text(*trigger, trigger_at, "summary", FieldChecks::summary_hint);
    checker.evidence_refs(*trigger, trigger_at, covered);
  }
  const json* reaction = checks.object(item, at, "agent_reaction", {"summary", "main_actions"}, Need::optional);
  if (reaction != nullptr) {
    const std::string reaction_at = pointer(at, "agent_reaction");
    checks.text(*reaction, reaction_at, "summary", FieldChecks::summary_hint);
    if (const json* actions = checks.array(*reaction, reaction_at, "main_actions"))
      for (std::size_t i = 0; i < actions->size(); ++i)
        checks.text_value((*actions)[i], pointer(pointer(reaction_at, "main_actions"), i), "name each action in a few words");
  }
  const json* outcomes = checks.array(item, at, "outcomes");
  for (std::size_t i = 0; outcomes != nullptr && i < outcomes->size(); ++i) {
    const json& outcome = (*outcomes)[i];
    const std::string outcome_at = pointer(pointer(at, "outcomes"), i);
    checks.object_shape(outcome, outcome_at, "outcome", {"category", "summary", "evidence_refs", "confidence"});
    if (!outcome.is_object()) continue;
    checks.term(outcome, outcome_at, "category", outcome_categories());
    checks.text(outcome, outcome_at, "summary", FieldChecks::summary_hint);
    checker.evidence_refs(outcome, outcome_at, covered);
    checks.term(outcome, outcome_at, "confidence", confidence_levels());
  }
  const json* terminals = checks.array(item, at, "terminal_states");
  for (std::size_t i = 0; terminals != nullptr && i < terminals->size(); ++i) {
    const json& terminal = (*terminals)[i];
    const std::string terminal_at = pointer(pointer(at, "terminal_states"), i);
    checks.object_shape(terminal, terminal_at, "terminal state", {"type", "summary", "evidence_refs"});
    if (!terminal.is_object()) continue;
    checks.term(terminal, terminal_at, "type", terminal_types());
    checks.text(terminal, terminal_at, "summary", FieldChecks::summary_hint);
    checker.evidence_refs(terminal, terminal_at, covered);
  }
  if (const json* limits = checks.array(item, at, "limits"))
    for (std::size_t i = 0; i < limits->size(); ++i)
      checks.text_value((*limits)[i], pointer(pointer(at, "limits"), i), "state each limit of the evidence in a sentence");
  const json* reason = checks.text(item, at, "reason", "say why these turns are left out", Need::optional);
  checks.term(item, at, "confidence", confidence_levels());
  if (const json* source = checks.member(item, at, "source", Need::optional);
      source != nullptr && !(source->is_string() && source->get_ref<const std::string&>() == offline_source))
    checks.add(pointer(at, "source"), fmt::format("{} must be \"{}\" when present", pointer(at, "source"), offline_source),
               "remove source: only diary's offline extractor marks work items");

  // Kind rules.
  if (kind == "material_work_item") {
    if (trigger == nullptr && item.find("trigger") == item.end())
      checks.add(pointer(at, "trigger"), "a material_work_item needs a trigger",
                 "add trigger {summary, evidence_refs} naming what started the work");
    if (reaction == nullptr && item.find("agent_reaction") == item.end())
      checks.add(pointer(at, "agent_reaction"), "a material_work_item needs an agent_reaction",
                 "add agent_reaction {summary, main_actions} naming what the agent did");
    if (outcomes != nullptr && terminals != nullptr && outcomes->empty() && terminals->empty())
      checks.add(pointer(at, "outcomes"), "a material_work_item needs at least one outcome or terminal state",
                 "add the outcome of the work, or how it ended in terminal_states");
  }
  if (gap || excluded) {
    for (const char* key : {"trigger", "agent_reaction"})
      if (item.find(key) != item.end())
        checks.add(pointer(at, key), fmt::format("an {} carries no {}", kind, key),
                   fmt::format("remove {}; this kind only names the turns{}", key, excluded ? " and the reason" : ""));
    for (const auto& [key, list] : {std::pair{"outcomes", outcomes}, std::pair{"terminal_states", terminals}})
      if (list != nullptr && !list->empty())
        checks.add(pointer(at, key), fmt::format("an {} carries no {}", kind, key),
                   fmt::format("send {} as []; this kind only names the turns{}", key, excluded ? " and the reason" : ""));
  }
  if (excluded && reason == nullptr && item.find("reason") == item.end())
    checks.add(pointer(at, "reason"), "an excluded_with_reason item needs a reason", "say why these turns are left out");
  return problems;
}

json envelope_value(const workspace::ProjectEntry& project, std::vector<json> items, const ProjectChains& committed) {
  json list = json::array();
  for (auto& item : items) list.push_back(std::move(item));
  return {{"schema_version", schema_version},
          {"project_key", project.project_key},
          {"project_label", project.project_label},
          {"work_items", std::move(list)},
          {"source_user_messages", source_user_messages(committed)},
          {"inputs_sha256", committed.inputs_sha256()}};
}

Problems envelope_problems(const json& envelope, const workspace::ProjectEntry& project) {
  return header_problems(envelope, "the project synthesis",
                         {{"project_key", project.project_key}, {"project_label", project.project_label}},
                         {"work_items", "source_user_messages"}, "diary removes the synthesis and makes it again");
}

// Turns of the project in index order that `keep(turn)` selects.
template <class Keep>
std::vector<TurnRef> turns_where(const workspace::ProjectEntry& project, Keep keep) {
  std::vector<TurnRef> out;
  for (auto& turn : project_turns(project))
    if (keep(turn)) out.push_back(std::move(turn));
  return out;
}

}  // namespace

json to_json(const TurnRef& turn) { return {{"session_ref", turn.session_ref}, {"turn_ref", turn.turn_ref}}; }

json to_json(const std::vector<TurnRef>& turns) {
  json out = json::array();
  for (const auto& turn : turns) out.push_back(to_json(turn));
  return out;
}

const CommittedChain* ProjectChains::find(std::string_view session_ref, std::string_view turn_ref) const {
  for (const auto& entry : chains)
    if (entry.turn.session_ref == session_ref && entry.turn.turn_ref == turn_ref) return &entry;
  return nullptr;
}

ProjectChains committed_project_chains(const workspace::DayWorkspace& day, std::string_view project_key) {
  ProjectChains out;
  const workspace::ProjectEntry* project = day.find_project(project_key);
  if (project == nullptr) return out;
  for (const auto& session : project->sessions) {
    EvidenceCardState card = inspect_evidence_card(day, project_key, session.session_ref);
    for (auto& chain : card.kept_chains) {
      std::string turn_ref(string_field(chain, "turn_ref").value_or(""));
      out.chains.push_back({{session.session_ref, std::move(turn_ref)}, std::move(chain)});
    }
  }
  return out;
}

const std::string& ProjectChains::inputs_sha256() const {
  if (!cached_inputs_sha256) cached_inputs_sha256 = project_inputs_sha256(*this);
  return *cached_inputs_sha256;
}

std::string project_inputs_sha256(const ProjectChains& chains) {
  util::Sha256 hasher;
  for (const auto& entry : chains.chains) {
    hasher.update(entry.turn.session_ref);
    hasher.update("\0", 1);
    hasher.update(entry.turn.turn_ref);
    hasher.update("\0", 1);
    hasher.update(entry.chain.dump(-1, ' ', false, json::error_handler_t::replace));
    hasher.update("\n", 1);
  }
  hasher.update(project_prompt_version);
  return hasher.hex_digest();
}

json source_user_messages(const ProjectChains& chains) {
  std::map<TurnRef, json> by_turn;
  for (const auto& entry : chains.chains) {
    json messages = json::array();
    const json& chain = entry.chain;
    auto trigger = chain.is_object() ? chain.find("trigger") : chain.end();
    if (chain.is_object() && trigger != chain.end() && trigger->is_object()) {
      auto quotes = trigger->find("quoted_messages");
      if (quotes != trigger->end() && quotes->is_array())
        for (const auto& quote : *quotes)
          if (auto text = string_field(quote, "text"); text && !is_blank(*text)) messages.push_back(std::string(*text));
    }
    if (!messages.empty())
      by_turn[entry.turn] = {
          {"session_ref", entry.turn.session_ref}, {"turn_ref", entry.turn.turn_ref}, {"messages", std::move(messages)}};
  }
  json out = json::array();
  for (auto& [turn, value] : by_turn) out.push_back(std::move(value));
  return out;
}

Problems validate_work_item(const json& item, const workspace::DayWorkspace& day, std::string_view project_key,
                            const ProjectChains& committed, const json* existing_envelope, std::string_view at) {
  return check_work_item(item, day, project_key, committed, existing_envelope, at, false);
}

ProjectSynthesisState judge_project_synthesis(const StoredJson& stored, const workspace::DayWorkspace& day,
                                              const workspace::ProjectEntry& project, const ProjectChains& committed) {
  ProjectSynthesisState state;
  auto everything = [&] { state.uncovered_turns = project_turns(project); };
  if (!stored.exists) {
    everything();
    return state;
  }
  if (!stored.value) {
    state.status = ProjectSynthesisState::Status::unparsable;
    state.problems.push_back({"", "the project synthesis is not valid JSON", "diary removes the synthesis and makes it again"});
    everything();
    return state;
  }
  const json& envelope = *stored.value;
  state.problems = envelope_problems(envelope, project);
  if (!state.problems.empty()) {
    state.status = ProjectSynthesisState::Status::unparsable;
    everything();
    return state;
  }
  if (string_field(envelope, "inputs_sha256") != std::string_view(committed.inputs_sha256())) {
    state.status = ProjectSynthesisState::Status::stale;
    state.problems.push_back({"/inputs_sha256", "the synthesis was made from other evidence chains or by an older prompt (stale)",
                              "diary makes the project synthesis again"});
    everything();
    return state;
  }
  state.status = ProjectSynthesisState::Status::valid;
  json kept = {{"work_items", json::array()}};
  const json& items = envelope["work_items"];
  for (std::size_t i = 0; i < items.size(); ++i) {
    Problems problems = check_work_item(items[i], day, project.project_key, committed, &kept, pointer("/work_items", i), true);
    if (!problems.empty()) {
      state.dropped_items.push_back({i, std::string(string_field(items[i], "work_item_ref").value_or("")), std::move(problems)});
      continue;
    }
    kept["work_items"].push_back(items[i]);
    state.kept_items.push_back(items[i]);
  }
  std::set<TurnRef> covered, offline_covered;
  for (const auto& item : state.kept_items) {
    for (auto& turn : covered_by(item)) {
      if (is_offline_made(item)) offline_covered.insert(turn);
      covered.insert(std::move(turn));
    }
    if (is_offline_made(item)) state.offline_items.emplace_back(string_field(item, "work_item_ref").value_or(""));
  }
  state.uncovered_turns = turns_where(project, [&](const TurnRef& turn) { return !covered.contains(turn); });
  state.offline_turns = turns_where(project, [&](const TurnRef& turn) { return offline_covered.contains(turn); });
  state.source_messages_outdated = envelope["source_user_messages"] != source_user_messages(committed);
  return state;
}

ProjectSynthesisState inspect_project_synthesis(const workspace::DayWorkspace& day, std::string_view project_key) {
  const workspace::ProjectEntry* project = day.find_project(project_key);
  if (project == nullptr) {
    ProjectSynthesisState state;
    state.status = ProjectSynthesisState::Status::unparsable;
    state.problems.push_back({"/project_key", fmt::format("unknown project_key {}", excerpt(project_key)),
                              "use the project_key from the prepared workspace"});
    return state;
  }
  return judge_project_synthesis(read_stored_json(day.project_synthesis(project_key)), day, *project,
                                 committed_project_chains(day, project_key));
}

agent::Result<void> repair_project_synthesis(const workspace::DayWorkspace& day, std::string_view project_key) {
  const workspace::ProjectEntry* project = day.find_project(project_key);
  if (project == nullptr)
    return agent::fail(agent::ErrorKind::invalid_input, fmt::format("unknown project_key {}", excerpt(project_key)));
  const ProjectChains committed = committed_project_chains(day, project_key);
  const auto path = day.project_synthesis(project_key);
  auto lock = ArtifactLock::acquire(path);
  if (!lock) return std::unexpected(lock.error());
  ProjectSynthesisState state = judge_project_synthesis(read_stored_json(path), day, *project, committed);
  if (state.status == ProjectSynthesisState::Status::unparsable || state.status == ProjectSynthesisState::Status::stale) {
    std::error_code error;
    std::filesystem::remove(path, error);
    if (error) return agent::fail(agent::ErrorKind::io, path.string() + ": cannot remove: " + error.message());
    return {};
  }
  if (!state.needs_repair()) return {};
  return write_json_atomic(path, envelope_value(*project, std::move(state.kept_items), committed));
}

agent::Result<void> write_empty_synthesis(const workspace::DayWorkspace& day, std::string_view project_key) {
  const workspace::ProjectEntry* project = day.find_project(project_key);
  if (project == nullptr)
    return agent::fail(agent::ErrorKind::invalid_input, fmt::format("unknown project_key {}", excerpt(project_key)));
  if (project->turn_count() != 0)
    return agent::fail(agent::ErrorKind::invalid_input,
                       fmt::format("project {} has {} turns: its synthesis is not empty", project_key, project->turn_count()));
  auto written = update_json_locked(day.project_synthesis(project_key), [&](const StoredJson&) {
    return std::optional<json>(envelope_value(*project, {}, ProjectChains{}));
  });
  if (!written) return std::unexpected(written.error());
  return {};
}

namespace {

// Checks `item` against the items so far and adds it, superseding every offline-made item it
// shares a ref or a turn with. Problems = rejected (items unchanged).
Problems add_work_item(std::vector<json>& items, const json& item, const workspace::DayWorkspace& day,
                       const workspace::ProjectEntry& project, const ProjectChains& committed, std::string_view at) {
  json base = {{"work_items", items}};
  Problems problems = check_work_item(item, day, project.project_key, committed, &base, at, false);
  if (!problems.empty()) return problems;
  const auto new_ref = string_field(item, "work_item_ref");
  const auto new_turns = covered_by(item);
  std::erase_if(items, [&](const json& other) {
    if (!is_offline_made(other)) return false;
    if (string_field(other, "work_item_ref") == new_ref) return true;
    const auto turns = covered_by(other);
    return std::any_of(turns.begin(), turns.end(), [&](const TurnRef& turn) {
      return std::find(new_turns.begin(), new_turns.end(), turn) != new_turns.end();
    });
  });
  items.push_back(item);
  return {};
}

WorkItemCommit finish_commit(std::vector<json> items, const workspace::ProjectEntry& project, const ProjectChains& committed) {
  WorkItemCommit commit;
  std::set<TurnRef> done;
  for (const auto& kept : items)
    if (!is_offline_made(kept))
      for (auto& turn : covered_by(kept)) done.insert(std::move(turn));
  commit.remaining_turns = turns_where(project, [&](const TurnRef& turn) { return !done.contains(turn); });
  commit.envelope = envelope_value(project, std::move(items), committed);
  return commit;
}

std::vector<json> valid_items(const StoredJson& current, const workspace::DayWorkspace& day,
                              const workspace::ProjectEntry& project, const ProjectChains& committed) {
  ProjectSynthesisState state = judge_project_synthesis(current, day, project, committed);
  if (state.status == ProjectSynthesisState::Status::valid) return std::move(state.kept_items);
  return {};
}

}  // namespace

WorkItemCommit commit_work_item(const StoredJson& current, const json& item, const workspace::DayWorkspace& day,
                                const workspace::ProjectEntry& project, const ProjectChains& committed, std::string_view at) {
  std::vector<json> items = valid_items(current, day, project, committed);
  if (auto problems = add_work_item(items, item, day, project, committed, at); !problems.empty())
    return WorkItemCommit{.problems = std::move(problems)};
  return finish_commit(std::move(items), project, committed);
}

WorkItemCommit commit_work_items(const StoredJson& current, const json& new_items, const workspace::DayWorkspace& day,
                                 const workspace::ProjectEntry& project, const ProjectChains& committed) {
  std::vector<json> items = valid_items(current, day, project, committed);
  for (std::size_t i = 0; i < new_items.size(); ++i)
    if (auto problems = add_work_item(items, new_items[i], day, project, committed, fmt::format("/work_items/{}", i));
        !problems.empty())
      return WorkItemCommit{.problems = std::move(problems)};
  return finish_commit(std::move(items), project, committed);
}

}  // namespace diary::generate::artifacts
