#include "generate/phases/pipeline.h"

#include <algorithm>
#include <thread>

#include <boost/asio/this_coro.hpp>
#include <fmt/format.h>

#include "generate/phases/evidence_task.h"
#include "generate/phases/phase_tasks.h"

namespace diary::generate::phases {

namespace asio = boost::asio;
using workspace::DayWorkspace;

namespace {

std::string evidence_id(const std::string& pk, const std::string& sref) { return fmt::format("evidence:{}:{}", pk, sref); }
std::string project_id(const std::string& pk) { return "project:" + pk; }

std::vector<PipelineTask> plan(PipelineContext& context, const DayWorkspace& day) {
  std::vector<PipelineTask> tasks;
  std::vector<std::string> projects;
  const PipelineContext* ctx = &context;
  for (const auto& project : day.projects()) {
    std::vector<std::string> sessions;
    for (const auto& session : project.sessions) {
      const std::string pk = project.project_key, sref = session.session_ref;
      tasks.push_back(PipelineTask{
          .id = evidence_id(pk, sref), .kind = "evidence", .project_key = pk, .session_ref = sref, .run = [ctx, pk, sref] {
            return run_evidence_task(*ctx, pk, sref);
          }});
      sessions.push_back(tasks.back().id);
    }
    const std::string pk = project.project_key;
    tasks.push_back(PipelineTask{.id = project_id(pk), .kind = "project", .project_key = pk, .needs = sessions, .run = [ctx, pk] {
                                   return run_project_task(*ctx, pk);
                                 }});
    projects.push_back(tasks.back().id);
  }
  tasks.push_back(PipelineTask{.id = "daily", .kind = "daily", .needs = projects, .run = [ctx] { return run_daily_task(*ctx); }});
  tasks.push_back(
      PipelineTask{.id = "render", .kind = "render", .needs = {"daily"}, .run = [ctx] { return run_render_task(*ctx); }});
  return tasks;
}

}  // namespace

bool PipelineResult::interrupted() const {
  return std::any_of(outcomes.begin(), outcomes.end(), [](const auto& o) { return o.second.status == TaskStatus::interrupted; });
}

bool PipelineResult::blocked() const {
  return std::any_of(outcomes.begin(), outcomes.end(), [](const auto& o) { return o.second.status == TaskStatus::blocked; });
}

bool PipelineResult::all_ok() const {
  return std::all_of(outcomes.begin(), outcomes.end(), [](const auto& o) { return o.second.status == TaskStatus::ok; });
}

std::vector<std::string> PipelineResult::error_lines() const {
  std::vector<std::string> lines;
  for (const auto& [id, outcome] : outcomes) {
    if (outcome.status == TaskStatus::ok) continue;
    if (outcome.errors.empty()) lines.push_back(fmt::format("{}: {}", id, to_string(outcome.status)));
    for (const auto& error : outcome.errors) lines.push_back(fmt::format("{}: {}", id, error));
  }
  return lines;
}

nlohmann::json to_json(const PipelineResult& result) {
  nlohmann::json tasks = nlohmann::json::object();
  for (const auto& [id, outcome] : result.outcomes) tasks[id] = to_json(outcome);
  nlohmann::json phases = nlohmann::json::object();
  for (const auto& [name, totals] : result.phases)
    phases[name] = {{"busy_ms", totals.busy.count()},
                    {"usage", agent::to_json(totals.usage)},
                    {"tasks", totals.tasks},
                    {"turns", totals.turns}};
  return {{"tasks", tasks}, {"phases", phases}, {"elapsed_ms", result.elapsed.count()}, {"errors", result.error_lines()}};
}

std::vector<std::string> planned_task_ids(const DayWorkspace& day) {
  PipelineContext unused;
  std::vector<std::string> ids;
  for (const auto& task : plan(unused, day)) ids.push_back(task.id);
  return ids;
}

asio::awaitable<agent::Result<PipelineResult>> run_pipeline(PipelineContext& context, TaskSelection selection) {
  auto loaded = context.load_day();
  if (!loaded) co_return std::unexpected(loaded.error());
  context.day = *loaded;
  auto executor = co_await asio::this_coro::executor;
  if (!context.evidence_conversations)
    context.evidence_conversations = std::make_shared<AsyncSemaphore>(executor, context.limits.evidence);
  if (!context.daily_passes) context.daily_passes = std::make_shared<AsyncSemaphore>(executor, context.limits.daily);
  // Offline, every task is CPU work (read, extract, hash, commit): one thread per core.
  if (context.offline() && !context.cpu_pool)
    context.cpu_pool = std::make_shared<asio::thread_pool>(std::max(1u, std::thread::hardware_concurrency()));

  std::vector<PipelineTask> tasks = plan(context, **loaded);
  if (selection) {
    auto found = std::find_if(tasks.begin(), tasks.end(), [&](const auto& task) { return task.id == *selection; });
    if (found == tasks.end())
      co_return agent::fail(agent::ErrorKind::invalid_input,
                            "generation task is not present in the prepared workspace: " + *selection);
    PipelineTask only = std::move(*found);
    only.needs.clear();  // a single task never re-runs earlier phases: its prerequisites decide
    tasks = {std::move(only)};
  }

  PipelineResult result;
  struct Span {
    std::chrono::steady_clock::time_point first, last;
    bool started = false;
  };
  std::map<std::string, Span> spans;
  const auto begun = std::chrono::steady_clock::now();
  TaskGraphHooks hooks;
  hooks.on_start = [&](const PipelineTask& task) {
    auto& span = spans[task.kind];
    if (!span.started) span = Span{std::chrono::steady_clock::now(), std::chrono::steady_clock::now(), true};
    const std::string label = task.session_ref.empty() ? task.project_key : task.project_key + "/" + task.session_ref;
    context.log("task_start", {{"task", task.id}, {"kind", task.kind}});
    context.report({.kind = ProgressEvent::Kind::task_start, .phase = task.kind, .task_id = task.id, .label = label});
  };
  hooks.on_finish = [&](const PipelineTask& task, const TaskOutcome& outcome) {
    spans[task.kind].last = std::chrono::steady_clock::now();
    auto& totals = result.phases[task.kind];
    totals.usage += outcome.usage;
    totals.tasks += 1;
    totals.turns += outcome.turns;
    nlohmann::json data = to_json(outcome);
    data["task"] = task.id;
    context.log("task_end", data);
    const std::string label = task.session_ref.empty() ? task.project_key : task.project_key + "/" + task.session_ref;
    context.report({.kind = ProgressEvent::Kind::task_done,
                    .phase = task.kind,
                    .task_id = task.id,
                    .label = label,
                    .status = std::string(to_string(outcome.status)),
                    .detail = outcome.errors.empty() ? std::string() : outcome.errors.front()});
  };
  std::map<std::string, int, std::less<>> limits{{"project", context.limits.project}, {"daily", 1}, {"render", 1}};
  result.outcomes = co_await run_task_graph(std::move(tasks), std::move(limits), std::move(hooks), context.stop);
  for (const auto& [kind, span] : spans)
    result.phases[kind].busy = std::chrono::duration_cast<std::chrono::milliseconds>(span.last - span.first);
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - begun);
  co_return result;
}

}  // namespace diary::generate::phases
