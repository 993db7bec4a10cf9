// The tasks `daily` and `render` (phase_tasks.h). Daily: rebuild the deterministic skeleton
// (keeping sound slots), then fill the judgment slots with one fresh conversation each — every
// project summary, engagement and team learning in parallel, the title last (its input includes
// the summaries) — fill what the model could not produce with honest offline text, and finalize.
// Render: report.md and report.html from daily-report.json, no agent.
#include <algorithm>

#include <fmt/format.h>

#include "generate/artifacts/evidence_card.h"
#include "generate/artifacts/project_synthesis.h"
#include "generate/daily/citation_index.h"
#include "generate/daily/daily_finalize.h"
#include "generate/daily/daily_report.h"
#include "generate/daily/report_slots.h"
#include "generate/phases/agent_pass.h"
#include "generate/phases/phase_tasks.h"
#include "generate/phases/prerequisites.h"
#include "generate/phases/prompt_templates.h"
#include "generate/prepare/json_fields.h"
#include "generate/phases/when_all.h"
#include "generate/render/render_report.h"

namespace diary::generate::phases {

namespace asio = boost::asio;
using daily::SlotKind;
using daily::SlotRef;
using nlohmann::json;
using workspace::DayWorkspace;

namespace {

using prepare::string_or_empty;  // artifact fields read defensively

// The parts earlier phases filled offline, for the report's "Made without a model" list. Read
// from the stored artifacts as they are (the evidence and project tasks have judged them): no
// re-hashing of every session here.
json offline_parts_of_inputs(const DayWorkspace& day, bool offline_run) {
  json parts = json::array();
  const std::string reason =
      offline_run ? "made with --offline, no model was asked" : "the model did not produce it after its retries";
  for (const auto& project : day.projects()) {
    for (const auto& session : project.sessions) {
      const auto stored = artifacts::read_stored_json(day.evidence_card(project.project_key, session.session_ref));
      if (!stored.value || !stored.value->is_object()) continue;
      for (const auto& chain : stored.value->value("evidence_chains", json::array()))
        if (string_or_empty(chain, "source") == "offline")
          parts.push_back({{"task", fmt::format("evidence:{}:{}", project.project_key, session.session_ref)},
                           {"project_key", project.project_key},
                           {"session_ref", session.session_ref},
                           {"turn_ref", string_or_empty(chain, "turn_ref")},
                           {"reason", reason}});
    }
    const auto stored = artifacts::read_stored_json(day.project_synthesis(project.project_key));
    if (!stored.value || !stored.value->is_object()) continue;
    for (const auto& item : stored.value->value("work_items", json::array()))
      if (string_or_empty(item, "source") == "offline")
        parts.push_back({{"task", "project:" + project.project_key},
                         {"project_key", project.project_key},
                         {"work_item_ref", string_or_empty(item, "work_item_ref")},
                         {"reason", reason}});
  }
  return parts;
}

json read_report(const DayWorkspace& day) {
  auto stored = artifacts::read_stored_json(day.daily_report());
  return stored.value ? *stored.value : json();
}

bool slot_unwritten(const DayWorkspace& day, const SlotRef& slot) {
  const json report = read_report(day);
  if (!report.is_object()) return true;
  const auto unwritten = daily::unwritten_slots(report);
  return std::find(unwritten.begin(), unwritten.end(), slot) != unwritten.end();
}

std::string pass_name(SlotKind kind) {
  switch (kind) {
    case SlotKind::project_summary: return "project_summary";
    case SlotKind::report_title: return "report_title";
    case SlotKind::engagement: return "engagement";
    case SlotKind::team_learning: return "team_learning";
  }
  return "report_title";
}

std::string instructions_of(SlotKind kind) {
  switch (kind) {
    case SlotKind::project_summary: return "project-summary";
    case SlotKind::report_title: return "report-title";
    case SlotKind::engagement: return "engagement";
    case SlotKind::team_learning: return "team-learning";
  }
  return "report-title";
}

json work_item_view(const json& item) {
  return {{"work_item_ref", string_or_empty(item, "work_item_ref")},
          {"title", string_or_empty(item, "title")},
          {"kind", string_or_empty(item, "kind")},
          {"disposition", item.value("disposition", json())},
          {"confidence", string_or_empty(item, "confidence")},
          {"covered_turns", item.value("covered_turns", json::array())}};
}

// The assignment of one daily pass: what it may cite and the report context it rests on.
json daily_assignment(const json& report, const daily::CitationIndex& index, const SlotRef& slot) {
  json assignment = {{"pass", pass_name(slot.kind)}};
  json citable = json::array();
  json projects = json::array();
  for (const auto& project : report.value("projects", json::array())) {
    const std::string pk = string_or_empty(project, "project_key");
    if (slot.kind == SlotKind::project_summary && pk != slot.project_key) continue;
    for (const auto& turn : index.committed_turns(pk)) {
      if (slot.kind == SlotKind::project_summary)
        citable.push_back({{"session_ref", turn.session_ref}, {"turn_ref", turn.turn_ref}});
      else citable.push_back({{"project_key", pk}, {"session_ref", turn.session_ref}, {"turn_ref", turn.turn_ref}});
    }
    json items = json::array();
    for (const auto& item : project.value("work_items", json::array())) items.push_back(work_item_view(item));
    json view = {{"project_key", pk}, {"project_label", string_or_empty(project, "project_label")}, {"work_items", items}};
    if (slot.kind == SlotKind::report_title)
      view["summary"] = project.contains("summary") && project["summary"].is_object() ? project["summary"].value("text", "") : "";
    if (slot.kind == SlotKind::project_summary) {
      assignment["project_key"] = pk;
      assignment["project_label"] = string_or_empty(project, "project_label");
      assignment["work_items"] = items;
    } else {
      projects.push_back(view);
    }
  }
  assignment["citable_turns"] = citable;
  if (slot.kind != SlotKind::project_summary) assignment["projects"] = projects;
  if (slot.kind == SlotKind::report_title) assignment["report_date"] = string_or_empty(report, "report_date");
  return assignment;
}

// Human-readable context for the pass (the assignment carries the same facts as data).
std::string daily_context(const json& report, const SlotRef& slot) {
  std::string out;
  for (const auto& project : report.value("projects", json::array())) {
    const std::string pk = string_or_empty(project, "project_key");
    if (slot.kind == SlotKind::project_summary && pk != slot.project_key) continue;
    out += fmt::format("## Project {} ({})\n\n", string_or_empty(project, "project_label"), pk);
    if (slot.kind == SlotKind::report_title && project.contains("summary") && project["summary"].is_object())
      out += "Summary: " + project["summary"].value("text", "") + "\n\n";
    for (const auto& item : project.value("work_items", json::array())) {
      out += fmt::format("**{}** [{}] (confidence: {}) {}\n", string_or_empty(item, "work_item_ref"),
                         string_or_empty(item, "kind"), string_or_empty(item, "confidence"), string_or_empty(item, "title"));
      std::string turns;
      for (const auto& t : item.value("covered_turns", json::array()))
        turns += (turns.empty() ? "" : ", ") + (slot.kind == SlotKind::project_summary ? "" : pk + "/") +
                 string_or_empty(t, "session_ref") + "/" + string_or_empty(t, "turn_ref");
      out += "covered turns: " + turns + "\n";
      if (!string_or_empty(item, "trigger_summary").empty()) out += "trigger: " + string_or_empty(item, "trigger_summary") + "\n";
      if (!string_or_empty(item, "agent_reaction_summary").empty())
        out += "reaction: " + string_or_empty(item, "agent_reaction_summary") + "\n";
      for (const auto& outcome : item.value("outcomes", json::array()))
        out +=
            fmt::format("- outcome ({}): {}\n", string_or_empty(outcome, "confidence"), string_or_empty(outcome, "what_changed"));
      for (const auto& limit : item.value("limits", json::array()))
        if (limit.is_string()) out += "- limit: " + limit.get<std::string>() + "\n";
      out += "\n";
    }
    if (slot.kind == SlotKind::engagement || slot.kind == SlotKind::team_learning) {
      for (const auto& source : project.value("source_user_messages", json::array())) {
        std::string text;
        for (const auto& m : source.value("messages", json::array()))
          if (m.is_string()) text += (text.empty() ? "" : " / ") + m.get<std::string>();
        out += fmt::format("**{} · {}/{}** {}\n", pk, string_or_empty(source, "session_ref"), string_or_empty(source, "turn_ref"),
                           text.empty() ? "(no message text)" : text);
      }
      out += "\n";
    }
  }
  if (out.empty()) out = "(No synthesized work items in any project.)\n";
  return out;
}

struct SlotResult {
  SlotRef slot;
  bool model = false;
  bool offline = false;
  std::string error;
  agent::TokenUsage usage;
  int turns = 0;
};

// One slot with the model; when the model cannot deliver, its offline value. (--offline runs
// write every slot's offline value at once in run_daily_task instead.)
asio::awaitable<SlotResult> fill_slot(const PipelineContext& context, const DayWorkspace& day, SlotRef slot) {
  SlotResult result{.slot = slot};
  std::string reason = "made with --offline, no model was asked";
  if (!context.offline()) {
    auto permit = co_await context.daily_passes->permit();
    auto index = daily::CitationIndex::load(day);
    const json report = read_report(day);
    if (index && report.is_object() && !context.stop.stop_requested()) {
      const json assignment = daily_assignment(report, *index, slot);
      const std::string tool(daily::slot_tool(slot.kind));
      AgentPassSpec spec;
      spec.task_id = "daily";
      spec.pass = pass_name(slot.kind);
      spec.instructions = instructions_of(slot.kind);
      spec.tools = {tool};
      auto prompt = render_prompt("daily-input", {{"report_date", string_or_empty(report, "report_date")},
                                                  {"status", string_or_empty(report, "status")},
                                                  {"context", daily_context(report, slot)},
                                                  {"tool", tool},
                                                  {"assignment", assignment.dump(2)}});
      spec.prompt = prompt ? *prompt : prompt.error().message;
      const DayWorkspace* workspace = &day;
      spec.missing = [workspace, slot]() -> std::vector<std::string> {
        if (!slot_unwritten(*workspace, slot)) return {};
        return {daily::slot_label(slot) + " is unwritten"};
      };
      spec.resume = [assignment, slot, tool](const std::vector<std::string>&, const json& last_errors) {
        json again = assignment;
        again["last_errors"] = last_errors;
        auto text = render_prompt("daily-resume", {{"pass", pass_name(slot.kind)},
                                                   {"slot", daily::slot_label(slot)},
                                                   {"tool", tool},
                                                   {"last_errors", describe_errors(last_errors)},
                                                   {"assignment", again.dump(2)}});
        return text ? *text : text.error().message;
      };
      auto pass = co_await run_agent_pass(context, std::move(spec));
      result.usage = pass.loop.usage;
      result.turns = static_cast<int>(pass.loop.turns.size());
      if (pass.complete()) {
        result.model = true;
        co_return result;
      }
      result.error = fmt::format("{}: {}", daily::slot_label(slot), pass.loop.reason);
      if (pass.loop.status == RunStatus::interrupted) co_return result;
      reason = "the model did not write it: " + pass.loop.reason;
    } else if (!index) {
      result.error = index.error().message;
    }
  }
  auto loaded = daily::CitationIndex::load(day);
  if (!loaded) {
    result.error += (result.error.empty() ? "" : "; ") + loaded.error().message;
    co_return result;
  }
  auto written = daily::write_offline_slot(*loaded, slot, reason);
  if (!written) result.error += (result.error.empty() ? "" : "; ") + written.error().message;
  else if (!written->empty()) result.error += (result.error.empty() ? "" : "; ") + written->front().message;
  else result.offline = true;
  co_return result;
}

}  // namespace

asio::awaitable<TaskOutcome> run_daily_task(const PipelineContext& context) {
  auto loaded = context.load_day();
  if (!loaded) co_return TaskOutcome{.status = TaskStatus::failed, .errors = {loaded.error().message}};
  const std::shared_ptr<const DayWorkspace> shared_day = *loaded;  // kept alive across co_awaits
  const DayWorkspace& day = *shared_day;
  std::vector<std::filesystem::path> needed{day.root() / "metadata.json"};
  for (const auto& project : day.projects()) needed.push_back(day.project_synthesis(project.project_key));
  if (auto missing = missing_prerequisite(day.root(), needed))
    co_return TaskOutcome{.status = TaskStatus::failed, .errors = {*missing}};

  daily::BuildOptions options;
  options.generated_by.offline = context.offline();
  options.generated_by.model = context.settings.pass("evidence").model;
  options.generated_by.provider = context.offline() ? "none (offline)" : context.provider;
  if (!context.offline() && !options.generated_by.model && !context.model.empty()) options.generated_by.model = context.model;
  if (!context.offline() && !options.generated_by.model && context.observed_model && !context.observed_model->empty())
    options.generated_by.model = *context.observed_model;
  options.offline_parts = offline_parts_of_inputs(day, context.offline());
  auto built = daily::build_daily_report(day.root(), options);
  if (!built) co_return TaskOutcome{.status = TaskStatus::failed, .errors = {built.error().message}};
  if (!built->kept.empty())
    context.log("decision", {{"task", "daily"}, {"what", "slots_kept"}, {"details", {{"count", built->kept.size()}}}});

  TaskOutcome outcome;
  bool any_offline = false;
  std::shared_ptr<const daily::CitationIndex> offline_index;
  if (context.offline()) {
    auto index = daily::CitationIndex::load(day);
    if (!index) co_return TaskOutcome{.status = TaskStatus::failed, .errors = {index.error().message}};
    offline_index = std::make_shared<const daily::CitationIndex>(std::move(*index));
  }
  auto run_slots = [&](std::vector<SlotRef> slots) -> asio::awaitable<void> {
    if (offline_index) {  // no model: every slot's offline value at once, one write
      auto written = daily::write_offline_slots(*offline_index, slots, "made with --offline, no model was asked");
      if (!written) outcome.errors.push_back(written.error().message);
      else if (!written->empty()) outcome.errors.push_back(written->front().message);
      else any_offline = any_offline || !slots.empty();
      co_return;
    }
    std::vector<asio::awaitable<SlotResult>> work;
    for (const auto& slot : slots) work.push_back(fill_slot(context, day, slot));
    auto results = co_await when_all(std::move(work));
    for (const auto& result : results) {
      outcome.usage += result.usage;
      outcome.turns += result.turns;
      any_offline = any_offline || result.offline;
      if (!result.error.empty()) outcome.errors.push_back(result.error);
    }
  };
  // Summaries, engagement and team learning rest on independent inputs: in parallel. The title
  // rests on the summaries: last.
  std::vector<SlotRef> first, last;
  for (const auto& slot : daily::unwritten_slots(built->report))
    (slot.kind == SlotKind::report_title ? last : first).push_back(slot);
  co_await run_slots(first);
  if (!context.stop.stop_requested()) co_await run_slots(last);
  if (context.stop.stop_requested())
    co_return TaskOutcome{
        .status = TaskStatus::interrupted, .errors = outcome.errors, .usage = outcome.usage, .turns = outcome.turns};

  auto finalized = daily::finalize_daily_report(day.root());
  if (!finalized) {
    outcome.status = TaskStatus::failed;
    outcome.errors.push_back(finalized.error().message);
  } else if (!finalized->problems.empty()) {
    outcome.status = TaskStatus::failed;
    for (const auto& problem : finalized->problems)
      outcome.errors.push_back("finalize: " + problem.path + ": " + problem.message);
  } else {
    outcome.status = any_offline && !context.offline() ? TaskStatus::degraded : TaskStatus::ok;
  }
  if (context.offline() && outcome.status == TaskStatus::ok) outcome.errors.clear();
  co_return outcome;
}

asio::awaitable<TaskOutcome> run_render_task(const PipelineContext& context) {
  auto loaded = context.load_day();
  if (!loaded) co_return TaskOutcome{.status = TaskStatus::failed, .errors = {loaded.error().message}};
  const DayWorkspace& day = **loaded;
  if (auto missing = missing_prerequisite(day.root(), {day.daily_report()}))
    co_return TaskOutcome{.status = TaskStatus::failed, .errors = {*missing}};
  auto rendered = render::render_report(day);
  if (!rendered) co_return TaskOutcome{.status = TaskStatus::failed, .errors = {rendered.error().message}};
  if (auto missing = missing_output(day.root(), {rendered->markdown, rendered->html}))
    co_return TaskOutcome{.status = TaskStatus::failed, .errors = {*missing}};
  co_return TaskOutcome{};
}

}  // namespace diary::generate::phases
