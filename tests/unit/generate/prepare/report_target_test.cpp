#include "generate/prepare/report_target.h"

#include <gtest/gtest.h>

#include "generate/prepare/timezone_resolution.h"

namespace {

using namespace diary::generate::prepare;
using namespace std::chrono_literals;
using diary::agent::ErrorKind;

std::chrono::system_clock::time_point at(std::string_view utc) { return *parse_timestamp(utc); }

ReportTarget target_for(std::string date, std::string zone, std::string_view now = "2026-12-01T12:00:00Z") {
  auto target = resolve_report_target({date, false, zone}, at(now));
  EXPECT_TRUE(target.has_value()) << (target ? "" : target.error().message);
  return *target;
}

TEST(ReportTarget, ShanghaiWindowStartsAtLocalMidnight) {
  auto target = target_for("2026-05-12", "Asia/Shanghai");
  EXPECT_EQ(target.local_start, "2026-05-12T00:00:00+08:00");
  EXPECT_EQ(target.local_end, "2026-05-13T00:00:00+08:00");
  EXPECT_EQ(target.utc_start_string(), "2026-05-11T16:00:00Z");
  EXPECT_EQ(target.utc_end_string(), "2026-05-12T16:00:00Z");
  EXPECT_EQ(target.status, ReportStatus::final);
  EXPECT_EQ(target.date_string(), "2026-05-12");
}

TEST(ReportTarget, SpringForwardDayIs23Hours) {
  auto target = target_for("2026-03-08", "America/New_York");
  EXPECT_EQ(target.utc_end - target.utc_start, 23h);
  EXPECT_EQ(target.local_start, "2026-03-08T00:00:00-05:00");
  EXPECT_EQ(target.local_end, "2026-03-09T00:00:00-04:00");
  EXPECT_EQ(target.utc_start_string(), "2026-03-08T05:00:00Z");
  EXPECT_EQ(target.utc_end_string(), "2026-03-09T04:00:00Z");
}

TEST(ReportTarget, FallBackDayIs25Hours) {
  auto target = target_for("2026-11-01", "America/New_York");
  EXPECT_EQ(target.utc_end - target.utc_start, 25h);
  EXPECT_EQ(target.local_start, "2026-11-01T00:00:00-04:00");
  EXPECT_EQ(target.local_end, "2026-11-02T00:00:00-05:00");
}

TEST(ReportTarget, OrdinaryDayIs24Hours) {
  EXPECT_EQ(target_for("2026-07-04", "America/New_York").utc_end - target_for("2026-07-04", "America/New_York").utc_start, 24h);
}

// Cuba springs forward at midnight: 2026-03-08 00:00 does not exist there, so the day starts
// at the first instant that does (01:00 CDT).
TEST(ReportTarget, MidnightSkippedByDstStartsAtFirstExistingInstant) {
  auto target = target_for("2026-03-08", "America/Havana");
  EXPECT_EQ(target.local_start, "2026-03-08T01:00:00-04:00");
  EXPECT_EQ(target.utc_end - target.utc_start, 23h);
}

TEST(ReportTarget, WindowIsHalfOpen) {
  auto target = target_for("2026-05-12", "UTC");
  EXPECT_TRUE(target.contains(*parse_timestamp("2026-05-12T00:00:00Z")));
  EXPECT_TRUE(target.contains(*parse_timestamp("2026-05-12T23:59:59.999Z")));
  EXPECT_FALSE(target.contains(*parse_timestamp("2026-05-13T00:00:00Z")));
  EXPECT_FALSE(target.contains(*parse_timestamp("2026-05-11T23:59:59.999999Z")));
}

TEST(ReportTarget, DefaultsToYesterdayInTheTargetZone) {
  // 2026-05-12T20:00Z is already 05-13 in Shanghai: yesterday there is 05-12.
  auto shanghai = resolve_report_target({std::nullopt, false, "Asia/Shanghai"}, at("2026-05-12T20:00:00Z"));
  ASSERT_TRUE(shanghai);
  EXPECT_EQ(shanghai->date_string(), "2026-05-12");
  EXPECT_EQ(shanghai->status, ReportStatus::final);
  auto utc = resolve_report_target({std::nullopt, false, "UTC"}, at("2026-05-12T20:00:00Z"));
  EXPECT_EQ(utc->date_string(), "2026-05-11");
}

TEST(ReportTarget, TodayIsPartial) {
  auto today = resolve_report_target({std::nullopt, true, "Asia/Shanghai"}, at("2026-05-12T20:00:00Z"));
  ASSERT_TRUE(today);
  EXPECT_EQ(today->date_string(), "2026-05-13");
  EXPECT_EQ(today->status, ReportStatus::partial);
  auto explicit_today = resolve_report_target({"2026-05-13", false, "Asia/Shanghai"}, at("2026-05-12T20:00:00Z"));
  EXPECT_EQ(explicit_today->status, ReportStatus::partial);
}

TEST(ReportTarget, FutureDateIsInvalidInput) {
  auto future = resolve_report_target({"2026-05-14", false, "Asia/Shanghai"}, at("2026-05-12T20:00:00Z"));
  ASSERT_FALSE(future);
  EXPECT_EQ(future.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(future.error().message.find("future"), std::string::npos);
}

TEST(ReportTarget, RejectsDateWithToday) {
  auto both = resolve_report_target({"2026-05-01", true, "UTC"}, at("2026-05-12T20:00:00Z"));
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().kind, ErrorKind::invalid_input);
}

TEST(ReportTarget, RejectsUnknownZone) {
  auto bad = resolve_report_target({"2026-05-01", false, "Mars/Olympus"}, at("2026-05-12T20:00:00Z"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(bad.error().message.find("Mars/Olympus"), std::string::npos);
}

TEST(ParseReportDate, AcceptsOnlyRealCalendarDays) {
  EXPECT_TRUE(parse_report_date("2024-02-29"));
  for (auto text : {"2026-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "20260101", "2026-01-01x", "", "abcd-ef-gh"}) {
    auto parsed = parse_report_date(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().kind, ErrorKind::invalid_input);
  }
}

TEST(ParseTimestamp, ParsesZonesAndFractions) {
  auto base = *parse_timestamp("2026-03-08T14:03:11Z");
  EXPECT_EQ(*parse_timestamp("2026-03-08T14:03:11.5Z") - base, 500ms);
  EXPECT_EQ(*parse_timestamp("2026-03-08T14:03:11.123456789Z") - base, 123456us);
  EXPECT_EQ(*parse_timestamp("2026-03-08T15:03:11+01:00"), base);
  EXPECT_EQ(*parse_timestamp("2026-03-08T09:03:11-0500"), base);
  EXPECT_EQ(*parse_timestamp("2026-03-08 14:03:11z"), base);
  for (auto text : {"", "2026-03-08", "2026-03-08T14:03:11", "2026-03-08T14:03:11.Z", "2026-02-30T00:00:00Z",
                    "2026-03-08T24:00:00Z", "2026-03-08T14:03:11Zjunk", "not a time"})
    EXPECT_FALSE(parse_timestamp(text)) << text;
}

TEST(FormatTimestamps, UtcAndLocal) {
  auto instant = date::floor<std::chrono::seconds>(*parse_timestamp("2026-03-08T05:00:00Z"));
  EXPECT_EQ(format_utc(instant), "2026-03-08T05:00:00Z");
  EXPECT_EQ(format_local(date::locate_zone("Asia/Kolkata"), instant), "2026-03-08T10:30:00+05:30");
}

}  // namespace
