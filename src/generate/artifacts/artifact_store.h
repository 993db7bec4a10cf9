// Reading and committing generate's JSON artifacts safely: every write goes through
// util::write_file_atomically (a reader never sees half a file), and read-modify-write happens under an exclusive
// flock on a sidecar lock file (<dir>/.<name>.lock, stable across renames), so two processes
// appending to one card never lose a chain. Thread-safe (the lock is per process and file).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "agent/error.h"

namespace diary::generate::artifacts {

// Pretty JSON (2 spaces), UTF-8 kept as is (invalid bytes replaced), trailing newline.
std::string artifact_text(const nlohmann::json& value);

// Atomically replaces `path` with artifact_text(value) (util::write_file_atomically; creates
// parent folders).
agent::Result<void> write_json_atomic(const std::filesystem::path& path, const nlohmann::json& value);

// What a JSON artifact file holds right now.
struct StoredJson {
  bool exists = false;
  std::optional<nlohmann::json> value;  // nullopt when it exists but does not parse
};
StoredJson read_stored_json(const std::filesystem::path& path);

// Holds an exclusive flock for the artifact at `path` until destroyed.
class ArtifactLock {
 public:
  static agent::Result<ArtifactLock> acquire(const std::filesystem::path& path);
  ArtifactLock(ArtifactLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  ArtifactLock& operator=(ArtifactLock&&) = delete;
  ~ArtifactLock();

 private:
  explicit ArtifactLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// Under the lock: reads the current value, calls `update`; when it returns a value, commits it
// atomically. `update` returning nullopt leaves the file untouched (a rejected call).
agent::Result<bool> update_json_locked(const std::filesystem::path& path,
                                       const std::function<std::optional<nlohmann::json>(const StoredJson& current)>& update);

}  // namespace diary::generate::artifacts
