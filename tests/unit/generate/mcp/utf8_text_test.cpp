#include "generate/mcp/utf8_text.h"

#include <gtest/gtest.h>

namespace {

using namespace diary::generate::mcp;

TEST(Utf8Text, ValidTextIsKept) {
  const std::string text = "plain é € 😀 日本語";
  EXPECT_TRUE(is_valid_utf8(text));
  EXPECT_EQ(repair_utf8(text), text);
  EXPECT_EQ(char_count(text), 15u);
  EXPECT_EQ(byte_offset_of_char(text, 6), 6u);  // "é" starts at byte 6
  EXPECT_EQ(byte_offset_of_char(text, 7), 8u);  // the space after it
  EXPECT_EQ(byte_offset_of_char(text, 99), text.size());
}

TEST(Utf8Text, InvalidSequencesBecomeReplacementCharacters) {
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_EQ(repair_utf8("a\xff"
                        "b"),
            "a" + replacement + "b");
  // A truncated 3-byte sequence is one maximal subpart: one replacement.
  EXPECT_EQ(repair_utf8("a\xE2\x82"
                        "b"),
            "a" + replacement + "b");
  // Overlong encodings and surrogates are invalid; each byte is replaced.
  EXPECT_EQ(repair_utf8("\xC0\xAF"), replacement + replacement);
  EXPECT_EQ(repair_utf8("\xED\xA0\x80"), replacement + replacement + replacement);
  EXPECT_EQ(repair_utf8("\xF4\x90\x80\x80"), replacement + replacement + replacement + replacement);
  EXPECT_TRUE(is_valid_utf8(repair_utf8("\x80\x80\xF0\x9F\x98")));
}

TEST(Utf8Text, HeadAndTailNeverSplitACharacter) {
  const std::string text = "ab€cd";  // € is bytes 2..4
  EXPECT_EQ(utf8_head(text, 3), "ab");
  EXPECT_EQ(utf8_head(text, 5), "ab€");
  EXPECT_EQ(utf8_tail(text, 3), "cd");
  EXPECT_EQ(utf8_tail(text, 5), "€cd");
  EXPECT_EQ(utf8_head(text, 99), text);
}

}  // namespace
