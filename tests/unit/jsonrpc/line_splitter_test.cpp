#include "jsonrpc/line_splitter.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

using diary::jsonrpc::LineSplitter;

namespace {
std::vector<std::string> feed_all(LineSplitter& splitter, const std::vector<std::string>& chunks) {
  std::vector<std::string> lines;
  for (const auto& chunk : chunks) EXPECT_TRUE(splitter.feed(chunk, [&](std::string_view line) { lines.emplace_back(line); }));
  return lines;
}
}  // namespace

TEST(LineSplitter, JoinsLinesSplitAcrossReads) {
  LineSplitter splitter;
  auto lines = feed_all(splitter, {"{\"a\":", "1}\n{\"b\"", ":2}\n{\"c\":3}"});
  EXPECT_EQ(lines, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
  EXPECT_EQ(splitter.buffered(), 7u);  // the unterminated third line waits
  auto rest = feed_all(splitter, {"\n"});
  EXPECT_EQ(rest, (std::vector<std::string>{"{\"c\":3}"}));
  EXPECT_EQ(splitter.buffered(), 0u);
}

TEST(LineSplitter, ManyLinesInOneReadAndCrlf) {
  LineSplitter splitter;
  auto lines = feed_all(splitter, {"a\r\nb\n\nc\n"});
  EXPECT_EQ(lines, (std::vector<std::string>{"a", "b", "", "c"}));
}

TEST(LineSplitter, HugeLineByteByByteChunks) {
  LineSplitter splitter;
  const std::string big(3 << 20, 'x');
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < big.size(); i += 4096)
    ASSERT_TRUE(splitter.feed(std::string_view(big).substr(i, 4096), [&](std::string_view l) { lines.emplace_back(l); }));
  EXPECT_TRUE(lines.empty());
  ASSERT_TRUE(splitter.feed("\nnext\n", [&](std::string_view l) { lines.emplace_back(l); }));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].size(), big.size());
  EXPECT_EQ(lines[1], "next");
}

TEST(LineSplitter, RejectsLinesOverTheCap) {
  LineSplitter splitter(1024);
  int count = 0;
  EXPECT_TRUE(splitter.feed(std::string(1000, 'y') + "\n", [&](std::string_view) { ++count; }));
  EXPECT_FALSE(splitter.feed(std::string(2000, 'z'), [&](std::string_view) { ++count; }));
  EXPECT_EQ(count, 1);
}
