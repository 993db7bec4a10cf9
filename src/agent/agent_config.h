// Configuration of one agent conversation (AgentConfig) and of the backend process that hosts
// it (AgentBackendOptions). Runners whose backend options compare equal share one backend.
// Plain value types; copy freely.
#pragma once

#include <compare>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace diary::agent {

// A tool server (MCP over stdio) that the backend starts for its conversations and offers to the
// agent; its tools are auto-approved, and the backend fails a conversation whose tool server does
// not start. `name` is a bare key ([A-Za-z0-9_-]+): the agent sees the tools as `<name>` tools.
struct ToolServer {
  std::string name;
  std::string command;  // absolute path (a bare name is looked up in PATH)
  std::vector<std::string> args;
  std::map<std::string, std::string> env;  // added to the tool server's environment

  friend auto operator<=>(const ToolServer&, const ToolServer&) = default;
};

// What must be given to the backend process itself; everything else is per conversation.
struct AgentBackendOptions {
  std::string binary;                         // empty = discover
  std::vector<std::string> config_overrides;  // "key=value", in order (after ours)
  std::map<std::string, std::string> env;     // added to (or replacing in) the environment
  std::vector<std::string> env_remove;        // names removed from the environment
  std::optional<ToolServer> tool_server;      // hosted for every conversation
  // Ignore the user's own agent set-up: no memories, plugins, apps, hooks, skills text, project
  // docs, sub-agents, and no tool servers other than `tool_server`.
  bool clean_start = false;

  friend auto operator<=>(const AgentBackendOptions&, const AgentBackendOptions&) = default;
};

enum class ApprovalKind { command, file_change, permissions, other };

// A request from the agent to do something that its policy makes it ask about.
struct ApprovalRequest {
  ApprovalKind kind = ApprovalKind::other;
  std::string command;                       // for command approvals
  std::filesystem::path cwd;                 // for command approvals
  std::vector<std::filesystem::path> paths;  // for file changes
  std::string reason;                        // the agent's stated reason, if any
  std::string method;                        // the raw request name, for the ledger
};

enum class ApprovalDecision { accept, accept_for_session, decline, cancel };

// diary's own names (ledger records, events); a backend adapter encodes decisions for its wire.
std::string_view to_string(ApprovalDecision decision);

// Decides approval requests. Called on the backend's executor: it must not block.
using ApprovalHandler = std::function<ApprovalDecision(const ApprovalRequest&)>;

struct AgentConfig {
  std::filesystem::path working_directory;  // empty = the current directory
  std::optional<std::string> model;
  std::optional<std::string> model_provider;
  std::optional<std::string> reasoning_effort;  // none|minimal|low|medium|high|xhigh
  std::optional<std::string> approval_policy;   // never|on-request|untrusted (codex 0.169.0)
  std::optional<std::string> sandbox;           // read-only|workspace-write|danger-full-access
  std::optional<std::string> base_instructions;
  std::optional<std::string> developer_instructions;
  std::optional<std::string> personality;
  bool ephemeral = false;  // do not persist the conversation in the backend's history
  // An earlier conversation to continue (an AgentRunner::conversation_id() of a previous runner,
  // maybe of another process): the runner resumes it with everything the agent already knew
  // instead of starting a new one. When the backend cannot resume it (its history is gone, or
  // belongs to another backend home or version), the runner starts a new conversation and says
  // why in ConversationStart::resume_failed.
  std::optional<std::string> resume_conversation;
  // Tools of backend.tool_server this conversation may use; nullopt = all of them. Ignored when
  // the backend hosts no tool server.
  std::optional<std::vector<std::string>> enabled_tools;
  AgentBackendOptions backend;
  ApprovalHandler approval_handler;  // empty = decline everything (fail closed)
};

}  // namespace diary::agent
