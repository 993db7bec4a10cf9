#include "generate/policy/approval_policy.h"

#include "generate/policy/glob_match.h"
#include "generate/policy/shell_words.h"
#include "generate/check/workdir_path.h"

namespace diary::generate {

namespace fs = std::filesystem;
using agent::ApprovalDecision;
using agent::ApprovalKind;

namespace {

std::string quote(const std::string& text) { return nlohmann::json(text).dump(); }

std::string_view kind_name(ApprovalKind kind) {
  switch (kind) {
    case ApprovalKind::command: return "command";
    case ApprovalKind::file_change: return "file_change";
    case ApprovalKind::permissions: return "permissions";
    case ApprovalKind::other: return "other";
  }
  return "other";
}

bool word_matches_for_deny(const std::string& rule_word, const std::string& command_word) {
  if (rule_word == command_word) return true;
  return rule_word.find('/') == std::string::npos && fs::path(command_word).filename() == rule_word;
}

bool contains_sequence(const std::vector<std::string>& words, const std::vector<std::string>& rule) {
  if (rule.empty() || rule.size() > words.size()) return false;
  for (std::size_t start = 0; start + rule.size() <= words.size(); ++start) {
    bool all = true;
    for (std::size_t i = 0; i < rule.size() && all; ++i) all = word_matches_for_deny(rule[i], words[start + i]);
    if (all) return true;
  }
  return false;
}

bool starts_with_words(const std::vector<std::string>& words, const std::vector<std::string>& rule) {
  if (rule.empty() || rule.size() > words.size()) return false;
  for (std::size_t i = 0; i < rule.size(); ++i)
    if (rule[i] != words[i]) return false;
  return true;
}

PolicyVerdict decline(std::string reason, std::string rule = {}) {
  return {ApprovalDecision::decline, std::move(rule), std::move(reason)};
}

PolicyVerdict decide_command(const ApprovalPolicy& policy, const std::string& command) {
  if (command.empty()) return decline("command approval without a command");
  const ShellWords outer = split_shell_words(command);
  const ShellWords inner = unwrap_shell_command(command);
  for (const auto& rule : policy.deny_commands) {
    const auto rule_words = split_shell_words(rule).words;
    if (contains_sequence(outer.words, rule_words) || contains_sequence(inner.words, rule_words))
      return decline("denied by rule", "deny_commands: " + quote(rule));
  }
  if (inner.compound && !policy.allow_commands.empty())
    return decline("compound command (;, &&, |, redirection, substitution): allow rules only cover simple commands");
  for (const auto& rule : policy.allow_commands)
    if (starts_with_words(inner.words, split_shell_words(rule).words))
      return {ApprovalDecision::accept, "allow_commands: " + quote(rule), "allowed by rule"};
  return decline("no allow_commands rule matches");
}

// The path relative to the working directory, or empty when it lies outside.
std::string relative_inside(const fs::path& workdir, const fs::path& path) {
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(workdir, ec);
  if (ec) return {};
  fs::path absolute = path.is_absolute() ? path : root / path;
  absolute = fs::weakly_canonical(absolute, ec);
  if (ec || !is_within(root, absolute)) return {};
  const fs::path relative = absolute.lexically_relative(root);
  if (relative.empty() || relative == ".") return {};
  // Symlinks inside the workdir that point out are refused by the same check as artifacts.
  if (!resolve_in_workdir(root, relative.generic_string())) return {};
  return relative.generic_string();
}

PolicyVerdict decide_file_change(const ApprovalPolicy& policy, const fs::path& workdir, const std::vector<fs::path>& paths) {
  if (paths.empty()) return decline("file change without paths");
  std::string first_rule;
  for (const auto& path : paths) {
    const std::string relative = relative_inside(workdir, path);
    if (relative.empty()) return decline("path " + path.string() + " is outside the working directory");
    // The run ledger is the proof of what ran: no rule lets the agent rewrite it.
    if (relative == ".diary" || relative.starts_with(".diary/"))
      return decline("path " + relative + " is inside diary's run ledger (.diary/)");
    const std::string* matched = nullptr;
    for (const auto& glob : policy.allow_write_paths)
      if (glob_match(glob, relative)) {
        matched = &glob;
        break;
      }
    if (matched == nullptr) return decline("no allow_write_paths rule matches " + relative);
    if (first_rule.empty()) first_rule = *matched;
  }
  return {ApprovalDecision::accept, "allow_write_paths: " + quote(first_rule), "allowed by rule"};
}

}  // namespace

nlohmann::json to_json(const ApprovalPolicy& policy) {
  return {{"allow_commands", policy.allow_commands},
          {"deny_commands", policy.deny_commands},
          {"allow_write_paths", policy.allow_write_paths}};
}

PolicyVerdict decide_approval(const ApprovalPolicy& policy, const fs::path& workdir, const agent::ApprovalRequest& request) {
  switch (request.kind) {
    case ApprovalKind::command: return decide_command(policy, request.command);
    case ApprovalKind::file_change: return decide_file_change(policy, workdir, request.paths);
    case ApprovalKind::permissions:
    case ApprovalKind::other: break;
  }
  return decline("no policy rule covers " + std::string(kind_name(request.kind)) + " requests" +
                 (request.method.empty() ? "" : " (" + request.method + ")"));
}

nlohmann::json to_json(const agent::ApprovalRequest& request, const PolicyVerdict& verdict) {
  nlohmann::json paths = nlohmann::json::array();
  for (const auto& path : request.paths) paths.push_back(path.string());
  return {{"kind", kind_name(request.kind)},
          {"method", request.method},
          {"command", request.command},
          {"cwd", request.cwd.string()},
          {"paths", std::move(paths)},
          {"reason", request.reason},
          {"decision", agent::to_string(verdict.decision)},
          {"rule", verdict.rule},
          {"why", verdict.reason}};
}

agent::ApprovalHandler make_approval_handler(ApprovalPolicy policy, fs::path workdir, ApprovalObserver observer) {
  return [policy = std::move(policy), workdir = std::move(workdir),
          observer = std::move(observer)](const agent::ApprovalRequest& request) {
    PolicyVerdict verdict = decide_approval(policy, workdir, request);
    if (observer) observer(request, verdict);
    return verdict.decision;
  };
}

}  // namespace diary::generate
