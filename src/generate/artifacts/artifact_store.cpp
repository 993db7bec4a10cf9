#include "generate/artifacts/artifact_store.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

#include "util/atomic_file.h"
#include "util/text_file.h"

namespace diary::generate::artifacts {

namespace fs = std::filesystem;

namespace {

std::unexpected<agent::Error> io_error(const fs::path& path, std::string_view what) {
  return agent::fail(agent::ErrorKind::io, fmt::format("{}: {}: {}", path.string(), what, std::strerror(errno)));
}

fs::path lock_path(const fs::path& path) { return path.parent_path() / ("." + path.filename().string() + ".lock"); }

}  // namespace

std::string artifact_text(const nlohmann::json& value) {
  return value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

agent::Result<void> write_json_atomic(const fs::path& path, const nlohmann::json& value) {
  if (auto written = util::write_file_atomically(path, artifact_text(value)); !written)
    return agent::fail(agent::ErrorKind::io, written.error());
  return {};
}

StoredJson read_stored_json(const fs::path& path) {
  StoredJson stored;
  std::error_code error;
  if (!fs::exists(path, error)) return stored;
  stored.exists = true;
  auto text = util::read_text_file(path);
  if (!text) return stored;
  auto value = nlohmann::json::parse(*text, nullptr, false);
  if (!value.is_discarded()) stored.value = std::move(value);
  return stored;
}

agent::Result<ArtifactLock> ArtifactLock::acquire(const fs::path& path) {
  std::error_code error;
  fs::create_directories(path.parent_path(), error);
  const fs::path lock = lock_path(path);
  const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return io_error(lock, "cannot open lock file");
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    const auto failure = io_error(lock, "cannot lock");
    ::close(fd);
    return failure;
  }
  return ArtifactLock(fd);
}

ArtifactLock::~ArtifactLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

agent::Result<bool> update_json_locked(const fs::path& path,
                                       const std::function<std::optional<nlohmann::json>(const StoredJson&)>& update) {
  auto lock = ArtifactLock::acquire(path);
  if (!lock) return std::unexpected(lock.error());
  auto next = update(read_stored_json(path));
  if (!next) return false;
  auto written = write_json_atomic(path, *next);
  if (!written) return std::unexpected(written.error());
  return true;
}

}  // namespace diary::generate::artifacts
