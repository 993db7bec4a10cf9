// Keeping declared paths inside a job's working directory: lexical checks (absolute paths, "..")
// for spec validation and glob rules, and resolution through symlinks for checks made on disk
// (an agent may create a symlink that points out). Pure functions over std::filesystem.
#pragma once

#include <filesystem>
#include <string_view>

#include "agent/error.h"

namespace diary::generate {

// `relative` normalized ("a/./b" -> "a/b") when it is a non-empty relative path that stays
// inside its base lexically; ErrorKind::invalid_input otherwise.
agent::Result<std::filesystem::path> normalize_relative(std::string_view relative);

// True when `path` equals `root` or lies below it, comparing normalized components.
bool is_within(const std::filesystem::path& root, const std::filesystem::path& path);

// `workdir / relative` after normalize_relative, also refusing a path whose existing part
// resolves (through symlinks) outside canonical(workdir). `workdir` must exist.
agent::Result<std::filesystem::path> resolve_in_workdir(const std::filesystem::path& workdir, std::string_view relative);

}  // namespace diary::generate
