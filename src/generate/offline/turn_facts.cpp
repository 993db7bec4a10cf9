#include "generate/offline/turn_facts.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

namespace diary::generate::offline {

namespace {

using mcp::CompactRecord;
using mcp::RecordKind;
using mcp::ToolResultKind;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool failed_status(std::string_view status) {
  return status == "failed" || status == "declined" || status == "error" || status == "rejected";
}

// Claude Code editing tools name their file in the input; their result may not carry a patch.
constexpr std::array<std::string_view, 4> edit_tools = {"Edit", "MultiEdit", "Write", "NotebookEdit"};

struct PendingEdit {
  std::vector<std::pair<std::string, std::string>> files;  // path, operation
  std::size_t line = 0;
};

// "*** Add File: a" / "*** Update File: b" / "*** Delete File: c" / "*** Move to: d" headers of an
// apply_patch input (for a patch whose result carries no change list).
std::vector<std::pair<std::string, std::string>> patch_files(std::string_view patch) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 3> headers = {
      {{"*** Add File: ", "add"}, {"*** Update File: ", "update"}, {"*** Delete File: ", "delete"}}};
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t begin = 0;
  while (begin < patch.size()) {
    const std::size_t end = std::min(patch.find('\n', begin), patch.size());
    const std::string_view line = patch.substr(begin, end - begin);
    for (const auto& [header, operation] : headers)
      if (line.starts_with(header)) out.emplace_back(std::string(line.substr(header.size())), std::string(operation));
    begin = end + 1;
  }
  return out;
}

std::optional<PendingEdit> pending_edit(const mcp::ToolUse& use, std::size_t line) {
  PendingEdit edit{{}, line};
  if (use.name == "apply_patch") {
    std::string patch = use.input;
    // The function-tool variant wraps the patch: {"input": "*** Begin Patch ..."}.
    auto wrapped = nlohmann::json::parse(patch, nullptr, false);
    if (wrapped.is_object() && wrapped.contains("input") && wrapped["input"].is_string()) patch = wrapped["input"];
    edit.files = patch_files(patch);
  } else if (std::find(edit_tools.begin(), edit_tools.end(), use.name) != edit_tools.end()) {
    auto input = nlohmann::json::parse(use.input, nullptr, false);
    if (!input.is_object()) return std::nullopt;
    for (const char* key : {"file_path", "notebook_path", "path"})
      if (input.contains(key) && input[key].is_string()) {
        edit.files.emplace_back(input[key].get<std::string>(), use.name == "Write" ? "write" : "update");
        break;
      }
  }
  if (edit.files.empty()) return std::nullopt;
  return edit;
}

class Gatherer {
 public:
  explicit Gatherer(TurnFacts& facts) : facts_(facts) {}

  void add(const CompactRecord& record) {
    switch (record.kind) {
      case RecordKind::user:
        if (facts_.trigger == nullptr) facts_.trigger = &record;
        break;
      case RecordKind::assistant:
        if (!record.text.empty()) {
          facts_.answer_lines.push_back(record.line);
          facts_.last_answer = record.text;
        }
        for (const auto& use : record.tool_uses) add_use(use, record.line);
        break;
      case RecordKind::tool_call:
        for (const auto& use : record.tool_uses) add_use(use, record.line);
        break;
      case RecordKind::tool_result:
        for (const auto& result : record.tool_results) add_result(result, record.line);
        break;
      case RecordKind::subagent_message: facts_.subagent_lines.push_back(record.line); break;
      case RecordKind::terminal: facts_.ends.push_back({record.line, record.turn_end, record.text}); break;
      case RecordKind::duplicate:  // counted once, at the line it echoes
      case RecordKind::malformed:
      case RecordKind::unknown: break;
    }
  }

  void finish() {
    // A command that applied a patch (codex intercepts `apply_patch` run through the shell) is
    // an edit, not a check.
    std::erase_if(facts_.commands, [&](const CommandRun& run) { return !run.call_id.empty() && patched_.count(run.call_id); });
  }

 private:
  void add_use(const mcp::ToolUse& use, std::size_t line) {
    if (!use.command.empty()) {
      CommandRun run;
      run.command = use.command;
      run.call_id = use.call_id;
      run.call_line = line;
      if (!use.call_id.empty()) command_index_[use.call_id] = facts_.commands.size();
      facts_.commands.push_back(std::move(run));
      return;
    }
    if (auto edit = pending_edit(use, line)) {
      if (!use.call_id.empty()) pending_edits_[use.call_id] = std::move(*edit);
      return;
    }
    facts_.other_tools.push_back({use.name.empty() ? "unknown" : use.name, line});
  }

  void add_edit(const std::string& path, const std::string& operation, std::size_t line) {
    auto it = edit_index_.find(path);
    if (it == edit_index_.end()) {
      it = edit_index_.emplace(path, facts_.edits.size()).first;
      facts_.edits.push_back({path, {}, {}});
    }
    FileEdit& edit = facts_.edits[it->second];
    if (edit.operations.empty() || edit.operations.back() != operation) edit.operations.push_back(operation);
    if (edit.lines.empty() || edit.lines.back() != line) edit.lines.push_back(line);
  }

  void add_result(const mcp::ToolResult& result, std::size_t line) {
    const bool failed = result.is_error || failed_status(result.status);
    if (result.kind == ToolResultKind::file_change) {
      if (!result.call_id.empty()) {
        patched_.insert(result.call_id);
        pending_edits_.erase(result.call_id);
      }
      if (failed) {
        facts_.failed_edit_lines.push_back(line);
        return;
      }
      for (const auto& change : result.changes)
        add_edit(change.path, change.operation.empty() ? "update" : change.operation, line);
      return;
    }
    if (auto pending = pending_edits_.find(result.call_id); !result.call_id.empty() && pending != pending_edits_.end()) {
      if (failed) facts_.failed_edit_lines.push_back(line);
      else
        for (const auto& [path, operation] : pending->second.files) add_edit(path, operation, line);
      pending_edits_.erase(pending);
      return;
    }
    auto found = result.call_id.empty() ? command_index_.end() : command_index_.find(result.call_id);
    if (found == command_index_.end()) {
      // A command seen only through its result (older rollouts without the call in the turn).
      if (result.kind != ToolResultKind::command || result.command.empty()) {
        if (result.kind == ToolResultKind::mcp) facts_.other_tools.push_back({result.name.empty() ? "mcp" : result.name, line});
        return;
      }
      if (!result.call_id.empty()) command_index_[result.call_id] = facts_.commands.size();
      facts_.commands.push_back({result.command, result.call_id, 0, 0, std::nullopt, false, {}});
      apply_result(facts_.commands.back(), result, line, failed);
      return;
    }
    apply_result(facts_.commands[found->second], result, line, failed);
  }

  // The execution record (kind command) is preferred over the text the model got back.
  static void apply_result(CommandRun& run, const mcp::ToolResult& result, std::size_t line, bool failed) {
    const bool execution = result.kind == ToolResultKind::command;
    if (run.result_line != 0 && !execution) return;
    run.result_line = line;
    if (result.exit_code) run.exit_code = result.exit_code;
    run.error_flagged = run.error_flagged || failed;
    if (run.command.empty()) run.command = result.command;
    run.output = result.output;
  }

  TurnFacts& facts_;
  std::map<std::string, std::size_t> command_index_;
  std::map<std::string, std::size_t> edit_index_;
  std::map<std::string, PendingEdit> pending_edits_;
  std::set<std::string> patched_;
};

}  // namespace

TurnFacts gather_turn_facts(const TurnRecords& turn) {
  TurnFacts facts;
  Gatherer gatherer(facts);
  for (const auto& record : turn.records) gatherer.add(record);
  gatherer.finish();
  return facts;
}

bool looks_like_test_run(std::string_view command, std::string_view output) {
  static constexpr std::array<std::string_view, 13> runners = {
      "pytest", "ctest", "jest", "vitest", "mocha", "rspec", "tox", "phpunit", "unittest", "karma", "bats", "nextest", "prove"};
  // Commands that only look at test files are no test run.
  static constexpr std::array<std::string_view, 14> viewers = {"cat", "less", "more", "head", "tail", "grep", "rg",
                                                               "sed", "ls",   "find", "vim",  "nano", "git",  "wc"};
  std::vector<std::string> words;
  std::string word;
  for (char c : lower(command) + " ") {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == ':' || c == '.' || c == '/') {
      word += c;
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!words.empty()) {
    const std::string program = words.front().substr(words.front().rfind('/') + 1);
    const bool viewer = std::find(viewers.begin(), viewers.end(), program) != viewers.end();
    for (const auto& w : words) {
      const std::string base = w.substr(w.rfind('/') + 1);
      if (std::find(runners.begin(), runners.end(), base) != runners.end()) return true;
      if (!viewer && w.find("test") != std::string::npos) return true;
    }
    if ((program == "make" || program == "ninja") && std::find(words.begin(), words.end(), "check") != words.end()) return true;
  }
  // Test reports: "3 passed", "test result: ok", "Ran 12 tests".
  const std::string head = lower(output.substr(0, 4096));
  if (head.find("test") == std::string::npos) return false;
  static constexpr std::array<std::string_view, 4> reports = {" passed", " failed", "test result:", "ran "};
  return std::any_of(reports.begin(), reports.end(),
                     [&](std::string_view report) { return head.find(report) != std::string::npos; });
}

}  // namespace diary::generate::offline
