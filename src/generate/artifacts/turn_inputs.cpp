#include "generate/artifacts/turn_inputs.h"

#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <tuple>

#include <fmt/format.h>

#include "generate/artifacts/versions.h"
#include "generate/prepare/line_reader.h"
#include "util/sha256.h"

namespace diary::generate::artifacts {

namespace {

// Far above any real record (prepare itself keeps 16 MiB), so a turn's bytes are hashed whole;
// a line beyond even this contributes its kept start plus its full length, so a change in its
// size is still seen.
constexpr std::size_t hash_line_cap = 256u << 20;

// Turn hashes already computed in this process, keyed by the file's identity (device, inode,
// size, modification time) and the turn's line range. One run judges each turn several times
// (the evidence task, then the project task's committed chains, the MCP write tools), and a
// day of 2,000 sessions is 1.2 GiB to hash each time. Session copies are written once by
// prepare (temp + rename: a new inode), so an identity that matches is the same bytes; a copy
// that is replaced or touched misses. Bounded; thread-safe.
class TurnHashCache {
 public:
  using Key = std::tuple<dev_t, ino_t, off_t, std::int64_t, std::int64_t, std::size_t, std::size_t>;

  static Key key_of(const struct stat& info, const workspace::TurnSpan& span) {
    return Key{info.st_dev,
               info.st_ino,
               info.st_size,
               static_cast<std::int64_t>(info.st_mtim.tv_sec),
               static_cast<std::int64_t>(info.st_mtim.tv_nsec),
               span.start_line,
               span.end_line};
  }
  std::optional<std::string> find(const Key& key) {
    std::lock_guard lock(mutex_);
    auto found = hashes_.find(key);
    if (found == hashes_.end()) return std::nullopt;
    return found->second;
  }
  void insert(const Key& key, const std::string& hash) {
    std::lock_guard lock(mutex_);
    if (hashes_.size() >= max_entries) hashes_.clear();
    hashes_.emplace(key, hash);
  }

 private:
  static constexpr std::size_t max_entries = 1u << 20;  // ~100 MiB at most
  std::mutex mutex_;
  std::map<Key, std::string> hashes_;
};

TurnHashCache& turn_hash_cache() {
  static TurnHashCache cache;
  return cache;
}

agent::Result<std::vector<std::string>> hash_spans_of_file(const std::filesystem::path& file,
                                                           const std::vector<workspace::TurnSpan>& spans);

agent::Result<std::vector<std::string>> hash_spans(const std::filesystem::path& file,
                                                   const std::vector<workspace::TurnSpan>& spans) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return hash_spans_of_file(file, spans);
  std::vector<std::string> hashes(spans.size());
  bool all = true;
  for (std::size_t i = 0; i < spans.size() && all; ++i) {
    auto cached = turn_hash_cache().find(TurnHashCache::key_of(info, spans[i]));
    if (cached) hashes[i] = std::move(*cached);
    else all = false;
  }
  if (all) return hashes;
  auto computed = hash_spans_of_file(file, spans);
  if (!computed) return computed;
  for (std::size_t i = 0; i < spans.size(); ++i) turn_hash_cache().insert(TurnHashCache::key_of(info, spans[i]), (*computed)[i]);
  return computed;
}

agent::Result<std::vector<std::string>> hash_spans_of_file(const std::filesystem::path& file,
                                                           const std::vector<workspace::TurnSpan>& spans) {
  std::vector<std::string> hashes(spans.size());
  if (spans.empty()) return hashes;
  std::size_t last = 0;
  for (const auto& span : spans) last = std::max(last, span.end_line);
  // Turns in the order they start, so each line only looks at the turns that can contain it.
  std::vector<std::size_t> order(spans.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return spans[a].start_line < spans[b].start_line; });
  std::vector<std::optional<util::Sha256>> hashers(spans.size());
  std::vector<std::size_t> active;
  std::size_t next_start = 0;

  auto reader = prepare::LineReader::open(file, hash_line_cap);
  if (!reader) return std::unexpected(reader.error());
  std::size_t number = 0;
  while (number < last) {
    const std::uint64_t before = reader->bytes_consumed();
    auto line = reader->next();
    if (!line) return std::unexpected(line.error());
    if (!*line) break;
    ++number;
    while (next_start < order.size() && spans[order[next_start]].start_line <= number) {
      hashers[order[next_start]].emplace();
      active.push_back(order[next_start++]);
    }
    for (std::size_t index : active) {
      if (!spans[index].contains(number)) continue;
      auto& hasher = *hashers[index];
      hasher.update((*line)->text);
      if ((*line)->truncated) hasher.update(fmt::format("\n[{} bytes]", reader->bytes_consumed() - before));
      hasher.update("\n", 1);
    }
    std::erase_if(active, [&](std::size_t index) { return spans[index].end_line <= number; });
  }
  if (number < last)
    return agent::fail(agent::ErrorKind::invalid_input,
                       fmt::format("{} has {} lines but a turn ends at line {}", file.string(), number, last));
  for (std::size_t i = 0; i < spans.size(); ++i) {
    hashers[i]->update(evidence_prompt_version);
    hashes[i] = hashers[i]->hex_digest();
  }
  return hashes;
}

}  // namespace

agent::Result<std::vector<std::string>> session_turn_hashes(const workspace::DayWorkspace& day, std::string_view project_key,
                                                            const workspace::SessionEntry& session) {
  return hash_spans(day.session_file(project_key, session), session.turns);
}

agent::Result<std::string> turn_inputs_sha256(const workspace::DayWorkspace& day, std::string_view project_key,
                                              const workspace::SessionEntry& session, const workspace::TurnSpan& turn) {
  auto hashes = hash_spans(day.session_file(project_key, session), {turn});
  if (!hashes) return std::unexpected(hashes.error());
  return std::move(hashes->front());
}

}  // namespace diary::generate::artifacts
