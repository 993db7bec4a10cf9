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
