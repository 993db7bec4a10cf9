#include "util/terminal_text.h"

#include <gtest/gtest.h>

namespace diary::util {
namespace {

TEST(TerminalLine, RemovesEscapeSequencesAndControls) {
  EXPECT_EQ(terminal_line("plain text"), "plain text");
  EXPECT_EQ(terminal_line("\x1b[2J\x1b[31mred\x1b[0m"), "red");  // CSI: clear screen, colours
  EXPECT_EQ(terminal_line("a\x1b]0;pwned title\x07"
                          "b"),
            "ab");                                                                 // OSC window title, BEL
  EXPECT_EQ(terminal_line("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"), "alink");  // OSC 8, ST
  EXPECT_EQ(terminal_line("a\x1b"
                          "cb"),
            "ab");  // RIS (reset)
  EXPECT_EQ(terminal_line("one\ntwo\r\tthree"), "one two  three");
  EXPECT_EQ(terminal_line(std::string("nul\0bel\x07"
                                      "del\x7f",
                                      13)),
            "nulbeldel");
  EXPECT_EQ(terminal_line("c1\xc2\x9b"
                          "31m"),
            "c131m");  // U+009B (8-bit CSI) dropped
  EXPECT_EQ(terminal_line("bidi\u202Eevil"), "bidievil");
  EXPECT_EQ(terminal_line("trailing\x1b["), "trailing");
}

TEST(TerminalLine, KeepsUnicodeAndReplacesInvalidBytes) {
  EXPECT_EQ(terminal_line("caf\u00e9 \u65e5\u672c \U0001F600"), "caf\u00e9 \u65e5\u672c \U0001F600");
  EXPECT_EQ(terminal_line("bad\xff\xfe"
                          "end"),
            "bad\uFFFD\uFFFDend");
  EXPECT_EQ(terminal_line("cut\xe6\x97"), "cut\uFFFD\uFFFD");
}

TEST(DisplayWidth, CountsColumnsNotBytes) {
  EXPECT_EQ(display_width("abc"), 3u);
  EXPECT_EQ(display_width("\u65e5\u672c"), 4u);  // wide CJK
  EXPECT_EQ(display_width("e\u0301"), 1u);       // combining acute
  EXPECT_EQ(display_width("\U0001F600"), 2u);
}

TEST(FitWidth, CutsByCodePointsToTheWidth) {
  EXPECT_EQ(fit_width("short", 10), "short");
  EXPECT_EQ(fit_width("exactly10!", 10), "exactly10!");
  EXPECT_EQ(fit_width("longer than ten", 10), "longer th\u2026");
  EXPECT_EQ(display_width(fit_width("longer than ten", 10)), 10u);
  // Never half a code point, never past the width with wide characters.
  const std::string cut = fit_width("\u65e5\u672c\u8a9e\u306e\u6587", 6);
  EXPECT_EQ(cut, "\u65e5\u672c\u2026");
  EXPECT_LE(display_width(cut), 6u);
  EXPECT_EQ(fit_width("\x1b[31mred text here\x1b[0m", 5), "red \u2026");
  EXPECT_EQ(fit_width("anything", 0), "");
}

TEST(PadToWidth, PadsByDisplayWidth) {
  EXPECT_EQ(pad_to_width("ab", 4), "ab  ");
  EXPECT_EQ(pad_to_width("ab", 4, Align::right), "  ab");
  EXPECT_EQ(pad_to_width("\u65e5", 4), "\u65e5  ");
  EXPECT_EQ(pad_to_width("toolong", 3), "toolong");
}

}  // namespace
}  // namespace diary::util
