#include "generate/prepare/project_identity.h"

#include <algorithm>

#include "util/sha256.h"

namespace diary::generate::prepare {

namespace {
constexpr std::size_t max_name_length = 48;
constexpr std::string_view unknown_name = "unknown-project";

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}
}  // namespace

std::string sanitize_project_name(std::string_view name) {
  std::string out;
  for (char c : name) {
    char mapped = is_name_char(c) ? c : '-';
    if (mapped == '-' && !out.empty() && out.back() == '-') continue;
    out.push_back(mapped);
  }
  if (out.size() > max_name_length) out.resize(max_name_length);
  if (out.empty() || out == "-" || out == "." || out == "..") return std::string(unknown_name);
  return out;
}

std::filesystem::path canonical_root(const std::filesystem::path& path) {
  std::error_code error;
  auto resolved = std::filesystem::weakly_canonical(path, error);
  if (error) resolved = path.lexically_normal();
  // "/x/y/" and "/x/y" are the same project.
  auto text = resolved.string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

ProjectIdentity project_identity(const std::optional<std::string>& cwd, SessionSource source, const std::string& session_id) {
  ProjectIdentity identity;
  if (cwd && !cwd->empty() && std::filesystem::path(*cwd).is_absolute()) {
    identity.root = canonical_root(*cwd).string();
    identity.label = sanitize_project_name(std::filesystem::path(identity.root).filename().string());
  } else {
    identity.unknown = true;
    identity.root = std::string(unknown_name) + "/" + std::string(to_string(source)) + "/" + session_id;
    identity.label = std::string(unknown_name);
  }
  identity.key = identity.label + "-" + util::sha256_hex(identity.root).substr(0, 12);
  return identity;
}

bool is_inside(const std::filesystem::path& path, const std::filesystem::path& root) {
  const auto candidate = canonical_root(path);
  const auto base = canonical_root(root);
  auto [base_end, candidate_end] = std::mismatch(base.begin(), base.end(), candidate.begin(), candidate.end());
  return base_end == base.end();
}

}  // namespace diary::generate::prepare
