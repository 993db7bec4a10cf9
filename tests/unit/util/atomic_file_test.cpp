#include "util/atomic_file.h"

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace diary::util {
namespace {

namespace fs = std::filesystem;
using test::read_file;
using test::ScratchDir;
using test::write_file;

std::vector<std::string> names_in(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(AtomicFile, NothingIsVisibleBeforeCommit) {
  ScratchDir scratch;
  write_file(scratch / "a.json", "old\n");
  auto file = AtomicFile::create(scratch / "a.json");
  ASSERT_TRUE(file) << file.error();
  ASSERT_TRUE(file->write("new "));
  ASSERT_TRUE(file->write("content\n"));
  EXPECT_EQ(read_file(scratch / "a.json"), "old\n");
  ASSERT_TRUE(file->commit());
  EXPECT_EQ(read_file(scratch / "a.json"), "new content\n");
  EXPECT_EQ(names_in(scratch.path()), (std::vector<std::string>{"a.json"}));
  EXPECT_FALSE(file->write("more"));
  EXPECT_FALSE(file->commit());
}

TEST(AtomicFile, AnUncommittedFileLeavesNoTemporary) {
  ScratchDir scratch;
  write_file(scratch / "a.json", "old\n");
  {
    auto file = AtomicFile::create(scratch / "a.json");
    ASSERT_TRUE(file);
    ASSERT_TRUE(file->write("half"));
    auto moved = std::move(*file);
    EXPECT_EQ(names_in(scratch.path()).size(), 2u);
  }
  EXPECT_EQ(names_in(scratch.path()), (std::vector<std::string>{"a.json"}));
  EXPECT_EQ(read_file(scratch / "a.json"), "old\n");
}

TEST(AtomicFile, WriteFileAtomicallyCreatesFoldersAndNamesFailures) {
  ScratchDir scratch;
  ASSERT_TRUE(write_file_atomically(scratch / "x" / "y" / "z.txt", "z"));
  EXPECT_EQ(read_file(scratch / "x" / "y" / "z.txt"), "z");
  write_file(scratch / "plain", "a file, not a folder");
  auto failed = write_file_atomically(scratch / "plain" / "z.txt", "z");
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().find("plain"), std::string::npos) << failed.error();
}

TEST(AtomicFile, TemporariesAreUniqueSiblings) {
  const fs::path target = "/some/dir/name.json";
  const auto a = temporary_sibling(target);
  const auto b = temporary_sibling(target);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.parent_path(), target.parent_path());
  EXPECT_TRUE(a.filename().string().starts_with(".name.json.tmp-" + std::to_string(::getpid()) + "-"));
}

TEST(ReplaceDirectory, SwapsAnExistingFolderAndLeavesTheOldAtBuilt) {
  ScratchDir scratch;
  write_file(scratch / "target" / "old.txt", "old");
  write_file(scratch / "built" / "new.txt", "new");
  EXPECT_FALSE(replace_directory(scratch / "built", scratch / "target", false));
  ASSERT_TRUE(replace_directory(scratch / "built", scratch / "target", true));
  EXPECT_EQ(read_file(scratch / "target" / "new.txt"), "new");
  EXPECT_TRUE(fs::exists(scratch / "built" / "old.txt"));
  write_file(scratch / "fresh" / "f.txt", "f");
  ASSERT_TRUE(replace_directory(scratch / "fresh", scratch / "other", false));
  EXPECT_EQ(read_file(scratch / "other" / "f.txt"), "f");
}

TEST(RemoveAbandonedTemporaries, KeepsThoseOfLiveProcesses) {
  ScratchDir scratch;
  const auto mine = temporary_sibling(scratch / "w");
  fs::create_directories(mine);
  fs::create_directories(scratch / ".w.tmp-999999999-0-00000000");  // no such pid
  remove_abandoned_temporaries(scratch / "w");
  EXPECT_TRUE(fs::exists(mine));
  EXPECT_FALSE(fs::exists(scratch / ".w.tmp-999999999-0-00000000"));
}

}  // namespace
}  // namespace diary::util
