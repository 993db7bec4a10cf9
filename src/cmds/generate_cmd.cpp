// `diary generate` and its single-task forms (`evidence`, `project`, `daily`, `render`): parse
// the flags, resolve the day like `prepare`, prepare the workspace when missing (full runs
// only), wire the codex session factory with `diary mcp serve` registered (or nothing at all with
// --offline), run generate::phases::run_pipeline with progress on stderr, and print the report
// paths and a closing line with time and tokens per phase. Exit code from the outcomes.
#include <unistd.h>

#include <iostream>
#include <memory>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "cmds/async_main.h"
#include "cmds/backend_flags.h"
#include "cmds/cli.h"
#include "cmds/exit_codes.h"
#include "codex/codex_args.h"
#include "codex/codex_auth.h"
#include "generate/phases/pipeline.h"
#include "generate/phases/progress_view.h"
#include "generate/prepare/day_selection.h"
#include "generate/prepare/prepare.h"
#include "generate/prepare/source_discovery.h"
#include "generate/prepare/workspace_layout.h"
#include "generate/job/job_spec.h"
#include "generate/ledger/run_ledger.h"
#include "generate/ledger/unfinished_run.h"
#include "generate/workspace/day_workspace.h"
#include "util/log_exception.h"
#include "util/duration.h"

namespace diary::cmds {

namespace asio = boost::asio;
namespace phases = generate::phases;
namespace fs = std::filesystem;

namespace {

struct GenerateFlags {
  BackendFlags backend;
  std::string date;
  bool today = false;
  std::string timezone;
  std::string reports_root;
  bool offline = false;
  bool fresh = false;
  std::string concurrency;
  std::string settings;
  std::string language;
  bool quiet = false;
  bool json = false;
  std::string project_key;
  std::string session_ref;
  CLI::Option* date_option = nullptr;
  CLI::Option* timezone_option = nullptr;
  CLI::Option* root_option = nullptr;
};

std::optional<std::string> given(const CLI::Option* option, const std::string& value) {
  if (!option || option->count() == 0) return std::nullopt;
  return value;
}

void add_common_flags(CLI::App& cmd, GenerateFlags& flags, bool backend) {
  flags.date_option = cmd.add_option("--date", flags.date, "report date YYYY-MM-DD (default: yesterday)");
  auto* today = cmd.add_flag("--today", flags.today, "today so far (a partial report)");
  flags.date_option->excludes(today);
  flags.timezone_option = cmd.add_option("--timezone", flags.timezone,
                                         "IANA time zone, e.g. Europe/Berlin (default: DIARY_TIMEZONE, TZ, the system zone)");
  flags.root_option = cmd.add_option("--reports-root", flags.reports_root,
                                     "where workspaces live (default: DIARY_HOME, the config file, ~/.local/share/diary)");
  cmd.add_flag("-q,--quiet", flags.quiet, "no progress on stderr");
  cmd.add_flag("--json", flags.json, "print the result as one JSON object on stdout");
  if (!backend) return;
  cmd.add_flag("--offline", flags.offline, "no model and no codex: a deterministic extractor fills the report (confidence low)");
  cmd.add_option("--concurrency", flags.concurrency, "limits per kind, e.g. evidence=4,project=2,daily=2 (the defaults)");
  cmd.add_option(
      "--settings", flags.settings,
      "per-pass model, reasoning_effort, turn_timeout, max_no_progress, max_turns (TOML; see docs/generate.md; default: none, the built-in settings)");
  cmd.add_option("--language", flags.language, "content language of generated text (default: DIARY_CONTENT_LANGUAGE, then en)");
  cmd.add_flag("--fresh", flags.fresh,
               "start new agent conversations even for tasks an earlier run left unfinished (default: continue them)");
  flags.backend.add_to(cmd);
}

fs::path running_diary() {
  std::error_code error;
  fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (error) fail_with(agent::ErrorKind::blocked, "cannot find the running diary executable (/proc/self/exe)");
  return self;
}

std::string language_of(const GenerateFlags& flags) {
  if (!flags.language.empty()) return flags.language;
  if (const char* env = std::getenv("DIARY_CONTENT_LANGUAGE"); env && *env) return env;
  return "en";
}

struct Workspace {
  fs::path path;
  std::string note;  // "Reusing existing workspace ..." / "Prepared ..."
};

Workspace locate_workspace(const GenerateFlags& flags, bool prepare_if_missing) {
  namespace prep = generate::prepare;
  auto day = prep::resolve_day({given(flags.date_option, flags.date), flags.today, given(flags.timezone_option, flags.timezone),
                                given(flags.root_option, flags.reports_root)});
  if (!day) throw CommandFailure(day.error());
  const auto paths = prep::workspace_paths(day->reports_root, day->target.date_string());
  std::error_code error;
  const bool exists = fs::exists(paths.workspace / prep::metadata_file_name, error);
  if (!prepare_if_missing) {
    if (!exists)
      fail_with(agent::ErrorKind::invalid_input,
                "no prepared workspace at " + paths.workspace.string() + " (run `diary prepare` or `diary generate` first)");
    return {paths.workspace, ""};
  }
  prep::PrepareRequest request;
  request.target = day->target;
  request.reports_root = day->reports_root;
  request.sources = prep::source_roots(prep::source_environment_from_process());
  request.scan.excluded_originators = {codex::client_name};
  auto outcome = prep::prepare_workspace(request);
  if (!outcome) throw CommandFailure(outcome.error());
  std::string note =
      outcome->created
          ? prep::summary_line(*outcome)
          : fmt::format("Reusing existing workspace {}; run `diary prepare --force` to refresh it after session updates.",
                        outcome->workspace.string());
  return {outcome->workspace, note};
}

std::map<std::string, int> phase_totals(const generate::workspace::DayWorkspace& day, const phases::TaskSelection& selection) {
  std::map<std::string, int> totals;
  for (const auto& id : phases::planned_task_ids(day)) {
    if (selection && id != *selection) continue;
    totals[id.substr(0, id.find(':'))] += 1;
  }
  return totals;
}

std::string tokens_text(const agent::TokenUsage& usage) {
  const auto tokens =
      usage.input_tokens + usage.output_tokens > 0 ? usage.input_tokens + usage.output_tokens : usage.total_tokens;
  return fmt::format("{} tokens", tokens);
}

// "Spent 12.3s: evidence 8.1s (4,200 tokens); project 2.0s (900 tokens); daily ...; render 0.1s."
std::string closing_line(const phases::PipelineResult& result) {
  std::string line = "Spent " + util::format_duration(result.elapsed);
  std::string parts;
  for (const char* phase : {"evidence", "project", "daily", "render"}) {
    auto found = result.phases.find(phase);
    if (found == result.phases.end()) continue;
    parts += parts.empty() ? ": " : "; ";
    parts += fmt::format("{} {}", phase, util::format_duration(found->second.busy));
    if (std::string(phase) != "render") parts += " (" + tokens_text(found->second.usage) + ")";
  }
  return line + parts + ".";
}

// Codex must start and, unless the configured provider needs no OpenAI login, be logged in:
// otherwise the run is blocked before any task (exit 3) with the two ways out.
asio::awaitable<void> preflight(codex::CodexAgentSessionFactory& factory, const agent::AgentBackendOptions& backend) {
  const std::string ways_out = std::string(codex::login_hint) + ", or use `diary generate --offline`";
  auto started = co_await factory.backend_for(backend);
  if (!started) fail_with(agent::ErrorKind::blocked, "codex cannot be used: " + started.error().message + "; " + ways_out);
  const auto timeout = std::chrono::milliseconds(30'000);
  auto auth = co_await codex::check_auth(**started, timeout);
  if (!auth)
    fail_with(agent::ErrorKind::blocked, "codex did not say whether it is logged in (" + auth.error().message + "); " + ways_out);
  if (!auth->usable()) fail_with(agent::ErrorKind::blocked, "codex is not logged in; " + ways_out);
}

asio::awaitable<int> run_generate(asio::any_io_executor executor, std::shared_ptr<StopSignal> stop, const GenerateFlags& flags,
                                  Workspace workspace, phases::TaskSelection selection) {
  auto day = generate::workspace::DayWorkspace::load(workspace.path);
  if (!day) throw CommandFailure(day.error());
  if (!flags.quiet && !workspace.note.empty()) std::cerr << workspace.note << "\n";

  phases::PipelineContext context;
  context.workspace = day->root();
  context.language = language_of(flags);
  if (!flags.settings.empty()) {
    auto settings = phases::load_generate_settings(flags.settings);
    if (!settings) throw CommandFailure(settings.error());
    context.settings = *settings;
  }
  if (!flags.concurrency.empty()) {
    auto limits = phases::parse_concurrency(flags.concurrency);
    if (!limits) throw CommandFailure(limits.error());
    context.limits = *limits;
  }
  auto ledger = generate::RunLedger::open(context.workspace, generate::make_run_id());
  if (!ledger) throw CommandFailure(ledger.error());
  context.ledger = *ledger;
  if (!flags.fresh && !flags.offline)
    context.unfinished =
        generate::find_unfinished_task_conversations(generate::runs_directory(context.workspace), context.ledger->run_id());
  context.ledger->append("run_start", {{"workspace", context.workspace.string()},
                                       {"selection", selection ? nlohmann::json(*selection) : nlohmann::json()},
                                       {"offline", flags.offline},
                                       {"language", context.language},
                                       {"config_keys", generate::config_override_keys(flags.backend.config_overrides)}});

  std::shared_ptr<codex::CodexAgentSessionFactory> factory;
  if (!flags.offline) {
    codex::CodexFactoryOptions options = flags.backend.factory_options();
    auto ledger_ptr = context.ledger;
    options.on_backend_started = [ledger_ptr](const codex::BackendInfo& info, const agent::AgentBackendOptions& used) {
      nlohmann::json data = info.to_json();
      data["binary"] = used.binary;
      data["config_keys"] = generate::config_override_keys(used.config_overrides);
      ledger_ptr->append("backend_started", data);
    };
    context.backend = options.backend;
    // For the report's generated_by: what the user's -c says (codex's own default otherwise).
    for (const auto& value : flags.backend.config_overrides) {
      auto unquoted = [](std::string text) {
        if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
        return text;
      };
      if (value.rfind("model=", 0) == 0) context.model = unquoted(value.substr(6));
      if (value.rfind("model_provider=", 0) == 0) context.provider = unquoted(value.substr(15));
    }
    if (context.provider.empty()) context.provider = "codex (configured default)";
    context.backend.tool_server = agent::ToolServer{.name = "diary",
                                                    .command = running_diary().string(),
                                                    .args = {"mcp", "serve"},
                                                    .env = {{"DIARY_WORKSPACE", context.workspace.string()}}};
    context.backend.clean_start = true;
    factory = codex::make_codex_session_factory(executor, std::move(options));
    context.factory = factory.get();
  }

  std::stop_source stop_source;
  stop->on_stop = [&stop_source] { stop_source.request_stop(); };
  if (stop->requested) stop_source.request_stop();
  context.stop = stop_source.get_token();

  const bool tty = ::isatty(STDERR_FILENO) == 1;
  phases::GenerateProgressView view(
      phase_totals(*day, selection),
      {.mode = flags.quiet ? phases::GenerateProgressView::Mode::quiet
                           : (tty ? phases::GenerateProgressView::Mode::live : phases::GenerateProgressView::Mode::log),
       .write = [](std::string_view text) {
         std::cerr << text;
         std::cerr.flush();
       }});
  context.progress = [&view](const phases::ProgressEvent& event) { view.on_event(event); };
  bool running = true;
  asio::steady_timer ticker(executor);
  if (tty && !flags.quiet) {
    asio::co_spawn(
        executor,
        [&]() -> asio::awaitable<void> {
          while (running) {
            ticker.expires_after(std::chrono::seconds(1));
            boost::system::error_code ignored;
            co_await ticker.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
            if (running) view.tick();
          }
        },
        util::log_exception("the progress ticker"));
  }

  agent::Result<phases::PipelineResult> result = agent::fail(agent::ErrorKind::blocked, "not run");
  std::exception_ptr failure;  // rethrown after the backend is down (no co_await in a handler)
  try {
    if (factory) co_await preflight(*factory, context.backend);
    result = co_await phases::run_pipeline(context, selection);
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    running = false;
    ticker.cancel();
    if (factory) co_await factory->shutdown();
    stop->on_stop = nullptr;
    context.ledger->append("run_end", {{"error", "blocked or failed before the tasks ran"}});
    std::rethrow_exception(failure);
  }
  running = false;
  ticker.cancel();
  view.finish();
  if (factory) co_await factory->shutdown();
  stop->on_stop = nullptr;
  if (!result) throw CommandFailure(result.error());

  const int code = exit_code_for(*result);
  nlohmann::json summary = phases::to_json(*result);
  summary["workspace"] = context.workspace.string();
  summary["run_ledger"] = context.ledger->directory().string();
  summary["exit_code"] = code;
  const bool rendered = fs::exists(day->report_markdown()) && result->outcomes.contains("render");
  if (rendered) summary["report"] = {{"markdown", day->report_markdown().string()}, {"html", day->report_html().string()}};
  context.ledger->append("run_end", summary);
  (void)context.ledger->write_result(summary);

  if (flags.json) {
    std::cout << generate::dump_json(summary, 2) << "\n";
  } else {
    if (rendered) {
      std::cout << "Wrote " << day->report_markdown().string() << "\n";
      std::cout << "Wrote " << day->report_html().string() << "\n";
    } else if (result->outcomes.contains("daily") && fs::exists(day->daily_report())) {
      std::cout << "Wrote " << day->daily_report().string() << "\n";
    }
    std::cout << closing_line(*result) << "\n";
  }
  std::cout.flush();
  if (code != exit_ok) {
    const auto lines = result->error_lines();
    std::cerr << "error: "
              << (code == exit_interrupted
                      ? "generate was interrupted; run it again to continue"
                      : fmt::format("{} problem(s) in {} task(s); the report lists what was made without a model", lines.size(),
                                    std::count_if(result->outcomes.begin(), result->outcomes.end(),
                                                  [](const auto& o) { return o.second.status != phases::TaskStatus::ok; })))
              << "\n";
    for (const auto& line : lines) std::cerr << "  - " << line << "\n";
  }
  co_return code;
}

void run_selected(CliContext& context, const GenerateFlags& flags, phases::TaskSelection selection) {
  if (!flags.offline) flags.backend.factory_options();  // validates -c before anything starts
  if (!flags.settings.empty()) {
    auto settings = phases::load_generate_settings(flags.settings);
    if (!settings) throw CommandFailure(settings.error());
  }
  if (!flags.concurrency.empty()) {
    auto limits = phases::parse_concurrency(flags.concurrency);
    if (!limits) throw CommandFailure(limits.error());
  }
  Workspace workspace = locate_workspace(flags, !selection.has_value());
  context.exit_code = run_async([&](asio::any_io_executor executor, std::shared_ptr<StopSignal> stop) {
    return run_generate(executor, stop, flags, workspace, selection);
  });
}

}  // namespace

void register_generate(CLI::App& app, CliContext& context) {
  auto* generate =
      app.add_subcommand("generate", "Generate the evidenced daily report of a day (prepares the workspace when missing)");
  generate->require_subcommand(0, 1);
  auto flags = std::make_shared<GenerateFlags>();
  add_common_flags(*generate, *flags, true);
  generate->footer(
      "Tasks run as a DAG: evidence (one per session) -> project (per project) -> daily -> render.\n"
      "Examples:\n"
      "  diary generate                      # yesterday, with the logged-in codex\n"
      "  diary generate --today --offline    # no model: a deterministic report of today so far\n"
      "  diary generate --date 2026-11-30 --concurrency evidence=8 --settings settings.toml\n"
      "  diary generate render               # re-render report.md / report.html only\n"
      "Exit codes: 0 all verified, 1 work failed (the report is still rendered, offline parts listed),\n"
      "2 bad input, 3 blocked (codex missing or not logged in), 130 interrupted.");

  auto add_task = [&](const char* name, const char* description, bool needs_pk, bool needs_session) {
    auto task_flags = std::make_shared<GenerateFlags>();
    auto* cmd = generate->add_subcommand(name, description);
    add_common_flags(*cmd, *task_flags, std::string(name) != "render");
    if (needs_pk) cmd->add_option("--project-key", task_flags->project_key, "the project key (see `diary inspect`)")->required();
    if (needs_session) cmd->add_option("--session-ref", task_flags->session_ref, "the session ref, e.g. S0001")->required();
    const std::string kind = name;
    cmd->callback([task_flags, kind, &context] {
      std::string id = kind;
      if (kind == "evidence") id = fmt::format("evidence:{}:{}", task_flags->project_key, task_flags->session_ref);
      if (kind == "project") id = "project:" + task_flags->project_key;
      if (kind == "render") task_flags->offline = true;  // rendering never needs codex
      run_selected(context, *task_flags, id);
    });
  };
  add_task("evidence", "Extract the evidence card of one session", true, true);
  add_task("project", "Synthesize the work items of one project", true, false);
  add_task("daily", "Build and fill daily-report.json", false, false);
  add_task("render", "Render report.md and report.html from daily-report.json (no agent)", false, false);

  generate->callback([generate, flags, &context] {
    if (!generate->get_subcommands().empty()) return;  // a single task ran
    run_selected(context, *flags, std::nullopt);
  });
}

}  // namespace diary::cmds
