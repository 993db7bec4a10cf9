#include "util/text_file.h"

#include <sys/stat.h>

#include <fstream>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace diary::util {
namespace {

namespace fs = std::filesystem;

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

TEST(ReadTextFile, ReadsARegularFileWhole) {
  test::ScratchDir dir;
  const std::string content = std::string("line one\n") + std::string(100'000, 'x') + '\0' + "tail";
  test::write_file(dir / "a.txt", content);
  EXPECT_EQ(read_text_file(dir / "a.txt"), content);
  test::write_file(dir / "empty.txt", "");
  EXPECT_EQ(read_text_file(dir / "empty.txt"), "");
}

TEST(ReadTextFile, MissingFileSaysWhy) {
  test::ScratchDir dir;
  auto text = read_text_file(dir / "nope.txt");
  ASSERT_FALSE(text);
  EXPECT_TRUE(contains(text.error(), "cannot read " + (dir / "nope.txt").string())) << text.error();
  EXPECT_TRUE(contains(text.error(), "No such file or directory")) << text.error();
}

TEST(ReadTextFile, DevZeroIsRefusedAtOnce) {
  auto text = read_text_file("/dev/zero");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error(), "/dev/zero is not a regular file (a character device)");
}

TEST(ReadTextFile, FifoIsRefusedWithoutBlocking) {
  test::ScratchDir dir;
  const fs::path fifo = dir / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto text = read_text_file(fifo);  // without O_NONBLOCK this open would wait for a writer
  ASSERT_FALSE(text);
  EXPECT_TRUE(contains(text.error(), "is not a regular file (a FIFO)")) << text.error();
}

TEST(ReadTextFile, DirectoryIsRefused) {
  test::ScratchDir dir;
  auto text = read_text_file(dir.path());
  ASSERT_FALSE(text);
  EXPECT_TRUE(contains(text.error(), "is not a regular file (a directory)")) << text.error();
}

TEST(ReadTextFile, FilesOverTheCapAreRefusedWithBothSizes) {
  test::ScratchDir dir;
  test::write_file(dir / "big.txt", std::string(3000, 'x'));
  EXPECT_EQ(read_text_file(dir / "big.txt", 3000)->size(), 3000u);
  auto text = read_text_file(dir / "big.txt", 2048);
  ASSERT_FALSE(text);
  EXPECT_TRUE(contains(text.error(), "is larger than 2 KiB (2.9 KiB)")) << text.error();
}

TEST(ReadTextFile, TheDefaultCapIs16MiB) {
  test::ScratchDir dir;
  {
    std::ofstream out(dir / "sparse", std::ios::binary);
    out.seekp(default_read_cap);
    out.put('x');
  }
  auto text = read_text_file(dir / "sparse");
  ASSERT_FALSE(text);
  EXPECT_TRUE(contains(text.error(), "is larger than 16 MiB")) << text.error();
  EXPECT_EQ(read_text_file(dir / "sparse", artifact_read_cap)->size(), default_read_cap + 1);
}

TEST(FormatSize, UsesBinaryUnits) {
  EXPECT_EQ(format_size(1), "1 byte");
  EXPECT_EQ(format_size(12), "12 bytes");
  EXPECT_EQ(format_size(16u * 1024 * 1024), "16 MiB");
  EXPECT_EQ(format_size(1536), "1.5 KiB");
}

}  // namespace
}  // namespace diary::util
