#include "generate/prepare/reports_root.h"

#include <nlohmann/json.hpp>

#include "generate/prepare/text_util.h"
#include "util/text_file.h"

namespace diary::generate::prepare {

namespace {

// Unset and empty mean the same here: "use the next source".
std::optional<std::string> env(const char* name) {
  auto value = environment_value(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

std::optional<std::filesystem::path> config_file_path(const std::optional<std::string>& home) {
  if (auto xdg = env("XDG_CONFIG_HOME")) return std::filesystem::path(*xdg) / "diary" / "config.json";
  if (home) return std::filesystem::path(*home) / ".config" / "diary" / "config.json";
  return std::nullopt;
}

}  // namespace

std::filesystem::path expand_home(const std::string& value, const std::optional<std::string>& home) {
  if (home && (value == "~" || value.starts_with("~/"))) return std::filesystem::path(*home) / value.substr(value == "~" ? 1 : 2);
  return value;
}

agent::Result<ReportsRootSources> reports_root_sources_from_environment(std::optional<std::string> flag) {
  ReportsRootSources sources;
  sources.flag = std::move(flag);
  sources.diary_home = env("DIARY_HOME");
  sources.xdg_data_home = env("XDG_DATA_HOME");
  sources.home = env("HOME");
  // The config file only matters when nothing stronger is set; don't even read it then.
  if (sources.flag || sources.diary_home) return sources;
  auto path = config_file_path(sources.home);
  std::error_code ignored;
  if (!path || !std::filesystem::exists(*path, ignored)) return sources;
  auto text = util::read_text_file(*path);
  if (!text) return agent::fail(agent::ErrorKind::invalid_input, "config file: " + text.error());
  auto config = nlohmann::json::parse(*text, nullptr, false);
  if (config.is_discarded() || !config.is_object())
    return agent::fail(agent::ErrorKind::invalid_input, "cannot parse config file " + path->string());
  if (auto it = config.find("reports_root"); it != config.end()) {
    if (!it->is_string())
      return agent::fail(agent::ErrorKind::invalid_input, "\"reports_root\" in " + path->string() + " must be a string");
    sources.config_value = it->get<std::string>();
  }
  return sources;
}

agent::Result<std::filesystem::path> resolve_reports_root(const ReportsRootSources& sources) {
  std::optional<std::filesystem::path> chosen;
  if (sources.flag) {
    if (sources.flag->empty()) return agent::fail(agent::ErrorKind::invalid_input, "--reports-root must not be empty");
    chosen = expand_home(*sources.flag, sources.home);
  } else if (sources.diary_home && !sources.diary_home->empty()) {
    chosen = expand_home(*sources.diary_home, sources.home);
  } else if (sources.config_value && !sources.config_value->empty()) {
    chosen = expand_home(*sources.config_value, sources.home);
  } else if (sources.xdg_data_home && !sources.xdg_data_home->empty()) {
    chosen = std::filesystem::path(*sources.xdg_data_home) / "diary";
  } else if (sources.home && !sources.home->empty()) {
    chosen = std::filesystem::path(*sources.home) / ".local" / "share" / "diary";
  } else {
    return agent::fail(agent::ErrorKind::invalid_input, "cannot locate the reports root: set --reports-root, DIARY_HOME or HOME");
  }
  std::error_code error;
  auto absolute = std::filesystem::absolute(*chosen, error);
  if (error) return agent::fail(agent::ErrorKind::io, "cannot resolve " + chosen->string() + ": " + error.message());
  return absolute.lexically_normal();
}

}  // namespace diary::generate::prepare
