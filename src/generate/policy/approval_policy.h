// Answers agent approval requests from declared rules, fail closed: deny_commands first, then
// allow_commands, then allow_write_paths for file changes, else decline. Every decision can be
// reported (for the run ledger). Pure matching; the handler it builds must not block and does
// not (it only matches strings and stats paths).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/agent_config.h"

namespace diary::generate {

// Matching rules (see docs/jobs.md):
// - commands are split into shell words (quotes removed; `bash -lc 'SCRIPT'` unwrapped to SCRIPT);
// - a deny rule matches when its words occur as consecutive words anywhere in the command (a
//   command word also matches by its basename: "/bin/rm" matches "rm");
// - an allow rule matches when its words are the first words of the command, word for word
//   ("git status" allows "git status -s", not "git statusfoo"), and only for a simple command:
//   one with `;`, `&&`, `|`, redirections, `$(...)`, backticks or newlines is never allowed;
// - file changes are accepted when every changed path lies inside the working directory and
//   matches some allow_write_paths glob (relative to the working directory, `**` supported);
//   paths under .diary/ (the run ledger) are always declined.
struct ApprovalPolicy {
  std::vector<std::string> allow_commands;
  std::vector<std::string> deny_commands;
  std::vector<std::string> allow_write_paths;

  friend bool operator==(const ApprovalPolicy&, const ApprovalPolicy&) = default;
};

nlohmann::json to_json(const ApprovalPolicy& policy);

struct PolicyVerdict {
  agent::ApprovalDecision decision = agent::ApprovalDecision::decline;
  std::string rule;    // the rule that decided, e.g. `deny_commands: "rm -rf"`; empty if none did
  std::string reason;  // one line for people

  friend bool operator==(const PolicyVerdict&, const PolicyVerdict&) = default;
};

PolicyVerdict decide_approval(const ApprovalPolicy& policy, const std::filesystem::path& workdir,
                              const agent::ApprovalRequest& request);

// {kind, method, command, cwd, paths, reason, decision, rule, why}: one ledger record.
nlohmann::json to_json(const agent::ApprovalRequest& request, const PolicyVerdict& verdict);

using ApprovalObserver = std::function<void(const agent::ApprovalRequest&, const PolicyVerdict&)>;

// A handler for AgentConfig::approval_handler that decides by `policy` and reports each
// decision to `observer` (may be empty).
agent::ApprovalHandler make_approval_handler(ApprovalPolicy policy, std::filesystem::path workdir, ApprovalObserver observer);

}  // namespace diary::generate
