// The daily passes: one write each (project summary, report title, engagement, team learning),
// citing the citable turns the assignment lists; a rejected citation is dropped (the first
// citable turn stands in if none is left). Texts say they come from the demo agent, except the
// title, which is built from the day's own work item titles.
#include <algorithm>
#include <cctype>

#include "support/mock_model/demo_passes.h"
#include "support/mock_model/demo_repair.h"

namespace diary::test::demo {

namespace {

using nlohmann::json;

constexpr std::size_t max_attempts = 3;
constexpr std::size_t title_limit = 80;

struct Slot {
  std::string tool;
  json arguments;
  std::string what;  // for the final message
};

// Up to `limit` citable turns, those of `project_key` first when one is given.
json citations(const json& assignment, std::size_t limit, const std::string& project_key = {}) {
  std::vector<json> own, rest;
  for (const auto& turn : array_field(assignment, "citable_turns"))
    (!project_key.empty() && text_field(turn, "project_key") == project_key ? own : rest).push_back(turn);
  own.insert(own.end(), rest.begin(), rest.end());
  json out = json::array();
  for (const auto& turn : own)
    if (out.size() < limit && std::ranges::find(out, turn) == out.end()) out.push_back(turn);
  return out;
}

std::size_t work_item_count(const json& assignment) {
  std::size_t count = 0;
  for (const auto& project : array_field(assignment, "projects")) count += array_field(project, "work_items").size();
  return count;
}

// No ISO date, no Markdown marks, one line, at most 80 characters.
std::string clean_title(std::string text) {
  auto is_date_at = [&](std::size_t i) {
    if (i + 10 > text.size()) return false;
    for (std::size_t k = 0; k < 10; ++k) {
      const bool dash = k == 4 || k == 7;
      if (dash ? text[i + k] != '-' : !std::isdigit(static_cast<unsigned char>(text[i + k]))) return false;
    }
    return true;
  };
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (is_date_at(i)) {
      i += 9;
      continue;
    }
    if (text[i] == '*' || text[i] == '`' || text[i] == '#') continue;
    if (text[i] == ' ' && (out.empty() || out.back() == ' ')) continue;  // one blank where a date was
    out += text[i];
  }
  return one_line(out, title_limit);
}

struct Title {
  std::string text;
  std::string project_key;  // whose work it names, cited first
};

Title title_of(const json& assignment) {
  for (const char* wanted : {"completed", ""})
    for (const auto& project : array_field(assignment, "projects"))
      for (const auto& item : array_field(project, "work_items")) {
        if (*wanted != '\0' && text_field(item, "disposition") != wanted) continue;
        const std::string label = text_field(project, "project_label"), title = text_field(item, "title");
        if (title.empty()) continue;
        return {clean_title(label.empty() ? title : label + ": " + title), text_field(project, "project_key")};
      }
  const auto& projects = array_field(assignment, "projects");
  const std::string first = projects.empty() ? std::string{} : text_field(projects[0], "project_label");
  if (first.empty()) return {"AI-assisted sessions without reportable work items", {}};
  return {clean_title(first + (projects.size() > 1 ? " and " + count_of(projects.size() - 1, "more project") : "") +
                      ": sessions reviewed"),
          text_field(projects[0], "project_key")};
}

std::optional<Slot> slot_for(const std::string& pass, const json& a) {
  const std::size_t projects = array_field(a, "projects").size();
  const std::size_t items = work_item_count(a);
  const std::string scope = count_of(projects, "project") + " and " + count_of(items, "work item");
  if (pass == "project_summary") {
    const std::string label = text_field(a, "project_label");
    std::string text = "Demo agent summary of " + (label.empty() ? text_field(a, "project_key") : label) + ": " +
                       count_of(array_field(a, "work_items").size(), "work item");
    for (bool first = true; const auto& item : array_field(a, "work_items"))
      if (auto title = text_field(item, "title"); !title.empty() && text.size() < 300) {
        text += (first ? " — " : "; ") + one_line(title, 80);
        first = false;
      }
    if (!text.ends_with('.') && !text.ends_with('?') && !text.ends_with('!')) text += ".";
    json cited = json::array();
    for (const auto& turn : citations(a, 5))
      cited.push_back({{"session_ref", text_field(turn, "session_ref")}, {"turn_ref", text_field(turn, "turn_ref")}});
    return Slot{"write_project_summary",
                {{"project_key", text_field(a, "project_key")}, {"summary", {{"text", text}, {"citations", cited}}}},
                "project summary"};
  }
  if (pass == "report_title") {
    const Title title = title_of(a);
    return Slot{"write_report_title",
                {{"title", {{"text", title.text}, {"citations", citations(a, 3, title.project_key)}}}},
                "report title"};
  }
  if (pass == "engagement")
    return Slot{"write_engagement",
                {{"overall_reading",
                  {{"text", "Demo agent reading: the user directed " + scope + " with explicit requests."},
                   {"citations", citations(a, 3)},
                   {"confidence", "low"}}},
                 {"observations", json::array({{{"dimension", "direction"},
                                                {"statement", "Each cited turn starts from the user's own request."},
                                                {"citations", citations(a, 2)},
                                                {"confidence", "low"}}})},
                 {"limits", json::array({"Written by the scripted demo agent: it restates what the transcripts show and "
                                         "judges nothing."})}},
                "engagement assessment"};
  if (pass == "team_learning")
    return Slot{"write_team_learning",
                {{"takeaways",
                  {{"text", "Demo agent takeaway: " + scope + " today; the demo agent asserts no pattern."},
                   {"citations", citations(a, 3)},
                   {"confidence", "low"}}},
                 {"patterns", json::array()},
                 {"limits", json::array({"Written by the scripted demo agent: no pattern is asserted from one day of "
                                         "evidence."})}},
                "team learning"};
  return std::nullopt;
}

}  // namespace

Reply daily_step(const Conversation& conversation) {
  const json& a = conversation.assignment;
  const std::string pass = text_field(a, "pass");
  auto slot = slot_for(pass, a);
  if (!slot) return final_message("I do not know the pass \"" + pass + "\"; nothing done.");
  if (array_field(a, "citable_turns").empty())
    return final_message("the " + slot->what +
                         " needs citations and the assignment lists no citable turn; nothing "
                         "written.");
  const auto writes = calls_of(conversation, slot->tool);
  if (writes.empty()) return call_tool(conversation, slot->tool, std::move(slot->arguments));
  const ToolCall& last = *writes.back();
  if (text_field(last.result, "status") == "written") return final_message("the " + slot->what + " is written.");
  if (!is_invalid(last.result)) return final_message("I cannot read " + slot->tool + "'s answer: " + one_line(last.output, 200));
  if (writes.size() >= max_attempts)
    return final_message(slot->tool + " rejected " + std::to_string(writes.size()) +
                         " writes; giving up. Last errors: " + error_summary(last.result));
  json fallback = array_field(a, "citable_turns")[0];
  if (pass == "project_summary")
    fallback = {{"session_ref", text_field(fallback, "session_ref")}, {"turn_ref", text_field(fallback, "turn_ref")}};
  Repair repair = drop_rejected_citations(last.arguments, array_field(last.result, "errors"), fallback);
  if (repair.changed && repair.unhandled.empty() && repair.arguments != last.arguments)
    return call_tool(conversation, slot->tool, repair.arguments);
  return final_message(slot->tool + " rejected the " + slot->what + " and I cannot fix it: " + error_summary(last.result));
}

}  // namespace diary::test::demo
