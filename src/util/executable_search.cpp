#include "util/executable_search.h"

#include <cstdlib>

#include <unistd.h>

namespace diary::util {

namespace fs = std::filesystem;

bool is_executable_file(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

std::optional<fs::path> find_in_search_path(std::string_view program, std::string_view search_path) {
  while (true) {
    const auto colon = search_path.find(':');
    const std::string_view dir = search_path.substr(0, colon);
    if (!dir.empty()) {
      fs::path candidate = fs::path(dir) / program;
      if (is_executable_file(candidate)) return candidate;
    }
    if (colon == std::string_view::npos) return std::nullopt;
    search_path.remove_prefix(colon + 1);
  }
}

std::optional<fs::path> find_on_path(std::string_view program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return std::nullopt;
  return find_in_search_path(program, path);
}

}  // namespace diary::util
