#include "util/bounded_regex.h"

#include <chrono>

#include <gtest/gtest.h>

namespace diary::util {
namespace {

using namespace std::chrono_literals;

BoundedRegex compiled(std::string_view pattern, RegexDialect dialect = RegexDialect::multiline, RegexLimits limits = {}) {
  auto regex = BoundedRegex::compile(pattern, dialect, limits);
  EXPECT_TRUE(regex.has_value()) << regex.error();
  return std::move(*regex);
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

TEST(BoundedRegex, SearchesAnywhere) {
  EXPECT_EQ(compiled("b+c").search("aabbbcd"), true);
  EXPECT_EQ(compiled("x").search("aabbbcd"), false);
  EXPECT_EQ(compiled("").search(""), true);
}

TEST(BoundedRegex, MultilineAnchorsMatchAtLines) {
  EXPECT_EQ(compiled("^## Fixes$").search("# Release\n## Fixes\nmore"), true);
  EXPECT_EQ(compiled("^## Fixes$", RegexDialect::ecma).search("# Release\n## Fixes\nmore"), false);
  EXPECT_EQ(compiled("a.b").search("a\nb"), false);
}

TEST(BoundedRegex, EcmaDollarIsTheEndOnly) {
  EXPECT_EQ(compiled("^abc$", RegexDialect::ecma).search("abc"), true);
  EXPECT_EQ(compiled("^abc$", RegexDialect::ecma).search("abc\n"), false);
  EXPECT_EQ(compiled("^\\u0041$", RegexDialect::ecma).search("A"), true);
}

TEST(BoundedRegex, InvalidPatternSaysWhereWithoutTheInsertedCallout) {
  auto regex = BoundedRegex::compile("ab(c", RegexDialect::multiline);
  ASSERT_FALSE(regex.has_value());
  EXPECT_TRUE(contains(regex.error(), "/ab(c/")) << regex.error();
  EXPECT_TRUE(contains(regex.error(), "offset 4")) << regex.error();
}

TEST(BoundedRegex, LeadingVerbsStayFirst) { EXPECT_EQ(compiled("(*UTF)(*LIMIT_MATCH=1000)a+b").search("aaab"), true); }

TEST(BoundedRegex, LongRepetitionOfAGroupMatches) {
  std::string text = "# Release\n";
  while (text.size() < 180 * 1024) text += "a line of release notes\n";
  text += "## Fixes\n";
  EXPECT_EQ(compiled("# Release(.|\\n)*## Fixes").search(text), true);
  std::string abab;
  while (abab.size() < 100 * 1024) abab += "ab";
  EXPECT_EQ(compiled("^(ab)*$").search(abab), true);
  EXPECT_EQ(compiled("^(a|b)*$", RegexDialect::ecma).search(abab), true);
}

TEST(BoundedRegex, CatastrophicBacktrackingHitsTheMatchLimit) {
  const auto start = std::chrono::steady_clock::now();
  auto result = compiled("^(a+)+$").search(std::string(40, 'a') + "!");
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(contains(result.error(), "/^(a+)+$/")) << result.error();
  EXPECT_TRUE(contains(result.error(), "match limit (10,000,000")) << result.error();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(BoundedRegex, DeepRepetitionHitsTheDepthLimit) {
  RegexLimits limits;
  limits.depth_limit = 1000;
  limits.jit_stack_kib = 0;  // the depth limit is the interpreter's
  std::string abab;
  while (abab.size() < 10'000) abab += "ab";
  auto result = compiled("^(ab)*$", RegexDialect::multiline, limits).search(abab);
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(contains(result.error(), "depth limit (1,000")) << result.error();
}

TEST(BoundedRegex, ATooSmallJitStackFallsBackToTheInterpreter) {
  RegexLimits limits;
  limits.jit_stack_kib = 64;
  std::string abab;
  while (abab.size() < 1024 * 1024) abab += "ab";
  EXPECT_EQ(compiled("^(ab)*$", RegexDialect::multiline, limits).search(abab), true);
  EXPECT_EQ(compiled("^(ab)*$", RegexDialect::multiline, limits).search(abab + "a"), false);
}

TEST(BoundedRegex, HeapLimitIsReported) {
  RegexLimits limits;
  limits.heap_limit_kib = 1024;
  limits.jit_stack_kib = 0;  // the heap limit is the interpreter's
  std::string abab;
  while (abab.size() < 1024 * 1024) abab += "ab";
  auto result = compiled("^(ab)*$", RegexDialect::multiline, limits).search(abab);
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(contains(result.error(), "heap limit (1 MiB)")) << result.error();
}

TEST(BoundedRegex, QuadraticSearchHitsTheTimeLimit) {
  RegexLimits limits;
  limits.time_limit = 200ms;
  const auto start = std::chrono::steady_clock::now();
  auto result = compiled("[a-z]*[0-9]", RegexDialect::multiline, limits).search(std::string(4 * 1024 * 1024, 'a'));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(contains(result.error(), "time limit (200 ms)")) << result.error();
  EXPECT_LT(elapsed, 2s);
}

// Found by the sanitizer tier: the clock was read only every 256th start position, so a search
// whose every start position costs milliseconds (here the interpreter, the path a too-small JIT
// stack falls back to) ran 256 of them before noticing the limit: 9.5 s for a 200 ms limit.
TEST(BoundedRegex, QuadraticSearchInTheInterpreterHitsTheTimeLimitPromptly) {
  RegexLimits limits;
  limits.time_limit = 200ms;
  limits.jit_stack_kib = 0;  // no JIT: the interpreter
  const auto start = std::chrono::steady_clock::now();
  auto result = compiled("[a-z]*[0-9]", RegexDialect::multiline, limits).search(std::string(4 * 1024 * 1024, 'a'));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(contains(result.error(), "time limit (200 ms)")) << result.error();
  EXPECT_LT(elapsed, 2s);
}

TEST(BoundedRegex, InvalidUtf8SubjectsStillMatch) {
  EXPECT_EQ(compiled("abc").search("\xff\xfe abc \xc3"), true);
  EXPECT_EQ(compiled("^x$").search("\xff\nx\n"), true);
}

TEST(BoundedRegex, LongPatternsAreShortenedInMessages) {
  const std::string pattern(1000, 'a');
  const std::string shown = shown_pattern(pattern);
  EXPECT_LT(shown.size(), 200u);
  EXPECT_TRUE(contains(shown, "1000 characters")) << shown;
}

}  // namespace
}  // namespace diary::util
