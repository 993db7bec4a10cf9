// The evidence pass: read the assigned turn (following next_cursor), then write one chain
// quoting the turn's first user text and citing trigger and reaction lines, all inside the
// turn's span; correct a rejected write from its errors.
#include <algorithm>
#include <set>

#include "support/mock_model/demo_pages.h"
#include "support/mock_model/demo_passes.h"
#include "support/mock_model/demo_repair.h"

namespace diary::test::demo {

namespace {

using nlohmann::json;

constexpr std::string_view stop_early_note = "stopping early without writing";
constexpr std::size_t max_write_attempts = 3;

struct Assigned {
  std::string project_key, session_ref, turn_ref;
  long long start = 0, end = 0;
};

json span(long long first, long long last) { return {{"lines", std::to_string(first) + "-" + std::to_string(last)}}; }

bool contains_any(std::string text, std::initializer_list<std::string_view> words) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return std::any_of(words.begin(), words.end(), [&](std::string_view word) { return text.find(word) != std::string::npos; });
}

bool is_document(const std::string& path) {
  for (std::string_view ending : {".md", ".txt", ".rst", ".adoc"})
    if (path.ends_with(ending)) return true;
  return false;
}

// What the turn's records show, in the terms of an evidence chain.
struct TurnFacts {
  const json* first_user = nullptr;
  long long trigger_line = 0;
  std::vector<long long> reaction_lines;
  std::vector<std::string> tools_used;
  std::vector<std::pair<long long, std::string>> changed;     // line, path
  std::vector<std::pair<long long, const json*>> commands;    // line, tool result
  std::optional<std::pair<long long, std::string>> terminal;  // line, text
};

TurnFacts facts_of(const std::vector<json>& records, const Assigned& turn) {
  TurnFacts facts;
  facts.trigger_line = turn.start;
  for (const auto& record : records) {
    const long long line = integer_field(record, "line", -1);
    if (line < turn.start || line > turn.end) continue;  // context only, never cited
    const std::string kind = text_field(record, "kind");
    if (kind == "user" && facts.first_user == nullptr && !text_field(record, "text").empty()) {
      facts.first_user = &record;
      facts.trigger_line = line;
      continue;
    }
    if (kind == "terminal") facts.terminal = {line, text_field(record, "text")};
    if (kind != "assistant" && kind != "tool_call" && kind != "tool_result" && kind != "subagent_message") continue;
    if (line <= facts.trigger_line) continue;
    facts.reaction_lines.push_back(line);
    for (const auto& use : array_field(record, "tool_uses"))
      if (auto name = text_field(use, "name");
          !name.empty() && std::ranges::find(facts.tools_used, name) == facts.tools_used.end())
        facts.tools_used.push_back(name);
    for (const auto& result : array_field(record, "tool_results")) {
      const std::string result_kind = text_field(result, "kind");
      if (result_kind == "file_change") {
        for (const auto& change : array_field(result, "changes"))
          if (auto path = text_field(change, "path"); !path.empty()) facts.changed.emplace_back(line, path);
        if (auto path = text_field(result, "file_path"); !path.empty() && array_field(result, "changes").empty())
          facts.changed.emplace_back(line, path);
      } else if (result_kind == "command" && result.contains("exit_code")) {
        facts.commands.emplace_back(line, &result);
      }
    }
  }
  return facts;
}

std::string reaction_summary(const TurnFacts& facts) {
  if (facts.tools_used.empty()) return "The agent answered in " + count_of(facts.reaction_lines.size(), "record") + ".";
  std::string tools;
  for (std::size_t i = 0; i < facts.tools_used.size() && i < 4; ++i) tools += (i ? ", " : "") + facts.tools_used[i];
  return "The agent worked with " + tools + " over " + count_of(facts.reaction_lines.size(), "record") + ".";
}

bool is_test_command(const std::string& command) { return contains_any(command, {"test", "pytest", "ctest", "jest"}); }

// What changed, as far as the records show it: files changed by tools, a commit, a check that
// failed and then passed.
json outcomes_of(const TurnFacts& facts) {
  json outcomes = json::array();
  if (!facts.changed.empty()) {
    std::vector<std::string> paths;
    json citations = json::array();
    std::set<long long> cited;
    bool documents_only = true;
    for (const auto& [line, path] : facts.changed) {
      if (std::ranges::find(paths, path) == paths.end()) paths.push_back(path);
      documents_only = documents_only && is_document(path);
      if (cited.insert(line).second && citations.size() < 5) citations.push_back(span(line, line));
    }
    std::string summary = "Changed ";
    for (std::size_t i = 0; i < paths.size() && i < 3; ++i) summary += (i ? ", " : "") + paths[i];
    if (paths.size() > 3) summary += " and " + count_of(paths.size() - 3, "more file");
    outcomes.push_back(
        {{"category", documents_only ? "document_outcome" : "code_outcome"}, {"summary", summary}, {"citations", citations}});
  }
  std::optional<long long> failed_check;
  for (const auto& [line, result] : facts.commands) {
    const std::string command = text_field(*result, "command");
    const long long exit_code = integer_field(*result, "exit_code", -1);
    if (exit_code == 0 && command.find("git commit") != std::string::npos)
      outcomes.push_back({{"category", "code_outcome"},
                          {"summary", "Committed the work: `" + one_line(command, 60) + "`"},
                          {"citations", json::array({span(line, line)})}});
    if (!is_test_command(command)) continue;
    if (exit_code != 0) {
      failed_check = line;
    } else if (failed_check) {
      outcomes.push_back({{"category", "validation_outcome"},
                          {"summary", "A failing check passed after the fix: `" + one_line(command, 60) + "`"},
                          {"citations", json::array({span(*failed_check, line)})}});
      failed_check.reset();
    }
  }
  return outcomes;
}

json checks_of(const TurnFacts& facts) {
  json checks = json::array();
  for (const auto& [line, result] : facts.commands) {
    if (checks.size() == 3) break;
    const std::string command = text_field(*result, "command");
    const bool test = is_test_command(command);
    checks.push_back(
        {{"type", test ? "test_output" : "command_output"},
         {"summary", "Ran `" + one_line(command, 60) + "`: exit " + std::to_string(integer_field(*result, "exit_code", -1))},
         {"citations", json::array({span(line, line)})}});
  }
  return checks;
}

json terminal_of(const TurnFacts& facts, bool has_outcomes) {
  std::string type = has_outcomes ? "material_result" : facts.reaction_lines.empty() ? "evidence_gap" : "no_material";
  std::string summary = has_outcomes                   ? "The turn ended with the changes in place."
                        : facts.reaction_lines.empty() ? "The transcript shows no reaction of the agent."
                                                       : "The turn ended without a visible change.";
  long long line = facts.reaction_lines.empty() ? facts.trigger_line : facts.reaction_lines.back();
  if (facts.terminal) {
    line = facts.terminal->first;
    if (contains_any(facts.terminal->second, {"interrupt", "abort"})) {
      type = "interrupted";
      summary = "The turn was interrupted.";
    } else if (contains_any(facts.terminal->second, {"fail", "error"})) {
      type = "failed";
      summary = "The turn failed.";
    }
  }
  return {{"type", type}, {"summary", summary}, {"citations", json::array({span(line, line)})}};
}

json build_chain(const TurnFacts& facts, const Assigned& turn, bool with_mistake) {
  const long long t = facts.trigger_line;
  json trigger = {{"type", facts.first_user ? "explicit_user_message" : "implicit_context"},
                  {"summary", facts.first_user ? "The user asked: " + one_line(text_field(*facts.first_user, "text"), 140)
                                               : "The turn starts without a user message in the transcript."},
                  {"quoted_messages", json::array()},
                  {"citations", json::array({span(t, t)})}};
  if (facts.first_user)
    trigger["quoted_messages"].push_back(
        {{"text", text_field(*facts.first_user, "text")}, {"citations", json::array({span(t, t)})}});
  json reactions = json::array();
  if (!facts.reaction_lines.empty())
    reactions.push_back({{"summary", reaction_summary(facts)},
                         {"citations", json::array({span(facts.reaction_lines.front(), facts.reaction_lines.back())})}});
  if (with_mistake) {  // scripted: one line past the turn, which write_evidence must reject
    json& target = reactions.empty() ? trigger["citations"] : reactions[0]["citations"];
    target.push_back(span(turn.end + 1, turn.end + 1));
  }
  json outcomes = outcomes_of(facts);
  const bool has_outcomes = !outcomes.empty();
  return {{"turn_ref", turn.turn_ref},
          {"trigger", std::move(trigger)},
          {"agent_reactions", std::move(reactions)},
          {"outcomes", std::move(outcomes)},
          {"observed_checks", checks_of(facts)},
          {"terminal_state", terminal_of(facts, has_outcomes)},
          {"materiality", has_outcomes                   ? "material"
                          : facts.reaction_lines.empty() ? "none"
                                                         : "minor"}};
}

bool wrote_before(const Conversation& conversation) {
  return std::ranges::any_of(conversation.earlier_calls, [](const ToolCall& call) { return call.name == "write_evidence"; });
}

bool stopped_early_before(const Conversation& conversation) {
  return std::ranges::any_of(conversation.earlier_assistant_texts,
                             [](const std::string& text) { return text.find(stop_early_note) != std::string::npos; });
}

}  // namespace

Reply evidence_step(const Conversation& conversation) {
  const json& a = conversation.assignment;
  const Assigned turn{text_field(a, "project_key"), text_field(a, "session_ref"), text_field(a, "turn_ref"),
                      integer_field(a, "turn_start_line"), integer_field(a, "turn_end_line")};
  if (turn.project_key.empty() || turn.session_ref.empty() || turn.turn_ref.empty() || turn.start < 1 || turn.end < turn.start)
    return final_message(
        "the evidence assignment lacks project_key, session_ref, turn_ref or a valid line span; "
        "nothing done.");
  const std::string where = turn.session_ref + "/" + turn.turn_ref;

  // 1. Read the whole turn, page by page.
  std::vector<json> pages;
  for (const ToolCall* read : calls_of(conversation, "read_session_lines")) {
    if (is_invalid(read->result))
      return final_message("read_session_lines rejected my read of " + where + ": " + error_summary(read->result));
    pages.push_back(read->result);
  }
  const PagesRead read = assemble_pages(pages);
  if (!read.problem.empty()) return final_message("I cannot make sense of the pages of " + where + ": " + read.problem);
  if (pages.empty() || !read.next_cursor.is_null()) {
    json arguments = {{"project_key", turn.project_key},
                      {"session_ref", turn.session_ref},
                      {"start_line", turn.start},
                      {"end_line", turn.end},
                      {"mode", "compact"}};
    if (!pages.empty()) arguments["cursor"] = read.next_cursor;
    return call_tool(conversation, "read_session_lines", std::move(arguments));
  }
  const TurnFacts facts = facts_of(read.records, turn);
  const std::string first_text = facts.first_user ? text_field(*facts.first_user, "text") : std::string{};

  // 2. Write the chain, once; correct it when it is rejected.
  const auto writes = calls_of(conversation, "write_evidence");
  if (writes.empty()) {
    if (first_text.find(stop_early_marker) != std::string::npos && !stopped_early_before(conversation) &&
        !wrote_before(conversation))
      return final_message("I read " + where + " and am " + std::string(stop_early_note) + ", as the transcript's " +
                           std::string(stop_early_marker) + " marker scripts.");
    const bool mistake = first_text.find(mistake_marker) != std::string::npos && !wrote_before(conversation);
    return call_tool(conversation, "write_evidence",
                     {{"project_key", turn.project_key},
                      {"session_ref", turn.session_ref},
                      {"evidence_chain", build_chain(facts, turn, mistake)}});
  }
  const ToolCall& last = *writes.back();
  if (text_field(last.result, "status") == "appended") return final_message("the evidence chain of " + where + " is written.");
  if (!is_invalid(last.result))
    return final_message("I cannot read write_evidence's answer for " + where + ": " + one_line(last.output, 200));
  if (writes.size() >= max_write_attempts)
    return final_message("write_evidence rejected " + std::to_string(writes.size()) + " writes of " + where +
                         "; giving up. Last errors: " + error_summary(last.result));
  const json& errors = array_field(last.result, "errors");
  const json fallback = span(facts.trigger_line, facts.trigger_line);
  Repair repair = drop_rejected_citations(last.arguments, errors, fallback);
  if (repair.changed && repair.unhandled.empty()) return call_tool(conversation, "write_evidence", repair.arguments);
  // Errors that name no citation: write the chain afresh, unless that is what was just rejected.
  json fresh = {
      {"project_key", turn.project_key}, {"session_ref", turn.session_ref}, {"evidence_chain", build_chain(facts, turn, false)}};
  if (fresh != last.arguments) return call_tool(conversation, "write_evidence", std::move(fresh));
  return final_message("write_evidence rejected my chain of " + where + " and I cannot fix it: " + error_summary(last.result));
}

}  // namespace diary::test::demo
