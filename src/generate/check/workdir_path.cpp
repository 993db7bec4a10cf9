#include "generate/check/workdir_path.h"

#include <string>

namespace diary::generate {

namespace fs = std::filesystem;

agent::Result<fs::path> normalize_relative(std::string_view relative) {
  const std::string text(relative);
  if (text.empty()) return agent::fail(agent::ErrorKind::invalid_input, "path is empty");
  const fs::path path(text);
  if (path.is_absolute() || path.has_root_name() || path.has_root_directory())
    return agent::fail(agent::ErrorKind::invalid_input, "path '" + text + "' must be relative");
  fs::path normal = path.lexically_normal();
  // lexically_normal keeps leading ".." components: any of them means escaping the base.
  if (normal.empty() || *normal.begin() == "..")
    return agent::fail(agent::ErrorKind::invalid_input, "path '" + text + "' escapes the working directory");
  if (normal == ".")
    return agent::fail(agent::ErrorKind::invalid_input, "path '" + text + "' names the working directory itself");
  // "docs/" normalizes to "docs/" (trailing empty filename): drop it so comparisons work.
  if (!normal.has_filename()) normal = normal.parent_path();
  return normal;
}

bool is_within(const fs::path& root, const fs::path& path) {
  const fs::path r = root.lexically_normal();
  const fs::path p = path.lexically_normal();
  auto ri = r.begin();
  auto pi = p.begin();
  for (; ri != r.end(); ++ri, ++pi) {
    if (ri->empty()) continue;  // trailing separator of the root
    if (pi == p.end() || *ri != *pi) return false;
  }
  return true;
}

agent::Result<fs::path> resolve_in_workdir(const fs::path& workdir, std::string_view relative) {
  auto normal = normalize_relative(relative);
  if (!normal) return normal;
  std::error_code ec;
  const fs::path root = fs::canonical(workdir, ec);
  if (ec)
    return agent::fail(agent::ErrorKind::invalid_input,
                       "working directory " + workdir.string() + " is not accessible: " + ec.message());
  const fs::path joined = root / *normal;
  // weakly_canonical follows every symlink of the part that exists.
  const fs::path resolved = fs::weakly_canonical(joined, ec);
  if (ec) return agent::fail(agent::ErrorKind::invalid_input, "cannot resolve '" + std::string(relative) + "': " + ec.message());
  if (!is_within(root, resolved))
    return agent::fail(agent::ErrorKind::invalid_input,
                       "path '" + std::string(relative) + "' resolves outside the working directory (" + resolved.string() + ")");
  // A dangling symlink is left unresolved by weakly_canonical; its target must stay inside too,
  // or a later write through it would land outside.
  if (fs::is_symlink(fs::symlink_status(joined, ec))) {
    fs::path target = fs::read_symlink(joined, ec);
    if (!ec && target.is_relative()) target = joined.parent_path() / target;
    if (ec || !is_within(root, target.lexically_normal()))
      return agent::fail(agent::ErrorKind::invalid_input,
                         "path '" + std::string(relative) + "' is a symlink pointing outside the working directory");
  }
  return joined;
}

}  // namespace diary::generate
