#include "generate/prepare/timezone_resolution.h"

#include <fstream>

#include "generate/prepare/text_util.h"

namespace diary::generate::prepare {

namespace {

std::string trim(std::string_view text) { return std::string(trim_space(text)); }

std::optional<std::string> first_line_of(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return std::nullopt;
  line = trim(line);
  if (line.empty()) return std::nullopt;
  return line;
}

// /etc/localtime -> /usr/share/zoneinfo/Europe/Berlin names "Europe/Berlin".
std::optional<std::string> zone_from_link(const std::filesystem::path& link) {
  std::error_code error;
  if (!std::filesystem::is_symlink(link, error)) return std::nullopt;
  const std::string target = std::filesystem::read_symlink(link, error).generic_string();
  if (error) return std::nullopt;
  const std::string marker = "zoneinfo/";
  const auto at = target.rfind(marker);
  if (at == std::string::npos) return std::nullopt;
  std::string name = target.substr(at + marker.size());
  for (const std::string prefix : {"posix/", "right/"})
    if (name.starts_with(prefix)) name.erase(0, prefix.size());
  if (name.empty()) return std::nullopt;
  return name;
}

}  // namespace

TimezoneSources timezone_sources_from_environment(std::optional<std::string> flag) {
  TimezoneSources sources;
  sources.flag = std::move(flag);
  sources.diary_timezone = environment_value("DIARY_TIMEZONE");
  sources.tz = environment_value("TZ");
  return sources;
}

agent::Result<const date::time_zone*> locate_timezone(const std::string& name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return agent::fail(agent::ErrorKind::invalid_input,
                       "unknown time zone '" + name + "' (expected an IANA name such as Europe/Berlin)");
  }
}

agent::Result<ResolvedTimezone> resolve_timezone(const TimezoneSources& sources) {
  auto accept = [](std::string name, std::string origin) -> agent::Result<ResolvedTimezone> {
    auto zone = locate_timezone(name);
    if (!zone) return agent::fail(zone.error().kind, zone.error().message + " from " + origin);
    return ResolvedTimezone{std::move(name), std::move(origin), *zone};
  };
  if (sources.flag) {
    // An explicit but blank flag is a mistake, not a request for the default.
    std::string name = trim(*sources.flag);
    if (name.empty()) return agent::fail(agent::ErrorKind::invalid_input, "--timezone must not be empty");
    return accept(name, "--timezone");
  }
  if (sources.diary_timezone) {
    if (std::string name = trim(*sources.diary_timezone); !name.empty()) return accept(name, "DIARY_TIMEZONE");
  }
  if (sources.tz) {
    // POSIX lets TZ start with ':' to name an implementation-defined file; it is no zone name.
    if (std::string name = trim(*sources.tz); !name.empty() && !name.starts_with(':')) return accept(name, "TZ");
  }
  if (auto name = first_line_of(sources.etc_timezone)) return accept(*name, sources.etc_timezone.string());
  if (auto name = zone_from_link(sources.etc_localtime)) return accept(*name, sources.etc_localtime.string() + " link target");
  return accept("UTC", "default");
}

}  // namespace diary::generate::prepare
