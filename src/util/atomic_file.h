// Writing files so that a reader sees the old content or the new, never half of either: the one
// helper for it. A file is written under a temporary sibling name and made visible by an
// explicit commit() (fsync of the file, rename over the target, fsync of the directory); an
// AtomicFile destroyed uncommitted removes its temporary. Directories built under a temporary
// sibling are swapped in the same way (replace_directory). No diary concepts; errors are one
// line naming the path and the system's reason. An AtomicFile is used by one thread at a time.
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

namespace diary::util {

using IoResult = std::expected<void, std::string>;

// Writes all of `data` to `fd`, retrying short writes and EINTR. False with errno set on error.
bool write_all(int fd, std::string_view data);

// A fresh name next to `target`: ".<name>.tmp-<pid>-<n>-<random>" (the pid lets
// remove_abandoned_temporaries recognise leftovers of a killed process).
std::filesystem::path temporary_sibling(const std::filesystem::path& target);

// Removes temporaries of `target` (files or folders) left by processes that no longer run.
void remove_abandoned_temporaries(const std::filesystem::path& target);

// fsync of a directory, so that a rename inside it survives a crash.
IoResult sync_directory(const std::filesystem::path& directory);

class AtomicFile {
 public:
  // Creates the temporary (and the target's parent folders).
  static std::expected<AtomicFile, std::string> create(const std::filesystem::path& target);

  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  ~AtomicFile();

  IoResult write(std::string_view data);
  // fsync, rename over the target, fsync of the folder. At most once; later writes fail.
  IoResult commit();

  const std::filesystem::path& target() const { return target_; }

 private:
  AtomicFile(std::filesystem::path target, std::filesystem::path temporary, int fd);

  std::filesystem::path target_;
  std::filesystem::path temporary_;
  int fd_ = -1;
  bool committed_ = false;
};

// create + write + commit: replaces `target` with `text`.
IoResult write_file_atomically(const std::filesystem::path& target, std::string_view text);

// Moves the folder `built` to `target`. When `target` exists and `replace` holds, the two are
// swapped atomically (RENAME_EXCHANGE; moved aside first where the kernel cannot) and the old
// content ends up at `built` for the caller to delete. The parent folder is synced.
IoResult replace_directory(const std::filesystem::path& built, const std::filesystem::path& target, bool replace);

}  // namespace diary::util
