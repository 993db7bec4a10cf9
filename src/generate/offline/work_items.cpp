#include "generate/offline/work_items.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "generate/mcp/utf8_text.h"
#include "generate/offline/evidence_chain.h"
#include "generate/prepare/json_fields.h"

namespace diary::generate::offline {

namespace {

using nlohmann::json;
using workspace::TurnSpan;

constexpr std::size_t max_main_actions = 8;
constexpr const char* offline_limit =
    "Made offline from the session records, without a model: the summaries are mechanical and claim nothing beyond "
    "the recorded prompts, commands, exit codes and file changes.";

// Tolerant access to card and item members (they come from files an agent could have edited).
std::string text_of(const json& object, const char* key) { return std::string(prepare::string_field(object, key).value_or("")); }

const json& array_of(const json& object, const char* key) {
  static const json empty = json::array();
  const json* value = prepare::field(object, key);
  return value != nullptr && value->is_array() ? *value : empty;
}

const json& object_of(const json& object, const char* key) {
  static const json empty = json::object();
  const json* value = prepare::field(object, key);
  return value != nullptr && value->is_object() ? *value : empty;
}

std::string shortened(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  return std::string(mcp::utf8_head(text, max_bytes)) + "…";
}

json turn_ref(std::string_view session_ref, std::string_view turn) { return {{"session_ref", session_ref}, {"turn_ref", turn}}; }

struct Chain {
  const TurnSpan* turn;
  const json* chain;
};

// Groups claims (outcomes by category, terminal states by type) across the session's chains.
struct Group {
  std::vector<std::string> summaries;
  json refs = json::array();
};

void add_to(std::vector<std::pair<std::string, Group>>& groups, const std::string& key, const std::string& summary,
            const json& ref) {
  auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& group) { return group.first == key; });
  if (it == groups.end()) it = groups.insert(groups.end(), {key, Group{}});
  if (!summary.empty() &&
      std::find(it->second.summaries.begin(), it->second.summaries.end(), summary) == it->second.summaries.end())
    it->second.summaries.push_back(summary);
  if (std::find(it->second.refs.begin(), it->second.refs.end(), ref) == it->second.refs.end()) it->second.refs.push_back(ref);
}

std::string joined_summaries(const std::vector<std::string>& summaries, std::size_t max_bytes) {
  std::string out;
  for (const auto& summary : summaries) out += (out.empty() ? "" : " ") + summary;
  return shortened(out, max_bytes);
}

// The title: the first line of the user's first request (material turns first).
std::string title_of(const std::vector<Chain>& chains, const std::string& session_ref) {
  std::vector<const Chain*> order;
  for (const auto& c : chains)
    if (text_of(*c.chain, "materiality") == "material") order.push_back(&c);
  for (const auto& c : chains) order.push_back(&c);
  for (const auto* c : order) {
    const json& trigger = object_of(*c->chain, "trigger");
    for (const auto& quote : array_of(trigger, "quoted_messages")) {
      std::string text = text_of(quote, "text");
      text = text.substr(std::min(text.find_first_not_of(" \t\r\n"), text.size()));
      text = text.substr(0, text.find('\n'));
      while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.pop_back();
      if (!text.empty()) return shortened(text, 100);
    }
  }
  return "Work in session " + session_ref;
}

json session_item(const std::string& ref, const std::string& session_ref, const std::vector<Chain>& chains) {
  const bool material =
      std::any_of(chains.begin(), chains.end(), [](const Chain& c) { return text_of(*c.chain, "materiality") == "material"; });
  json covered = json::array();
  json trigger_refs = json::array();
  std::string first_trigger;
  std::vector<std::string> actions;
  std::vector<std::pair<std::string, Group>> outcomes, terminals;
  for (const auto& c : chains) {
    const json ref_json = turn_ref(session_ref, c.turn->turn_ref);
    covered.push_back(ref_json);
    const std::string trigger = text_of(object_of(*c.chain, "trigger"), "summary");
    if (!trigger.empty()) {
      if (first_trigger.empty()) first_trigger = trigger;
      trigger_refs.push_back(ref_json);
    }
    for (const auto& reaction : array_of(*c.chain, "agent_reactions")) {
      const std::string summary = text_of(reaction, "summary");
      if (!summary.empty() && std::find(actions.begin(), actions.end(), summary) == actions.end()) actions.push_back(summary);
    }
    for (const auto& outcome : array_of(*c.chain, "outcomes"))
      if (auto category = text_of(outcome, "category"); !category.empty())
        add_to(outcomes, category, text_of(outcome, "summary"), ref_json);
    const json& terminal = object_of(*c.chain, "terminal_state");
    if (auto type = text_of(terminal, "type"); !type.empty()) add_to(terminals, type, text_of(terminal, "summary"), ref_json);
  }

  json item = {{"work_item_ref", ref},
               {"kind", material ? "material_work_item" : "no_material_work_item"},
               {"title", title_of(chains, session_ref)},
               {"covered_turns", covered},
               {"limits", json::array({offline_limit})},
               {"confidence", "low"},
               {"source", offline_source}};
  if (!first_trigger.empty()) {
    const std::size_t more = trigger_refs.size() - 1;
    item["trigger"] = {{"summary", more == 0 ? first_trigger
                                             : fmt::format("{} (and {} later request{} in this session)", first_trigger, more,
                                                           more == 1 ? "" : "s")},
                       {"evidence_refs", trigger_refs}};
  }
  if (!actions.empty()) {
    if (actions.size() > max_main_actions) actions.resize(max_main_actions);
    json main_actions = json::array();
    for (const auto& action : actions) main_actions.push_back(shortened(action, 240));
    item["agent_reaction"] = {{"summary", fmt::format("What the records show the agent doing in {} turn{}.", chains.size(),
                                                      chains.size() == 1 ? "" : "s")},
                              {"main_actions", std::move(main_actions)}};
  }
  json outcome_list = json::array();
  for (const auto& [category, group] : outcomes)
    outcome_list.push_back({{"category", category},
                            {"summary", joined_summaries(group.summaries, 600)},
                            {"evidence_refs", group.refs},
                            {"confidence", "low"}});
  item["outcomes"] = std::move(outcome_list);
  json terminal_list = json::array();
  for (const auto& [type, group] : terminals) {
    std::string summary = group.summaries.empty() ? "The turn ended (" + type + ")." : group.summaries.front();
    if (group.refs.size() > 1) summary += fmt::format(" ({} turns)", group.refs.size());
    terminal_list.push_back({{"type", type}, {"summary", summary}, {"evidence_refs", group.refs}});
  }
  item["terminal_states"] = std::move(terminal_list);
  return item;
}

json gap_item(const std::string& ref, const std::string& session_ref, const std::vector<const TurnSpan*>& turns) {
  json covered = json::array();
  for (const auto* turn : turns) covered.push_back(turn_ref(session_ref, turn->turn_ref));
  return {{"work_item_ref", ref},
          {"kind", "evidence_gap_item"},
          {"title", fmt::format("Turns of session {} without extractable evidence", session_ref)},
          {"covered_turns", std::move(covered)},
          {"limits", json::array({"No evidence chain exists for these turns: their records hold no readable prompt, so "
                                  "nothing could be extracted from them."})},
          {"confidence", "low"},
          {"source", offline_source}};
}

// The highest W number among the committed items (0 when none).
std::size_t last_ref_number(const std::vector<json>& committed) {
  std::size_t highest = 0;
  for (const auto& item : committed) {
    const std::string ref = text_of(item, "work_item_ref");
    if (ref.size() < 2 || ref.front() != 'W') continue;
    std::size_t number = 0;
    bool digits = true;
    for (char c : ref.substr(1)) {
      if (c < '0' || c > '9') digits = false;
      else number = number * 10 + static_cast<std::size_t>(c - '0');
    }
    if (digits) highest = std::max(highest, number);
  }
  return highest;
}

}  // namespace

json offline_work_items(const workspace::DayWorkspace& day, std::string_view project_key, const std::vector<json>& cards,
                        const std::vector<json>& committed) {
  json items = json::array();
  const auto* project = day.find_project(project_key);
  if (project == nullptr) return items;
  std::set<std::pair<std::string, std::string>> covered;
  for (const auto& item : committed)
    for (const auto& turn : array_of(item, "covered_turns"))
      covered.emplace(text_of(turn, "session_ref"), text_of(turn, "turn_ref"));
  std::map<std::string, const json*> card_of;
  for (const auto& card : cards)
    if (auto ref = text_of(card, "session_ref"); !ref.empty()) card_of.emplace(ref, &card);

  std::size_t next = last_ref_number(committed) + 1;
  auto new_ref = [&] { return fmt::format("W{:04}", next++); };
  for (const auto& session : project->sessions) {
    std::map<std::string, const json*> chain_of;
    if (auto it = card_of.find(session.session_ref); it != card_of.end())
      for (const auto& chain : array_of(*it->second, "evidence_chains"))
        if (chain.is_object()) chain_of.emplace(text_of(chain, "turn_ref"), &chain);
    std::vector<Chain> chains;
    std::vector<const TurnSpan*> gaps;
    for (const auto& turn : session.turns) {
      if (covered.count({session.session_ref, turn.turn_ref})) continue;
      if (auto it = chain_of.find(turn.turn_ref); it != chain_of.end()) chains.push_back({&turn, it->second});
      else gaps.push_back(&turn);
    }
    if (!chains.empty()) items.push_back(session_item(new_ref(), session.session_ref, chains));
    if (!gaps.empty()) items.push_back(gap_item(new_ref(), session.session_ref, gaps));
  }
  return items;
}

}  // namespace diary::generate::offline
