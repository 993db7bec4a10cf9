#include "generate/batch/batch_merge.h"

#include <algorithm>
#include <map>
#include <set>
#include <system_error>

#include <fmt/format.h>

#include "util/text_file.h"

namespace diary::generate {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

agent::Error bad_input(std::string message) { return agent::Error{agent::ErrorKind::invalid_input, std::move(message)}; }

agent::Error not_a_result(const fs::path& file, std::string_view pointer, std::string_view expected) {
  return bad_input(fmt::format("{}: {}: expected {} (is this a `diary batch run` result.json?)", file.string(),
                               pointer.empty() ? "/" : pointer, expected));
}

const json* member(const json& object, const char* key) {
  auto found = object.find(key);
  return found == object.end() ? nullptr : &*found;
}

std::optional<int> small_int(const json* value) {
  if (value == nullptr || !value->is_number_integer()) return std::nullopt;
  const auto number = value->get<long long>();
  if (number < 1 || number > 1'000'000) return std::nullopt;
  return static_cast<int>(number);
}

// A result.json → ShardRun, checking every field the merge relies on.
agent::Result<ShardRun> parse_run(const fs::path& file) {
  const auto text = util::read_text_file(file);
  if (!text) return std::unexpected(bad_input(fmt::format("{}: cannot read", file.string())));
  json root = json::parse(*text, nullptr, false);
  if (root.is_discarded()) return std::unexpected(bad_input(fmt::format("{}: not valid JSON", file.string())));
  if (!root.is_object()) return std::unexpected(not_a_result(file, "", "an object"));

  ShardRun run;
  run.result_file = file;
  const json* run_id = member(root, "run_id");
  if (run_id == nullptr || !run_id->is_string()) return std::unexpected(not_a_result(file, "/run_id", "a string"));
  run.run_id = run_id->get<std::string>();
  const json* status = member(root, "status");
  if (status == nullptr || !status->is_string()) return std::unexpected(not_a_result(file, "/status", "a string"));
  run.status = status->get<std::string>();

  if (const json* shard = member(root, "shard"); shard != nullptr && !shard->is_null()) {
    if (!shard->is_object()) return std::unexpected(not_a_result(file, "/shard", "null or {index, count}"));
    const auto index = small_int(member(*shard, "index"));
    const auto count = small_int(member(*shard, "count"));
    if (!count) return std::unexpected(not_a_result(file, "/shard/count", "an integer from 1"));
    if (!index || *index > *count) return std::unexpected(not_a_result(file, "/shard/index", "an integer from 1 to count"));
    run.shard = Shard{.index = *index, .count = *count};
  }
  if (const json* batch = member(root, "batch"); batch != nullptr && batch->is_object()) {
    if (const json* jobs = member(*batch, "jobs"); jobs != nullptr && jobs->is_number_unsigned())
      run.batch_jobs = jobs->get<std::size_t>();
    if (const json* only = member(*batch, "only"); only != nullptr && only->is_array()) run.filtered = !only->empty();
  }

  json* jobs = root.contains("jobs") ? &root["jobs"] : nullptr;
  if (jobs == nullptr || !jobs->is_array()) return std::unexpected(not_a_result(file, "/jobs", "an array"));
  for (std::size_t i = 0; i < jobs->size(); ++i) {
    const json& job = (*jobs)[i];
    const std::string pointer = fmt::format("/jobs/{}", i);
    if (!job.is_object()) return std::unexpected(not_a_result(file, pointer, "a job result object"));
    const json* name = member(job, "name");
    if (name == nullptr || !name->is_string()) return std::unexpected(not_a_result(file, pointer + "/name", "a string"));
    const json* job_status = member(job, "status");
    if (job_status == nullptr || !job_status->is_string())
      return std::unexpected(not_a_result(file, pointer + "/status", "a string"));
  }
  run.jobs = std::move(*jobs);
  if (const json* totals = member(root, "totals"); totals != nullptr && totals->is_object()) run.totals = *totals;
  return run;
}

std::vector<fs::path> result_files_in(const fs::path& input, std::error_code& error) {
  std::vector<fs::path> files;
  if (fs::is_regular_file(input, error)) return {input};
  if (fs::is_regular_file(input / "result.json", error)) return {input / "result.json"};
  for (fs::directory_iterator it(input, error), end; !error && it != end; it.increment(error)) {
    std::error_code ignored;
    if (it->is_directory(ignored) && fs::is_regular_file(it->path() / "result.json", ignored))
      files.push_back(it->path() / "result.json");
  }
  std::sort(files.begin(), files.end());
  return files;
}

long long integer_or_zero(const json& object, const char* key) {
  const json* value = member(object, key);
  return value != nullptr && value->is_number_integer() ? value->get<long long>() : 0;
}

// Sums every numeric member of the jobs' usage objects (whatever fields the backend reports).
json summed_usage(const json& jobs) {
  std::map<std::string, long long> sums;
  for (const auto& job : jobs) {
    const json* usage = member(job, "usage");
    if (usage == nullptr || !usage->is_object()) continue;
    for (const auto& [key, value] : usage->items())
      if (value.is_number_integer()) sums[key] += value.get<long long>();
  }
  json out = json::object();
  for (const auto& [key, sum] : sums) out[key] = sum;
  return out;
}

json merged_totals(const MergedBatch& merged, const std::vector<const ShardRun*>& winners) {
  std::map<std::string, long long> by_status;
  for (auto status : {"complete", "incomplete", "failed", "blocked", "budget_exceeded", "interrupted", "skipped"})
    by_status[status] = 0;
  long long turns = 0;
  for (const auto& job : merged.jobs) {
    ++by_status[job["status"].get<std::string>()];
    turns += integer_or_zero(job, "attempts");
  }
  json totals = {{"jobs", merged.jobs.size()}};
  for (const auto& [status, count] : by_status) totals[status] = count;
  totals["turns"] = turns;
  long long tokens = 0, duration = 0, starts = 0, deaths = 0;
  for (const ShardRun* run : winners) {
    tokens += integer_or_zero(run->totals, "tokens");
    duration = std::max(duration, integer_or_zero(run->totals, "duration_ms"));
    starts += integer_or_zero(run->totals, "backend_starts");
    deaths += integer_or_zero(run->totals, "backend_deaths");
  }
  totals["tokens"] = tokens;
  totals["usage"] = summed_usage(merged.jobs);
  totals["longest_shard_ms"] = duration;  // shards run side by side: the batch took about this long
  totals["shards"] = merged.shards.size();
  totals["backend_starts"] = starts;
  totals["backend_deaths"] = deaths;
  return totals;
}

std::string shard_list(const std::vector<int>& shards, int count) {
  std::string out;
  for (int shard : shards) out += fmt::format("{}{}/{}", out.empty() ? "" : ", ", shard, count);
  return out;
}

}  // namespace

agent::Result<std::vector<ShardRun>> read_shard_runs(const std::vector<fs::path>& inputs) {
  std::vector<ShardRun> runs;
  std::set<std::string> seen;  // run ids, so overlapping inputs count a run once
  for (const auto& input : inputs) {
    std::error_code error;
    if (!fs::exists(input, error)) return std::unexpected(bad_input(fmt::format("{}: no such file or directory", input.string())));
    const auto files = result_files_in(input, error);
    if (error) return std::unexpected(bad_input(fmt::format("{}: {}", input.string(), error.message())));
    if (files.empty())
      return std::unexpected(bad_input(fmt::format(
          "{}: no batch result here (a run directory holds result.json; give a run directory or the directory above "
          "them)",
          input.string())));
    for (const auto& file : files) {
      auto run = parse_run(file);
      if (!run) return std::unexpected(run.error());
      if (seen.insert(run->run_id).second) runs.push_back(std::move(*run));
    }
  }
  return runs;
}

agent::Result<MergedBatch> merge_shard_runs(std::vector<ShardRun> runs) {
  if (runs.empty()) return std::unexpected(bad_input("nothing to merge"));
  std::map<int, std::vector<const ShardRun*>> counts;  // shard count → runs
  for (const auto& run : runs) counts[run.shard.count].push_back(&run);
  if (counts.size() > 1) {
    std::string detail;
    for (const auto& [count, of] : counts)
      detail += fmt::format("{}{} run(s) of N={} (e.g. {})", detail.empty() ? "" : ", ", of.size(), count,
                            of.front()->result_file.string());
    return std::unexpected(bad_input("these runs are not shards of one split: " + detail));
  }

  MergedBatch merged;
  merged.shard_count = counts.begin()->first;
  // Per shard the newest run wins: re-running a shard after a failure is the normal recovery,
  // and batches are idempotent, so its newest result is the shard's state.
  std::map<int, std::vector<ShardRun*>> by_shard;
  for (auto& run : runs) by_shard[run.shard.index].push_back(&run);
  std::vector<const ShardRun*> winners;
  for (auto& [index, of] : by_shard) {
    std::sort(of.begin(), of.end(), [](const ShardRun* a, const ShardRun* b) { return a->run_id > b->run_id; });
    MergedShard shard{.index = index, .run_id = of.front()->run_id, .status = of.front()->status,
                      .result_file = of.front()->result_file};
    for (std::size_t i = 1; i < of.size(); ++i) shard.superseded.push_back(of[i]->run_id);
    merged.shards.push_back(std::move(shard));
    winners.push_back(of.front());
  }
  for (int index = 1; index <= merged.shard_count; ++index)
    if (!by_shard.contains(index)) merged.missing_shards.push_back(index);

  // Every job once. A job's batch-file index orders the result; runs from before the index was
  // recorded sort by name after the indexed ones.
  struct Entry {
    std::size_t order;
    std::string name;
    int shard;
    json* job;
  };
  std::vector<Entry> entries;
  std::map<std::string, std::vector<int>> shards_of_job;
  for (const ShardRun* run : winners) {
    for (auto& job : const_cast<json&>(run->jobs)) {
      const std::string name = job["name"].get<std::string>();
      auto& shards = shards_of_job[name];
      shards.push_back(run->shard.index);
      if (shards.size() > 1) continue;  // reported below as a conflict; the first shard's result stands
      const json* index = member(job, "index");
      const std::size_t order = index != nullptr && index->is_number_unsigned() ? index->get<std::size_t>() : SIZE_MAX;
      entries.push_back({order, name, run->shard.index, &job});
    }
  }
  for (auto& [name, shards] : shards_of_job) {
    if (shards.size() < 2) {
      if (merged.shard_count > 1 && shard_of(name, merged.shard_count) != shards.front())
        merged.conflicts.push_back({name, shards,
                                    fmt::format("job {} belongs to shard {}/{} by its name but shard {}/{} ran it", name,
                                                shard_of(name, merged.shard_count), merged.shard_count, shards.front(),
                                                merged.shard_count)});
      continue;
    }
    std::sort(shards.begin(), shards.end());
    merged.conflicts.push_back({name, shards,
                                fmt::format("job {} was reported by {} shards ({}); the result of shard {}/{} is kept",
                                            name, shards.size(), shard_list(shards, merged.shard_count), shards.front(),
                                            merged.shard_count)});
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.order != b.order ? a.order < b.order : a.name < b.name;
  });
  merged.jobs = json::array();
  bool every_job_complete = true;
  for (auto& entry : entries) {
    json job = std::move(*entry.job);
    job["shard"] = entry.shard;
    every_job_complete = every_job_complete && job["status"] == "complete";
    merged.jobs.push_back(std::move(job));
  }

  // The job count is checkable when every shard reported, none was filtered with --only and the
  // batch size was recorded.
  const bool any_filtered = std::any_of(winners.begin(), winners.end(), [](const ShardRun* run) { return run->filtered; });
  std::optional<std::size_t> batch_jobs;
  for (const ShardRun* run : winners) {
    if (!run->batch_jobs) continue;
    if (batch_jobs && *batch_jobs != *run->batch_jobs)
      merged.problems.push_back(fmt::format("the shards disagree on the batch's size ({} and {} jobs): were they run "
                                            "from the same batch file?",
                                            *batch_jobs, *run->batch_jobs));
    batch_jobs = run->batch_jobs;
  }
  if (merged.missing_shards.empty() && !any_filtered && batch_jobs && *batch_jobs != merged.jobs.size())
    merged.problems.push_back(
        fmt::format("the batch has {} job(s) but the shards reported {}", *batch_jobs, merged.jobs.size()));

  merged.totals = merged_totals(merged, winners);
  merged.complete = merged.missing_shards.empty() && merged.conflicts.empty() && merged.problems.empty() && every_job_complete;
  if (!merged.missing_shards.empty())
    merged.reason = fmt::format("{} of {} shard(s) missing: {}", merged.missing_shards.size(), merged.shard_count,
                                shard_list(merged.missing_shards, merged.shard_count));
  else if (!merged.conflicts.empty())
    merged.reason = fmt::format("{} job(s) with conflicting results", merged.conflicts.size());
  else if (!merged.problems.empty())
    merged.reason = merged.problems.front();
  else if (!every_job_complete)
    merged.reason = fmt::format("{} of {} job(s) not complete",
                                merged.jobs.size() - static_cast<std::size_t>(merged.totals["complete"].get<long long>()),
                                merged.jobs.size());
  else
    merged.reason = fmt::format("{} job(s) complete on {} shard(s)", merged.jobs.size(), merged.shard_count);
  return merged;
}

json to_json(const MergedBatch& merged) {
  json shards = json::array();
  for (const auto& shard : merged.shards)
    shards.push_back({{"index", shard.index}, {"run_id", shard.run_id}, {"status", shard.status},
                      {"result_file", shard.result_file.string()}, {"superseded", shard.superseded}});
  json conflicts = json::array();
  for (const auto& conflict : merged.conflicts)
    conflicts.push_back({{"job", conflict.job}, {"shards", conflict.shards}, {"message", conflict.message}});
  return {{"status", merged.complete ? "complete" : "incomplete"},
          {"reason", merged.reason},
          {"shard_count", merged.shard_count},
          {"shards", std::move(shards)},
          {"missing_shards", merged.missing_shards},
          {"conflicts", std::move(conflicts)},
          {"problems", merged.problems},
          {"jobs", merged.jobs},
          {"totals", merged.totals}};
}

std::string format_merge_table(const MergedBatch& merged) {
  std::size_t name_width = 3;
  for (const auto& job : merged.jobs) name_width = std::max(name_width, job["name"].get_ref<const std::string&>().size());
  name_width = std::min<std::size_t>(name_width, 40);
  std::string out = fmt::format("{:<{}}  {:>5}  {:<15}  {:>5}  {:>9}\n", "JOB", name_width, "SHARD", "STATUS", "TURNS", "TOKENS");
  for (const auto& job : merged.jobs) {
    std::string name = job["name"].get<std::string>();
    if (name.size() > name_width) name = name.substr(0, name_width - 3) + "...";
    long long tokens = 0;
    if (const json* usage = member(job, "usage"); usage != nullptr && usage->is_object())
      tokens = integer_or_zero(*usage, "input_tokens") + integer_or_zero(*usage, "output_tokens");
    if (tokens == 0)  // as tokens_used: a backend that reports only a total
      if (const json* usage = member(job, "usage"); usage != nullptr && usage->is_object())
        tokens = integer_or_zero(*usage, "total_tokens");
    out += fmt::format("{:<{}}  {:>5}  {:<15}  {:>5}  {:>9}\n", name, name_width, job["shard"].get<int>(),
                       job["status"].get<std::string>(), integer_or_zero(job, "attempts"), tokens);
  }
  for (const auto& shard : merged.shards) {
    out += fmt::format("shard {}/{}: {} (run {}, {})", shard.index, merged.shard_count, shard.status, shard.run_id,
                       shard.result_file.string());
    if (!shard.superseded.empty()) out += fmt::format("; newer than {} earlier run(s)", shard.superseded.size());
    out += "\n";
  }
  if (!merged.missing_shards.empty())
    out += fmt::format("missing: shard {} reported nothing\n", shard_list(merged.missing_shards, merged.shard_count));
  for (const auto& conflict : merged.conflicts) out += "conflict: " + conflict.message + "\n";
  for (const auto& problem : merged.problems) out += "problem: " + problem + "\n";
  out += fmt::format("merge {}: {} job(s) from {} of {} shard(s); {} complete; {} turn(s); {} tokens\n",
                     merged.complete ? "complete" : "incomplete", merged.jobs.size(), merged.shards.size(),
                     merged.shard_count, merged.totals["complete"].get<long long>(), merged.totals["turns"].get<long long>(),
                     merged.totals["tokens"].get<long long>());
  if (!merged.complete) out += "  " + merged.reason + "\n";
  return out;
}

}  // namespace diary::generate
