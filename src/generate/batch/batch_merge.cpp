#include "generate/batch/batch_merge.h"

#include <algorithm>
#include <map>
#include <set>
#include <system_error>

#include <fmt/format.h>
#include <simdjson.h>

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

std::optional<int> small_int(simdjson::simdjson_result<simdjson::dom::element> value) {
  std::int64_t number = 0;
  if (value.get_int64().get(number) != simdjson::SUCCESS || number < 1 || number > 1'000'000) return std::nullopt;
  return static_cast<int>(number);
}

long long int_or_zero(simdjson::simdjson_result<simdjson::dom::element> value) {
  std::int64_t number = 0;
  return value.get_int64().get(number) == simdjson::SUCCESS ? number : 0;
}

// A result.json → ShardRun, checking every field the merge relies on. simdjson, not nlohmann:
// a merge of 100,000 jobs reads ~100 MB of results (docs/PERFORMANCE.md).
agent::Result<ShardRun> parse_run(const fs::path& file) {
  const auto text = util::read_text_file(file);
  if (!text) return std::unexpected(bad_input(fmt::format("{}: cannot read", file.string())));
  const simdjson::padded_string padded(*text);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(padded).get(root) != simdjson::SUCCESS)
    return std::unexpected(bad_input(fmt::format("{}: not valid JSON", file.string())));
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) return std::unexpected(not_a_result(file, "", "an object"));

  ShardRun run;
  run.result_file = file;
  std::string_view string;
  if (object["run_id"].get_string().get(string) != simdjson::SUCCESS)
    return std::unexpected(not_a_result(file, "/run_id", "a string"));
  run.run_id = string;
  if (object["status"].get_string().get(string) != simdjson::SUCCESS)
    return std::unexpected(not_a_result(file, "/status", "a string"));
  run.status = string;

  simdjson::dom::element shard;
  if (object["shard"].get(shard) == simdjson::SUCCESS && !shard.is_null()) {
    if (!shard.is_object()) return std::unexpected(not_a_result(file, "/shard", "null or {index, count}"));
    const auto index = small_int(shard["index"]);
    const auto count = small_int(shard["count"]);
    if (!count) return std::unexpected(not_a_result(file, "/shard/count", "an integer from 1"));
    if (!index || *index > *count) return std::unexpected(not_a_result(file, "/shard/index", "an integer from 1 to count"));
    run.shard = Shard{.index = *index, .count = *count};
  }
  simdjson::dom::element batch;
  if (object["batch"].get(batch) == simdjson::SUCCESS && batch.is_object()) {
    std::uint64_t jobs = 0;
    if (batch["jobs"].get_uint64().get(jobs) == simdjson::SUCCESS) run.batch_jobs = static_cast<std::size_t>(jobs);
    simdjson::dom::array only;
    if (batch["only"].get_array().get(only) == simdjson::SUCCESS) run.filtered = only.size() > 0;
  }

  simdjson::dom::array jobs;
  if (object["jobs"].get_array().get(jobs) != simdjson::SUCCESS) return std::unexpected(not_a_result(file, "/jobs", "an array"));
  std::size_t i = 0;
  for (simdjson::dom::element element : jobs) {
    const std::string pointer = fmt::format("/jobs/{}", i++);
    simdjson::dom::object job_object;
    if (element.get_object().get(job_object) != simdjson::SUCCESS)
      return std::unexpected(not_a_result(file, pointer, "a job result object"));
    ShardJob job;
    if (job_object["name"].get_string().get(string) != simdjson::SUCCESS)
      return std::unexpected(not_a_result(file, pointer + "/name", "a string"));
    job.name = string;
    if (job_object["status"].get_string().get(string) != simdjson::SUCCESS)
      return std::unexpected(not_a_result(file, pointer + "/status", "a string"));
    job.status = string;
    std::uint64_t index = 0;
    if (job_object["index"].get_uint64().get(index) == simdjson::SUCCESS) job.index = static_cast<std::size_t>(index);
    job.attempts = int_or_zero(job_object["attempts"]);
    simdjson::dom::object usage;
    if (job_object["usage"].get_object().get(usage) == simdjson::SUCCESS)
      for (auto field : usage) {
        std::int64_t number = 0;
        if (field.value.get_int64().get(number) == simdjson::SUCCESS) job.usage.emplace_back(std::string(field.key), number);
      }
    job.json = simdjson::minify(element);
    run.jobs.push_back(std::move(job));
  }
  simdjson::dom::element totals;
  if (object["totals"].get(totals) == simdjson::SUCCESS && totals.is_object()) {
    run.tokens = int_or_zero(totals["tokens"]);
    run.duration_ms = int_or_zero(totals["duration_ms"]);
    run.backend_starts = int_or_zero(totals["backend_starts"]);
    run.backend_deaths = int_or_zero(totals["backend_deaths"]);
  }
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

// Sums each numeric member of the jobs' usage objects (whatever fields the backend reports).
json summed_usage(const std::vector<MergedBatch::Job>& jobs) {
  std::map<std::string, long long> sums;
  for (const auto& job : jobs)
    for (const auto& [key, value] : job.result.usage) sums[key] += value;
  json out = json::object();
  for (const auto& [key, sum] : sums) out[key] = sum;
  return out;
}

long long tokens_of(const ShardJob& job) {  // as tokens_used: input + output, else the total
  long long split = 0, total = 0;
  for (const auto& [key, value] : job.usage) {
    if (key == "input_tokens" || key == "output_tokens") split += value;
    if (key == "total_tokens") total = value;
  }
  return split > 0 ? split : total;
}

json merged_totals(const MergedBatch& merged, const std::vector<const ShardRun*>& winners) {
  std::map<std::string, long long> by_status;
  for (auto status : {"complete", "incomplete", "failed", "blocked", "budget_exceeded", "interrupted", "skipped"})
    by_status[status] = 0;
  long long turns = 0;
  for (const auto& job : merged.jobs) {
    ++by_status[job.result.status];
    turns += job.result.attempts;
  }
  json totals = {{"jobs", merged.jobs.size()}};
  for (const auto& [status, count] : by_status) totals[status] = count;
  totals["turns"] = turns;
  long long tokens = 0, duration = 0, starts = 0, deaths = 0;
  for (const ShardRun* run : winners) {
    tokens += run->tokens;
    duration = std::max(duration, run->duration_ms);
    starts += run->backend_starts;
    deaths += run->backend_deaths;
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
    if (!fs::exists(input, error))
      return std::unexpected(bad_input(fmt::format("{}: no such file or directory", input.string())));
    const auto files = result_files_in(input, error);
    if (error) return std::unexpected(bad_input(fmt::format("{}: {}", input.string(), error.message())));
    if (files.empty())
      return std::unexpected(bad_input(
          fmt::format("{}: no batch result here (a run directory holds result.json; give a run directory or the directory above "
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
    MergedShard shard{
        .index = index, .run_id = of.front()->run_id, .status = of.front()->status, .result_file = of.front()->result_file};
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
    int shard;
    ShardJob* job;
  };
  std::vector<Entry> entries;
  std::map<std::string, std::vector<int>> shards_of_job;
  for (auto& [index, of] : by_shard) {
    for (auto& job : of.front()->jobs) {
      auto& shards = shards_of_job[job.name];
      shards.push_back(index);
      if (shards.size() > 1) continue;  // reported below as a conflict; the first shard's result stands
      entries.push_back({job.index.value_or(SIZE_MAX), index, &job});
    }
  }
  for (auto& [name, shards] : shards_of_job) {
    if (shards.size() < 2) {
      if (merged.shard_count > 1 && shard_of(name, merged.shard_count) != shards.front())
        merged.conflicts.push_back(
            {name, shards,
             fmt::format("job {} belongs to shard {}/{} by its name but shard {}/{} ran it", name,
                         shard_of(name, merged.shard_count), merged.shard_count, shards.front(), merged.shard_count)});
      continue;
    }
    std::sort(shards.begin(), shards.end());
    merged.conflicts.push_back(
        {name, shards,
         fmt::format("job {} was reported by {} shards ({}); the result of shard {}/{} is kept", name, shards.size(),
                     shard_list(shards, merged.shard_count), shards.front(), merged.shard_count)});
  }
  // Batch-file order; runs from before the index was recorded sort by name after the rest.
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.order != b.order ? a.order < b.order : a.job->name < b.job->name; });
  bool every_job_complete = true;
  merged.jobs.reserve(entries.size());
  for (auto& entry : entries) {
    every_job_complete = every_job_complete && entry.job->status == "complete";
    merged.jobs.push_back({std::move(*entry.job), entry.shard});
  }

  // The job count is checkable when every shard reported, none was filtered with --only and the
  // batch size was recorded.
  const bool any_filtered = std::any_of(winners.begin(), winners.end(), [](const ShardRun* run) { return run->filtered; });
  std::optional<std::size_t> batch_jobs;
  for (const ShardRun* run : winners) {
    if (!run->batch_jobs) continue;
    if (batch_jobs && *batch_jobs != *run->batch_jobs)
      merged.problems.push_back(
          fmt::format("the shards disagree on the batch's size ({} and {} jobs): were they run "
                      "from the same batch file?",
                      *batch_jobs, *run->batch_jobs));
    batch_jobs = run->batch_jobs;
  }
  if (merged.missing_shards.empty() && !any_filtered && batch_jobs && *batch_jobs != merged.jobs.size())
    merged.problems.push_back(fmt::format("the batch has {} job(s) but the shards reported {}", *batch_jobs, merged.jobs.size()));

  merged.totals = merged_totals(merged, winners);
  merged.complete = merged.missing_shards.empty() && merged.conflicts.empty() && merged.problems.empty() && every_job_complete;
  if (!merged.missing_shards.empty())
    merged.reason = fmt::format("{} of {} shard(s) missing: {}", merged.missing_shards.size(), merged.shard_count,
                                shard_list(merged.missing_shards, merged.shard_count));
  else if (!merged.conflicts.empty()) merged.reason = fmt::format("{} job(s) with conflicting results", merged.conflicts.size());
  else if (!merged.problems.empty()) merged.reason = merged.problems.front();
  else if (!every_job_complete)
    merged.reason = fmt::format("{} of {} job(s) not complete", merged.jobs.size() - merged.totals["complete"].get<std::size_t>(),
                                merged.jobs.size());
  else merged.reason = fmt::format("{} job(s) complete on {} shard(s)", merged.jobs.size(), merged.shard_count);
  return merged;
}

std::string merged_json_text(const MergedBatch& merged) {
  json shards = json::array();
  for (const auto& shard : merged.shards)
    shards.push_back({{"index", shard.index},
                      {"run_id", shard.run_id},
                      {"status", shard.status},
                      {"result_file", shard.result_file.string()},
                      {"superseded", shard.superseded}});
  json conflicts = json::array();
  for (const auto& conflict : merged.conflicts)
    conflicts.push_back({{"job", conflict.job}, {"shards", conflict.shards}, {"message", conflict.message}});
  const json head = {{"status", merged.complete ? "complete" : "incomplete"},
                     {"reason", merged.reason},
                     {"shard_count", merged.shard_count},
                     {"shards", std::move(shards)},
                     {"missing_shards", merged.missing_shards},
                     {"conflicts", std::move(conflicts)},
                     {"problems", merged.problems}};
  // The small members pretty-printed as everywhere else, then one job per line.
  auto member_text = [](const char* key, const json& value) {
    std::string text = json(value).dump(2, ' ', false, json::error_handler_t::replace);
    for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 1)) text.insert(at + 1, "  ");
    return fmt::format("  \"{}\": {}", key, text);
  };
  std::string out = "{\n";
  for (const char* key : {"status", "reason", "shard_count", "shards", "missing_shards", "conflicts", "problems"})
    out += member_text(key, head[key]) + ",\n";
  out += "  \"jobs\": [";
  for (std::size_t i = 0; i < merged.jobs.size(); ++i) {
    const auto& job = merged.jobs[i];
    out += i == 0 ? "\n    " : ",\n    ";
    // {"shard":K, <the job's own members>}: the shard first, the shard's object untouched.
    out += fmt::format("{{\"shard\":{}{}{}", job.shard, job.result.json.size() > 2 ? "," : "",
                       std::string_view(job.result.json).substr(1));
  }
  out += merged.jobs.empty() ? "],\n" : "\n  ],\n";
  out += member_text("totals", merged.totals) + "\n}";
  return out;
}

std::string format_merge_table(const MergedBatch& merged) {
  std::size_t name_width = 3;
  for (const auto& job : merged.jobs) name_width = std::max(name_width, job.result.name.size());
  name_width = std::min<std::size_t>(name_width, 40);
  std::string out = fmt::format("{:<{}}  {:>5}  {:<15}  {:>5}  {:>9}\n", "JOB", name_width, "SHARD", "STATUS", "TURNS", "TOKENS");
  for (const auto& job : merged.jobs) {
    std::string name = job.result.name;
    if (name.size() > name_width) name = name.substr(0, name_width - 3) + "...";
    out += fmt::format("{:<{}}  {:>5}  {:<15}  {:>5}  {:>9}\n", name, name_width, job.shard, job.result.status,
                       job.result.attempts, tokens_of(job.result));
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
                     merged.complete ? "complete" : "incomplete", merged.jobs.size(), merged.shards.size(), merged.shard_count,
                     merged.totals["complete"].get<long long>(), merged.totals["turns"].get<long long>(),
                     merged.totals["tokens"].get<long long>());
  if (!merged.complete) out += "  " + merged.reason + "\n";
  return out;
}

}  // namespace diary::generate
