#include "generate/phases/task_graph.h"

#include <algorithm>
#include <memory>
#include <set>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace diary::generate::phases {

namespace asio = boost::asio;

std::string_view to_string(TaskStatus status) {
  switch (status) {
    case TaskStatus::ok: return "ok";
    case TaskStatus::degraded: return "degraded";
    case TaskStatus::failed: return "failed";
    case TaskStatus::blocked: return "blocked";
    case TaskStatus::interrupted: return "interrupted";
  }
  return "failed";
}

nlohmann::json to_json(const TaskOutcome& outcome) {
  return {{"status", to_string(outcome.status)},     {"errors", outcome.errors},
          {"usage", agent::to_json(outcome.usage)},  {"turns", outcome.turns},
          {"duration_ms", outcome.duration.count()}, {"skipped", outcome.skipped}};
}

asio::awaitable<std::map<std::string, TaskOutcome>> run_task_graph(std::vector<PipelineTask> tasks,
                                                                   std::map<std::string, int, std::less<>> limits,
                                                                   TaskGraphHooks hooks, std::stop_token stop) {
  auto executor = co_await asio::this_coro::executor;
  std::sort(tasks.begin(), tasks.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::map<std::string, TaskOutcome> outcomes;
  std::set<std::string> known;
  for (const auto& task : tasks) known.insert(task.id);

  // Shared with the spawned tasks, which may outlive nothing here: the loop waits for all.
  struct State {
    explicit State(asio::any_io_executor executor) : wake(executor, asio::steady_timer::time_point::max()) {}
    asio::steady_timer wake;
    std::map<std::string, int, std::less<>> running_by_kind;
    int running = 0;
  };
  auto state = std::make_shared<State>(executor);
  std::vector<bool> started(tasks.size(), false);

  for (std::size_t i = 0; i < tasks.size(); ++i)
    for (const auto& need : tasks[i].needs)
      if (!known.contains(need)) {
        outcomes[tasks[i].id] = TaskOutcome{.status = TaskStatus::failed, .errors = {"unknown dependency: " + need}};
        started[i] = true;
      }

  for (;;) {
    if (!stop.stop_requested()) {
      for (std::size_t i = 0; i < tasks.size(); ++i) {
        if (started[i]) continue;
        const auto& task = tasks[i];
        const bool ready =
            std::all_of(task.needs.begin(), task.needs.end(), [&](const std::string& need) { return outcomes.contains(need); });
        if (!ready) continue;
        auto limit = limits.find(task.kind);
        if (limit != limits.end() && state->running_by_kind[task.kind] >= limit->second) continue;
        started[i] = true;
        ++state->running;
        ++state->running_by_kind[task.kind];
        if (hooks.on_start) hooks.on_start(task);
        const auto begun = std::chrono::steady_clock::now();
        asio::co_spawn(executor, task.run(),
                       [state, &outcomes, &hooks, &task, begun](std::exception_ptr error, TaskOutcome outcome) {
                         if (error) {
                           outcome = TaskOutcome{.status = TaskStatus::failed};
                           try {
                             std::rethrow_exception(error);
                           } catch (const std::exception& e) {
                             outcome.errors.push_back(std::string("unexpected error: ") + e.what());
                           } catch (...) {
                             outcome.errors.push_back("unexpected error");
                           }
                         }
                         if (outcome.duration.count() == 0)
                           outcome.duration =
                               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - begun);
                         outcomes[task.id] = outcome;
                         --state->running;
                         --state->running_by_kind[task.kind];
                         if (hooks.on_finish) hooks.on_finish(task, outcomes[task.id]);
                         state->wake.cancel();
                       });
      }
    }
    if (state->running == 0) break;
    boost::system::error_code ignored;
    state->wake.expires_at(asio::steady_timer::time_point::max());
    co_await state->wake.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  for (std::size_t i = 0; i < tasks.size(); ++i)
    if (!outcomes.contains(tasks[i].id))
      outcomes[tasks[i].id] = TaskOutcome{
          .status = stop.stop_requested() ? TaskStatus::interrupted : TaskStatus::failed,
          .errors = {stop.stop_requested() ? "not started: stopped on request" : "not started: dependencies never finished"}};
  co_return outcomes;
}

}  // namespace diary::generate::phases
