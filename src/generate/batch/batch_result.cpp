#include "generate/batch/batch_result.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace diary::generate {

namespace {

std::string seconds_text(std::chrono::milliseconds duration) {
  return fmt::format("{:.1f}s", static_cast<double>(duration.count()) / 1000.0);
}

// What is wrong with a job, in one line: the first failing check (and how many there are),
// else why it stopped.
std::string problems_text(const BatchJobResult& entry) {
  if (!entry.job) return entry.skipped_reason;
  const JobResult& job = *entry.job;
  if (job.status == RunStatus::complete) return "";
  std::vector<std::string> problems;
  for (const auto& artifact : job.checks.artifacts.artifacts)
    for (const auto& problem : artifact.problems) problems.push_back(artifact.path + ": " + problem);
  for (const auto& problem : job.checks.turn_problems) problems.push_back(problem);
  if (!job.checks.output_problems.empty()) problems.push_back("final message fails its output schema");
  std::string out;
  if (!problems.empty()) {
    const int failing = job.checks.tally().failing_checks;
    out = fmt::format("{} failing: {}", std::max<int>(failing, static_cast<int>(problems.size())), problems.front());
  }
  if (!job.reason.empty()) out += (out.empty() ? "" : "; ") + job.reason;
  if (job.error && out.find(job.error->message) == std::string::npos) out += " (" + job.error->message + ")";
  return out;
}

std::string one_line(std::string text, std::size_t width) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  if (text.size() > width) text = text.substr(0, width - 3) + "...";
  return text;
}

}  // namespace

std::string BatchJobResult::status() const { return job ? std::string(to_string(job->status)) : "skipped"; }

nlohmann::json to_json(const BatchJobResult& result) {
  if (result.job) return to_json(*result.job);
  JobResult empty;
  empty.name = result.name;
  empty.reason = result.skipped_reason;
  nlohmann::json out = to_json(empty);
  out["status"] = "skipped";
  out["ledger"] = nullptr;
  out["run_id"] = nullptr;
  return out;
}

std::string_view to_string(BatchStatus status) {
  switch (status) {
    case BatchStatus::complete: return "complete";
    case BatchStatus::failed: return "failed";
    case BatchStatus::blocked: return "blocked";
    case BatchStatus::interrupted: return "interrupted";
  }
  return "failed";
}

nlohmann::json batch_totals(const BatchResult& result) {
  std::map<std::string, int> by_status;
  for (auto status : {"complete", "incomplete", "failed", "blocked", "budget_exceeded", "interrupted", "skipped"})
    by_status[status] = 0;
  int turns = 0;
  agent::TokenUsage usage;
  for (const auto& entry : result.jobs) {
    ++by_status[entry.status()];
    if (!entry.job) continue;
    turns += entry.job->attempts();
    usage += entry.job->usage;
  }
  nlohmann::json totals = {{"jobs", result.jobs.size()}};
  for (const auto& [status, count] : by_status) totals[status] = count;
  totals["turns"] = turns;
  totals["tokens"] = tokens_used(usage);
  totals["usage"] = agent::to_json(usage);
  totals["duration_ms"] = result.duration.count();
  totals["concurrency"] = result.concurrency;
  totals["backend_starts"] = result.backend_starts;
  totals["backend_deaths"] = result.backend_deaths;
  return totals;
}

nlohmann::json to_json(const BatchResult& result) {
  nlohmann::json jobs = nlohmann::json::array();
  for (const auto& entry : result.jobs) {
    nlohmann::json job = to_json(entry);
    job["index"] = entry.index;
    jobs.push_back(std::move(job));
  }
  nlohmann::json shard;
  if (result.shard) shard = {{"index", result.shard->index}, {"count", result.shard->count}};
  return {{"status", to_string(result.status)},
          {"reason", result.reason},
          {"run_id", result.run_id},
          {"ledger", result.ledger.string()},
          {"shard", std::move(shard)},
          {"batch", {{"path", result.batch_path.string()}, {"jobs", result.batch_jobs}, {"only", result.only}}},
          {"jobs", std::move(jobs)},
          {"totals", batch_totals(result)}};
}

std::string format_batch_table(const BatchResult& result) {
  std::size_t name_width = 3;
  for (const auto& entry : result.jobs) name_width = std::max(name_width, entry.name.size());
  name_width = std::min<std::size_t>(name_width, 40);
  std::string out = fmt::format("{:<{}}  {:<15}  {:>5}  {:>9}  {:>8}  {}\n", "JOB", name_width, "STATUS", "TURNS",
                                "TOKENS", "DURATION", "PROBLEMS");
  for (const auto& entry : result.jobs) {
    const int turns = entry.job ? entry.job->attempts() : 0;
    const auto tokens = entry.job ? tokens_used(entry.job->usage) : 0;
    const auto duration = entry.job ? entry.job->duration : std::chrono::milliseconds(0);
    out += fmt::format("{:<{}}  {:<15}  {:>5}  {:>9}  {:>8}  {}\n", one_line(entry.name, name_width), name_width,
                       entry.status(), turns, tokens, seconds_text(duration), one_line(problems_text(entry), 160));
  }
  const nlohmann::json totals = batch_totals(result);
  std::string counts;
  for (auto status : {"complete", "incomplete", "failed", "blocked", "budget_exceeded", "interrupted", "skipped"})
    if (const int n = totals[status].get<int>(); n > 0) counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", n, status);
  out += fmt::format("batch {}: {} job(s){}{}; {} turn(s); {} tokens; {}\n", to_string(result.status), result.jobs.size(),
                     counts.empty() ? "" : ": ", counts, totals["turns"].get<int>(), totals["tokens"].get<long long>(),
                     seconds_text(result.duration));
  if (result.status != BatchStatus::complete && !result.reason.empty()) out += "  " + result.reason + "\n";
  if (!result.ledger.empty()) out += "ledger: " + result.ledger.string() + "\n";
  return out;
}

}  // namespace diary::generate
