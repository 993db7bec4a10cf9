// Finding programs: the one PATH search (and the one "is this an executable file" test) used by
// codex discovery and doctor. Reads the environment; no other state, thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace diary::util {

// A regular file (after symlinks) the process may execute.
bool is_executable_file(const std::filesystem::path& path);

// The first executable `program` in the ':'-separated `search_path` (empty entries skipped, as
// diary never wants the current directory); nullopt when there is none.
std::optional<std::filesystem::path> find_in_search_path(std::string_view program, std::string_view search_path);

// find_in_search_path with $PATH (nullopt when PATH is unset).
std::optional<std::filesystem::path> find_on_path(std::string_view program);

}  // namespace diary::util
