// RFC 3339 timestamps as written by Codex and Claude Code session files, and the fixed
// formats diary writes into workspaces. Pure functions, thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <date/tz.h>

namespace diary::generate::prepare {

using Instant = date::sys_time<std::chrono::microseconds>;

// "2026-03-08T14:03:11.123Z", "...+01:00", "...-0500"; fractions to any precision (truncated
// to microseconds). A timestamp without a zone designator is rejected: it names no instant.
std::optional<Instant> parse_timestamp(std::string_view text);

// "2026-03-08T05:00:00Z"
std::string format_utc(date::sys_seconds instant);
// "2026-03-08T00:00:00-05:00": the instant as wall time in `zone` with its offset.
std::string format_local(const date::time_zone* zone, date::sys_seconds instant);

}  // namespace diary::generate::prepare
