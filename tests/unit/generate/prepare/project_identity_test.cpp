#include "generate/prepare/project_identity.h"

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace {

using namespace diary::generate::prepare;

TEST(ProjectIdentity, KeyIsSanitizedBasenamePlusRootHash) {
  auto identity = project_identity("/home/u/ReportGenerator", SessionSource::codex, "id");
  EXPECT_EQ(identity.key, "ReportGenerator-859c252034c0");  // sha256("/home/u/ReportGenerator")
  EXPECT_EQ(identity.label, "ReportGenerator");
  EXPECT_EQ(identity.root, "/home/u/ReportGenerator");
  EXPECT_FALSE(identity.unknown);
  // A trailing slash or a dot segment is the same root.
  EXPECT_EQ(project_identity("/home/u/./ReportGenerator/", SessionSource::claude_code, "x").key, identity.key);
}

TEST(ProjectIdentity, UnsafeCharactersBecomeDashes) {
  auto identity = project_identity("/srv/my project (v2)!", SessionSource::codex, "id");
  EXPECT_EQ(identity.key, "my-project-v2--0fca54b09d69");
  EXPECT_EQ(sanitize_project_name("a  b//c"), "a-b-c");
  EXPECT_EQ(sanitize_project_name("résumé"), "r-sum-");
  EXPECT_EQ(sanitize_project_name(std::string(60, 'x')), std::string(48, 'x'));
  EXPECT_EQ(sanitize_project_name(""), "unknown-project");
  EXPECT_EQ(sanitize_project_name(".."), "unknown-project");
}

TEST(ProjectIdentity, MissingOrRelativeCwdIsAnUnknownProjectPerSession) {
  auto unknown = project_identity(std::nullopt, SessionSource::codex, "abc");
  EXPECT_TRUE(unknown.unknown);
  EXPECT_EQ(unknown.root, "unknown-project/codex/abc");
  EXPECT_EQ(unknown.key, "unknown-project-5181dce31bf5");
  EXPECT_TRUE(project_identity("relative/dir", SessionSource::codex, "abc").unknown);
  EXPECT_NE(project_identity(std::nullopt, SessionSource::codex, "other").key, unknown.key);
}

TEST(ProjectIdentity, SymlinkedRootsResolveToOneProject) {
  diary::test::ScratchDir scratch;
  std::filesystem::create_directories(scratch / "real" / "proj");
  std::filesystem::create_directory_symlink(scratch / "real", scratch / "link");
  auto via_link = project_identity((scratch / "link" / "proj").string(), SessionSource::codex, "a");
  auto direct = project_identity((scratch / "real" / "proj").string(), SessionSource::codex, "b");
  EXPECT_EQ(via_link.key, direct.key);
}

TEST(IsInside, ComparesWholeComponents) {
  EXPECT_TRUE(is_inside("/r/reports", "/r/reports"));
  EXPECT_TRUE(is_inside("/r/reports/work/2026-01-01", "/r/reports"));
  EXPECT_TRUE(is_inside("/r/reports/work/../work/x", "/r/reports/"));
  EXPECT_FALSE(is_inside("/r/reports-old", "/r/reports"));
  EXPECT_FALSE(is_inside("/r", "/r/reports"));
}

}  // namespace
