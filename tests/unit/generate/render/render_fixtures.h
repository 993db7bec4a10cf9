// Test helpers shared by the render tests (and the headless-Chromium e2e test): the committed
// fixture workspaces under tests/fixtures/render/<scenario>/workspace, rendering one of them in
// memory, and extracting link targets and element ids from the two documents so tests can
// prove every citation resolves. Header-only; used from one test thread.
#pragma once

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "generate/render/render_report.h"
#include "generate/workspace/day_workspace.h"
#include "support/scratch_dir.h"

namespace diary::test {

inline const std::vector<std::string>& render_scenarios() {
  static const std::vector<std::string> scenarios{"full", "empty", "offline", "hostile"};
  return scenarios;
}

inline std::filesystem::path render_fixture_dir(const std::string& scenario) {
  return std::filesystem::path(DIARY_TEST_SOURCE_DIR) / "tests" / "fixtures" / "render" / scenario;
}

inline generate::workspace::DayWorkspace load_render_fixture(const std::string& scenario) {
  auto day = generate::workspace::DayWorkspace::load(render_fixture_dir(scenario) / "workspace");
  if (!day) throw std::runtime_error("fixture " + scenario + ": " + day.error().message);
  return std::move(*day);
}

inline nlohmann::json read_json_file(const std::filesystem::path& path) { return nlohmann::json::parse(read_file(path)); }

// report.md and report.html of a fixture, rendered in memory from its workspace.
inline generate::render::RenderedReport render_fixture(const std::string& scenario) {
  const auto day = load_render_fixture(scenario);
  const auto report = read_json_file(day.daily_report());
  auto rendered = generate::render::render_documents(report, generate::render::evidence_from_workspace(day));
  if (!rendered) throw std::runtime_error("render " + scenario + ": " + rendered.error().message);
  return std::move(*rendered);
}

inline std::vector<std::string> all_matches(const std::string& text, const std::regex& pattern, int group = 1) {
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[group].str());
  return out;
}

// Targets of in-page Markdown links "](#x)".
inline std::vector<std::string> markdown_link_targets(const std::string& markdown) {
  return all_matches(markdown, std::regex(R"(\]\(#([^)\s]*)\))"));
}
// Every href="…" value (in-page or not).
inline std::vector<std::string> html_hrefs(const std::string& html) {
  return all_matches(html, std::regex(R"(href="([^"]*)\")"));
}
// Every id="…" value, in document order (duplicates kept so tests can find them).
inline std::vector<std::string> element_ids(const std::string& document) {
  return all_matches(document, std::regex(R"(\sid="([^"]*)\")"));
}

inline std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++count;
  return count;
}

// What is wrong with the structure of a rendered report.html, as readable lines: a tag or an
// attribute outside the renderer's vocabulary (a <script> or an onclick= that slipped through
// escaping), an off-page reference, unbalanced elements. Empty when the page is sound.
inline std::vector<std::string> html_structure_problems(const std::string& html) {
  static const std::set<std::string> tags{"html",       "head",  "meta", "title", "style",   "body",    "header",  "div",
                                          "p",          "h1",    "h2",   "h3",    "h4",      "ul",      "ol",      "li",
                                          "span",       "nav",   "a",    "main",  "section", "article", "details", "summary",
                                          "blockquote", "aside", "code", "dl",    "dt",      "dd",      "footer"};
  static const std::set<std::string> void_tags{"meta"};
  static const std::set<std::string> attributes{"lang", "charset", "name",  "content",    "http-equiv", "class",
                                                "id",   "href",    "title", "aria-label", "open"};
  std::vector<std::string> problems;
  std::vector<std::string> open;
  const std::regex tag_pattern(R"(<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>)");
  const std::regex attribute_pattern(R"re(([a-zA-Z-]+)(="([^"]*)")?)re");
  const auto style_end = html.find("</style>");
  const auto style_begin = html.find("<style>");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag_pattern); it != std::sregex_iterator(); ++it) {
    const auto& match = *it;
    const auto at = static_cast<std::size_t>(match.position(0));
    if (style_begin != std::string::npos && at > style_begin && at < style_end) continue;
    const bool closing = match[1].length() > 0;
    const std::string name = match[2].str();
    if (!tags.contains(name)) problems.push_back("unexpected tag <" + match[1].str() + name + ">");
    const std::string rest = match[3].str();
    for (auto a = std::sregex_iterator(rest.begin(), rest.end(), attribute_pattern); a != std::sregex_iterator(); ++a) {
      const std::string attribute = (*a)[1].str();
      if (!attributes.contains(attribute)) problems.push_back("unexpected attribute " + attribute + " on <" + name + ">");
      const std::string value = (*a)[3].str();
      if (attribute == "href" && (value.empty() || value[0] != '#')) problems.push_back("off-page href " + value);
      if (attribute == "class" && !std::regex_match(value, std::regex("[a-z0-9 _-]*")))
        problems.push_back("class value outside [a-z0-9 _-]: " + value);
    }
    if (void_tags.contains(name)) continue;
    if (!closing) {
      open.push_back(name);
    } else if (open.empty() || open.back() != name) {
      problems.push_back("</" + name + "> closes " + (open.empty() ? std::string("nothing") : "<" + open.back() + ">"));
      if (!open.empty()) open.pop_back();
    } else {
      open.pop_back();
    }
  }
  for (const auto& name : open) problems.push_back("<" + name + "> is never closed");
  for (const char* needle : {"src=", "url(", "@import", "<script", "<img", "<link", "<iframe"})
    if (html.find(needle) != std::string::npos) problems.push_back(std::string("contains ") + needle);
  return problems;
}

// Every target of a link (Markdown "](#x)" or HTML href="#x") that no element id defines.
inline std::vector<std::string> unresolved_targets(const std::vector<std::string>& targets, const std::vector<std::string>& ids) {
  const std::set<std::string> known(ids.begin(), ids.end());
  std::vector<std::string> missing;
  for (const auto& target : targets) {
    const std::string id = !target.empty() && target[0] == '#' ? target.substr(1) : target;
    if (!known.contains(id)) missing.push_back(target);
  }
  return missing;
}

inline std::vector<std::string> duplicates(const std::vector<std::string>& values) {
  std::map<std::string, int> seen;
  std::vector<std::string> out;
  for (const auto& value : values)
    if (++seen[value] == 2) out.push_back(value);
  return out;
}

}  // namespace diary::test
