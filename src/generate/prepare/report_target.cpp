#include "generate/prepare/report_target.h"

#include "generate/prepare/timezone_resolution.h"

namespace diary::generate::prepare {

namespace {

// Local midnight as an instant. Where a DST jump skips midnight (e.g. America/Havana) the day
// starts at the first instant that exists; where midnight repeats, at the earlier one.
date::sys_seconds local_midnight(const date::time_zone* zone, date::local_days day) {
  return date::zoned_seconds(zone, date::local_seconds{day}, date::choose::earliest).get_sys_time();
}

date::year_month_day local_today(const date::time_zone* zone, std::chrono::system_clock::time_point now) {
  auto local = date::make_zoned(zone, date::floor<std::chrono::seconds>(now)).get_local_time();
  return date::year_month_day{date::floor<date::days>(local)};
}

}  // namespace

std::string_view to_string(ReportStatus status) { return status == ReportStatus::final ? "final" : "partial"; }

std::string ReportTarget::date_string() const { return date::format("%F", date); }

agent::Result<date::year_month_day> parse_report_date(std::string_view text) {
  auto bad = [&] {
    return agent::fail(agent::ErrorKind::invalid_input, "invalid date '" + std::string(text) + "' (expected YYYY-MM-DD)");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t widths[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (std::size_t j = 0; j < widths[i]; ++j) {
      char c = text[starts[i] + j];
      if (c < '0' || c > '9') return bad();
      parts[i] = parts[i] * 10 + (c - '0');
    }
  }
  date::year_month_day day{date::year{parts[0]}, date::month{static_cast<unsigned>(parts[1])},
                           date::day{static_cast<unsigned>(parts[2])}};
  if (!day.ok()) return bad();
  return day;
}

ReportTarget make_report_target(date::year_month_day day, const date::time_zone* zone, std::string zone_name,
                                std::chrono::system_clock::time_point now) {
  ReportTarget target;
  target.date = day;
  target.timezone = std::move(zone_name);
  target.status = day == local_today(zone, now) ? ReportStatus::partial : ReportStatus::final;
  const date::local_days start{day};
  target.utc_start = local_midnight(zone, start);
  target.utc_end = local_midnight(zone, start + date::days{1});
  target.local_start = format_local(zone, target.utc_start);
  target.local_end = format_local(zone, target.utc_end);
  return target;
}

agent::Result<ReportTarget> resolve_report_target(const TargetRequest& request, std::chrono::system_clock::time_point now) {
  if (request.date && request.today)
    return agent::fail(agent::ErrorKind::invalid_input, "--date and --today are mutually exclusive");
  auto zone = locate_timezone(request.timezone);
  if (!zone) return std::unexpected(zone.error());
  const date::year_month_day today = local_today(*zone, now);

  date::year_month_day day = today;
  if (request.date) {
    auto parsed = parse_report_date(*request.date);
    if (!parsed) return std::unexpected(parsed.error());
    day = *parsed;
  } else if (!request.today) {
    day = date::year_month_day{date::sys_days{today} - date::days{1}};
  }
  if (date::sys_days{day} > date::sys_days{today})
    return agent::fail(agent::ErrorKind::invalid_input, "date " + date::format("%F", day) + " is in the future (today is " +
                                                            date::format("%F", today) + " in " + request.timezone + ")");
  return make_report_target(day, *zone, request.timezone, now);
}

}  // namespace diary::generate::prepare
