#include "codex/codex_binary.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <regex>

#include <unistd.h>

#include "util/executable_search.h"

namespace diary::codex {

namespace fs = std::filesystem;

std::string_view pinned_codex_version() { return DIARY_CODEX_PIN; }

namespace {

// The native binary inside the npm package (not the node wrapper in .bin, which would put a
// node process between us and codex and make signalling unreliable).
std::optional<fs::path> find_in_tools(const fs::path& tools_dir) {
  const fs::path vendor = tools_dir / "codex/node_modules/@openai/codex-linux-x64/vendor";
  const fs::path vendor_arm = tools_dir / "codex/node_modules/@openai/codex-linux-arm64/vendor";
  for (const auto& root : {vendor, vendor_arm}) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) continue;
    for (const auto& entry : fs::directory_iterator(root, ec)) {
      fs::path candidate = entry.path() / "bin" / "codex";
      if (util::is_executable_file(candidate)) return candidate;
    }
  }
  return std::nullopt;
}

std::optional<fs::path> find_project_local() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  for (fs::path dir = exe.parent_path(); !dir.empty(); dir = dir.parent_path()) {
    if (auto found = find_in_tools(dir / ".tools")) return found;
    if (dir == dir.root_path()) break;
  }
  return std::nullopt;
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

// How to get the pinned codex: part of every "no codex" message, wherever the search ended.
std::string install_hint() {
  const std::string pin(pinned_codex_version());
  return "run scripts/setup.sh (installs @openai/codex@" + pin + " into .tools/), or `npm install -g @openai/codex@" +
         pin + "`";
}

}  // namespace

agent::Result<fs::path> find_codex_binary(const std::string& explicit_path) {
  auto checked = [](const fs::path& path, const char* origin) -> agent::Result<fs::path> {
    if (util::is_executable_file(path)) return path;
    return agent::fail(agent::ErrorKind::blocked, "codex binary '" + path.string() + "' (from " + origin +
                                                      ") is not an executable file; to install codex, " +
                                                      install_hint());
  };
  if (!explicit_path.empty()) return checked(explicit_path, "--codex-bin");
  if (const char* env = std::getenv("DIARY_CODEX_BIN"); env != nullptr && *env != '\0')
    return checked(env, "DIARY_CODEX_BIN");
  if (auto local = find_project_local()) return *local;
  if (auto on_path = util::find_on_path("codex")) return *on_path;
  return agent::fail(agent::ErrorKind::blocked,
                     "codex not found: " + install_hint() + ", or pass --codex-bin / set DIARY_CODEX_BIN");
}

std::optional<std::string> version_from_user_agent(std::string_view user_agent) {
  static const std::regex pattern(R"(^[^/\s]+/(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?))");
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_search(user_agent.begin(), user_agent.end(), match, pattern)) return std::nullopt;
  return match[1].str();
}

std::optional<std::string> read_codex_version(const fs::path& binary) {
  std::string command = shell_quote(binary.string()) + " --version </dev/null 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string output;
  std::array<char, 256> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) output += buffer.data();
  if (::pclose(pipe) != 0) return std::nullopt;
  std::smatch match;
  static const std::regex version_pattern(R"((\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?))");
  if (!std::regex_search(output, match, version_pattern)) return std::nullopt;
  return match[1].str();
}

}  // namespace diary::codex
