#include "generate/prepare/line_reader.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace {

using diary::generate::prepare::LineAccess;
using diary::generate::prepare::LineReader;

struct ReadBack {
  std::vector<std::string> lines;
  std::vector<bool> truncated;
  std::uint64_t bytes = 0;
};

// Both access modes must give exactly the same lines, flags and byte counts.
class LineReaderTest : public ::testing::TestWithParam<LineAccess> {
 protected:
  ReadBack read_all(const std::filesystem::path& path, std::size_t cap = LineReader::default_max_line_bytes) {
    return read_back(path, cap, GetParam());
  }
  static ReadBack read_back(const std::filesystem::path& path, std::size_t cap, LineAccess access);
};

ReadBack LineReaderTest::read_back(const std::filesystem::path& path, std::size_t cap, LineAccess access) {
  auto reader = LineReader::open(path, cap, access);
  EXPECT_TRUE(reader.has_value());
  ReadBack out;
  while (true) {
    auto line = reader->next();
    EXPECT_TRUE(line.has_value());
    if (!line || !*line) break;
    out.lines.emplace_back((*line)->text);
    out.truncated.push_back((*line)->truncated);
  }
  out.bytes = reader->bytes_consumed();
  return out;
}

TEST_P(LineReaderTest, CountsLinesLikeAnEditor) {
  diary::test::ScratchDir scratch;
  struct Case {
    std::string content;
    std::vector<std::string> lines;
  };
  for (const Case& c : std::vector<Case>{
           {"", {}}, {"a\n", {"a"}}, {"a\nb", {"a", "b"}}, {"a\n\nb\n", {"a", "", "b"}}, {"\n", {""}}, {"x\r\n", {"x\r"}}}) {
    diary::test::write_file(scratch / "f.jsonl", c.content);
    auto got = read_all(scratch / "f.jsonl");
    EXPECT_EQ(got.lines, c.lines) << c.content;
    EXPECT_EQ(got.bytes, c.content.size());
  }
}

// Lines straddling the 1 MiB buffer boundary come back whole.
TEST_P(LineReaderTest, LinesAcrossBufferRefills) {
  diary::test::ScratchDir scratch;
  std::string content;
  std::vector<std::string> expected;
  for (int i = 0; i < 40; ++i) {
    std::string line(70'001 * (i % 7) + i, static_cast<char>('a' + i % 26));
    expected.push_back(line);
    content += line + "\n";
  }
  content += "tail-without-newline";
  expected.push_back("tail-without-newline");
  diary::test::write_file(scratch / "f.jsonl", content);
  auto got = read_all(scratch / "f.jsonl");
  EXPECT_EQ(got.lines, expected);
  EXPECT_EQ(got.bytes, content.size());
}

TEST_P(LineReaderTest, OverlongLinesAreCutAndFlagged) {
  diary::test::ScratchDir scratch;
  std::string huge(3 << 20, 'x');
  diary::test::write_file(scratch / "f.jsonl", "short\n" + huge + "\nafter\n" + std::string(100, 'y'));
  auto got = read_all(scratch / "f.jsonl", 1000);
  ASSERT_EQ(got.lines.size(), 4u);
  EXPECT_EQ(got.lines[0], "short");
  EXPECT_EQ(got.lines[1], std::string(1000, 'x'));
  EXPECT_TRUE(got.truncated[1]);
  EXPECT_EQ(got.lines[2], "after");
  EXPECT_FALSE(got.truncated[2]);
  EXPECT_EQ(got.lines[3], std::string(100, 'y'));
  EXPECT_FALSE(got.truncated[3]);
}

TEST_P(LineReaderTest, MissingFileIsAnIoError) {
  diary::test::ScratchDir scratch;
  auto reader = LineReader::open(scratch / "absent.jsonl", LineReader::default_max_line_bytes, GetParam());
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().kind, diary::agent::ErrorKind::io);
}

// Mapped lines stay valid after later calls (readers may keep views across lines).
TEST(LineReaderMapped, LinesOutliveLaterCalls) {
  diary::test::ScratchDir scratch;
  diary::test::write_file(scratch / "f.jsonl", "first\nsecond\nthird");
  auto reader = LineReader::open(scratch / "f.jsonl", 100, LineAccess::mapped);
  ASSERT_TRUE(reader);
  auto first = reader->next();
  auto second = reader->next();
  ASSERT_TRUE(first && *first && second && *second);
  EXPECT_EQ((*first)->text, "first");
  EXPECT_EQ((*second)->text, "second");
}

INSTANTIATE_TEST_SUITE_P(BothAccessModes, LineReaderTest, ::testing::Values(LineAccess::streamed, LineAccess::mapped),
                         [](const auto& info) { return info.param == LineAccess::mapped ? "mapped" : "streamed"; });

}  // namespace
