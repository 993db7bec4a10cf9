#include "util/duration.h"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using diary::util::parse_duration;

TEST(ParseDuration, AcceptsUnits) {
  EXPECT_EQ(parse_duration("90s").value(), 90s);
  EXPECT_EQ(parse_duration("10m").value(), 10min);
  EXPECT_EQ(parse_duration("1h").value(), 1h);
  EXPECT_EQ(parse_duration("250ms").value(), 250ms);
  EXPECT_EQ(parse_duration("30").value(), 30s);
}

TEST(ParseDuration, RejectsGarbage) {
  for (auto text : {"", "s", "-5s", "0s", "10x", "1.5h", "10 m", "99999999999h"}) {
    auto result = parse_duration(text);
    ASSERT_FALSE(result.has_value()) << text;
    EXPECT_NE(result.error().find("invalid duration"), std::string::npos);
  }
}
