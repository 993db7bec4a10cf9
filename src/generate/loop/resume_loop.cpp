#include "generate/loop/resume_loop.h"
#include "util/duration.h"

#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "util/log_exception.h"

namespace diary::generate {

namespace asio = boost::asio;
using agent::ErrorKind;

namespace {

std::string turn_status(const agent::Result<agent::AgentTurnResult>& turn) {
  if (turn) return std::string(agent::to_string(turn->status));
  switch (turn.error().kind) {
    case ErrorKind::timeout: return "timeout";
    case ErrorKind::cancelled: return "interrupted";
    default: return "error";
  }
}

std::string check_summary(const LoopCheck& check) {
  const auto& artifacts = check.artifacts.artifacts;
  const auto ok = std::count_if(artifacts.begin(), artifacts.end(), [](const auto& a) { return a.ok; });
  std::string line = fmt::format("checks: {} failing", check.tally().failing_checks);
  if (!artifacts.empty()) line += fmt::format(", {}/{} artifacts ok", ok, artifacts.size());
  if (!check.work_missing.empty()) line += fmt::format(", {} still missing", check.work_missing.size());
  if (!check.output_problems.empty()) line += ", final message fails its schema";
  if (!check.turn_problems.empty()) line += ", turn did not succeed";
  return line;
}

// The status of a loop whose agent could not be (re)started: a missing prerequisite or a codex
// that speaks something else is blocked; a stop that cut the start short is interrupted.
RunStatus status_of_failed_start(const agent::Error& error, bool stop_requested) {
  if (error.kind == ErrorKind::cancelled && stop_requested) return RunStatus::interrupted;
  if (error.kind == ErrorKind::blocked || error.kind == ErrorKind::protocol) return RunStatus::blocked;
  return RunStatus::failed;
}

struct OpenedConversation {
  std::shared_ptr<agent::AgentRunner> runner;
  agent::ConversationStart start;
};

// A runner with its conversation open (started, or resumed as config.resume_conversation asks).
asio::awaitable<agent::Result<OpenedConversation>> open_conversation(agent::AgentSessionFactory& factory,
                                                                     agent::AgentConfig config) {
  auto created = co_await factory.create_runner(std::move(config));
  if (!created) co_return std::unexpected(created.error());
  std::shared_ptr<agent::AgentRunner> runner = std::move(*created);
  auto started = co_await runner->start_conversation();
  if (!started) co_return std::unexpected(started.error());
  co_return OpenedConversation{std::move(runner), std::move(*started)};
}

}  // namespace

nlohmann::json to_json(const TurnRecord& record) {
  return {{"turn_id", record.turn_id},
          {"status", record.status},
          {"duration_ms", record.duration.count()},
          {"usage", agent::to_json(record.usage)},
          {"error", record.error ? agent::to_json(*record.error) : nlohmann::json()},
          {"index", record.index},
          {"kind", record.kind},
          {"model", record.model ? nlohmann::json(*record.model) : nlohmann::json()}};
}

std::int64_t tokens_used(const agent::TokenUsage& usage) {
  const std::int64_t split = usage.input_tokens + usage.output_tokens;
  return split > 0 ? split : usage.total_tokens;
}

asio::awaitable<LoopResult> run_resume_loop(agent::AgentSessionFactory& factory, agent::AgentConfig config, ResumeLoopSpec spec,
                                            ResumeLoopHooks hooks, ResumeLoopOptions options) {
  auto progress = [&](const std::string& line) {
    if (hooks.on_progress) hooks.on_progress(line);
  };
  auto decision = [&](std::string_view what, nlohmann::json details) {
    if (hooks.on_decision) hooks.on_decision(what, details);
  };
  auto report_check = [&](int turn, const LoopCheck& check) {
    if (hooks.on_check) hooks.on_check(turn, check);
    progress(check_summary(check));
  };

  LoopResult result;
  result.last_check = check_before_turns(spec.targets);
  report_check(0, result.last_check);
  if (spec.targets.checks_disk() && result.last_check.complete()) {
    result.status = RunStatus::complete;
    result.reason = spec.targets.work ? "already complete on disk" : "artifacts already complete";
    co_return result;
  }
  if (options.stop.stop_requested()) {
    result.status = RunStatus::interrupted;
    result.reason = "interrupted before the first turn";
    co_return result;
  }

  auto executor = co_await asio::this_coro::executor;
  const agent::AgentConfig base_config = config;  // for a new conversation after a backend death
  if (spec.continue_conversation) config.resume_conversation = spec.continue_conversation->id;
  auto opened = co_await open_conversation(factory, std::move(config));
  // The stop cut the agent's start short (a start that failed on its own keeps its cause).
  if (!opened && opened.error().kind == ErrorKind::cancelled && options.stop.stop_requested()) {
    result.status = RunStatus::interrupted;
    result.error = opened.error();
    result.reason = "interrupted while the agent started";
    decision("stop", {{"status", to_string(result.status)}, {"reason", result.reason}});
    co_return result;
  }
  if (!opened) {
    result.status = status_of_failed_start(opened.error(), false);
    result.error = opened.error();
    result.reason = "could not start the agent: " + opened.error().message;
    decision("runner_error", {{"kind", agent::to_string(opened.error().kind)}, {"message", opened.error().message}});
    co_return result;
  }
  // Held by the stop callback too: a backend recovery replaces the runner under it.
  auto runner = std::make_shared<std::shared_ptr<agent::AgentRunner>>(std::move(opened->runner));
  auto report_conversation = [&](const agent::ConversationStart& start, int after_turn,
                                 const std::optional<std::string>& requested) {
    if (hooks.on_conversation) hooks.on_conversation(start, after_turn);
    if (start.resume_failed && requested) {
      // The callers warn about it (a lost conversation matters even when progress is off).
      decision("conversation_fallback", {{"conversation", *requested}, {"reason", *start.resume_failed}});
    } else if (start.resumed) {
      progress("resuming conversation " + start.id);
    }
  };
  report_conversation(opened->start, 0,
                      spec.continue_conversation ? std::optional<std::string>(spec.continue_conversation->id) : std::nullopt);

  asio::steady_timer backoff_timer(executor);
  // Runs on the thread that requests the stop (the executor's, by contract): cut a backoff
  // wait short and ask the running turn to end; the loop then notices the stop.
  std::stop_callback on_stop(options.stop, [&backoff_timer, runner, executor] {
    backoff_timer.cancel();
    if (auto current = *runner; current->turn_running())
      asio::co_spawn(executor, current->interrupt(), util::log_exception("the turn interrupt"));
  });

  LoopState state;
  state.limits = LoopLimits{.max_turns = spec.max_turns,
                            .max_no_progress = spec.max_no_progress,
                            .max_tokens = spec.max_tokens,
                            .has_fallback_model = spec.fallback_model.has_value(),
                            .max_backend_recoveries = spec.max_backend_recoveries,
                            .initial_backoff = options.initial_backoff,
                            .max_backoff = options.max_backoff};
  state.best = result.last_check.tally();
  std::optional<std::string> model;
  bool any_turn_completed = false;
  std::string prompt = spec.prompt;
  std::string kind = "first";
  auto resume_prompt = [&] {
    return spec.build_resume_prompt
               ? spec.build_resume_prompt(result.last_check)
               : build_resume_prompt(
                     result.last_check,
                     {.original_prompt = spec.prompt, .restate_original = !any_turn_completed, .extra = spec.resume_prompt});
  };
  if (opened->start.resumed) {  // an earlier run's conversation: go on from what is still failing
    any_turn_completed = spec.continue_conversation && spec.continue_conversation->earlier_turn_completed;
    // A phase's own resume prompt assumes the model has its assignment: until a turn of the
    // conversation completed, the first prompt is sent again instead.
    if (any_turn_completed || !spec.build_resume_prompt) {
      kind = std::string(to_string(resume_kind(result.last_check)));
      prompt = resume_prompt();
    }
  }

  auto finish = [&](RunStatus status, std::string reason) {
    result.status = status;
    result.reason = std::move(reason);
    // Earlier turn errors (e.g. the 429 before a fallback) do not describe a finished job; the
    // per-turn records keep them.
    if (status == RunStatus::complete) result.error.reset();
    decision("stop", {{"status", to_string(status)}, {"reason", result.reason}});
  };

  for (int index = 1;; ++index) {
    if (options.stop.stop_requested()) {
      finish(RunStatus::interrupted, "stopped on request");
      break;
    }
    if (hooks.on_turn_start) hooks.on_turn_start(TurnStart{index, kind, prompt, model});
    progress(fmt::format(
        "turn {} started ({}{}{})", index, kind,
        index > 1 ? fmt::format(" prompt for {} failing check(s)", result.last_check.tally().failing_checks) : std::string(),
        model ? ", model " + *model : std::string()));
    agent::TurnOptions turn_options;
    turn_options.timeout = spec.turn_timeout;
    if (spec.targets.output_schema) turn_options.output_schema = spec.targets.output_schema->document();
    turn_options.model = model;
    if (hooks.on_event)
      turn_options.on_event = [&hooks, index](const agent::AgentTurnEvent& event) { hooks.on_event(index, event); };

    const auto started = std::chrono::steady_clock::now();
    std::shared_ptr<agent::AgentRunner> current = *runner;
    agent::Result<agent::AgentTurnResult> turn = co_await current->turn(prompt, std::move(turn_options));
    const TurnOutcome outcome = outcome_of(turn);

    TurnRecord record{.index = index, .kind = kind, .status = turn_status(turn), .error = outcome.error, .model = model};
    if (turn) {
      record.turn_id = turn->turn_id;
      record.duration = turn->duration;
      record.usage = turn->usage;
      result.usage += turn->usage;
      result.final_message = turn->assistant_text;
      if (!turn->model.empty()) result.backend_model = turn->model;
      any_turn_completed = any_turn_completed || turn->status == agent::TurnStatus::completed;
    }
    if (record.duration.count() == 0)
      record.duration = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    if (record.error) result.error = agent::Error{record.error->kind, record.error->message};
    result.turns.push_back(record);
    if (hooks.on_turn_end) hooks.on_turn_end(record);
    progress(fmt::format("turn {} {} in {} ({} tokens){}", index, record.status, util::format_duration(record.duration),
                         tokens_used(record.usage), record.error ? ": " + record.error->message : std::string()));

    // Whatever the turn did, only the disk (and the turn's own answer) decides.
    result.last_check = check_after_turn(spec.targets, turn);
    if (result.last_check.structured_output) result.structured_output = result.last_check.structured_output;
    report_check(index, result.last_check);

    state.turns = index;
    state.tokens = tokens_used(result.usage);
    state.stop_requested = options.stop.stop_requested();
    Decision next = decide_next(state, outcome, result.last_check);
    const CheckTally tally = result.last_check.tally();
    if (next.switch_to_fallback) {
      model = spec.fallback_model;
      decision("model_fallback", {{"model", *model}, {"after", record.error->message}});
      progress("switching to fallback model " + *model + " for the rest of the job");
    }
    if (next.progress == true) {
      decision("progress", {{"failing_checks", tally.failing_checks}, {"bytes", tally.bytes}});
    } else if (next.progress == false) {
      nlohmann::json details = {{"count", next.next.no_progress}, {"max", spec.max_no_progress}};
      if (next.next.byte_only_progress > state.limits.max_byte_only_progress)
        details["byte_only_turns"] = next.next.byte_only_progress;
      decision("no_progress", details);
    }
    state = next.next;
    if (next.finish) {
      finish(next.status, next.reason);
      break;
    }
    if (next.recover_backend) {
      const std::string previous = current->conversation_id();
      decision("backend_recovery", {{"conversation", previous}, {"after_turn", index}, {"error", record.error->message}});
      progress(fmt::format("the agent backend died ({}); continuing conversation {} on a new one", record.error->message,
                           previous.empty() ? "(none)" : previous));
      agent::AgentConfig again = base_config;
      if (!previous.empty()) again.resume_conversation = previous;
      auto reopened = co_await open_conversation(factory, std::move(again));
      if (!reopened) {
        result.error = reopened.error();
        finish(status_of_failed_start(reopened.error(), options.stop.stop_requested()),
               "could not restart the agent after its backend died: " + reopened.error().message);
        break;
      }
      *runner = std::move(reopened->runner);
      report_conversation(reopened->start, index, previous.empty() ? std::nullopt : std::optional<std::string>(previous));
      if (!reopened->start.resumed) any_turn_completed = false;  // a new conversation: restate the task
    }
    if (next.backoff) {
      progress(fmt::format("no progress ({}/{}); waiting {} before resuming", state.no_progress, spec.max_no_progress,
                           util::format_duration(*next.backoff)));
      decision("backoff", {{"ms", next.backoff->count()}});
      backoff_timer.expires_after(*next.backoff);
      boost::system::error_code ignored;
      co_await backoff_timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      if (options.stop.stop_requested()) {
        finish(RunStatus::interrupted, "stopped on request");
        break;
      }
    }

    kind = std::string(to_string(resume_kind(result.last_check)));
    prompt = spec.build_resume_prompt
                 ? spec.build_resume_prompt(result.last_check)
                 : build_resume_prompt(
                       result.last_check,
                       {.original_prompt = spec.prompt, .restate_original = !any_turn_completed, .extra = spec.resume_prompt});
  }
  co_return result;
}

}  // namespace diary::generate
