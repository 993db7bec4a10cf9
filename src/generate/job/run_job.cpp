#include "generate/job/run_job.h"

#include <fmt/format.h>

#include "generate/policy/approval_policy.h"
#include "generate/loop/resume_loop.h"
#include "generate/ledger/run_ledger.h"
#include "generate/ledger/unfinished_run.h"

namespace diary::generate {

namespace {

// The progress line for a completed item, if it deserves one (commands and file changes do;
// reasoning and messages would drown them).
std::optional<std::string> event_line(int turn, const agent::AgentTurnEvent& event) {
  switch (event.kind) {
    case agent::EventKind::command:
      return fmt::format("turn {}: {}{}", turn, event.summary.starts_with("$ ") ? "" : "$ ", event.summary);
    case agent::EventKind::file_change: return fmt::format("turn {}: changed {}", turn, event.summary);
    case agent::EventKind::tool_call: return fmt::format("turn {}: tool {}", turn, event.summary);
    case agent::EventKind::warning: return fmt::format("turn {}: warning: {}", turn, event.summary);
    default: return std::nullopt;
  }
}

}  // namespace

agent::AgentConfig make_agent_config(const JobSpec& spec, agent::AgentBackendOptions backend,
                                     agent::ApprovalHandler approval_handler) {
  agent::AgentConfig config;
  config.working_directory = spec.workdir;
  config.model = spec.model;
  config.model_provider = spec.model_provider;
  config.reasoning_effort = spec.reasoning_effort;
  config.approval_policy = spec.approval_policy;
  config.sandbox = spec.sandbox;
  config.developer_instructions = spec.developer_instructions;
  backend.config_overrides.insert(backend.config_overrides.end(), spec.config_overrides.begin(), spec.config_overrides.end());
  config.backend = std::move(backend);
  config.approval_handler = std::move(approval_handler);
  return config;
}

boost::asio::awaitable<agent::Result<JobResult>> run_job(const JobSpec& spec, agent::AgentSessionFactory& factory,
                                                         JobRunOptions options) {
  const auto started = std::chrono::steady_clock::now();
  std::shared_ptr<RunLedger> ledger = options.ledger;
  if (!ledger) {
    auto opened = RunLedger::open(spec.workdir, options.run_id.empty() ? make_run_id() : options.run_id);
    if (!opened) co_return std::unexpected(opened.error());
    ledger = std::move(*opened);
  }

  auto progress = [&options](const std::string& line) {
    if (!options.quiet && options.progress) options.progress(line);
  };
  ledger->append("job_request", {{"run_id", ledger->run_id()}, {"spec", spec.spec_path.string()}, {"job", to_json(spec)}});
  ledger->append("backend", options.backend_info);
  progress(fmt::format("job {}: run {} (ledger {})", spec.name, ledger->run_id(), ledger->events_path().string()));

  // Approvals arrive while a turn runs; the shared turn counter tells the ledger which one.
  auto current_turn = std::make_shared<int>(0);
  auto handler = make_approval_handler(
      spec.policy, spec.workdir,
      [ledger, current_turn, report = options.quiet ? std::function<void(const std::string&)>() : options.progress](
          const agent::ApprovalRequest& request, const PolicyVerdict& verdict) {
        nlohmann::json record = to_json(request, verdict);
        record["turn"] = *current_turn;
        ledger->append("approval", record);
        if (report) {
          const std::string subject = request.kind == agent::ApprovalKind::command ? request.command : request.method;
          report(fmt::format("approval: {} {} ({})", agent::to_string(verdict.decision), subject,
                             verdict.rule.empty() ? verdict.reason : verdict.rule));
        }
      });

  ResumeLoopSpec loop;
  loop.targets = {spec.workdir, spec.artifacts, spec.output_schema};
  loop.prompt = spec.prompt;
  loop.resume_prompt = spec.resume_prompt;
  loop.turn_timeout = spec.turn_timeout;
  loop.max_no_progress = spec.max_no_progress;
  loop.max_turns = spec.max_turns;
  loop.max_tokens = spec.max_tokens;
  loop.fallback_model = spec.fallback_model;
  std::optional<UnfinishedConversation> unfinished;
  if (!options.fresh) unfinished = find_unfinished_conversation(runs_directory(spec.workdir), spec.name, ledger->run_id());
  if (unfinished) {
    loop.continue_conversation =
        ContinuedConversation{.id = unfinished->conversation_id, .earlier_turn_completed = unfinished->earlier_turn_completed};
    ledger->append("continue", {{"run_id", unfinished->run_id},
                                {"conversation_id", unfinished->conversation_id},
                                {"location", unfinished->location},
                                {"earlier_turn_completed", unfinished->earlier_turn_completed}});
    progress(fmt::format("run {} ended unfinished: continuing its conversation {} (--fresh starts a new one)", unfinished->run_id,
                         unfinished->conversation_id));
  }

  ResumeLoopHooks hooks;
  hooks.on_turn_start = [&](const TurnStart& start) {
    *current_turn = start.index;
    ledger->append("turn_started", {{"turn", start.index},
                                    {"kind", start.kind},
                                    {"model", start.model ? nlohmann::json(*start.model) : nlohmann::json()},
                                    {"prompt", start.prompt}});
  };
  hooks.on_event = [&](int turn, const agent::AgentTurnEvent& event) {
    ledger->append("item", {{"turn", turn}, {"kind", agent::to_string(event.kind)}, {"summary", event.summary}});
    if (auto line = event_line(turn, event)) progress(*line);
  };
  hooks.on_turn_end = [&](const TurnRecord& record) {
    nlohmann::json data = to_json(record);
    data["turn"] = record.index;
    ledger->append("turn_completed", data);
  };
  hooks.on_check = [&](int turn, const LoopCheck& check) {
    nlohmann::json data = to_json(check);
    data["turn"] = turn;
    ledger->append("artifact_check", data);
  };
  hooks.on_decision = [&](std::string_view what, const nlohmann::json& details) {
    nlohmann::json data = details;
    data["decision"] = what;
    ledger->append("loop", data);
  };
  std::optional<agent::ConversationStart> conversation;
  bool continued = false;  // the run began on the unfinished run's conversation
  hooks.on_conversation = [&](const agent::ConversationStart& start, int after_turn) {
    conversation = start;
    if (after_turn == 0) continued = start.resumed;
    ledger->append(conversation_event, conversation_record(start, after_turn));
    // Not a progress line: losing the earlier conversation matters even with --quiet.
    if (start.resume_failed && options.progress)
      options.progress(fmt::format("warning: could not continue the earlier conversation ({}); started a new one, {}",
                                   *start.resume_failed, start.id));
  };
  hooks.on_progress = progress;

  ResumeLoopOptions loop_options{
      .initial_backoff = options.initial_backoff, .max_backoff = options.max_backoff, .stop = options.stop};
  LoopResult outcome = co_await run_resume_loop(factory, make_agent_config(spec, options.backend, std::move(handler)),
                                                std::move(loop), std::move(hooks), std::move(loop_options));

  JobResult result;
  result.name = spec.name;
  result.status = outcome.status;
  result.turns = std::move(outcome.turns);
  result.checks = std::move(outcome.last_check);
  result.final_message = std::move(outcome.final_message);
  result.structured_output = std::move(outcome.structured_output);
  result.usage = outcome.usage;
  result.run_id = ledger->run_id();
  result.ledger = ledger->events_path();
  result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  result.error = std::move(outcome.error);
  result.reason = std::move(outcome.reason);
  if (conversation) {
    result.conversation_id = conversation->id;
    if (unfinished && continued) result.continued_from = unfinished->run_id;
  }

  const nlohmann::json json = to_json(result);
  ledger->append("result", json);
  if (auto written = ledger->write_result(json); !written) progress("warning: " + written.error().message);
  if (ledger->write_error()) progress("warning: " + ledger->write_error()->message);
  co_return result;
}

}  // namespace diary::generate
