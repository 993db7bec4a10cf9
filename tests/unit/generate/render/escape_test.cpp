#include "generate/render/escape.h"

#include <gtest/gtest.h>

namespace {

using namespace diary::generate::render;

TEST(RenderEscapeInline, EscapesHtmlAndInlineMarkup) {
  EXPECT_EQ(markdown_inline("a & b <i>"), "a &amp; b &lt;i&gt;");
  EXPECT_EQ(markdown_inline("`x` *y* _z_ [l](u) !"), "\\`x\\` \\*y\\* \\_z\\_ \\[l\\]\\(u\\) \\!");
  EXPECT_EQ(markdown_inline("a|b ~c~"), "a\\|b \\~c\\~");
}

TEST(RenderEscapeInline, EscapesBackslashSoAnInputEscapeCannotUnescapeOurs) {
  // "\[a\](u)" would otherwise become "\\[a\\](u)": a literal backslash and a live link.
  EXPECT_EQ(markdown_inline("\\[a\\](u)"), "\\\\\\[a\\\\\\]\\(u\\)");
}

TEST(RenderEscapeInline, NeutralizesLineLeadingBlockMarkers) {
  EXPECT_EQ(markdown_inline("# heading"), "\\# heading");
  EXPECT_EQ(markdown_inline("- item"), "\\- item");
  EXPECT_EQ(markdown_inline("+ item"), "\\+ item");
  EXPECT_EQ(markdown_inline("==="), "\\===");
  EXPECT_EQ(markdown_inline("12. item"), "12\\. item");
  EXPECT_EQ(markdown_inline("> quote"), "&gt; quote");
  // Only at the start: a dash or a numbered dot inside the text stays as it is.
  EXPECT_EQ(markdown_inline("a - b 1. c"), "a - b 1. c");
  EXPECT_EQ(markdown_inline("version 1.2"), "version 1.2");
}

TEST(RenderEscapeInline, CollapsesNewlinesAndTrims) {
  EXPECT_EQ(markdown_inline("  one\n\n# two\r\nthree\tfour  "), "one \\# two three four");
  EXPECT_EQ(markdown_inline(" \n "), "");
}

TEST(RenderEscapeQuote, KeepsLinesAndPrefixesEach) {
  const auto lines = markdown_quote_lines("\nfirst *x*\n\n# second\n- third\n\n");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "> first \\*x\\*");
  EXPECT_EQ(lines[1], ">");
  EXPECT_EQ(lines[2], "> \\# second");
  EXPECT_EQ(lines[3], "> \\- third");
  EXPECT_EQ(markdown_quote_lines("").size(), 1u);
  EXPECT_EQ(markdown_quote_lines("   ")[0], ">");
}

TEST(RenderEscapeQuote, IndentedMarkersAreNeutralizedToo) {
  EXPECT_EQ(markdown_quote_lines("  # indented")[0], ">   \\# indented");
  EXPECT_EQ(markdown_quote_lines("a\tb")[0], "> a b");
}

TEST(RenderEscapeHtml, EscapesEverythingSignificant) {
  EXPECT_EQ(html_text("<a href=\"x\" onclick='y'>&</a>"), "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(html_text("line\nbreak"), "line\nbreak");
  EXPECT_EQ(html_inline("  line\nbreak  "), "line break");
}

TEST(RenderEscapeClean, ReplacesInvalidUtf8AndControls) {
  EXPECT_EQ(clean_text("ok \xC3\xA9 \xE2\x80\x94"), "ok \xC3\xA9 \xE2\x80\x94");
  EXPECT_EQ(clean_text("bad \xFF end"), "bad \xEF\xBF\xBD end");
  EXPECT_EQ(clean_text("cut \xE2\x80"), "cut \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(clean_text("overlong \xC0\xAF"), "overlong \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(clean_text("surrogate \xED\xA0\x80"), "surrogate \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(clean_text("esc\x1b[31m bell\x07 del\x7f"), "esc [31m bell  del ");
  EXPECT_EQ(clean_text("a\r\nb\rc"), "a\nb\nc");
}

TEST(RenderEscapeAnchor, FollowTheReferenceNormalization) {
  EXPECT_EQ(evidence_anchor("diary-3f2a9c1b7e10", "S0001", "T0002"), "evidence-diary-3f2a9c1b7e10-s0001-t0002");
  EXPECT_EQ(evidence_anchor("My Project.x", "S0001", "T0002"), "evidence-my-project-x-s0001-t0002");
  // Runs outside [a-z0-9_-] become one dash; existing dashes and underscores stay.
  EXPECT_EQ(evidence_anchor("Evil_<b>*x*-0123", "S1", "T1"), "evidence-evil_-b-x--0123-s1-t1");
  EXPECT_EQ(anchor_slug("--\"><script>--"), "script");
  EXPECT_EQ(anchor_slug("\xC3\xA9t\xC3\xA9"), "t");
  EXPECT_EQ(anchor_slug("<>"), "");
}

}  // namespace
