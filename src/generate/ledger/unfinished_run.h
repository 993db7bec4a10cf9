// What earlier runs left unfinished, read back from their ledgers: the conversation a new run
// should continue (`diary job run`, batch jobs and `diary generate` tasks resume it; `--fresh`
// skips this). A job run is unfinished when it has no result.json (killed, the machine rebooted)
// or its result is not complete; the search walks the job's runs newest first and stops at its
// last complete one: what ran before that was finished. A generate task is unfinished until a
// run ends it "ok". Reads files only; no state, safe from any thread.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "agent/agent_runner.h"

namespace diary::generate {

// The ledger events written for conversations: {"conversation_id", "location", "resumed",
// "resume_failed", "after_turn"} (+ "task" and "pass" in generate runs), appended as soon as the
// conversation is open.
inline constexpr std::string_view conversation_event = "conversation";

// The fields of a conversation event for `start`, opened before turn `after_turn` + 1.
nlohmann::json conversation_record(const agent::ConversationStart& start, int after_turn);

struct UnfinishedConversation {
  std::string run_id;           // the newest unfinished run that recorded it
  std::string conversation_id;  // to continue
  std::string location;         // where the backend keeps it (codex: the rollout), if recorded
  // A turn of this conversation completed in one of those runs: the model has seen the task.
  bool earlier_turn_completed = false;
};

// The runs directory of a workdir: <workdir>/.diary/runs.
std::filesystem::path runs_directory(const std::filesystem::path& workdir);

// The conversation job `job_name`'s unfinished runs in `runs_dir` left open, if any; the run
// `skip_run_id` (the one just opened) is ignored. Unreadable or foreign run directories are
// skipped; a ledger larger than the read cap counts as unreadable.
std::optional<UnfinishedConversation> find_unfinished_conversation(const std::filesystem::path& runs_dir,
                                                                   std::string_view job_name, std::string_view skip_run_id);

// The key of a generate task's agent pass in find_unfinished_task_conversations.
std::string task_pass_key(std::string_view task, std::string_view pass);

// For `diary generate`: per task pass (task_pass_key of the conversation event's "task" and
// "pass"), the conversation the workspace's generate runs in `runs_dir` left unfinished (a task
// whose newest run ended it "ok" has none). The run `skip_run_id` is ignored.
std::map<std::string, UnfinishedConversation> find_unfinished_task_conversations(const std::filesystem::path& runs_dir,
                                                                                 std::string_view skip_run_id);

}  // namespace diary::generate
