#include "generate/batch/shard_environment.h"

#include <charconv>
#include <cstdlib>
#include <vector>

#include <fmt/format.h>

namespace diary::generate {

namespace {

// One engine's reading: the shard it names, or why it names none.
struct Reading {
  std::string engine;  // for messages: the variables it came from
  agent::Result<Shard> shard;
};

agent::Error bad(std::string message) {
  return agent::Error{agent::ErrorKind::invalid_input, "--shard auto: " + std::move(message)};
}

std::optional<long long> whole_number(const std::string& text) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

agent::Result<long long> number_of(const EnvironmentLookup& env, std::string_view name) {
  const auto text = env(name);
  if (!text) return std::unexpected(bad(fmt::format("{} is not set", name)));
  const auto value = whole_number(*text);
  if (!value) return std::unexpected(bad(fmt::format("{}='{}' is not a whole number", name, *text)));
  return *value;
}

// A 0-based index and a count → the 1-based Shard, range-checked.
agent::Result<Shard> shard_of_zero_based(std::string_view index_name, long long index, std::string_view count_name,
                                         long long count) {
  if (count < 1 || count > 1'000'000)
    return std::unexpected(bad(fmt::format("{}={} must be from 1 to 1000000", count_name, count)));
  if (index < 0 || index >= count)
    return std::unexpected(bad(fmt::format("{}={} is outside 0..{} ({}={})", index_name, index, count - 1, count_name, count)));
  return Shard{.index = static_cast<int>(index + 1), .count = static_cast<int>(count)};
}

agent::Result<Shard> read_pair(const EnvironmentLookup& env, std::string_view index_name, std::string_view count_name) {
  auto index = number_of(env, index_name);
  if (!index) return std::unexpected(index.error());
  auto count = number_of(env, count_name);
  if (!count) return std::unexpected(count.error());
  return shard_of_zero_based(index_name, *index, count_name, *count);
}

agent::Result<Shard> read_slurm(const EnvironmentLookup& env) {
  auto id = number_of(env, "SLURM_ARRAY_TASK_ID");
  if (!id) return std::unexpected(id.error());
  auto count = number_of(env, "SLURM_ARRAY_TASK_COUNT");
  if (!count) return std::unexpected(count.error());
  // Arrays may start anywhere (--array=1-8 is common); a stepped or sparse array
  // (--array=0-15:2, --array=1,5,9) cannot be mapped onto 1..N soundly.
  long long min = 0;
  if (env("SLURM_ARRAY_TASK_MIN")) {
    auto parsed = number_of(env, "SLURM_ARRAY_TASK_MIN");
    if (!parsed) return std::unexpected(parsed.error());
    min = *parsed;
  }
  if (env("SLURM_ARRAY_TASK_MAX")) {
    auto max = number_of(env, "SLURM_ARRAY_TASK_MAX");
    if (!max) return std::unexpected(max.error());
    if (*max - min + 1 != *count)
      return std::unexpected(bad(
          fmt::format("the Slurm array {}-{} has {} task(s) but is not contiguous (SLURM_ARRAY_TASK_COUNT={}); use --array=0-{} "
                      "without a step",
                      min, *max, *max - min + 1, *count, *count - 1)));
  }
  return shard_of_zero_based("SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN", *id - min, "SLURM_ARRAY_TASK_COUNT", *count);
}

}  // namespace

EnvironmentLookup process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

agent::Result<Shard> shard_from_environment(const EnvironmentLookup& env) {
  std::vector<Reading> readings;
  if (env("DIARY_SHARD_INDEX"))
    readings.push_back({"DIARY_SHARD_INDEX/DIARY_SHARD_COUNT", read_pair(env, "DIARY_SHARD_INDEX", "DIARY_SHARD_COUNT")});
  if (env("JOB_COMPLETION_INDEX"))
    readings.push_back({"JOB_COMPLETION_INDEX/DIARY_SHARD_COUNT (Kubernetes Indexed Job)",
                        read_pair(env, "JOB_COMPLETION_INDEX", "DIARY_SHARD_COUNT")});
  if (env("SLURM_ARRAY_TASK_ID"))
    readings.push_back({"SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (Slurm job array)", read_slurm(env)});

  if (readings.empty()) {
    if (env("DIARY_SHARD_COUNT"))
      return std::unexpected(bad("DIARY_SHARD_COUNT is set but no index is (DIARY_SHARD_INDEX or JOB_COMPLETION_INDEX)"));
    return std::unexpected(
        bad("no shard in the environment: set DIARY_SHARD_INDEX (0-based) and DIARY_SHARD_COUNT, run as a Kubernetes "
            "Indexed Job (JOB_COMPLETION_INDEX + DIARY_SHARD_COUNT) or a Slurm job array, or pass --shard K/N"));
  }
  for (const auto& reading : readings)
    if (!reading.shard) return std::unexpected(reading.shard.error());
  for (const auto& reading : readings)
    if (*reading.shard != *readings.front().shard)
      return std::unexpected(
          bad(fmt::format("{} says shard {}/{} but {} says {}/{}", readings.front().engine, readings.front().shard->index,
                          readings.front().shard->count, reading.engine, reading.shard->index, reading.shard->count)));
  return *readings.front().shard;
}

}  // namespace diary::generate
