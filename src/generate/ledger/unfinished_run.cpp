#include "generate/ledger/unfinished_run.h"

#include <algorithm>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "generate/ledger/run_ledger.h"
#include "util/text_file.h"

namespace diary::generate {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string string_at(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The events of one run's ledger, parsed line by line; a torn last line (a kill mid-write) and
// any line that is not a JSON object are skipped.
std::vector<json> read_events(const fs::path& run_dir) {
  std::vector<json> events;
  auto text = util::read_text_file(run_dir / "events.jsonl", util::artifact_read_cap);
  if (!text) return events;
  std::string_view rest = *text;
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    json event = json::parse(line, nullptr, false);
    if (event.is_object()) events.push_back(std::move(event));
  }
  return events;
}

// The job a run ledger belongs to: its job_request event's job.name.
std::string job_of(const std::vector<json>& events) {
  for (const auto& event : events) {
    if (string_at(event, "event") != "job_request") continue;
    auto job = event.find("job");
    return job != event.end() && job->is_object() ? string_at(*job, "name") : std::string();
  }
  return {};
}

bool completed(const fs::path& run_dir) {
  auto text = util::read_text_file(run_dir / "result.json");
  if (!text) return false;
  const json result = json::parse(*text, nullptr, false);
  return result.is_object() && string_at(result, "status") == "complete";
}

// Run ids in `runs_dir` but `skip_run_id`, newest first (run ids sort by time).
std::vector<std::string> runs_newest_first(const fs::path& runs_dir, std::string_view skip_run_id) {
  std::error_code ec;
  std::vector<std::string> run_ids;
  for (fs::directory_iterator it(runs_dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_directory(ec) && it->path().filename() != skip_run_id) run_ids.push_back(it->path().filename().string());
  std::sort(run_ids.rbegin(), run_ids.rend());
  return run_ids;
}

}  // namespace

nlohmann::json conversation_record(const agent::ConversationStart& start, int after_turn) {
  return {{"conversation_id", start.id},
          {"location", start.location},
          {"resumed", start.resumed},
          {"resume_failed", start.resume_failed ? json(*start.resume_failed) : json()},
          {"after_turn", after_turn}};
}

std::string task_pass_key(std::string_view task, std::string_view pass) { return std::string(task) + "#" + std::string(pass); }

fs::path runs_directory(const fs::path& workdir) { return workdir / ledger_dir_name / "runs"; }

std::optional<UnfinishedConversation> find_unfinished_conversation(const fs::path& runs_dir, std::string_view job_name,
                                                                   std::string_view skip_run_id) {
  const std::vector<std::string> run_ids = runs_newest_first(runs_dir, skip_run_id);
  // The job's unfinished runs, newest first, up to its last complete one.
  std::vector<std::pair<std::string, std::vector<json>>> unfinished;
  for (const auto& run_id : run_ids) {
    std::vector<json> events = read_events(runs_dir / run_id);
    if (job_of(events) != job_name) continue;
    if (completed(runs_dir / run_id)) break;
    unfinished.emplace_back(run_id, std::move(events));
  }

  std::optional<UnfinishedConversation> found;
  for (const auto& [run_id, events] : unfinished) {
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      if (string_at(*it, "event") != conversation_event) continue;
      const std::string id = string_at(*it, "conversation_id");
      if (id.empty()) continue;
      found = UnfinishedConversation{.run_id = run_id, .conversation_id = id, .location = string_at(*it, "location")};
      break;
    }
    if (found) break;
  }
  if (!found) return std::nullopt;

  // Did any turn of that conversation complete, in any of these runs? (Then it knows the task.)
  for (const auto& [run_id, events] : unfinished) {
    std::string current;
    for (const auto& event : events) {
      const std::string kind = string_at(event, "event");
      if (kind == conversation_event) current = string_at(event, "conversation_id");
      else if (kind == "turn_completed" && current == found->conversation_id && string_at(event, "status") == "completed")
        found->earlier_turn_completed = true;
    }
  }
  return found;
}

std::map<std::string, UnfinishedConversation> find_unfinished_task_conversations(const fs::path& runs_dir,
                                                                                 std::string_view skip_run_id) {
  std::map<std::string, UnfinishedConversation> found;
  std::set<std::string> ended;    // tasks a newer run ended ok
  std::set<std::string> decided;  // task passes whose newest conversation was read
  for (const auto& run_id : runs_newest_first(runs_dir, skip_run_id)) {
    const std::vector<json> events = read_events(runs_dir / run_id);
    if (events.empty() || string_at(events.front(), "event") != "run_start") continue;  // not a generate run
    std::set<std::string> completed_turn;                         // tasks with a completed turn later in this run
    for (auto it = events.rbegin(); it != events.rend(); ++it) {  // newest first
      const std::string kind = string_at(*it, "event");
      const std::string task = string_at(*it, "task");
      if (task.empty() || ended.contains(task)) continue;
      if (kind == "task_end" && string_at(*it, "status") == "ok") {
        ended.insert(task);
      } else if (kind == "turn_end" && string_at(*it, "status") == "completed") {
        completed_turn.insert(task);
      } else if (kind == conversation_event && !string_at(*it, "conversation_id").empty()) {
        const std::string key = task_pass_key(task, string_at(*it, "pass"));
        if (!decided.insert(key).second) continue;
        found[key] = UnfinishedConversation{.run_id = run_id,
                                            .conversation_id = string_at(*it, "conversation_id"),
                                            .location = string_at(*it, "location"),
                                            .earlier_turn_completed = completed_turn.contains(task)};
      }
    }
  }
  return found;
}

}  // namespace diary::generate
