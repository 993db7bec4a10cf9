#include "generate/batch/batch_select.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace diary::generate {

namespace {

std::optional<int> parse_positive(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

}  // namespace

agent::Result<Shard> parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  const auto bad = [&](const std::string& why) {
    return agent::fail(agent::ErrorKind::invalid_input, "--shard: " + why + ", got '" + std::string(text) + "'");
  };
  if (slash == std::string_view::npos) return bad("expected K/N, e.g. 1/4");
  const auto index = parse_positive(text.substr(0, slash));
  const auto count = parse_positive(text.substr(slash + 1));
  if (!index || !count) return bad("expected K/N with whole numbers K and N of at least 1");
  if (*index > *count) return bad("K must be between 1 and N");
  return Shard{*index, *count};
}

std::uint64_t fnv1a_64(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 1099511628211ull;
  }
  return hash;
}

int shard_of(std::string_view name, int count) {
  return static_cast<int>(fnv1a_64(name) % static_cast<std::uint64_t>(std::max(count, 1))) + 1;
}

agent::Result<std::vector<std::size_t>> select_jobs(const BatchSpec& spec, const JobSelection& selection) {
  std::set<std::string> wanted(selection.only.begin(), selection.only.end());
  std::set<std::string> known;
  for (const auto& job : spec.jobs) known.insert(job.spec.name);
  std::string missing;
  for (const auto& name : selection.only)
    if (!known.count(name) && missing.find("'" + name + "'") == std::string::npos)
      missing += (missing.empty() ? "" : ", ") + ("'" + name + "'");
  if (!missing.empty())
    return agent::fail(agent::ErrorKind::invalid_input, "--only: no job named " + missing + " in " + spec.batch_path.string());

  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < spec.jobs.size(); ++i) {
    const std::string& name = spec.jobs[i].spec.name;
    if (!wanted.empty() && !wanted.count(name)) continue;
    if (selection.shard && shard_of(name, selection.shard->count) != selection.shard->index) continue;
    out.push_back(i);
  }
  return out;
}

}  // namespace diary::generate
