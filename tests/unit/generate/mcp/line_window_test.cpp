#include "generate/mcp/line_window.h"

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace {

using namespace diary::generate::mcp;
using diary::test::ScratchDir;

struct Seen {
  std::size_t number;
  std::string text, previous, next;
};

std::vector<Seen> visit_all(const std::filesystem::path& file, std::size_t first, std::size_t last, std::size_t count_to,
                            std::size_t& total, std::size_t stop_after = 1000) {
  std::vector<Seen> seen;
  auto counted = visit_lines(file, first, last, count_to, 1 << 20, [&](const VisitedLine& line) {
    seen.push_back({line.number, std::string(line.text), std::string(line.neighbours.previous.value_or("<none>")),
                    std::string(line.neighbours.next.value_or("<none>"))});
    return seen.size() < stop_after;
  });
  EXPECT_TRUE(counted.has_value());
  total = counted.value_or(0);
  return seen;
}

TEST(LineWindow, VisitsTheRangeWithNeighboursOutsideIt) {
  ScratchDir scratch;
  diary::test::write_file(scratch / "f.jsonl", "one\ntwo\nthree\nfour\nfive");
  std::size_t total = 0;
  auto seen = visit_all(scratch / "f.jsonl", 2, 3, 0, total);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].number, 2u);
  EXPECT_EQ(seen[0].previous, "one");
  EXPECT_EQ(seen[0].next, "three");
  EXPECT_EQ(seen[1].text, "three");
  EXPECT_EQ(seen[1].next, "four");  // the line after the range is read as a neighbour
  EXPECT_EQ(total, 4u);             // and counting stopped there
  seen = visit_all(scratch / "f.jsonl", 1, 5, 0, total);
  EXPECT_EQ(seen.front().previous, "<none>");
  EXPECT_EQ(seen.back().next, "<none>");
  EXPECT_EQ(total, 5u);
}

TEST(LineWindow, StoppingEarlyStillCountsToTheRequestedLine) {
  ScratchDir scratch;
  diary::test::write_file(scratch / "f.jsonl", "a\nb\nc\nd\ne\nf\n");
  std::size_t total = 0;
  auto seen = visit_all(scratch / "f.jsonl", 1, 6, 5, total, 2);
  EXPECT_EQ(seen.size(), 2u);
  EXPECT_EQ(total, 5u);
  seen = visit_all(scratch / "f.jsonl", 3, 9, 9, total);  // past the end: every line is counted
  EXPECT_EQ(seen.size(), 4u);
  EXPECT_EQ(total, 6u);
  seen = visit_all(scratch / "f.jsonl", 4, 2, 3, total);  // an empty range visits nothing
  EXPECT_TRUE(seen.empty());
  EXPECT_EQ(total, 3u);
}

}  // namespace
