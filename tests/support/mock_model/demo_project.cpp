// The project pass: one work item per session for its uncovered turns with a chain (material if
// any of them is material), an evidence_gap_item for its turns without one, until the tool's
// `uncovered_turns` is empty. A rejected covered turn is moved to the other kind of item; a
// rejected ref is skipped.
#include <algorithm>
#include <optional>
#include <map>
#include <set>

#include "support/mock_model/demo_passes.h"
#include "support/mock_model/demo_repair.h"

namespace diary::test::demo {

namespace {

using nlohmann::json;
using TurnKey = std::pair<std::string, std::string>;  // session_ref, turn_ref

constexpr std::size_t max_rejections = 3;

TurnKey key_of(const json& turn) { return {text_field(turn, "session_ref"), text_field(turn, "turn_ref")}; }

json turn_json(const TurnKey& key) { return {{"session_ref", key.first}, {"turn_ref", key.second}}; }

std::string ref_of(int number) {
  std::string digits = std::to_string(number);
  return "W" + std::string(digits.size() < 4 ? 4 - digits.size() : 0, '0') + digits;
}

int ref_number(const std::string& ref) {
  if (ref.size() < 2 || ref[0] != 'W') return 0;
  return static_cast<int>(parse_index(std::string_view(ref).substr(1)).value_or(0));
}

// What the conversation has learned so far.
struct State {
  std::vector<TurnKey> uncovered;    // in the tool's (index) order
  std::map<TurnKey, json> info;      // the assignment's facts about each turn
  std::set<TurnKey> flipped;         // the tool said: the other kind of item
  std::set<std::string> refs_taken;  // committed, written, or rejected as taken
  std::size_t rejections_in_a_row = 0;
  const ToolCall* last = nullptr;
};

State state_of(const Conversation& conversation) {
  State state;
  const json& a = conversation.assignment;
  for (const auto& turn : array_field(a, "turns")) {
    state.uncovered.push_back(key_of(turn));
    state.info[key_of(turn)] = turn;
  }
  for (const auto& item : array_field(a, "committed_work_items")) state.refs_taken.insert(text_field(item, "work_item_ref"));
  for (const ToolCall* call : calls_of(conversation, "write_work_item")) {
    state.last = call;
    const json& item =
        call->arguments.is_object() && call->arguments.contains("work_item") ? call->arguments["work_item"] : json::object();
    if (text_field(call->result, "status") == "appended") {
      state.rejections_in_a_row = 0;
      state.refs_taken.insert(text_field(item, "work_item_ref"));
      state.uncovered.clear();
      for (const auto& turn : array_field(call->result, "uncovered_turns")) state.uncovered.push_back(key_of(turn));
      continue;
    }
    ++state.rejections_in_a_row;
    for (const auto& error : array_field(call->result, "errors")) {
      const auto tokens = pointer_tokens(text_field(error, "path"));
      if (tokens.size() >= 3 && tokens[0] == "work_item" && tokens[1] == "covered_turns") {
        const auto& covered = array_field(item, "covered_turns");
        const auto index = parse_index(tokens[2]);
        if (index && *index < covered.size()) state.flipped.insert(key_of(covered[*index]));
      } else if (tokens.size() >= 2 && tokens[0] == "work_item" && tokens[1] == "work_item_ref") {
        state.refs_taken.insert(text_field(item, "work_item_ref"));
      }
    }
  }
  return state;
}

bool has_chain(const State& state, const TurnKey& key) {
  auto it = state.info.find(key);
  const bool said = it != state.info.end() && it->second.is_object() && it->second.value("has_chain", false);
  return said != state.flipped.contains(key);
}

std::string next_ref(const State& state) {
  int highest = 0;
  for (const auto& ref : state.refs_taken) highest = std::max(highest, ref_number(ref));
  return ref_of(highest + 1);
}

json refs_json(const std::vector<TurnKey>& turns) {
  json refs = json::array();
  for (const auto& key : turns) refs.push_back(turn_json(key));
  return refs;
}

json chain_item(const State& state, const std::string& session, const std::vector<TurnKey>& turns) {
  bool material = false;
  std::string trigger_summary;
  json outcomes = json::array(), terminals = json::array(), actions = json::array();
  for (const auto& key : turns) {
    auto it = state.info.find(key);
    const json& info = it == state.info.end() ? json::object() : it->second;
    material = material || text_field(info, "materiality") == "material";
    if (trigger_summary.empty()) trigger_summary = text_field(info, "trigger_summary");
    for (const auto& outcome : array_field(info, "outcomes")) {
      const std::string category = text_field(outcome, "category"), summary = text_field(outcome, "summary");
      if (category.empty() || summary.empty()) continue;
      outcomes.push_back({{"category", category},
                          {"summary", summary},
                          {"evidence_refs", json::array({turn_json(key)})},
                          {"confidence", "medium"}});
      if (actions.size() < 5) actions.push_back(one_line(summary, 80));
    }
    if (auto type = text_field(info, "terminal_type"); !type.empty())
      terminals.push_back({{"type", type},
                           {"summary", "Turn " + key.second + " ended as " + type + "."},
                           {"evidence_refs", json::array({turn_json(key)})}});
  }
  // A material item needs an outcome or a terminal state; without either it is minor work.
  material = material && (!outcomes.empty() || !terminals.empty());
  if (actions.empty()) actions.push_back("worked on the request of session " + session);
  std::string title = short_title(trigger_summary, 80);
  if (title.empty()) title = "Work in session " + session;
  json item = {{"kind", material ? "material_work_item" : "no_material_work_item"},
               {"title", material ? title : "Minor activity in session " + session},
               {"covered_turns", refs_json(turns)},
               {"trigger",
                {{"summary", trigger_summary.empty() ? "The user's requests in session " + session : trigger_summary},
                 {"evidence_refs", refs_json(turns)}}},
               {"agent_reaction",
                {{"summary", "The agent handled " + count_of(turns.size(), "turn") + " of session " + session + "."},
                 {"main_actions", actions}}},
               {"outcomes", outcomes},
               {"terminal_states", terminals},
               {"limits", json::array({"Grouped by session by the scripted demo agent, not by a model."})},
               {"confidence", material ? "medium" : "low"}};
  return item;
}

json gap_item(const std::string& session, const std::vector<TurnKey>& turns) {
  return {{"kind", "evidence_gap_item"},
          {"title", "Turns without evidence in session " + session},
          {"covered_turns", refs_json(turns)},
          {"outcomes", json::array()},
          {"terminal_states", json::array()},
          {"limits", json::array({"No evidence chain exists for these turns."})},
          {"confidence", "low"}};
}

}  // namespace

Reply project_step(const Conversation& conversation) {
  const std::string project_key = text_field(conversation.assignment, "project_key");
  if (project_key.empty()) return final_message("the project assignment has no project_key; nothing done.");
  const State state = state_of(conversation);
  if (state.last != nullptr && is_invalid(state.last->result) && state.rejections_in_a_row >= max_rejections)
    return final_message("write_work_item rejected " + std::to_string(state.rejections_in_a_row) +
                         " items in a row; giving up. Last errors: " + error_summary(state.last->result));
  if (state.last != nullptr && !is_invalid(state.last->result) && text_field(state.last->result, "status") != "appended")
    return final_message("I cannot read write_work_item's answer: " + one_line(state.last->output, 200));
  if (state.uncovered.empty()) return final_message("every turn of project " + project_key + " is covered by a work item.");

  // The first session still uncovered: its chain turns first, then its turns without a chain.
  const std::string session = state.uncovered.front().first;
  std::vector<TurnKey> chains, gaps;
  for (const auto& key : state.uncovered)
    if (key.first == session) (has_chain(state, key) ? chains : gaps).push_back(key);
  json item = chains.empty() ? gap_item(session, gaps) : chain_item(state, session, chains);
  item["work_item_ref"] = next_ref(state);
  json arguments = {{"project_key", project_key}, {"work_item", std::move(item)}};
  if (state.last != nullptr && is_invalid(state.last->result) && arguments == state.last->arguments)
    return final_message("write_work_item rejected an item I cannot change: " + error_summary(state.last->result));
  return call_tool(conversation, "write_work_item", std::move(arguments));
}

}  // namespace diary::test::demo
