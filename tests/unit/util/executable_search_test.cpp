#include "util/executable_search.h"

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace diary::util {
namespace {

namespace fs = std::filesystem;

TEST(ExecutableSearch, FindsTheFirstExecutableInOrder) {
  test::ScratchDir scratch;
  for (const char* dir : {"a", "b", "c"}) fs::create_directories(scratch / dir);
  test::write_file(scratch / "a" / "tool", "not executable");
  test::write_file(scratch / "b" / "tool", "#!/bin/sh\n");
  test::write_file(scratch / "c" / "tool", "#!/bin/sh\n");
  fs::permissions(scratch / "b" / "tool", fs::perms::owner_all);
  fs::permissions(scratch / "c" / "tool", fs::perms::owner_all);
  fs::create_directories(scratch / "d" / "tool");  // a folder named like the program
  const std::string path = (scratch / "d").string() + "::" + (scratch / "a").string() + ":" + (scratch / "b").string() + ":" +
                           (scratch / "c").string();
  EXPECT_EQ(find_in_search_path("tool", path), scratch / "b" / "tool");
  EXPECT_EQ(find_in_search_path("none", path), std::nullopt);
  EXPECT_EQ(find_in_search_path("tool", ""), std::nullopt);
  EXPECT_FALSE(is_executable_file(scratch / "a" / "tool"));
  EXPECT_FALSE(is_executable_file(scratch / "d" / "tool"));
  EXPECT_TRUE(is_executable_file(scratch / "c" / "tool"));
}

TEST(ExecutableSearch, FindsShOnThePath) { EXPECT_TRUE(find_on_path("sh").has_value()); }

}  // namespace
}  // namespace diary::util
