// Which IANA time zone a report day is cut in: --timezone > DIARY_TIMEZONE > TZ (blank or
// ':'-prefixed values skipped) > /etc/timezone > the /etc/localtime link target > UTC.
// Inputs are plain values so tests never depend on the machine; pure and thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <date/tz.h>

#include "agent/error.h"

namespace diary::generate::prepare {

struct TimezoneSources {
  std::optional<std::string> flag;            // --timezone
  std::optional<std::string> diary_timezone;  // $DIARY_TIMEZONE
  std::optional<std::string> tz;              // $TZ
  std::filesystem::path etc_timezone = "/etc/timezone";
  std::filesystem::path etc_localtime = "/etc/localtime";
};

struct ResolvedTimezone {
  std::string name;    // IANA name, e.g. "America/New_York"
  std::string origin;  // where it came from, for messages: "--timezone", "TZ", "default", ...
  const date::time_zone* zone = nullptr;
};

TimezoneSources timezone_sources_from_environment(std::optional<std::string> flag);

// Fails with invalid_input when the first usable source names a zone the tz database lacks.
agent::Result<ResolvedTimezone> resolve_timezone(const TimezoneSources& sources);

// Looks a zone up in the system tz database; invalid_input when unknown.
agent::Result<const date::time_zone*> locate_timezone(const std::string& name);

}  // namespace diary::generate::prepare
