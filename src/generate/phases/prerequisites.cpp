#include "generate/phases/prerequisites.h"

namespace diary::generate::phases {

namespace {

std::optional<std::string> first_missing(const std::filesystem::path& workspace, const std::vector<std::filesystem::path>& paths,
                                         const char* what) {
  for (const auto& path : paths) {
    std::error_code error;
    if (!std::filesystem::exists(path, error))
      return std::string(what) + ": " + path.lexically_relative(workspace).generic_string();
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> missing_prerequisite(const std::filesystem::path& workspace,
                                                const std::vector<std::filesystem::path>& paths) {
  return first_missing(workspace, paths, "missing prerequisite artifact");
}

std::optional<std::string> missing_output(const std::filesystem::path& workspace,
                                          const std::vector<std::filesystem::path>& paths) {
  return first_missing(workspace, paths, "missing output artifact after success");
}

}  // namespace diary::generate::phases
