#include "generate/batch/batch_plan.h"

#include <algorithm>

#include <fmt/format.h>

#include "generate/job/dry_run.h"
#include "util/text_table.h"

namespace diary::generate {

nlohmann::json plan_batch(const BatchSpec& spec, const std::vector<std::size_t>& selected, const JobSelection& selection,
                          int concurrency) {
  nlohmann::json jobs = nlohmann::json::array();
  for (auto index : selected) {
    const JobSpec& job = spec.jobs[index].spec;
    const DryRunReport report = dry_run_job(job);
    const nlohmann::json checks = to_json(report);
    jobs.push_back({{"name", job.name},
                    {"index", index},
                    {"shard", selection.shard ? nlohmann::json(shard_of(job.name, selection.shard->count)) : nlohmann::json()},
                    {"would_run", report.would_run},
                    {"failing_checks", checks["failing_checks"]},
                    {"workdir", job.workdir.string()},
                    {"spec", job.spec_path.string()}});
  }
  return {{"batch", spec.batch_path.string()},
          {"concurrency", concurrency},
          {"shard", selection.shard ? nlohmann::json(fmt::format("{}/{}", selection.shard->index, selection.shard->count))
                                    : nlohmann::json()},
          {"total_jobs", spec.jobs.size()},
          {"selected", std::move(jobs)}};
}

std::string format_batch_plan(const nlohmann::json& plan) {
  util::TextTable table({{}, {}});
  std::size_t would_run = 0;
  for (const auto& job : plan["selected"]) {
    const bool runs = job["would_run"].get<bool>();
    would_run += runs ? 1 : 0;
    table.add_row({job["name"].get<std::string>(),
                   runs ? fmt::format("would run ({} failing check(s))", job["failing_checks"].dump()) : "complete"});
  }
  std::string out = table.render();
  out += fmt::format("{} of {} job(s) selected{}, {} would run, concurrency {}\n", plan["selected"].size(),
                     plan["total_jobs"].get<std::size_t>(),
                     plan["shard"].is_null() ? "" : " (shard " + plan["shard"].get<std::string>() + ")", would_run,
                     plan["concurrency"].get<int>());
  return out;
}

}  // namespace diary::generate
