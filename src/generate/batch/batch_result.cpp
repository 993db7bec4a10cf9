#include "generate/batch/batch_result.h"
#include "util/duration.h"
#include "util/text_table.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace diary::generate {

namespace {

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
  using util::Align;
  util::TextTable table({{"JOB", Align::left, 40},
                         {"STATUS"},
                         {"TURNS", Align::right},
                         {"TOKENS", Align::right},
                         {"DURATION", Align::right},
                         {"PROBLEMS", Align::left, 160}});
  for (const auto& entry : result.jobs) {
    const int turns = entry.job ? entry.job->attempts() : 0;
    const auto tokens = entry.job ? tokens_used(entry.job->usage) : 0;
    const auto duration = entry.job ? entry.job->duration : std::chrono::milliseconds(0);
    table.add_row({entry.name, entry.status(), std::to_string(turns), std::to_string(tokens), util::format_duration(duration),
                   problems_text(entry)});
  }
  std::string out = table.render();
  const nlohmann::json totals = batch_totals(result);
  std::string counts;
  for (auto status : {"complete", "incomplete", "failed", "blocked", "budget_exceeded", "interrupted", "skipped"})
    if (const int n = totals[status].get<int>(); n > 0) counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", n, status);
  out += fmt::format("batch {}: {} job(s){}{}; {} turn(s); {} tokens; {}\n", to_string(result.status), result.jobs.size(),
                     counts.empty() ? "" : ": ", counts, totals["turns"].get<int>(), totals["tokens"].get<long long>(),
                     util::format_duration(result.duration));
  if (result.status != BatchStatus::complete && !result.reason.empty()) out += "  " + result.reason + "\n";
  if (!result.ledger.empty()) out += "ledger: " + result.ledger.string() + "\n";
  return out;
}

}  // namespace diary::generate
