// `diary exec`: one runner, one turn, the final answer on stdout (or the whole result as JSON).
#include <iostream>
#include <iterator>

#include <boost/asio/co_spawn.hpp>
#include <fmt/format.h>

#include "cmds/async_main.h"
#include "cmds/backend_flags.h"
#include "cmds/cli.h"
#include "cmds/exit_codes.h"
#include "generate/check/json_schema.h"
#include "util/duration.h"
#include "util/log_exception.h"

namespace diary::cmds {

namespace asio = boost::asio;

namespace {

struct ExecFlags {
  BackendFlags backend;
  std::string cwd;
  std::string model;
  std::string effort;
  std::string sandbox = "workspace-write";  // diary exists to produce files, like jobs and batches
  std::string approval = "never";
  std::string output_schema;
  std::string timeout = "600s";
  bool json = false;
  std::string prompt;
};

std::string read_prompt(const std::string& argument) {
  if (argument != "-") return argument;
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

std::string status_of(const agent::Result<agent::AgentTurnResult>& result, bool stopped,
                      const std::vector<generate::SchemaViolation>& violations) {
  if (!result) {
    // A stop during the backend start kills the starting codex: whatever error that gave, the
    // command was interrupted.
    if (stopped) return "interrupted";
    if (result.error().kind == agent::ErrorKind::timeout) return "timeout";
    if (result.error().kind == agent::ErrorKind::blocked) return "blocked";
    return "failed";
  }
  if (result->status == agent::TurnStatus::timed_out) return "timeout";
  if (result->status == agent::TurnStatus::interrupted) return "interrupted";
  if (result->error && result->error->kind == agent::ErrorKind::invalid_output) return "invalid_output";
  if (!result->ok()) return "failed";
  return violations.empty() ? "completed" : "invalid_output";
}

// Why a completed turn's final answer does not satisfy --output-schema (empty: it does, or no
// schema). The runner only parses the answer; whether it matches is diary's check.
std::vector<generate::SchemaViolation> answer_violations(const agent::Result<agent::AgentTurnResult>& result,
                                                         const generate::JsonSchema* schema) {
  if (!schema || !result || result->status != agent::TurnStatus::completed) return {};
  if (result->structured_output) return schema->validate(*result->structured_output);
  return generate::validate_json_text(*schema, result->assistant_text);
}

std::string violations_message(const std::vector<generate::SchemaViolation>& violations) {
  std::string message = "the final answer does not match --output-schema:";
  for (const auto& violation : violations) message += " " + generate::to_string(violation) + ";";
  message.pop_back();
  return message;
}

asio::awaitable<int> run_exec(asio::any_io_executor executor, std::shared_ptr<StopSignal> stop, ExecFlags flags,
                              agent::AgentConfig config, agent::TurnOptions options,
                              std::shared_ptr<const generate::JsonSchema> schema) {
  auto factory = codex::make_codex_session_factory(executor, flags.backend.factory_options());
  stop->on_stop = [executor, factory] {
    asio::co_spawn(executor, factory->shutdown(), util::log_exception("the shutdown after a signal"));
  };
  warn_about_codex_home(flags.backend.factory_options().backend);
  const auto started_at = std::chrono::steady_clock::now();

  agent::Result<agent::AgentTurnResult> result = agent::fail(agent::ErrorKind::cancelled, "interrupted before start");
  std::string thread_id;
  if (!stop->requested) {
    auto runner = co_await factory->create_runner(config);
    if (!runner) {
      result = std::unexpected(runner.error());
    } else if (stop->requested) {  // the stop came while codex started: no turn
      thread_id = (*runner)->conversation_id();
    } else {
      result = co_await (*runner)->turn(flags.prompt, options);
      thread_id = (*runner)->conversation_id();
    }
  }
  co_await factory->shutdown();

  const auto violations = answer_violations(result, schema.get());
  const std::string status = status_of(result, stop->requested, violations);
  const int code = exit_code_for_exec(status, result ? nullptr : &result.error());
  std::string error_message;
  if (!result) error_message = result.error().message;
  else if (result->error) error_message = result->error->message;
  else if (status == "interrupted") error_message = "the turn was interrupted";
  else if (!violations.empty()) error_message = violations_message(violations);

  if (flags.json) {
    nlohmann::json out = result ? agent::to_json(*result) : nlohmann::json::object();
    out["status"] = status;
    out["thread_id"] = thread_id;
    out["duration_ms"] =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_at).count();
    out["error"] = error_message.empty() ? nlohmann::json(nullptr) : nlohmann::json(error_message);
    if (schema) {
      out["violations"] = nlohmann::json::array();
      for (const auto& violation : violations)
        out["violations"].push_back({{"path", violation.path}, {"pointer", violation.pointer}, {"message", violation.message}});
    }
    std::cout << out.dump(2) << "\n";
  } else if (result && !result->assistant_text.empty()) {
    std::cout << result->assistant_text << (result->assistant_text.ends_with('\n') ? "" : "\n");
  }
  if (!error_message.empty()) std::cerr << "error: " << error_message << "\n";
  std::cout.flush();
  co_return code;
}

}  // namespace

void register_exec(CLI::App& app, CliContext& context) {
  auto flags = std::make_shared<ExecFlags>();
  auto* cmd = app.add_subcommand("exec", "Run one prompt as one turn of a new Codex conversation and print the answer");
  cmd->add_option("--cwd", flags->cwd, "working directory of the conversation (default: current directory)")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--model", flags->model, "model name (default: codex's configured model)");
  cmd->add_option("--effort", flags->effort, "reasoning effort (default: codex's configured effort)")
      ->check(CLI::IsMember({"none", "minimal", "low", "medium", "high", "xhigh"}));
  cmd->add_option("--sandbox", flags->sandbox, "sandbox mode")
      ->check(CLI::IsMember({"read-only", "workspace-write", "danger-full-access"}))
      ->capture_default_str();
  cmd->add_option("--approval", flags->approval, "approval policy (requests are declined: diary exec has no policy)")
      ->check(CLI::IsMember({"never", "on-request", "untrusted"}))
      ->capture_default_str();
  cmd->add_option("--output-schema", flags->output_schema,
                  "JSON Schema (draft-07) file: the final answer must be JSON matching it, else exit 1 with the "
                  "violations (default: none)");
  cmd->add_option("--timeout", flags->timeout, "turn timeout, e.g. 90s, 10m, 1h")->capture_default_str();
  cmd->add_flag("--json", flags->json, "print the whole result as one JSON object");
  flags->backend.add_to(*cmd);
  cmd->add_option("PROMPT", flags->prompt, "the prompt ('-' reads it from stdin)")->required();
  cmd->footer(
      "Examples:\n"
      "  diary exec 'Summarise README.md in one line'\n"
      "  diary exec --json --timeout 5m --cwd repo 'Run the tests and report failures'\n"
      "  diary exec -c model_provider='\"azure\"' --model gpt-5 'hello'");

  cmd->callback([flags, &context] {
    auto timeout = util::parse_duration(flags->timeout);
    if (!timeout) fail_with(agent::ErrorKind::invalid_input, "--timeout: " + timeout.error());
    agent::AgentConfig config;
    if (!flags->cwd.empty()) config.working_directory = std::filesystem::absolute(flags->cwd);
    auto optional = [](const std::string& value) { return value.empty() ? std::nullopt : std::optional(value); };
    config.model = optional(flags->model);
    config.reasoning_effort = optional(flags->effort);
    config.sandbox = flags->sandbox;
    config.approval_policy = flags->approval;
    agent::TurnOptions options;
    options.timeout = *timeout;
    std::shared_ptr<const generate::JsonSchema> schema;
    if (!flags->output_schema.empty()) {
      auto loaded = generate::JsonSchema::load(flags->output_schema);
      if (!loaded) fail_with(loaded.error().kind, "--output-schema: " + loaded.error().message);
      schema = std::make_shared<const generate::JsonSchema>(std::move(*loaded));
      options.output_schema = schema->document();
    }
    flags->prompt = read_prompt(flags->prompt);
    if (flags->prompt.find_first_not_of(" \t\r\n") == std::string::npos)
      fail_with(agent::ErrorKind::invalid_input, "the prompt is empty");
    flags->backend.factory_options();  // validates -c before anything starts
    context.exit_code = run_async([&](asio::any_io_executor executor, std::shared_ptr<StopSignal> stop) {
      return run_exec(executor, stop, *flags, config, options, schema);
    });
  });
}

}  // namespace diary::cmds
