#include "generate/phases/agent_pass.h"

#include <fmt/format.h>

#include "generate/phases/prompt_templates.h"
#include "util/sha256.h"

namespace diary::generate::phases {

namespace asio = boost::asio;

std::string describe_errors(const nlohmann::json& errors) {
  if (!errors.is_array() || errors.empty()) return "";
  std::string out = "The last tool call was rejected:\n";
  for (const auto& error : errors) {
    if (!error.is_object()) continue;
    auto text = [&](const char* key) {
      auto it = error.find(key);
      return it != error.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    out += fmt::format("- {}: {}", text("path").empty() ? "(call)" : text("path"), text("message"));
    if (!text("hint").empty()) out += fmt::format(" ({})", text("hint"));
    out += "\n";
  }
  return out;
}

agent::AgentConfig pass_config(const PipelineContext& context, const AgentPassSpec& spec) {
  const PassSettings& settings = context.settings.pass(spec.pass);
  agent::AgentConfig config;
  config.working_directory = context.workspace;
  config.model = settings.model;
  config.reasoning_effort = settings.reasoning_effort;
  config.approval_policy = "never";
  config.sandbox = "workspace-write";
  auto base = render_prompt(spec.instructions, {});
  config.base_instructions = base ? *base : std::string();
  auto norm = render_prompt("language-norm", {{"language", context.language}});
  if (norm) config.developer_instructions = *norm;
  config.backend = context.backend;
  config.enabled_tools = spec.tools;
  return config;
}

asio::awaitable<AgentPassResult> run_agent_pass(const PipelineContext& context, AgentPassSpec spec) {
  auto shared_errors = std::make_shared<nlohmann::json>(nlohmann::json::array());
  const std::string task_id = spec.task_id;
  const PassSettings& settings = context.settings.pass(spec.pass);

  ResumeLoopSpec loop;
  loop.targets.workdir = context.workspace;
  loop.targets.work = spec.missing;
  loop.prompt = spec.prompt;
  loop.turn_timeout = settings.turn_timeout;
  loop.max_no_progress = settings.max_no_progress;
  loop.max_turns = settings.max_turns;
  auto resume = spec.resume;
  loop.build_resume_prompt = [resume, shared_errors](const LoopCheck& check) {
    return resume(check.work_missing, *shared_errors);
  };

  // A task may run its pass several times (evidence: once per turn of the session): the first
  // prompt, rendered from the assignment, tells the instances apart across runs.
  const std::string pass = spec.pass + ":" + util::sha256_hex(spec.prompt).substr(0, 16);
  if (auto it = context.unfinished.find(task_pass_key(task_id, pass)); it != context.unfinished.end())
    loop.continue_conversation =
        ContinuedConversation{.id = it->second.conversation_id, .earlier_turn_completed = it->second.earlier_turn_completed};

  ResumeLoopHooks hooks;
  const PipelineContext* ctx = &context;
  hooks.on_conversation = [ctx, task_id, pass](const agent::ConversationStart& start, int after_turn) {
    nlohmann::json record = conversation_record(start, after_turn);
    record["task"] = task_id;
    record["pass"] = pass;
    ctx->log(conversation_event, record);
    if (start.resume_failed)
      ctx->report({.kind = ProgressEvent::Kind::note,
                   .task_id = task_id,
                   .detail = fmt::format("warning: {}: could not continue the earlier conversation ({}); started a new one",
                                         task_id, *start.resume_failed)});
  };
  hooks.on_turn_start = [ctx, task_id](const TurnStart& start) {
    ctx->log("turn_start",
             {{"task", task_id}, {"turn", start.index}, {"kind", start.kind}, {"prompt_bytes", start.prompt.size()}});
  };
  hooks.on_event = [ctx, task_id, shared_errors](int turn, const agent::AgentTurnEvent& event) {
    if (event.kind == agent::EventKind::tool_call) {
      // Only the verdict of our own write tools decides what the resume prompt quotes.
      if (event.metadata.contains("result_status")) {
        if (event.metadata["result_status"] == "invalid" && event.metadata.contains("result_errors"))
          *shared_errors = event.metadata["result_errors"];
        else if (event.metadata["result_status"] != "invalid") *shared_errors = nlohmann::json::array();
      }
    }
    ctx->log("item", {{"task", task_id}, {"turn", turn}, {"item", agent::to_json(event)}});
  };
  hooks.on_turn_end = [ctx, task_id](const TurnRecord& record) {
    nlohmann::json data = to_json(record);
    data["task"] = task_id;
    ctx->log("turn_end", data);
  };
  hooks.on_check = [ctx, task_id](int turn, const LoopCheck& check) {
    ctx->log("check", {{"task", task_id}, {"turn", turn}, {"missing", check.work_missing}, {"complete", check.complete()}});
  };
  hooks.on_decision = [ctx, task_id](std::string_view what, const nlohmann::json& details) {
    ctx->log("decision", {{"task", task_id}, {"what", what}, {"details", details}});
  };

  ResumeLoopOptions options{.initial_backoff = context.initial_backoff, .max_backoff = context.max_backoff, .stop = context.stop};
  agent::AgentConfig config = pass_config(context, spec);
  AgentPassResult result;
  result.loop = co_await run_resume_loop(*context.factory, std::move(config), std::move(loop), std::move(hooks), options);
  result.last_errors = *shared_errors;
  if (!result.loop.backend_model.empty() && context.observed_model && context.observed_model->empty())
    *context.observed_model = result.loop.backend_model;
  co_return result;
}

}  // namespace diary::generate::phases
