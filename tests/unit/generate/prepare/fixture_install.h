// Test helper shared by the prepare tests: copies committed session fixtures
// (tests/fixtures/codex, tests/fixtures/claude) into a scratch folder, replacing the scrubbed
// "/fixture" prefix with a real scratch path so that cwds and reports roots are real folders.
// Header-only; used from one test thread.
#pragma once

#include <filesystem>
#include <string>

#include "support/scratch_dir.h"

namespace diary::test {

inline std::filesystem::path fixtures_dir() { return std::filesystem::path(DIARY_TEST_SOURCE_DIR) / "tests" / "fixtures"; }

inline std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// Copies fixtures/<relative> (a file or a folder tree) to `destination`, rewriting "/fixture/"
// to "<fixture_root>/" inside every file.
inline void install_fixture(const std::filesystem::path& relative, const std::filesystem::path& destination,
                            const std::filesystem::path& fixture_root) {
  const auto source = fixtures_dir() / relative;
  auto copy_one = [&](const std::filesystem::path& from, const std::filesystem::path& to) {
    write_file(to, replace_all(read_file(from), "/fixture/", fixture_root.string() + "/"));
  };
  if (std::filesystem::is_regular_file(source)) {
    copy_one(source, destination);
    return;
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(source))
    if (entry.is_regular_file() && entry.path().extension() == ".jsonl")
      copy_one(entry.path(), destination / std::filesystem::relative(entry.path(), source));
}

// The single .jsonl file of a fixture folder such as "codex/alpha".
inline std::filesystem::path only_session_in(const std::filesystem::path& folder) {
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    if (entry.path().extension() == ".jsonl") return entry.path();
  throw std::runtime_error("no session file in " + folder.string());
}

}  // namespace diary::test
