#include "util/duration.h"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using diary::util::parse_duration;

TEST(ParseDuration, AcceptsUnits) {
  EXPECT_EQ(parse_duration("90s").value(), 90s);
  EXPECT_EQ(parse_duration("10m").value(), 10min);
  EXPECT_EQ(parse_duration("1h").value(), 1h);
  EXPECT_EQ(parse_duration("250ms").value(), 250ms);
  EXPECT_EQ(parse_duration("1ms").value(), 1ms);
  EXPECT_EQ(parse_duration("8760h").value(), 8760h);
}

TEST(ParseDuration, RejectsGarbage) {
  for (auto text : {"", "s", "-5s", "0s", "10x", "1.5h", "10 m", " 5s", "5s "}) {
    auto result = parse_duration(text);
    ASSERT_FALSE(result.has_value()) << text;
    EXPECT_NE(result.error().find("invalid duration"), std::string::npos) << result.error();
  }
}

// "30" used to be 30 seconds silently; a number without a unit is ambiguous (ms? s? m?).
TEST(ParseDuration, RequiresAUnit) {
  for (auto text : {"30", "10", "600"}) {
    auto result = parse_duration(text);
    ASSERT_FALSE(result.has_value()) << text;
    EXPECT_NE(result.error().find("needs a unit"), std::string::npos) << result.error();
    EXPECT_NE(result.error().find("ms, s, m or h"), std::string::npos) << result.error();
  }
}

// Too large (and overflowing) values name the accepted range instead of "invalid".
TEST(ParseDuration, TooLargeNamesTheRange) {
  for (auto text : {"8761h", "525601m", "99999999999h", "99999999999999999999s"}) {
    auto result = parse_duration(text);
    ASSERT_FALSE(result.has_value()) << text;
    EXPECT_NE(result.error().find("at most 8760h (365 days)"), std::string::npos) << text << ": " << result.error();
  }
  auto zero = parse_duration("0s");
  ASSERT_FALSE(zero.has_value());
  EXPECT_NE(zero.error().find("at least 1ms"), std::string::npos) << zero.error();
}

TEST(FormatDuration, OneHumanForm) {
  using diary::util::format_duration;
  EXPECT_EQ(format_duration(0ms), "0ms");
  EXPECT_EQ(format_duration(-5ms), "0ms");
  EXPECT_EQ(format_duration(250ms), "250ms");
  EXPECT_EQ(format_duration(1000ms), "1s");
  EXPECT_EQ(format_duration(1500ms), "1.5s");
  EXPECT_EQ(format_duration(42s), "42s");
  EXPECT_EQ(format_duration(59'960ms), "60s");
  EXPECT_EQ(format_duration(60s), "1m");
  EXPECT_EQ(format_duration(75s), "1m 15s");
  EXPECT_EQ(format_duration(10min), "10m");
  EXPECT_EQ(format_duration(2h + 5min + 30s), "2h 5m");
  EXPECT_EQ(format_duration(3h), "3h");
}
