#include "util/text_table.h"

#include <gtest/gtest.h>

namespace diary::util {
namespace {

TEST(TextTable, PadsColumnsByDisplayWidthWithAHeader) {
  TextTable table({{"JOB"}, {"TURNS", Align::right}, {"NOTE"}});
  table.add_row({"alpha", "3", "ok"});
  table.add_row({"\u65e5\u672c", "12", ""});
  EXPECT_EQ(table.render(),
            "JOB    TURNS  NOTE\n"
            "alpha      3  ok\n"
            "\u65e5\u672c      12\n");
}

TEST(TextTable, CleansAndCutsCells) {
  TextTable table({{"", Align::left, 6}, {""}});
  table.add_row({"a-very-long-name", "\x1b[2Jx\ny"});
  table.add_row({"b"});
  EXPECT_EQ(table.render(),
            "a-ver\u2026  x y\n"
            "b\n");
}

}  // namespace
}  // namespace diary::util
