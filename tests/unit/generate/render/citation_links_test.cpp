// Citations are in-page links that always land: every "](#x)" of report.md and every href="#x"
// of report.html names an element id of the same document, ids are unique, and every indexed
// turn of the day is cited at least once outside the evidence appendix.
#include <gtest/gtest.h>

#include "generate/render/escape.h"
#include "generate/render/render_report.h"
#include "unit/generate/render/render_fixtures.h"

namespace {

using namespace diary::generate::render;
using nlohmann::json;

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& value : values) out += value + " ";
  return out;
}

class RenderLinks : public ::testing::TestWithParam<std::string> {};

TEST_P(RenderLinks, EveryMarkdownLinkHasATarget) {
  const auto rendered = diary::test::render_fixture(GetParam());
  const auto targets = diary::test::markdown_link_targets(rendered.markdown);
  const auto ids = diary::test::element_ids(rendered.markdown);
  EXPECT_EQ(diary::test::unresolved_targets(targets, ids), std::vector<std::string>{});
  EXPECT_EQ(diary::test::duplicates(ids), std::vector<std::string>{});
}

TEST_P(RenderLinks, EveryHtmlHrefHasATarget) {
  const auto rendered = diary::test::render_fixture(GetParam());
  const auto hrefs = diary::test::html_hrefs(rendered.html);
  ASSERT_FALSE(hrefs.empty());  // at least the table of contents
  const auto ids = diary::test::element_ids(rendered.html);
  EXPECT_EQ(diary::test::unresolved_targets(hrefs, ids), std::vector<std::string>{});
  EXPECT_EQ(diary::test::duplicates(ids), std::vector<std::string>{});
}

TEST_P(RenderLinks, EveryIndexedTurnIsCitedOutsideTheAppendix) {
  const auto day = diary::test::load_render_fixture(GetParam());
  const auto rendered = diary::test::render_fixture(GetParam());
  const auto before_appendix = [](const std::string& text, const std::string& marker) {
    return text.substr(0, text.find(marker));
  };
  const std::string markdown = before_appendix(rendered.markdown, "## Evidence Chains");
  const std::string html = before_appendix(rendered.html, "<section id=\"evidence\">");
  for (const auto& project : day.projects())
    for (const auto& session : project.sessions)
      for (const auto& turn : session.turns) {
        const auto anchor = evidence_anchor(project.project_key, session.session_ref, turn.turn_ref);
        EXPECT_NE(markdown.find("](#" + anchor + ")"), std::string::npos) << anchor << " is never cited in report.md";
        EXPECT_NE(html.find("href=\"#" + anchor + "\""), std::string::npos) << anchor << " is never cited in report.html";
      }
}

INSTANTIATE_TEST_SUITE_P(Fixture, RenderLinks, ::testing::ValuesIn(diary::test::render_scenarios()),
                         [](const auto& info) { return info.param; });

json minimal_report() {
  return {{"schema_version", 1},
          {"report_date", "2026-11-30"},
          {"status", "final"},
          {"window", {{"start", "2026-11-30T00:00:00+00:00"}, {"end", "2026-12-01T00:00:00+00:00"}, {"timezone", "UTC"}}},
          {"projects", json::array()},
          {"offline_parts", json::array()}};
}

json card(const std::string& project_key, const std::string& session_ref, const std::vector<std::string>& turns) {
  json chains = json::array();
  for (const auto& turn : turns)
    chains.push_back(
        {{"turn_ref", turn},
         {"trigger", {{"type", "explicit_user_message"}, {"summary", "asked " + turn}, {"quoted_messages", json::array()}}},
         {"agent_reactions", json::array()},
         {"outcomes", json::array()},
         {"observed_checks", json::array()},
         {"terminal_state", {{"type", "no_material"}, {"summary", "done"}}},
         {"materiality", "minor"}});
  return {{"schema_version", 1}, {"project_key", project_key}, {"session_ref", session_ref}, {"evidence_chains", chains}};
}

json work_item(const std::string& ref, const std::string& session_ref, const std::string& turn_ref) {
  return {{"work_item_ref", ref},
          {"title", "item " + ref},
          {"kind", "no_material_work_item"},
          {"confidence", "low"},
          {"covered_turns", {{{"session_ref", session_ref}, {"turn_ref", turn_ref}}}},
          {"outcomes", json::array()},
          {"terminal_states", json::array()},
          {"limits", json::array()}};
}

TEST(RenderCitationLinks, ACitationWithoutAnAppendixEntryIsShownUnlinked) {
  json report = minimal_report();
  json project = {{"project_key", "p"},
                  {"project_label", "P"},
                  {"summary",
                   {{"text", "summary"},
                    {"citations",
                     {{{"project_key", "p"}, {"session_ref", "S0009"}, {"turn_ref", "T0001"}, {"lines", "1-2"}},
                      {{"project_key", "p"}, {"session_ref", "S0001"}, {"turn_ref", "T0001"}, {"lines", "1-2"}}}}}},
                  {"work_items", {work_item("W0001", "S0001", "T0001")}}};
  report["projects"].push_back(project);
  const json cards = {{"p", {{"S0001", card("p", "S0001", {"T0001"})}}}};
  const auto markdown = render_markdown(report, cards);
  ASSERT_TRUE(markdown) << markdown.error().message;
  EXPECT_NE(markdown->find("summary \\[S0009/T0001\\]; [S0001/T0001](#evidence-p-s0001-t0001)"), std::string::npos) << *markdown;
  const auto html = render_html(report, cards);
  ASSERT_TRUE(html);
  EXPECT_NE(html->find("<span class=\"cite unlinked\" title=\"no evidence entry for this turn\">S0009/T0001</span>"),
            std::string::npos);
  EXPECT_EQ(diary::test::unresolved_targets(diary::test::html_hrefs(*html), diary::test::element_ids(*html)),
            std::vector<std::string>{});
}

TEST(RenderCitationLinks, KeysThatNormalizeAlikeStillGetTheirOwnAnchors) {
  // "A.b" and "a-b" both normalize to evidence-a-b-…: the second gets a suffix and its
  // citations follow it.
  json report = minimal_report();
  for (const std::string key : {"A.b", "a-b"})
    report["projects"].push_back({{"project_key", key},
                                  {"project_label", "label " + key},
                                  {"summary", nullptr},
                                  {"work_items", {work_item("W0001", "S0001", "T0001")}}});
  const json cards = {{"A.b", {{"S0001", card("A.b", "S0001", {"T0001"})}}},
                      {"a-b", {{"S0001", card("a-b", "S0001", {"T0001"})}}}};
  const auto markdown = render_markdown(report, cards);
  ASSERT_TRUE(markdown) << markdown.error().message;
  EXPECT_NE(markdown->find("<details id=\"evidence-a-b-s0001-t0001\">"), std::string::npos);
  EXPECT_NE(markdown->find("<details id=\"evidence-a-b-s0001-t0001-2\">"), std::string::npos);
  EXPECT_NE(markdown->find("Covers: [S0001/T0001](#evidence-a-b-s0001-t0001)"), std::string::npos);
  EXPECT_NE(markdown->find("Covers: [S0001/T0001](#evidence-a-b-s0001-t0001-2)"), std::string::npos);
  const auto html = render_html(report, cards);
  ASSERT_TRUE(html);
  EXPECT_EQ(diary::test::duplicates(diary::test::element_ids(*html)), std::vector<std::string>{})
      << joined(diary::test::element_ids(*html));
}

TEST(RenderCitationLinks, ScopedCitationsNameTheProject) {
  const auto rendered = diary::test::render_fixture("full");
  EXPECT_NE(rendered.markdown.find("[notes-site · S0001/T0001](#evidence-notes-site-9a8b7c6d5e4f-s0001-t0001)"),
            std::string::npos);
  EXPECT_NE(
      rendered.html.find("<a class=\"cite\" href=\"#evidence-notes-site-9a8b7c6d5e4f-s0001-t0001\">notes-site · S0001/T0001</a>"),
      std::string::npos);
}

TEST(RenderCitationLinks, TurnsNoWorkItemCoversAreListedAndCited) {
  // The index knows T0002 and a second project; the report covers only T0001.
  json report = minimal_report();
  report["projects"].push_back({{"project_key", "p"},
                                {"project_label", "P"},
                                {"summary", nullptr},
                                {"work_items", {work_item("W0001", "S0001", "T0001")}}});
  const json cards = {{"p", {{"S0001", card("p", "S0001", {"T0001", "T0002"})}}},
                      {"q", {{"S0001", card("q", "S0001", {"T0001"})}}}};
  const auto markdown = render_markdown(report, cards);
  ASSERT_TRUE(markdown) << markdown.error().message;
  EXPECT_NE(markdown->find("Not covered by any work item: [S0001/T0002](#evidence-p-s0001-t0002)"), std::string::npos)
      << *markdown;
  EXPECT_NE(markdown->find("### q\n\nThe report lists no work items for this project.\n\nNot covered by any work item: "
                           "[S0001/T0001](#evidence-q-s0001-t0001)"),
            std::string::npos)
      << *markdown;
}

}  // namespace
