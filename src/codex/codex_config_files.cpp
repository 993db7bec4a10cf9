#include "codex/codex_config_files.h"

#include <algorithm>
#include <cstdlib>

// Errors as values, like the rest of the library (see generate/job/job_spec_parser.cpp).
#define TOML_EXCEPTIONS 0
#include <toml++/toml.h>

#include "util/text_file.h"

namespace diary::codex {

namespace fs = std::filesystem;

namespace {

// A variable as the backend process will see it (app_server_environment's rules).
std::string backend_variable(const agent::AgentBackendOptions& options, const std::string& name) {
  if (auto it = options.env.find(name); it != options.env.end()) return it->second;
  if (std::ranges::find(options.env_remove, name) != options.env_remove.end()) return {};
  const char* value = std::getenv(name.c_str());
  return value == nullptr ? std::string{} : std::string(value);
}

}  // namespace

fs::path backend_codex_home(const agent::AgentBackendOptions& options) {
  if (auto home = backend_variable(options, "CODEX_HOME"); !home.empty()) return home;
  if (auto home = backend_variable(options, "HOME"); !home.empty()) return fs::path(home) / ".codex";
  return {};
}

namespace {

bool below(const fs::path& path, const fs::path& root) {
  auto p = path.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++p) {
    if (r->empty()) continue;  // a trailing separator
    if (p == path.end() || *p != *r) return false;
  }
  return true;
}

// The path as written (absolute, normalised) and with its symlinks resolved.
std::vector<fs::path> spellings(const fs::path& path) {
  std::error_code ec;
  const fs::path lexical = fs::absolute(path, ec).lexically_normal();
  std::vector<fs::path> out{lexical};
  const fs::path resolved = fs::weakly_canonical(lexical, ec);
  if (!ec && resolved != lexical) out.push_back(resolved);
  return out;
}

}  // namespace

std::optional<std::string> codex_home_problem(const fs::path& codex_home, const agent::AgentBackendOptions& options) {
  if (codex_home.empty()) return std::nullopt;
  std::vector<std::pair<std::string, fs::path>> roots{{"/tmp", "/tmp"}};
  if (auto tmpdir = backend_variable(options, "TMPDIR"); !tmpdir.empty() && fs::path(tmpdir) != "/tmp")
    roots.emplace_back("$TMPDIR (" + tmpdir + ")", tmpdir);
  for (const auto& [name, root] : roots)
    for (const auto& home : spellings(codex_home))
      for (const auto& temp : spellings(root))
        if (below(home, temp) && temp != temp.root_path())
          return "CODEX_HOME " + codex_home.string() + " is below " + name +
                 ": codex refuses to install its sandbox helpers there and every shell command of a turn fails; "
                 "point CODEX_HOME (or HOME) at a directory outside the temp dir";
  return std::nullopt;
}

std::vector<fs::path> codex_config_files(const fs::path& codex_home) {
  std::vector<fs::path> files{"/etc/codex/config.toml"};
  if (!codex_home.empty()) files.push_back(codex_home / "config.toml");
  return files;
}

std::vector<std::string> configured_mcp_servers(const std::vector<fs::path>& files) {
  std::vector<std::string> names;
  for (const auto& file : files) {
    auto text = util::read_text_file(file);  // a FIFO or a huge file under CODEX_HOME must not hang us
    if (!text) continue;
    auto parsed = toml::parse(*text, file.string());
    if (!parsed) continue;
    const toml::table* servers = parsed.table()["mcp_servers"].as_table();
    if (servers == nullptr) continue;
    for (const auto& [key, value] : *servers)
      if (value.is_table()) names.emplace_back(key.str());
  }
  std::ranges::sort(names);
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace diary::codex
