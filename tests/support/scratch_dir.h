// Per-test scratch directories under the build tree (never /tmp: codex refuses to install its
// sandbox helpers under the temp dir). Each ScratchDir is removed when it goes out of scope
// unless DIARY_KEEP_SCRATCH is set.
#pragma once

#include <filesystem>
#include <string>

namespace diary::test {

class ScratchDir {
 public:
  // A fresh, empty directory named after the running GoogleTest test.
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& content);

}  // namespace diary::test
