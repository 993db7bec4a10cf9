#include "generate/render/html_report.h"

#include <fmt/format.h>

#include "generate/artifacts/vocabulary.h"
#include "generate/render/escape.h"
#include "generate/render/fixed_text.h"
#include "generate/render/html_style.h"
#include "generate/render/report_sections.h"

namespace diary::generate::render {

namespace {

// A CSS class suffix only ever comes from a vocabulary, never from the text itself.
std::string vocabulary_class(const artifacts::Vocabulary& vocabulary, const std::string& value) {
  return vocabulary.contains(value) ? value : "other";
}

// "2026-11-30T00:00:00+01:00" -> "2026-11-30 00:00"; anything else as it is.
std::string short_time(const std::string& iso) {
  const bool shaped = iso.size() >= 16 && iso[4] == '-' && iso[7] == '-' && iso[10] == 'T' && iso[13] == ':';
  if (!shaped) return iso;
  std::string out = iso.substr(0, 16);
  out[10] = ' ';
  return out;
}

class HtmlWriter {
 public:
  explicit HtmlWriter(const ReportView& view) : view_(view) { out_.reserve(128 * 1024); }

  std::string document() {
    const std::string title = view_.title && !view_.title->text.empty() ? view_.title->text : text::untitled;
    const std::string date = view_.report_date.empty() ? text::unknown_date : view_.report_date;
    out_ += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out_ += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out_ +=
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "img-src 'none'; base-uri 'none'; form-action 'none'\">\n";
    out_ += "<meta name=\"color-scheme\" content=\"light dark\">\n<meta name=\"generator\" content=\"diary\">\n";
    out_ += "<title>" + html_inline(title) + " — " + html_inline(date) + "</title>\n<style>\n";
    out_ += report_stylesheet();
    out_ += "</style>\n</head>\n<body>\n";
    header(title, date);
    out_ += "<div class=\"layout\">\n";
    contents();
    out_ += "<main>\n";
    work_by_project();
    engagement();
    team_learning();
    made_without_a_model();
    evidence_appendix();
    out_ += "</main>\n</div>\n";
    out_ +=
        "<footer>Rendered by diary from daily-report.json and the evidence cards. This page runs no scripts and "
        "loads nothing from elsewhere.</footer>\n</body>\n</html>\n";
    return std::move(out_);
  }

 private:
  std::string citation(const std::string& project_key, const std::string& session_ref, const std::string& turn_ref,
                       bool scoped) const {
    std::string label = scoped ? view_.label_of(project_key) + " · " : std::string();
    label += session_ref + "/" + turn_ref;
    const AppendixEntry* entry = view_.find_entry(project_key, session_ref, turn_ref);
    if (!entry || entry->anchor.empty())
      return "<span class=\"cite unlinked\" title=\"no evidence entry for this turn\">" + html_inline(label) + "</span>";
    return "<a class=\"cite\" href=\"#" + entry->anchor + "\">" + html_inline(label) + "</a>";
  }
  std::string citations(const std::vector<CitationRef>& refs, bool scoped) const {
    std::string out;
    for (const auto& ref : refs) out += citation(ref.project_key, ref.session_ref, ref.turn_ref, scoped);
    return out.empty() ? out : " <span class=\"cites\">" + out + "</span>";
  }
  std::string turns(const std::string& project_key, const std::vector<TurnRef>& refs) const {
    std::string out;
    for (const auto& ref : refs) out += citation(project_key, ref.session_ref, ref.turn_ref, false);
    return out;
  }
  static std::string confidence_chip(const std::string& confidence, const char* suffix = "") {
    if (confidence.empty()) return "<span class=\"chip\">confidence n/a</span>";
    return "<span class=\"chip conf-" + vocabulary_class(artifacts::confidence_levels(), confidence) + "\">" +
           html_inline(confidence) + suffix + "</span>";
  }
  static std::string offline_chip() { return std::string("<span class=\"chip offline\">") + text::offline_marker + "</span>"; }
  // "<text> <chip> <chip> <cites>" as the inside of a <p> or <li>.
  std::string claim(const Claim& claim, const char* fallback, bool scoped, bool with_confidence = true) const {
    std::string out =
        claim.text.empty() ? std::string("<span class=\"fallback\">") + fallback + "</span>" : html_inline(claim.text);
    if (with_confidence && !claim.confidence.empty()) out += " " + confidence_chip(claim.confidence);
    if (claim.offline) out += " " + offline_chip();
    return out + citations(claim.citations, scoped);
  }
  void limits(const std::vector<std::string>& items, const char* fixed) {
    out_ += "<aside class=\"limits\"><p><span class=\"label\">Limits</span></p>\n";
    for (const auto& item : items) out_ += "<p>" + html_inline(item) + "</p>\n";
    if (fixed) out_ += std::string("<p>") + fixed + "</p>\n";
    out_ += "</aside>\n";
  }

  void header(const std::string& title, const std::string& date) {
    out_ += "<header class=\"masthead\" id=\"top\">\n<div class=\"masthead-inner\">\n";
    out_ += "<p class=\"kicker\">Daily report · " + html_inline(date) + "</p>\n";
    out_ += "<h1>" + html_inline(title) + "</h1>\n<ul class=\"badges\">\n";
    const std::string status = or_text(view_.status, text::not_recorded);
    const std::string status_class = view_.status == "final" || view_.status == "partial" ? " status-" + view_.status : "";
    out_ += "<li class=\"badge" + status_class + "\"><span class=\"k\">Status</span><span class=\"v\">" + html_inline(status) +
            "</span></li>\n";
    std::string window = text::not_recorded;
    std::string window_title;
    if (view_.has_window) {
      window = html_inline(short_time(or_text(view_.window_start, "?"))) + " – " +
               html_inline(short_time(or_text(view_.window_end, "?"))) + " · " +
               html_inline(or_text(view_.timezone, text::not_recorded));
      window_title = " title=\"" + html_inline(view_.window_start + " – " + view_.window_end) + "\"";
    }
    out_ +=
        "<li class=\"badge\"" + window_title + "><span class=\"k\">Window</span><span class=\"v\">" + window + "</span></li>\n";
    const std::string confidence = or_text(view_.overall_confidence, text::no_confidence);
    out_ += "<li class=\"badge conf-" + vocabulary_class(artifacts::confidence_levels(), view_.overall_confidence) +
            "\"><span class=\"k\">Overall confidence</span><span class=\"v\">" + html_inline(confidence) + "</span></li>\n";
    const bool offline = view_.generated_by && view_.generated_by->offline;
    out_ += std::string("<li class=\"badge") + (offline ? " offline" : "") +
            "\"><span class=\"k\">Generated by</span><span class=\"v\">" + html_inline(generated_by_text(view_)) +
            "</span></li>\n</ul>\n";
    std::size_t items = 0, turns = 0, reported = 0;
    for (const auto& project : view_.projects) {
      items += project.material_items.size() + project.other_items.size();
      reported += project.in_report ? 1 : 0;
    }
    for (const auto& project : view_.appendix) turns += project.entries.size();
    out_ += fmt::format("<p class=\"glance\">{} {} · {} work {} · {} {} in the evidence</p>\n", reported,
                        reported == 1 ? "project" : "projects", items, items == 1 ? "item" : "items", turns,
                        turns == 1 ? "turn" : "turns");
    out_ += "</div>\n</header>\n";
  }

  void contents() {
    out_ += "<nav class=\"toc\" id=\"contents\" aria-label=\"Contents\">\n<p class=\"toc-title\">Contents</p>\n<ol>\n";
    out_ += std::string("<li><a href=\"#") + work_section_id + "\">" + text::work_heading + "</a>";
    if (!view_.projects.empty()) {
      out_ += "\n<ol>\n";
      for (const auto& project : view_.projects)
        out_ += "<li><a href=\"#" + project.id + "\">" + html_inline(project.label) + "</a></li>\n";
      out_ += "</ol>\n";
    }
    out_ += "</li>\n";
    for (const auto& [id, heading] :
         {std::pair{engagement_section_id, text::engagement_heading},
          std::pair{team_learning_section_id, text::team_learning_heading}, std::pair{offline_section_id, text::offline_heading},
          std::pair{evidence_section_id, text::evidence_heading}})
      out_ += std::string("<li><a href=\"#") + id + "\">" + heading + "</a></li>\n";
    out_ += "</ol>\n</nav>\n";
  }

  void item(const std::string& project_key, const WorkItemView& item) {
    out_ += std::string("<article class=\"item") + (item.material ? " material" : "") + "\">\n<div class=\"item-head\">";
    out_ += "<h4>" + (item.title.empty() ? std::string(text::untitled_item) : html_inline(item.title)) + "</h4>";
    out_ += "<span class=\"chips\">";
    if (item.material) {
      if (item.disposition.empty()) out_ += std::string("<span class=\"chip\">") + text::no_disposition + "</span>";
      else
        out_ += "<span class=\"chip disp-" + vocabulary_class(artifacts::dispositions(), item.disposition) + "\">" +
                html_inline(item.disposition) + "</span>";
    }
    out_ += confidence_chip(item.confidence, item.confidence.empty() ? "" : " confidence");
    if (item.offline) out_ += offline_chip();
    out_ += "</span></div>\n";
    if (!item.covered_turns.empty())
      out_ += std::string("<p class=\"covers\"><span class=\"label\">") + text::covers_prefix + "</span> " +
              turns(project_key, item.covered_turns) + "</p>\n";
    if (!item.reason.empty())
      out_ += "<p class=\"reason\"><span class=\"label\">Reason:</span> " + html_inline(item.reason) + "</p>\n";
    if (!item.trigger_summary.empty() || !item.agent_reaction_summary.empty()) {
      out_ += std::string("<details class=\"context\"><summary>") + text::context_summary +
              "</summary><div class=\"details-body\">\n";
      if (!item.trigger_summary.empty()) out_ += "<p>" + html_inline(item.trigger_summary) + "</p>\n";
      if (!item.agent_reaction_summary.empty()) out_ += "<p>" + html_inline(item.agent_reaction_summary) + "</p>\n";
      out_ += "</div></details>\n";
    }
    if (!item.user_messages.empty()) {
      std::size_t length = 0;
      for (const auto& message : item.user_messages) length += message.size();
      // Short prompts are shown at once (they say what the work was about); long ones fold.
      out_ += std::string("<details class=\"messages\"") + (length <= 400 ? " open" : "") + "><summary>" +
              text::messages_summary + " (" + std::to_string(item.user_messages.size()) +
              ")</summary><div class=\"details-body\">\n";
      for (const auto& message : item.user_messages) out_ += "<blockquote>" + html_text(message) + "</blockquote>\n";
      out_ += "</div></details>\n";
    }
    const auto& lines = item.outcomes.empty() ? item.terminal_states : item.outcomes;
    if (!lines.empty()) {
      out_ += "<ul class=\"outcomes\">\n";
      for (const auto& line : lines) out_ += "<li>" + claim(line, text::not_recorded, false) + "</li>\n";
      out_ += "</ul>\n";
    }
    if (!item.limits.empty()) limits(item.limits, nullptr);
    out_ += "</article>\n";
  }

  void work_by_project() {
    out_ += std::string("<section id=\"") + work_section_id + "\">\n<h2>" + text::work_heading + "</h2>\n";
    if (view_.projects.empty()) out_ += std::string("<p class=\"fallback\">") + text::no_work + "</p>\n";
    for (const auto& project : view_.projects) {
      out_ += "<section class=\"project\" id=\"" + project.id + "\">\n<h3>" + html_inline(project.label) + "</h3>\n";
      if (!project.in_report) out_ += std::string("<p class=\"fallback\">") + text::no_items_reported + "</p>\n";
      else if (project.summary) out_ += "<p class=\"summary\">" + claim(*project.summary, text::no_summary, false) + "</p>\n";
      else out_ += std::string("<p class=\"fallback\">") + text::no_summary + "</p>\n";
      for (const auto& work_item : project.material_items) item(project.key, work_item);
      if (!project.other_items.empty()) {
        out_ += std::string("<details class=\"minor\"><summary>") + text::minor_summary + " (" +
                std::to_string(project.other_items.size()) + ")</summary>\n";
        for (const auto& work_item : project.other_items) item(project.key, work_item);
        out_ += "</details>\n";
      }
      if (!project.uncovered_turns.empty())
        out_ += std::string("<p class=\"uncovered\"><span class=\"label\">") + text::uncovered_prefix + "</span> " +
                turns(project.key, project.uncovered_turns) + "</p>\n";
      out_ += "</section>\n";
    }
    out_ += "</section>\n";
  }

  template <class Groups>
  void judgment(const JudgmentSection& section, Groups&& groups) {
    out_ += std::string("<section id=\"") + section.id + "\">\n<h2>" + section.heading + "</h2>\n<div class=\"panel\">\n";
    if (!section.present) {
      out_ += std::string("<p class=\"fallback\">") + section.empty_text + "</p>\n";
    } else {
      if (section.offline) out_ += "<p>" + offline_chip() + "</p>\n";
      out_ += "<p class=\"lead\">" +
              (section.lead ? claim(*section.lead, section.lead_fallback, true)
                            : std::string("<span class=\"fallback\">") + section.lead_fallback + "</span>") +
              "</p>\n";
      groups();
    }
    limits(section.limits, section.fixed_limit);
    out_ += "</div>\n</section>\n";
  }

  void engagement() {
    judgment(engagement_section(view_), [&] {
      for (const auto& group : group_observations(*view_.engagement)) {
        out_ += "<h3 class=\"group-head dim-" + (group.key.empty() ? std::string("other") : group.key) + "\">" +
                html_inline(group.heading) + "</h3>\n<ul class=\"claims\">\n";
        for (const auto* observation : group.members)
          out_ += "<li>" + claim(observation->claim, text::not_recorded, true) + "</li>\n";
        out_ += "</ul>\n";
      }
    });
  }

  void team_learning() {
    judgment(team_learning_section(view_), [&] {
      for (const auto& group : group_patterns(*view_.team_learning)) {
        out_ += "<h3 class=\"group-head kind-" + (group.key.empty() ? std::string("other") : group.key) + "\">" +
                html_inline(group.heading) + "</h3>\n<ul class=\"claims\">\n";
        for (const auto* pattern : group.members) {
          out_ += "<li class=\"pattern\"><p class=\"statement\">" +
                  (pattern->statement.empty() ? std::string(text::not_recorded) : html_inline(pattern->statement)) + "</p>\n";
          if (!pattern->rationale.empty()) out_ += "<p class=\"rationale\">" + html_inline(pattern->rationale) + "</p>\n";
          out_ += "<p class=\"meta\">recurrence: " + html_inline(or_text(pattern->recurrence, text::not_recorded)) + " " +
                  confidence_chip(pattern->confidence) + citations(pattern->citations, true) + "</p></li>\n";
        }
        out_ += "</ul>\n";
      }
    });
  }

  void made_without_a_model() {
    out_ += std::string("<section id=\"") + offline_section_id + "\">\n<h2>" + text::offline_heading +
            "</h2>\n<div class=\"panel\">\n";
    const bool whole = view_.generated_by && view_.generated_by->offline;
    if (whole) out_ += std::string("<p class=\"callout\">") + text::whole_report_offline + "</p>\n";
    if (view_.offline_parts.empty()) {
      if (!whole) out_ += std::string("<p class=\"fallback\">") + text::nothing_offline + "</p>\n";
      out_ += "</div>\n</section>\n";
      return;
    }
    out_ += "<ul class=\"offline-parts\">\n";
    for (const auto& part : view_.offline_parts) {
      std::string line = "<code class=\"type\">" + html_inline(or_text(part.task, text::not_recorded)) + "</code>";
      if (!part.project_key.empty()) line += " " + html_inline(view_.label_of(part.project_key));
      if (!part.session_ref.empty() && !part.turn_ref.empty())
        line += " " + citation(part.project_key, part.session_ref, part.turn_ref, false);
      else if (!part.session_ref.empty()) line += " " + html_inline(part.session_ref);
      if (!part.slot.empty()) line += " <code class=\"type\">" + html_inline(part.slot) + "</code>";
      out_ += "<li>" + line + ": " + html_inline(or_text(part.reason, text::no_reason)) + "</li>\n";
    }
    out_ += "</ul>\n</div>\n</section>\n";
  }

  static std::string typed(const std::string& type, const std::string& summary) {
    std::string out;
    if (!type.empty()) out += "<span class=\"type\">" + html_inline(type) + "</span>";
    return out + html_inline(summary);
  }
  static std::string typed_list(const std::vector<std::pair<std::string, std::string>>& items) {
    if (items.empty()) return text::no_reactions;
    if (items.size() == 1) return typed(items[0].first, items[0].second);
    std::string out = "<ul>";
    for (const auto& [type, summary] : items) out += "<li>" + typed(type, summary) + "</li>";
    return out + "</ul>";
  }

  void chain_entry(const AppendixEntry& entry) {
    out_ += "<details class=\"chain\" id=\"" + entry.anchor + "\"><summary><span class=\"ref\">" +
            html_inline(entry.session_ref + "/" + entry.turn_ref) + "</span>";
    if (!entry.lines.empty()) out_ += "<span class=\"lines\">lines " + html_inline(entry.lines) + "</span>";
    if (entry.chain && !entry.chain->materiality.empty())
      out_ += "<span class=\"chip\">" + html_inline(entry.chain->materiality) + "</span>";
    if (entry.chain && entry.chain->offline) out_ += offline_chip();
    if (entry.chain && !entry.chain->trigger_summary.empty())
      out_ += "<span class=\"preview\">" + html_inline(entry.chain->trigger_summary) + "</span>";
    out_ += "</summary>\n";
    if (!entry.chain) {
      out_ += "<p class=\"chain-quotes fallback\">" + html_inline(entry.note) + "</p>\n</details>\n";
      return;
    }
    const ChainView& chain = *entry.chain;
    std::vector<std::pair<std::string, std::string>> reactions;
    for (const auto& reaction : chain.reactions) reactions.emplace_back("", reaction);
    out_ += "<dl class=\"chain-body\">\n";
    out_ += "<dt>Trigger</dt><dd>" + typed(chain.trigger_type, chain.trigger_summary) + "</dd>\n";
    out_ += "<dt>Agent reactions</dt><dd>" + typed_list(reactions) + "</dd>\n";
    out_ += "<dt>Outcomes</dt><dd>" + typed_list(chain.outcomes) + "</dd>\n";
    out_ += "<dt>Observed checks</dt><dd>" + typed_list(chain.checks) + "</dd>\n";
    out_ += "<dt>Terminal state</dt><dd>" + typed(chain.terminal_type, chain.terminal_summary) + "</dd>\n";
    out_ += "<dt>Materiality</dt><dd>" + html_inline(or_text(chain.materiality, text::not_recorded)) + "</dd>\n";
    out_ += "</dl>\n";
    if (!chain.quotes.empty()) {
      out_ += "<div class=\"chain-quotes\">\n";
      for (const auto& quote : chain.quotes) out_ += "<blockquote>" + html_text(quote) + "</blockquote>\n";
      out_ += "</div>\n";
    }
    out_ += "</details>\n";
  }

  void evidence_appendix() {
    out_ += std::string("<section id=\"") + evidence_section_id + "\">\n<h2>" + text::evidence_heading + "</h2>\n";
    bool any = false;
    for (const auto& project : view_.appendix) {
      if (project.entries.empty()) continue;
      any = true;
      out_ += "<div class=\"evidence-project\">\n<h3>" + html_inline(view_.label_of(project.key)) + "</h3>\n";
      for (const auto& entry : project.entries)
        if (!entry.anchor.empty()) chain_entry(entry);
      out_ += "</div>\n";
    }
    if (!any) out_ += std::string("<p class=\"fallback\">") + text::no_evidence + "</p>\n";
    out_ += "</section>\n";
  }

  const ReportView& view_;
  std::string out_;
};

}  // namespace

std::string render_html(const ReportView& view) { return HtmlWriter(view).document(); }

}  // namespace diary::generate::render
