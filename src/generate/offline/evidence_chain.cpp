#include "generate/offline/evidence_chain.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "generate/artifacts/vocabulary.h"
#include "generate/mcp/utf8_text.h"
#include "generate/offline/redaction.h"
#include "generate/offline/turn_facts.h"

namespace diary::generate::offline {

namespace {

using nlohmann::json;

// Individual checks listed before the rest are folded into one summary.
constexpr std::size_t max_listed_checks = 10;
// Citation ranges per claim before they are merged into one span.
constexpr std::size_t max_citation_ranges = 12;

// Whitespace runs folded to one space, cut to `max_bytes` on a character boundary with "…".
std::string condensed(std::string_view text, std::size_t max_bytes) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  if (out.size() <= max_bytes) return out;
  std::string cut(mcp::utf8_head(out, max_bytes));
  while (!cut.empty() && cut.back() == ' ') cut.pop_back();
  return cut + "…";
}

std::string first_line(std::string_view text) {
  const auto trimmed = text.substr(std::min(text.find_first_not_of(" \t\r\n"), text.size()));
  return std::string(trimmed.substr(0, trimmed.find('\n')));
}

// Sorted, de-duplicated lines as {lines:"a-b"} ranges of consecutive lines.
json citations(std::vector<std::size_t> lines) {
  std::sort(lines.begin(), lines.end());
  lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
  lines.erase(std::remove(lines.begin(), lines.end(), std::size_t{0}), lines.end());
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  for (std::size_t line : lines) {
    if (!ranges.empty() && ranges.back().second + 1 == line) ranges.back().second = line;
    else ranges.emplace_back(line, line);
  }
  if (ranges.size() > max_citation_ranges) ranges = {{ranges.front().first, ranges.back().second}};
  json out = json::array();
  for (const auto& [start, end] : ranges) out.push_back({{"lines", workspace::format_line_span(start, end)}});
  return out;
}

std::string shown_path(std::string_view path, std::string_view cwd) {
  if (!cwd.empty()) {
    std::string prefix(cwd);
    if (prefix.back() != '/') prefix += '/';
    if (path.starts_with(prefix) && path.size() > prefix.size()) return std::string(path.substr(prefix.size()));
  }
  return std::string(path);
}

std::string command_shown(std::string_view command) { return "`" + redact_secrets(condensed(first_line(command), 100)) + "`"; }

std::string joined(const std::vector<std::string>& items, std::size_t max_items) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max_items; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > max_items) out += fmt::format(" and {} more", items.size() - max_items);
  return out;
}

bool is_document(std::string_view path) {
  static constexpr std::array<std::string_view, 13> extensions = {
      ".md", ".markdown", ".txt", ".rst", ".adoc", ".asciidoc", ".org", ".tex", ".rtf", ".doc", ".docx", ".odt", ".pdf"};
  const auto slash = path.rfind('/');
  const auto name = path.substr(slash == std::string_view::npos ? 0 : slash + 1);
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string extension(name.substr(dot));
  std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return std::tolower(c); });
  return std::find(extensions.begin(), extensions.end(), extension) != extensions.end();
}

std::string operations_shown(const FileEdit& edit) {
  std::vector<std::string> words;
  for (const auto& operation : edit.operations)
    words.push_back(operation == "add"      ? "added"
                    : operation == "delete" ? "deleted"
                    : operation == "write"  ? "written"
                                            : "updated");
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) out += (i ? ", then " : "") + words[i];
  return out;
}

json claim(std::string summary, std::vector<std::size_t> lines) {
  return {{"summary", std::move(summary)}, {"citations", citations(std::move(lines))}};
}

json trigger_of(const mcp::CompactRecord& prompt) {
  const std::string text = redact_secrets(prompt.text);
  const bool blank = text.find_first_not_of(" \t\r\n") == std::string::npos;
  json trigger = {{"type", "explicit_user_message"}, {"citations", citations({prompt.line})}};
  if (blank) {
    const bool image = std::find(prompt.unavailable.begin(), prompt.unavailable.end(), "image") != prompt.unavailable.end();
    trigger["summary"] = image ? "The user sent an image without text." : "The user sent a message without text.";
    trigger["quoted_messages"] = json::array();
  } else {
    trigger["summary"] = "The user asked: " + condensed(text, 200);
    trigger["quoted_messages"] = json::array({{{"text", text}, {"citations", citations({prompt.line})}}});
  }
  return trigger;
}

json reactions_of(const TurnFacts& facts, std::string_view cwd) {
  json reactions = json::array();
  if (!facts.commands.empty()) {
    std::vector<std::string> shown;
    std::vector<std::size_t> lines;
    for (const auto& run : facts.commands) {
      shown.push_back(command_shown(run.command));
      lines.push_back(run.call_line != 0 ? run.call_line : run.result_line);
    }
    reactions.push_back(claim(fmt::format("The agent ran {} shell command{}: {}.", facts.commands.size(),
                                          facts.commands.size() == 1 ? "" : "s", joined(shown, 3)),
                              lines));
  }
  if (!facts.edits.empty() || !facts.failed_edit_lines.empty()) {
    std::vector<std::string> paths;
    std::vector<std::size_t> lines = facts.failed_edit_lines;
    for (const auto& edit : facts.edits) {
      paths.push_back(shown_path(edit.path, cwd));
      lines.insert(lines.end(), edit.lines.begin(), edit.lines.end());
    }
    std::string summary = facts.edits.empty() ? std::string("The agent tried to change files; the change was not applied.")
                                              : fmt::format("The agent changed {} file{}: {}.", facts.edits.size(),
                                                            facts.edits.size() == 1 ? "" : "s", joined(paths, 5));
    if (!facts.edits.empty() && !facts.failed_edit_lines.empty()) summary += " Another change was not applied.";
    reactions.push_back(claim(std::move(summary), lines));
  }
  if (!facts.other_tools.empty()) {
    std::vector<std::string> names;
    std::vector<std::size_t> lines;
    for (const auto& tool : facts.other_tools) {
      if (std::find(names.begin(), names.end(), tool.name) == names.end()) names.push_back(tool.name);
      lines.push_back(tool.line);
    }
    reactions.push_back(claim(fmt::format("The agent used {} tool call{}: {}.", facts.other_tools.size(),
                                          facts.other_tools.size() == 1 ? "" : "s", joined(names, 5)),
                              lines));
  }
  if (!facts.subagent_lines.empty())
    reactions.push_back(claim(fmt::format("The agent received {} message{} from a subagent.", facts.subagent_lines.size(),
                                          facts.subagent_lines.size() == 1 ? "" : "s"),
                              facts.subagent_lines));
  if (!facts.answer_lines.empty())
    reactions.push_back(claim("The agent answered: " + redact_secrets(condensed(facts.last_answer, 240)), facts.answer_lines));
  return reactions;
}

std::string check_summary(const CommandRun& run) {
  const std::string command = command_shown(run.command);
  if (run.exit_code)
    return fmt::format("{} exited with code {}{}.", command, *run.exit_code, *run.exit_code == 0 ? "" : " (failure)");
  if (run.error_flagged) return command + " failed (the tool reported an error).";
  return command + " ran; no exit code is recorded and no error was reported.";
}

json checks_of(const TurnFacts& facts) {
  json checks = json::array();
  std::vector<const CommandRun*> observed;
  for (const auto& run : facts.commands)
    if (run.result_line != 0) observed.push_back(&run);
  for (std::size_t i = 0; i < observed.size() && i < max_listed_checks; ++i) {
    const CommandRun& run = *observed[i];
    json check = claim(check_summary(run), {run.result_line});
    check["type"] = looks_like_test_run(run.command, run.output) ? "test_output" : "command_output";
    checks.push_back(std::move(check));
  }
  if (observed.size() > max_listed_checks) {
    std::size_t failures = 0;
    std::vector<std::size_t> lines;
    for (std::size_t i = max_listed_checks; i < observed.size(); ++i) {
      lines.push_back(observed[i]->result_line);
      if ((observed[i]->exit_code && *observed[i]->exit_code != 0) || observed[i]->error_flagged) ++failures;
    }
    json check = claim(fmt::format("{} more commands ran, {} of them failed.", lines.size(), failures), lines);
    check["type"] = "command_output";
    checks.push_back(std::move(check));
  }
  return checks;
}

json outcomes_of(const TurnFacts& facts, std::string_view cwd) {
  std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::size_t>>> by_category;
  for (const auto& edit : facts.edits) {
    auto& [files, lines] = by_category[is_document(edit.path) ? "document_outcome" : "code_outcome"];
    files.push_back(fmt::format("{} ({})", shown_path(edit.path, cwd), operations_shown(edit)));
    lines.insert(lines.end(), edit.lines.begin(), edit.lines.end());
  }
  json outcomes = json::array();
  for (auto& [category, entry] : by_category) {
    const std::string kind = category == "code_outcome" ? "code" : "document";
    json outcome = claim(fmt::format("The session records changes to {} {} file{}: {}.", entry.first.size(), kind,
                                     entry.first.size() == 1 ? "" : "s", joined(entry.first, 8)),
                         entry.second);
    outcome["category"] = category;
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

std::size_t last_reaction_line(const TurnRecords& turn) {
  std::size_t line = 0;
  for (const auto& record : turn.records)
    if (record.kind != mcp::RecordKind::duplicate) line = std::max(line, record.line);
  return line;
}

json terminal_of(const TurnRecords& turn, const TurnFacts& facts, bool has_outcomes) {
  const TurnEndRecord* interrupted = nullptr;
  const TurnEndRecord* failed = nullptr;
  const TurnEndRecord* completed = nullptr;
  for (const auto& end : facts.ends) {
    if (end.end == mcp::TurnEnd::interrupted && interrupted == nullptr) interrupted = &end;
    if (end.end == mcp::TurnEnd::failed) {
      failed = &end;
      completed = nullptr;  // only a completion after the error counts
    }
    if (end.end == mcp::TurnEnd::completed) completed = &end;
  }
  auto state = [](const char* type, std::string summary, std::size_t line) {
    json out = claim(std::move(summary), {line});
    out["type"] = type;
    return out;
  };
  if (interrupted != nullptr)
    return state("interrupted", "The turn was interrupted (" + condensed(interrupted->text, 120) + ").", interrupted->line);
  if (!facts.has_reaction())
    return state("evidence_gap", "No reaction of the agent is recorded for this turn.", facts.trigger->line);
  if (failed != nullptr && completed == nullptr)
    return state("failed", "The turn ended with an error: " + redact_secrets(condensed(failed->text, 200)) + ".", failed->line);
  const std::size_t line = completed != nullptr ? completed->line : last_reaction_line(turn);
  const std::string ending = completed != nullptr ? "The turn completed" : "The turn's records end without a completion marker";
  if (has_outcomes) return state("material_result", ending + "; the session records file changes.", line);
  return state("no_material", ending + "; no file change is recorded.", line);
}

}  // namespace

json build_offline_chain(const TurnRecords& turn, std::string_view cwd) {
  const TurnFacts facts = gather_turn_facts(turn);
  if (facts.trigger == nullptr) return nullptr;
  json outcomes = outcomes_of(facts, cwd);
  json chain = {
      {"turn_ref", turn.turn.turn_ref},
      {"source", offline_source},
      {"trigger", trigger_of(*facts.trigger)},
      {"agent_reactions", reactions_of(facts, cwd)},
      {"observed_checks", checks_of(facts)},
      {"terminal_state", terminal_of(turn, facts, !outcomes.empty())},
      {"materiality", !outcomes.empty()      ? "material"
                      : facts.has_reaction() ? "minor"
                                             : "none"},
  };
  chain["outcomes"] = std::move(outcomes);
  return chain;
}

agent::Result<std::vector<json>> offline_chains(const workspace::DayWorkspace& day, std::string_view project_key,
                                                const workspace::SessionEntry& session) {
  auto records = read_turn_records(day.session_file(project_key, session), session.source, session.turns);
  if (!records) return std::unexpected(records.error());
  std::vector<json> chains;
  for (const auto& turn : records->turns) chains.push_back(build_offline_chain(turn, records->cwd));
  return chains;
}

agent::Result<json> offline_chain(const workspace::DayWorkspace& day, std::string_view project_key,
                                  const workspace::SessionEntry& session, const workspace::TurnSpan& turn) {
  auto records = read_turn_records(day.session_file(project_key, session), session.source, {turn});
  if (!records) return std::unexpected(records.error());
  return build_offline_chain(records->turns.front(), records->cwd);
}

agent::Result<json> offline_evidence_card(const workspace::DayWorkspace& day, std::string_view project_key,
                                          const workspace::SessionEntry& session) {
  auto chains = offline_chains(day, project_key, session);
  if (!chains) return std::unexpected(chains.error());
  json kept = json::array();
  for (auto& chain : *chains)
    if (!chain.is_null()) kept.push_back(std::move(chain));
  return json{{"schema_version", artifacts::schema_version},
              {"project_key", project_key},
              {"session_ref", session.session_ref},
              {"evidence_chains", std::move(kept)}};
}

}  // namespace diary::generate::offline
