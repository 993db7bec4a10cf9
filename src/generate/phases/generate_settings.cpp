#include "generate/phases/generate_settings.h"

#include <charconv>

#include <fmt/format.h>

// Only this translation unit of phases includes toml++ (exception-free build).
#define TOML_EXCEPTIONS 0
#include <toml++/toml.h>

#include "util/duration.h"
#include "util/text_file.h"

namespace diary::generate::phases {

namespace {

using agent::ErrorKind;

constexpr std::string_view efforts[] = {"none", "minimal", "low", "medium", "high", "xhigh"};

std::unexpected<agent::Error> settings_error(const std::filesystem::path& shown, const toml::source_region& where,
                                             std::string_view key, const std::string& message) {
  return agent::fail(ErrorKind::invalid_input, fmt::format("{}:{}: {}: {}", shown.string(), where.begin.line, key, message));
}

agent::Result<void> apply_table(const toml::table& table, std::string_view name, PassSettings& pass,
                                const std::filesystem::path& shown) {
  for (const auto& [raw_key, node] : table) {
    const std::string key(raw_key.str());
    const std::string full = fmt::format("{}.{}", name, key);
    if (key == "model") {
      auto value = node.value<std::string>();
      if (!value || value->empty()) return settings_error(shown, node.source(), full, "must be a non-empty string");
      pass.model = *value;
    } else if (key == "reasoning_effort") {
      auto value = node.value<std::string>();
      bool known = false;
      for (auto effort : efforts) known = known || (value && *value == effort);
      if (!known) return settings_error(shown, node.source(), full, "must be one of none, minimal, low, medium, high, xhigh");
      pass.reasoning_effort = *value;
    } else if (key == "turn_timeout") {
      auto value = node.value<std::string>();
      if (!value) return settings_error(shown, node.source(), full, "must be a duration string such as \"10m\"");
      auto parsed = util::parse_duration(*value);
      if (!parsed) return settings_error(shown, node.source(), full, parsed.error());
      pass.turn_timeout = *parsed;
    } else if (key == "max_no_progress") {
      auto value = node.value<std::int64_t>();
      if (!value || *value < 1 || *value > 100)
        return settings_error(shown, node.source(), full, "must be an integer from 1 to 100");
      pass.max_no_progress = static_cast<int>(*value);
    } else if (key == "max_turns") {
      auto value = node.value<std::int64_t>();
      if (!value || *value < 1 || *value > 1000)
        return settings_error(shown, node.source(), full, "must be an integer from 1 to 1000");
      pass.max_turns = static_cast<int>(*value);
    } else {
      return settings_error(shown, node.source(), full,
                            "unknown key (known: model, reasoning_effort, turn_timeout, max_no_progress, max_turns)");
    }
  }
  return {};
}

}  // namespace

const std::vector<std::string>& pass_names() {
  static const std::vector<std::string> names{"evidence",     "project",    "project_summary",
                                              "report_title", "engagement", "team_learning"};
  return names;
}

GenerateSettings::GenerateSettings() {
  for (const auto& name : pass_names()) passes[name] = PassSettings{};
}

const PassSettings& GenerateSettings::pass(std::string_view name) const {
  auto found = passes.find(name);
  if (found != passes.end()) return found->second;
  static const PassSettings defaults;
  return defaults;
}

agent::Result<GenerateSettings> parse_generate_settings(std::string_view text, const std::filesystem::path& shown) {
  toml::parse_result parsed = toml::parse(text, shown.string());
  if (!parsed)
    return agent::fail(ErrorKind::invalid_input, fmt::format("{}:{}: {}", shown.string(), parsed.error().source().begin.line,
                                                             parsed.error().description()));
  const toml::table& root = parsed.table();
  GenerateSettings settings;
  // [defaults] first, so a pass table overrides it whatever the order in the file.
  if (const auto* defaults = root.get("defaults")) {
    if (!defaults->is_table()) return settings_error(shown, defaults->source(), "defaults", "must be a table");
    for (auto& [name, pass] : settings.passes)
      if (auto ok = apply_table(*defaults->as_table(), "defaults", pass, shown); !ok) return std::unexpected(ok.error());
  }
  for (const auto& [raw_key, node] : root) {
    const std::string key(raw_key.str());
    if (key == "defaults") continue;
    auto pass = settings.passes.find(key);
    if (pass == settings.passes.end())
      return settings_error(shown, node.source(), key,
                            "unknown table (known: defaults, evidence, project, project_summary, report_title, "
                            "engagement, team_learning)");
    if (!node.is_table()) return settings_error(shown, node.source(), key, "must be a table");
    if (auto ok = apply_table(*node.as_table(), key, pass->second, shown); !ok) return std::unexpected(ok.error());
  }
  return settings;
}

agent::Result<GenerateSettings> load_generate_settings(const std::filesystem::path& file) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error))
    return agent::fail(ErrorKind::invalid_input, file.string() + ": settings file not found (or not a regular file)");
  auto text = util::read_text_file(file);
  if (!text) return agent::fail(ErrorKind::invalid_input, "settings file: " + text.error());
  return parse_generate_settings(*text, file);
}

agent::Result<ConcurrencyLimits> parse_concurrency(std::string_view text) {
  ConcurrencyLimits limits;
  auto bad = [&](const std::string& why) {
    return agent::fail(ErrorKind::invalid_input, "--concurrency " + std::string(text) + ": " + why);
  };
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view item = text.substr(pos, comma - pos);
    pos = comma + 1;
    if (item.empty()) return bad("expected kind=N items separated by commas");
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) return bad("expected kind=N, got '" + std::string(item) + "'");
    const std::string_view kind = item.substr(0, eq), number = item.substr(eq + 1);
    int value = 0;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc() || end != number.data() + number.size() || value < 1 || value > 64)
      return bad("'" + std::string(number) + "' is not a number from 1 to 64");
    if (kind == "evidence") limits.evidence = value;
    else if (kind == "project") limits.project = value;
    else if (kind == "daily") limits.daily = value;
    else return bad("unknown kind '" + std::string(kind) + "' (known: evidence, project, daily)");
    if (comma == text.size()) break;
  }
  return limits;
}

}  // namespace diary::generate::phases
