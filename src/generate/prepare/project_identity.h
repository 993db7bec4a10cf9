// Which project a session belongs to: the canonical root (its recorded cwd, symlinks resolved
// when it exists) keyed as <sanitized basename>-<first 12 hex of SHA-256(root)>. Sessions
// without a usable cwd go to "unknown-project/<source>/<session id>". Thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "generate/prepare/source_discovery.h"

namespace diary::generate::prepare {

struct ProjectIdentity {
  std::string key;    // "ReportGenerator-e6ff7eeda632"
  std::string label;  // "ReportGenerator"
  std::string root;   // canonical root, or the unknown-project identity string
  bool unknown = false;
  friend bool operator==(const ProjectIdentity&, const ProjectIdentity&) = default;
};

// Characters outside [A-Za-z0-9._-] become '-', runs of '-' collapse, at most 48 characters;
// an empty result becomes "unknown-project".
std::string sanitize_project_name(std::string_view name);

// Resolves symlinks when the path exists, otherwise normalizes it lexically.
std::filesystem::path canonical_root(const std::filesystem::path& path);

ProjectIdentity project_identity(const std::optional<std::string>& cwd, SessionSource source, const std::string& session_id);

// True when `path` is `root` or lies below it (both canonicalized).
bool is_inside(const std::filesystem::path& path, const std::filesystem::path& root);

}  // namespace diary::generate::prepare
