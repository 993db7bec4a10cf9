// Prompt-injection defence: text from transcripts and models must reach report.md and
// report.html as inert characters. Two sources of hostile text: the committed "hostile" fixture
// (hand-written attacks in every field, including the title, project labels, quotes and
// limits), and the "full" fixture with EVERY string of the report and of every card replaced by
// an attack, refs and enum values included.
#include <regex>

#include <gtest/gtest.h>

#include "generate/render/render_report.h"
#include "unit/generate/render/render_fixtures.h"

namespace {

using namespace diary::generate::render;
using diary::test::count_of;
using nlohmann::json;

const std::string attack =
    "</details><script>alert(1)</script>[link](http://x)![i](http://x/i.png)`tick`*star*_under_ "
    "\"'><b onmouseover=x>&amp;\n# heading\n> quote\n- item\n1. ordered\n---\n\\[esc\\](http://x)";

// Replaces every string value in `value` (not object keys) with the attack plus the original,
// so every field is hostile and still tells which field it was.
void poison(json& value) {
  if (value.is_string()) {
    value = attack + value.get<std::string>();
  } else if (value.is_object() || value.is_array()) {
    for (auto& child : value) poison(child);
  }
}

struct Poisoned {
  std::string markdown, html;
};

Poisoned render_poisoned() {
  const auto day = diary::test::load_render_fixture("full");
  json report = diary::test::read_json_file(day.daily_report());
  poison(report);
  auto evidence = evidence_from_workspace(day);
  for (auto& project : evidence) {
    project.project_label = attack + project.project_label;
    for (auto& session : project.sessions)
      if (session.card) poison(*session.card);
  }
  auto rendered = render_documents(report, evidence);
  EXPECT_TRUE(rendered.has_value()) << (rendered ? "" : rendered.error().message);
  if (!rendered) return {};
  return {rendered->markdown, rendered->html};
}

// Positions in `text` of `c` not preceded by an odd number of backslashes.
std::vector<std::size_t> unescaped(const std::string& text, char c) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != c) continue;
    std::size_t backslashes = 0;
    for (std::size_t k = i; k > 0 && text[k - 1] == '\\'; --k) ++backslashes;
    if (backslashes % 2 == 0) out.push_back(i);
  }
  return out;
}

// Removes the renderer's own ids and in-page link targets (they may hold '_' from a key).
std::string without_anchors(const std::string& markdown) {
  return std::regex_replace(std::regex_replace(markdown, std::regex(R"(\]\(#[^)]*\))"), "]"), std::regex(R"( id="[^"]*")"), "");
}

void expect_inert_markdown(const std::string& markdown) {
  // Raw HTML only as the renderer's own <details>/<summary>, balanced.
  for (const auto& tag : diary::test::all_matches(markdown, std::regex(R"(<(/?[a-zA-Z]+))")))
    EXPECT_TRUE(tag == "details" || tag == "/details" || tag == "summary" || tag == "/summary") << "raw tag <" << tag;
  EXPECT_EQ(count_of(markdown, "<details"), count_of(markdown, "</details>"));
  EXPECT_EQ(markdown.find("<script"), std::string::npos);
  EXPECT_GT(count_of(markdown, "&lt;script&gt;"), 0u) << "the attack text should still be visible, escaped";
  // No link or image other than the renderer's in-page citations.
  const std::string text = without_anchors(markdown);
  EXPECT_EQ(unescaped(text, '[').size(), count_of(markdown, "](#")) << "every unescaped [ opens a citation link";
  EXPECT_EQ(unescaped(text, '(').size(), 0u);
  EXPECT_TRUE(unescaped(text, '!').empty());
  EXPECT_TRUE(unescaped(text, '`').empty());
  EXPECT_TRUE(unescaped(text, '*').empty());
  EXPECT_TRUE(unescaped(text, '_').empty());
  // Headings are the renderer's: "#"… then a space, never a heading made of the text.
  std::istringstream lines(markdown);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    if (line[0] == '#') {
      EXPECT_TRUE(std::regex_search(line, std::regex(R"(^#{1,4} [^#])"))) << line;
    }
    EXPECT_FALSE(std::regex_search(line, std::regex(R"(^(- |> )(-|\+|\d+\.)\s|^(\+|\d+\.)\s)"))) << "list made of text: " << line;
    EXPECT_FALSE(std::regex_search(line, std::regex(R"(^(---|===)\s*$)"))) << line;
  }
}

void expect_inert_html(const std::string& html) {
  const auto problems = diary::test::html_structure_problems(html);
  EXPECT_TRUE(problems.empty()) << [&] {
    std::string all;
    for (const auto& problem : problems) all += problem + "\n";
    return all;
  }();
  EXPECT_EQ(count_of(html, "<details"), count_of(html, "</details>"));
  EXPECT_GT(count_of(html, "&lt;script&gt;"), 0u);
  // The attack's attribute is there only as text (html_structure_problems checks every real tag).
  EXPECT_EQ(html.find("<b "), std::string::npos);
}

TEST(RenderHostileText, FixtureMarkdownIsInert) { expect_inert_markdown(diary::test::render_fixture("hostile").markdown); }

TEST(RenderHostileText, FixtureHtmlIsInert) { expect_inert_html(diary::test::render_fixture("hostile").html); }

TEST(RenderHostileText, EveryFieldPoisonedMarkdownIsInert) { expect_inert_markdown(render_poisoned().markdown); }

TEST(RenderHostileText, EveryFieldPoisonedHtmlIsInert) { expect_inert_html(render_poisoned().html); }

TEST(RenderHostileText, TitleIsEscapedInBothDocuments) {
  const auto rendered = diary::test::render_fixture("hostile");
  const std::string first_line = rendered.markdown.substr(0, rendered.markdown.find('\n'));
  EXPECT_TRUE(first_line.starts_with("# \\# title &lt;/details&gt;&lt;script&gt;alert\\(1\\)")) << first_line;
  EXPECT_NE(first_line.find("\\[link\\]\\(http://x\\)"), std::string::npos);
  EXPECT_NE(rendered.html.find("<title>"), std::string::npos);
  const auto title = rendered.html.substr(rendered.html.find("<title>"), 120);
  EXPECT_NE(title.find("&lt;/details&gt;&lt;script&gt;"), std::string::npos) << title;
}

TEST(RenderHostileText, HostileVocabularyValuesNeverBecomeClasses) {
  const auto html = diary::test::render_fixture("hostile").html;
  EXPECT_NE(html.find("<span class=\"chip disp-other\">completed&quot;&gt;&lt;script&gt;"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"chip conf-other\">high&#39; onmouseover=&#39;x confidence</span>"), std::string::npos);
}

TEST(RenderHostileText, CitationWithHostileRefsIsShownUnlinked) {
  const auto rendered = diary::test::render_fixture("hostile");
  EXPECT_NE(rendered.markdown.find("\\[S0001\\]\\(http://x\\)/T0001&lt;script&gt;\\]"), std::string::npos);
  EXPECT_NE(
      rendered.html.find(
          "<span class=\"cite unlinked\" title=\"no evidence entry for this turn\">S0001](http://x)/T0001&lt;script&gt;</span>"),
      std::string::npos);
}

}  // namespace
