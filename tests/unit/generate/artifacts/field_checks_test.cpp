#include "generate/artifacts/field_checks.h"

#include <gtest/gtest.h>

namespace diary::generate::artifacts {
namespace {

using nlohmann::json;

TEST(FieldChecks, PointersEscapeTildeAndSlash) {
  EXPECT_EQ(pointer("", "a"), "/a");
  EXPECT_EQ(pointer("/x", "a/b~c"), "/x/a~1b~0c");
  EXPECT_EQ(pointer("/x", std::size_t{3}), "/x/3");
}

TEST(FieldChecks, ExcerptCutsOnACharacterBoundary) {
  EXPECT_EQ(excerpt("short"), "short");
  const std::string text =
      "ab\xc3\xa9"
      "cd";  // "abécd": é is two bytes at offsets 2-3
  EXPECT_EQ(excerpt(text, 3), "ab…");
  EXPECT_EQ(excerpt(text, 4), "ab\xc3\xa9…");
  EXPECT_TRUE(json(excerpt(text, 3)).dump().size() > 0);  // valid UTF-8: dump does not throw
}

TEST(FieldChecks, BlankMeansOnlyWhitespace) {
  EXPECT_TRUE(is_blank(""));
  EXPECT_TRUE(is_blank(" \t\r\n"));
  EXPECT_FALSE(is_blank(" x "));
}

TEST(FieldChecks, ReportsEachUnknownFieldAndMissingOne) {
  Problems problems;
  FieldChecks checks(problems);
  const json value = {{"a", 1}, {"b", 2}, {"c", 3}};
  EXPECT_FALSE(checks.object_shape(value, "/v", "thing", {"a"}));
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].path, "/v/b");
  EXPECT_EQ(problems[1].path, "/v/c");
  EXPECT_EQ(checks.member(value, "/v", "d", FieldChecks::Need::optional), nullptr);
  EXPECT_EQ(problems.size(), 2u) << "an optional field may be absent";
  EXPECT_EQ(checks.member(value, "/v", "d", FieldChecks::Need::required), nullptr);
  EXPECT_EQ(problems.back().path, "/v/d");
}

TEST(FieldChecks, HeaderProblemsNameEachBadField) {
  const json good = {{"schema_version", 1}, {"project_key", "p"}, {"items", json::array()}};
  EXPECT_TRUE(header_problems(good, "the file", {{"project_key", "p"}}, {"items"}, "redo").empty());
  auto problems =
      header_problems(json{{"schema_version", 1.5}, {"project_key", "q"}}, "the file", {{"project_key", "p"}}, {"items"}, "redo");
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].path, "/schema_version");
  EXPECT_EQ(problems[1].path, "/project_key");
  EXPECT_EQ(problems[2].path, "/items");
  EXPECT_EQ(problems[2].hint, "redo");
  EXPECT_EQ(header_problems(json::array(), "the file", {}, {}, "redo").size(), 1u);
}

}  // namespace
}  // namespace diary::generate::artifacts
