#include "generate/policy/glob_match.h"

#include <gtest/gtest.h>

namespace diary::generate {
namespace {

TEST(GlobMatch, DoubleStarSpansSegments) {
  EXPECT_TRUE(glob_match("docs/**", "docs/a.md"));
  EXPECT_TRUE(glob_match("docs/**", "docs/a/b/c.md"));
  EXPECT_TRUE(glob_match("docs/**", "docs"));
  EXPECT_FALSE(glob_match("docs/**", "src/a.md"));
  EXPECT_FALSE(glob_match("docs/**", "docsx/a.md"));
  EXPECT_TRUE(glob_match("**/*.md", "a.md"));
  EXPECT_TRUE(glob_match("**/*.md", "x/y/a.md"));
  EXPECT_FALSE(glob_match("**/*.md", "x/y/a.txt"));
  EXPECT_TRUE(glob_match("src/**/test/*.cpp", "src/a/b/test/x.cpp"));
  EXPECT_TRUE(glob_match("src/**/test/*.cpp", "src/test/x.cpp"));
}

TEST(GlobMatch, SingleStarStaysInOneSegment) {
  EXPECT_TRUE(glob_match("docs/*", "docs/a.md"));
  EXPECT_FALSE(glob_match("docs/*", "docs/a/b.md"));
  EXPECT_TRUE(glob_match("*.md", "README.md"));
  EXPECT_FALSE(glob_match("*.md", "docs/README.md"));
  EXPECT_TRUE(glob_match("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(glob_match("a*b*c", "aXXbYY"));
}

TEST(GlobMatch, QuestionMarkIsOneCharacter) {
  EXPECT_TRUE(glob_match("v?.txt", "v1.txt"));
  EXPECT_FALSE(glob_match("v?.txt", "v10.txt"));
}

TEST(GlobMatch, ExactAndDotSegments) {
  EXPECT_TRUE(glob_match("docs/RELEASE.md", "docs/RELEASE.md"));
  EXPECT_TRUE(glob_match("./docs/RELEASE.md", "docs/RELEASE.md"));
  EXPECT_FALSE(glob_match("docs/RELEASE.md", "docs/RELEASE.mdx"));
}

}  // namespace
}  // namespace diary::generate
