// Whole-file golden tests of report.md and report.html for every fixture workspace under
// tests/fixtures/render/. Regenerate after an intended change with
//   DIARY_UPDATE_GOLDEN=1 ctest --test-dir build -R RenderGolden
// and review the diff before committing. On a mismatch the rendered file is kept under the
// build tree's test-scratch/golden-actual/ for `diff`.
#include <cstdlib>

#include <gtest/gtest.h>

#include "unit/generate/render/render_fixtures.h"

namespace {

namespace fs = std::filesystem;
using diary::test::read_file;
using diary::test::write_file;

// Line number and both versions of the first line that differs, for a readable failure.
std::string first_difference(const std::string& expected, const std::string& actual) {
  std::size_t line = 1, start = 0;
  const std::size_t limit = std::min(expected.size(), actual.size());
  std::size_t i = 0;
  for (; i < limit && expected[i] == actual[i]; ++i)
    if (expected[i] == '\n') {
      ++line;
      start = i + 1;
    }
  const auto line_of = [&](const std::string& text) {
    const auto end = text.find('\n', start);
    return start > text.size() ? std::string() : text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  };
  return "first difference at line " + std::to_string(line) + "\n  expected: " + line_of(expected) +
         "\n  actual:   " + line_of(actual);
}

void check_golden(const std::string& scenario, const std::string& name, const std::string& actual) {
  const fs::path golden = diary::test::render_fixture_dir(scenario) / "expected" / name;
  if (std::getenv("DIARY_UPDATE_GOLDEN") != nullptr) {
    write_file(golden, actual);
    std::cout << "updated " << golden << "\n";
    return;
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " is missing; run with DIARY_UPDATE_GOLDEN=1 to create it";
  const std::string expected = read_file(golden);
  if (expected == actual) return;
  const fs::path kept = fs::path(DIARY_TEST_SCRATCH) / "golden-actual" / scenario / name;
  write_file(kept, actual);
  ADD_FAILURE() << scenario << "/" << name << " differs from its golden: " << first_difference(expected, actual) << "\n  diff "
                << golden << " " << kept << "\n  (DIARY_UPDATE_GOLDEN=1 regenerates the goldens after an intended change)";
}

class RenderGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(RenderGolden, MarkdownMatchesGolden) {
  const auto rendered = diary::test::render_fixture(GetParam());
  check_golden(GetParam(), "report.md", rendered.markdown);
}

TEST_P(RenderGolden, HtmlMatchesGolden) {
  const auto rendered = diary::test::render_fixture(GetParam());
  check_golden(GetParam(), "report.html", rendered.html);
}

TEST_P(RenderGolden, RenderingIsDeterministic) {
  const auto first = diary::test::render_fixture(GetParam());
  const auto second = diary::test::render_fixture(GetParam());
  EXPECT_EQ(first.markdown, second.markdown);
  EXPECT_EQ(first.html, second.html);
}

INSTANTIATE_TEST_SUITE_P(Fixture, RenderGolden, ::testing::ValuesIn(diary::test::render_scenarios()),
                         [](const auto& info) { return info.param; });

}  // namespace
