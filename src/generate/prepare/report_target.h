// The local calendar day a report covers: its date, zone, status (final/partial) and the
// half-open window [local midnight, next local midnight) as UTC instants and local strings.
// DST days come out 23 or 25 hours long because midnights are resolved through the tz database.
// Value types and pure functions; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>
#include <date/tz.h>

#include "agent/error.h"
#include "generate/prepare/timestamp.h"

namespace diary::generate::prepare {

enum class ReportStatus { final, partial };
std::string_view to_string(ReportStatus status);

struct ReportTarget {
  date::year_month_day date;
  std::string timezone;
  ReportStatus status = ReportStatus::final;
  date::sys_seconds utc_start;
  date::sys_seconds utc_end;  // excluded
  std::string local_start;    // "2026-03-08T00:00:00-05:00"
  std::string local_end;

  std::string date_string() const;  // "2026-03-08"
  std::string utc_start_string() const { return format_utc(utc_start); }
  std::string utc_end_string() const { return format_utc(utc_end); }
  bool contains(Instant instant) const { return instant >= utc_start && instant < utc_end; }
};

struct TargetRequest {
  std::optional<std::string> date;  // --date YYYY-MM-DD; none and !today = yesterday
  bool today = false;
  std::string timezone;  // already resolved (see timezone_resolution.h)
};

// Strict YYYY-MM-DD of a real calendar day.
agent::Result<date::year_month_day> parse_report_date(std::string_view text);

// Fails with invalid_input for a malformed or future date, an unknown zone, or --date with --today.
agent::Result<ReportTarget> resolve_report_target(const TargetRequest& request, std::chrono::system_clock::time_point now);

// The window of one given day in one zone, status chosen against `now`. `zone_name` is kept as
// the user spelled it (a link such as US/Eastern stays US/Eastern).
ReportTarget make_report_target(date::year_month_day day, const date::time_zone* zone, std::string zone_name,
                                std::chrono::system_clock::time_point now);

}  // namespace diary::generate::prepare
