#include "generate/render/report_view.h"

#include <map>
#include <set>
#include <unordered_set>

#include "generate/render/escape.h"
#include "generate/render/fixed_text.h"
#include "generate/render/json_fields.h"

namespace diary::generate::render {

using nlohmann::json;

namespace {

std::string turn_key(const std::string& project_key, const std::string& session_ref, const std::string& turn_ref) {
  std::string key = project_key;
  key += '\x1f';
  key += session_ref;
  key += '\x1f';
  key += turn_ref;
  return key;
}

bool is_offline(FieldReader& reader, const json& object, const std::string& path) {
  return reader.string(object, "source", path) == "offline";
}

// Element ids unique across the page: the fixed section ids are reserved, a clash gets "-2"…
class IdRegistry {
 public:
  IdRegistry() {
    for (const char* id : {work_section_id, engagement_section_id, team_learning_section_id, offline_section_id,
                           evidence_section_id, "contents", "top"})
      used_.insert(id);
  }
  std::string take(std::string base) {
    if (base.empty()) base = "id";
    std::string id = base;
    for (int n = 2; used_.contains(id); ++n) id = base + "-" + std::to_string(n);
    used_.insert(id);
    return id;
  }

 private:
  std::unordered_set<std::string> used_;
};

// Reads the parts of daily-report.json; every wrong type lands in `reader`.
class ReportReader {
 public:
  explicit ReportReader(FieldReader& reader) : r_(reader) {}

  std::vector<CitationRef> citations(const json& parent, const std::string& path, const std::string& default_project) {
    std::vector<CitationRef> out;
    const json* list = r_.array(parent, "citations", path);
    if (!list) return out;
    const std::string base = child_path(path, "citations");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const json& item = (*list)[i];
      const std::string at = child_path(base, i);
      if (!item.is_object()) {
        r_.wrong_type(at, "a citation object", item);
        continue;
      }
      CitationRef ref{r_.string(item, "project_key", at), r_.string(item, "session_ref", at), r_.string(item, "turn_ref", at)};
      if (ref.project_key.empty()) ref.project_key = default_project;
      if (ref.session_ref.empty() || ref.turn_ref.empty()) {
        r_.problem(at + " must name session_ref and turn_ref");
        continue;
      }
      if (seen.insert(turn_key(ref.project_key, ref.session_ref, ref.turn_ref)).second) out.push_back(std::move(ref));
    }
    return out;
  }

  // {text, citations, confidence, source}; the text key differs per claim.
  Claim claim(const json& object, const std::string& path, const std::string& default_project,
              std::string_view text_key = "text") {
    Claim out;
    out.text = r_.string(object, text_key, path);
    out.confidence = r_.string(object, "confidence", path);
    out.citations = citations(object, path, default_project);
    out.offline = is_offline(r_, object, path);
    return out;
  }

  std::optional<Claim> optional_claim(const json& parent, std::string_view key, const std::string& path,
                                      const std::string& default_project) {
    const json* object = r_.object(parent, key, path);
    if (!object) return std::nullopt;
    return claim(*object, child_path(path, key), default_project);
  }

  // Calls `each(element, path)` for every object in parent[key]; non-objects are problems.
  template <class Each>
  void objects(const json& parent, std::string_view key, const std::string& path, Each&& each) {
    const json* list = r_.array(parent, key, path);
    if (!list) return;
    const std::string base = child_path(path, key);
    for (std::size_t i = 0; i < list->size(); ++i) {
      const json& item = (*list)[i];
      const std::string at = child_path(base, i);
      if (!item.is_object()) {
        r_.wrong_type(at, "an object", item);
        continue;
      }
      each(item, at);
    }
  }

  WorkItemView work_item(const json& item, const std::string& path, const std::string& project_key,
                         const std::map<std::pair<std::string, std::string>, std::vector<std::string>>& messages) {
    WorkItemView out;
    out.ref = r_.string(item, "work_item_ref", path);
    out.title = r_.string(item, "title", path);
    out.kind = r_.string(item, "kind", path);
    out.material = out.kind == "material_work_item";
    out.disposition = r_.string(item, "disposition", path);
    out.confidence = r_.string(item, "confidence", path);
    out.reason = r_.string(item, "reason", path);
    out.offline = is_offline(r_, item, path);
    out.trigger_summary = r_.string(item, "trigger_summary", path);
    out.agent_reaction_summary = r_.string(item, "agent_reaction_summary", path);
    objects(item, "covered_turns", path, [&](const json& turn, const std::string& at) {
      TurnRef ref{r_.string(turn, "session_ref", at), r_.string(turn, "turn_ref", at)};
      if (ref.session_ref.empty() || ref.turn_ref.empty()) {
        r_.problem(at + " must name session_ref and turn_ref");
        return;
      }
      if (auto found = messages.find({ref.session_ref, ref.turn_ref}); found != messages.end())
        out.user_messages.insert(out.user_messages.end(), found->second.begin(), found->second.end());
      out.covered_turns.push_back(std::move(ref));
    });
    objects(item, "outcomes", path, [&](const json& outcome, const std::string& at) {
      out.outcomes.push_back(claim(outcome, at, project_key, "what_changed"));
    });
    objects(item, "terminal_states", path, [&](const json& state, const std::string& at) {
      out.terminal_states.push_back(claim(state, at, project_key, "summary"));
    });
    out.limits = r_.strings(item, "limits", path);
    return out;
  }

  std::optional<EngagementView> engagement(const json& report) {
    const json* object = r_.object(report, "engagement_assessment", "");
    if (!object) return std::nullopt;
    const std::string path = "/engagement_assessment";
    EngagementView out;
    out.overall_reading = optional_claim(*object, "overall_reading", path, "");
    objects(*object, "observations", path, [&](const json& observation, const std::string& at) {
      out.observations.push_back({r_.string(observation, "dimension", at), claim(observation, at, "", "statement")});
    });
    out.limits = r_.strings(*object, "limits", path);
    out.offline = is_offline(r_, *object, path);
    return out;
  }

  std::optional<TeamLearningView> team_learning(const json& report) {
    const json* object = r_.object(report, "team_learning", "");
    if (!object) return std::nullopt;
    const std::string path = "/team_learning";
    TeamLearningView out;
    // The contract says an object; a bare string is still the model's words, shown as such.
    if (auto it = object->find("takeaways"); it != object->end() && it->is_string())
      out.takeaways = Claim{it->get<std::string>(), {}, {}, false};
    else out.takeaways = optional_claim(*object, "takeaways", path, "");
    objects(*object, "patterns", path, [&](const json& pattern, const std::string& at) {
      PatternView view;
      view.kind = r_.string(pattern, "kind", at);
      view.statement = r_.string(pattern, "statement", at);
      view.rationale = r_.string(pattern, "rationale", at);
      if (auto it = pattern.find("recurrence"); it != pattern.end() && it->is_number()) view.recurrence = it->dump();
      else view.recurrence = r_.string(pattern, "recurrence", at);
      view.confidence = r_.string(pattern, "confidence", at);
      view.citations = citations(pattern, at, "");
      out.patterns.push_back(std::move(view));
    });
    out.limits = r_.strings(*object, "limits", path);
    out.offline = is_offline(r_, *object, path);
    return out;
  }

 private:
  FieldReader& r_;
};

// The chains of one card by turn_ref, in card order; wrong types make the whole card a note.
struct ParsedCard {
  std::vector<std::pair<std::string, ChainView>> chains;
  std::string note;
};

ParsedCard parse_card(const json& card, const std::string& document) {
  FieldReader r(document);
  ParsedCard out;
  const json* chains = r.array(card, "evidence_chains", "");
  if (chains) {
    for (std::size_t i = 0; i < chains->size(); ++i) {
      const json& chain = (*chains)[i];
      const std::string at = child_path("/evidence_chains", i);
      if (!chain.is_object()) {
        r.wrong_type(at, "an object", chain);
        continue;
      }
      ChainView view;
      const std::string turn_ref = r.string(chain, "turn_ref", at);
      if (const json* trigger = r.object(chain, "trigger", at)) {
        const std::string t = child_path(at, "trigger");
        view.trigger_type = r.string(*trigger, "type", t);
        view.trigger_summary = r.string(*trigger, "summary", t);
        if (const json* quotes = r.array(*trigger, "quoted_messages", t)) {
          for (std::size_t q = 0; q < quotes->size(); ++q) {
            const json& quote = (*quotes)[q];
            const std::string qa = child_path(child_path(t, "quoted_messages"), q);
            if (quote.is_object()) view.quotes.push_back(r.string(quote, "text", qa));
            else r.wrong_type(qa, "an object", quote);
          }
        }
      }
      const auto summaries = [&](std::string_view key, std::string_view kind_key,
                                 std::vector<std::pair<std::string, std::string>>& into) {
        const json* list = r.array(chain, key, at);
        if (!list) return;
        for (std::size_t k = 0; k < list->size(); ++k) {
          const json& item = (*list)[k];
          const std::string ia = child_path(child_path(at, key), k);
          if (!item.is_object()) {
            r.wrong_type(ia, "an object", item);
            continue;
          }
          into.emplace_back(kind_key.empty() ? std::string() : r.string(item, kind_key, ia), r.string(item, "summary", ia));
        }
      };
      std::vector<std::pair<std::string, std::string>> reactions;
      summaries("agent_reactions", "", reactions);
      for (auto& reaction : reactions) view.reactions.push_back(std::move(reaction.second));
      summaries("outcomes", "category", view.outcomes);
      summaries("observed_checks", "type", view.checks);
      if (const json* terminal = r.object(chain, "terminal_state", at)) {
        view.terminal_type = r.string(*terminal, "type", child_path(at, "terminal_state"));
        view.terminal_summary = r.string(*terminal, "summary", child_path(at, "terminal_state"));
      }
      view.materiality = r.string(chain, "materiality", at);
      view.offline = is_offline(r, chain, at);
      if (turn_ref.empty()) r.problem(at + " has no turn_ref");
      else out.chains.emplace_back(turn_ref, std::move(view));
    }
  }
  if (!r.ok()) {
    out.chains.clear();
    out.note = "The evidence card of this session could not be shown (" + r.error().message + ").";
  }
  return out;
}

void build_appendix(const EvidenceInput& evidence, IdRegistry& ids, ReportView& view) {
  for (const auto& project : evidence) {
    AppendixProject out{project.project_key, project.project_label, {}};
    for (const auto& session : project.sessions) {
      ParsedCard card;
      if (session.card) card = parse_card(*session.card, "evidence card " + project.project_key + "/" + session.session_ref);
      else card.note = session.card_note.empty() ? "No evidence card was written for this session." : session.card_note;
      const auto add = [&](const std::string& turn_ref, const std::string& lines) {
        AppendixEntry entry;
        entry.session_ref = session.session_ref;
        entry.turn_ref = turn_ref;
        entry.lines = lines;
        for (auto& [ref, chain] : card.chains)
          if (ref == turn_ref) {
            entry.chain = chain;
            break;
          }
        if (!entry.chain) entry.note = card.note.empty() ? "No evidence chain was recorded for this turn." : card.note;
        out.entries.push_back(std::move(entry));
      };
      if (session.indexed) {
        for (const auto& turn : session.turns) add(turn.turn_ref, workspace::format_line_span(turn.start_line, turn.end_line));
      } else {
        std::set<std::string> seen;
        for (const auto& [ref, chain] : card.chains)
          if (seen.insert(ref).second) add(ref, "");
      }
    }
    view.appendix.push_back(std::move(out));
  }
  for (std::size_t p = 0; p < view.appendix.size(); ++p) {
    auto& project = view.appendix[p];
    for (std::size_t e = 0; e < project.entries.size(); ++e) {
      auto& entry = project.entries[e];
      const std::string key = turn_key(project.key, entry.session_ref, entry.turn_ref);
      if (view.entry_index.contains(key)) continue;  // a duplicate row keeps no anchor of its own
      entry.anchor = ids.take(evidence_anchor(project.key, entry.session_ref, entry.turn_ref));
      view.entry_index.emplace(key, std::make_pair(p, e));
    }
  }
}

}  // namespace

const AppendixEntry* ReportView::find_entry(const std::string& project_key, const std::string& session_ref,
                                            const std::string& turn_ref) const {
  const auto it = entry_index.find(turn_key(project_key, session_ref, turn_ref));
  if (it == entry_index.end()) return nullptr;
  return &appendix[it->second.first].entries[it->second.second];
}

const std::string& ReportView::label_of(const std::string& project_key) const {
  static const std::string unnamed = text::unnamed_project;
  const auto it = labels.find(project_key);
  if (it != labels.end()) return it->second;
  return project_key.empty() ? unnamed : project_key;
}

agent::Result<ReportView> build_report_view(const json& report, const EvidenceInput& evidence) {
  FieldReader r("daily-report.json");
  if (!report.is_object()) {
    r.wrong_type("", "a JSON object", report);
    return std::unexpected(r.error());
  }
  ReportReader read(r);
  ReportView view;
  IdRegistry ids;
  build_appendix(evidence, ids, view);
  for (const auto& project : view.appendix)
    if (!project.label.empty()) view.labels[project.key] = project.label;

  view.report_date = r.string(report, "report_date", "");
  view.status = r.string(report, "status", "");
  if (const json* window = r.object(report, "window", "")) {
    view.has_window = true;
    view.window_start = r.string(*window, "start", "/window");
    view.window_end = r.string(*window, "end", "/window");
    view.timezone = r.string(*window, "timezone", "/window");
  }
  if (const json* by = r.object(report, "generated_by", "")) {
    view.generated_by = GeneratedBy{r.string(*by, "model", "/generated_by"), r.string(*by, "provider", "/generated_by"),
                                    r.boolean(*by, "offline", "/generated_by")};
  }
  view.title = read.optional_claim(report, "report_title", "", "");
  view.overall_confidence = r.string(report, "overall_confidence", "");

  std::set<std::string> reported;
  read.objects(report, "projects", "", [&](const json& project, const std::string& at) {
    ProjectView out;
    out.in_report = true;
    out.key = r.string(project, "project_key", at);
    out.label = r.string(project, "project_label", at);
    if (!out.label.empty()) view.labels[out.key] = out.label;
    if (out.label.empty()) out.label = view.label_of(out.key);
    out.summary = read.optional_claim(project, "summary", at, out.key);
    std::map<std::pair<std::string, std::string>, std::vector<std::string>> messages;
    read.objects(project, "source_user_messages", at, [&](const json& entry, const std::string& entry_at) {
      auto& list = messages[{r.string(entry, "session_ref", entry_at), r.string(entry, "turn_ref", entry_at)}];
      for (auto& message : r.strings(entry, "messages", entry_at)) list.push_back(std::move(message));
    });
    std::set<std::pair<std::string, std::string>> covered;
    read.objects(project, "work_items", at, [&](const json& item, const std::string& item_at) {
      auto work_item = read.work_item(item, item_at, out.key, messages);
      for (const auto& turn : work_item.covered_turns) covered.insert({turn.session_ref, turn.turn_ref});
      (work_item.material ? out.material_items : out.other_items).push_back(std::move(work_item));
    });
    for (const auto& appendix : view.appendix) {
      if (appendix.key != out.key) continue;
      for (const auto& entry : appendix.entries)
        if (!covered.contains({entry.session_ref, entry.turn_ref}))
          out.uncovered_turns.push_back({entry.session_ref, entry.turn_ref});
    }
    reported.insert(out.key);
    if (!out.material_items.empty() || !out.other_items.empty() || !out.uncovered_turns.empty())
      view.projects.push_back(std::move(out));
  });
  // Projects the index knows but the report leaves out: their turns still get shown and cited.
  for (const auto& appendix : view.appendix) {
    if (reported.contains(appendix.key) || appendix.entries.empty()) continue;
    ProjectView out;
    out.key = appendix.key;
    out.label = view.label_of(appendix.key);
    for (const auto& entry : appendix.entries) out.uncovered_turns.push_back({entry.session_ref, entry.turn_ref});
    view.projects.push_back(std::move(out));
  }
  for (auto& project : view.projects) project.id = ids.take(anchor_slug("project-" + project.key));

  view.engagement = read.engagement(report);
  view.team_learning = read.team_learning(report);
  read.objects(report, "offline_parts", "", [&](const json& part, const std::string& at) {
    view.offline_parts.push_back({r.string(part, "task", at), r.string(part, "project_key", at),
                                  r.string(part, "session_ref", at), r.string(part, "turn_ref", at), r.string(part, "slot", at),
                                  r.string(part, "reason", at)});
  });
  if (!r.ok()) return std::unexpected(r.error());
  return view;
}

}  // namespace diary::generate::render
