#include "generate/daily/title_rules.h"

#include <gtest/gtest.h>

namespace diary::generate::daily {
namespace {

std::vector<std::string> messages(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& problem : title_problems(text, "/title/text")) {
    EXPECT_EQ(problem.path, "/title/text");
    EXPECT_FALSE(problem.hint.empty());
    out.push_back(problem.message);
  }
  return out;
}

TEST(TitleRules, AGroundedHeadlinePasses) {
  EXPECT_TRUE(messages("Verbose flag shipped; deploy failure traced to a missing token").empty());
  EXPECT_TRUE(messages("Updates to the deploy script").empty());  // a label inside a real headline is fine
  EXPECT_TRUE(messages("Version 1234-56 released").empty());
}

TEST(TitleRules, MustBeOneLine) {
  EXPECT_EQ(messages("First line\nsecond line"), std::vector<std::string>{"/title/text must be a single line"});
  EXPECT_EQ(messages("carriage\rreturn").size(), 1u);
}

TEST(TitleRules, AtMostEightyCodePoints) {
  EXPECT_TRUE(messages(std::string(80, 'a')).empty());
  EXPECT_EQ(messages(std::string(81, 'a')), std::vector<std::string>{"/title/text must be at most 80 characters (it has 81)"});
  // 80 two-byte characters are 160 bytes but 80 characters.
  std::string umlauts;
  for (int i = 0; i < 80; ++i) umlauts += "\xC3\xA4";
  EXPECT_TRUE(messages(umlauts).empty());
  EXPECT_EQ(messages(umlauts + "\xC3\xA4").size(), 1u);
}

TEST(TitleRules, NoIsoDate) {
  EXPECT_EQ(messages("Work of 2026-11-30"), std::vector<std::string>{"/title/text must not contain a date"});
  EXPECT_EQ(messages("2026-11-30").size(), 1u);
  EXPECT_EQ(messages("x2026-11-30y").size(), 1u);
  EXPECT_TRUE(messages("26-11-30 and 2026/11/30").empty());
}

TEST(TitleRules, NotAGenericLabel) {
  for (const char* label : {"Daily Report", "daily report.", "  WORK   LOG ", "Updates", "Work report", "Diary report",
                            "prompt diary report", "My Prompt Diary Report!"})
    EXPECT_EQ(messages(label), std::vector<std::string>{"/title/text must not be a generic label"}) << label;
}

}  // namespace
}  // namespace diary::generate::daily
