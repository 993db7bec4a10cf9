#include "codex/codex_binary.h"

#include <cctype>
#include <cstdlib>

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

// How to get the pinned codex: part of every "no codex" message, wherever the search ended.
std::string install_hint() {
  const std::string pin(pinned_codex_version());
  return "run scripts/setup.sh (installs @openai/codex@" + pin + " into .tools/), or `npm install -g @openai/codex@" + pin + "`";
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Length of "X.Y.Z" or "X.Y.Z-pre.release" starting at `at` (0 when there is none). Plain
// string code: the user agent comes from whatever binary --codex-bin names.
std::size_t version_length_at(std::string_view text, std::size_t at) {
  std::size_t i = at;
  for (int part = 0; part < 3; ++part) {
    if (part > 0) {
      if (i >= text.size() || text[i] != '.') return 0;
      ++i;
    }
    const std::size_t digits = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    if (i == digits) return 0;
  }
  if (i + 1 < text.size() && text[i] == '-') {
    std::size_t end = i + 1;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '.')) ++end;
    if (end > i + 1) i = end;
  }
  return i - at;
}

}  // namespace

agent::Result<fs::path> find_codex_binary(const std::string& explicit_path) {
  auto checked = [](const fs::path& path, const char* origin) -> agent::Result<fs::path> {
    if (util::is_executable_file(path)) return path;
    return agent::fail(agent::ErrorKind::blocked, "codex binary '" + path.string() + "' (from " + origin +
                                                      ") is not an executable file; to install codex, " + install_hint());
  };
  if (!explicit_path.empty()) return checked(explicit_path, "--codex-bin");
  if (const char* env = std::getenv("DIARY_CODEX_BIN"); env != nullptr && *env != '\0') return checked(env, "DIARY_CODEX_BIN");
  if (auto local = find_project_local()) return *local;
  if (auto on_path = util::find_on_path("codex")) return *on_path;
  return agent::fail(agent::ErrorKind::blocked,
                     "codex not found: " + install_hint() + ", or pass --codex-bin / set DIARY_CODEX_BIN");
}

std::optional<std::string> version_from_user_agent(std::string_view user_agent) {
  // "<name>/<version> ...": a name without '/' or white space, then the version.
  const auto slash = user_agent.find('/');
  if (slash == 0 || slash == std::string_view::npos) return std::nullopt;
  for (char c : user_agent.substr(0, slash))
    if (std::isspace(static_cast<unsigned char>(c))) return std::nullopt;
  const std::size_t length = version_length_at(user_agent, slash + 1);
  if (length == 0) return std::nullopt;
  return std::string(user_agent.substr(slash + 1, length));
}

}  // namespace diary::codex
