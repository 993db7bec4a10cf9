// `diary job run SPEC.toml`: parse the job spec, apply flags, then either print the resolved
// job (--dry-run) or run it through the Codex session factory and print the result (summary or
// --json). The job's status maps to the exit code here; everything else lives in
// src/generate/job.
#include <iostream>
#include <stop_token>

#include <fmt/format.h>

#include "cmds/async_main.h"
#include "cmds/backend_flags.h"
#include "cmds/cli.h"
#include "cmds/exit_codes.h"
#include "util/duration.h"
#include "generate/job/dry_run.h"
#include "generate/job/job_lock.h"
#include "generate/job/job_overrides.h"
#include "generate/job/job_spec_parser.h"
#include "generate/job/run_job.h"
#include "generate/ledger/run_ledger.h"
#include "util/terminal_text.h"

namespace diary::cmds {

namespace asio = boost::asio;

namespace {

struct JobFlags {
  BackendFlags backend;
  std::string spec;
  std::string model;
  std::string turn_timeout;
  int max_no_progress = 0;
  int max_turns = 0;
  bool json = false;
  bool dry_run = false;
  bool quiet = false;
  bool fresh = false;
};

generate::JobSpec load_spec(const JobFlags& flags) {
  auto spec = generate::parse_job_spec(flags.spec);
  if (!spec) fail_with(spec.error().kind, spec.error().message);
  generate::JobOverrides overrides;
  if (!flags.model.empty()) overrides.model = flags.model;
  if (!flags.turn_timeout.empty()) {
    auto timeout = util::parse_duration(flags.turn_timeout);
    if (!timeout) fail_with(agent::ErrorKind::invalid_input, "--turn-timeout: " + timeout.error());
    overrides.turn_timeout = *timeout;
  }
  if (flags.max_no_progress != 0) overrides.max_no_progress = flags.max_no_progress;
  if (flags.max_turns != 0) overrides.max_turns = flags.max_turns;
  overrides.config_overrides = flags.backend.config_overrides;
  if (auto applied = generate::apply_job_overrides(*spec, overrides); !applied)
    fail_with(applied.error().kind, applied.error().message);
  return std::move(*spec);
}

asio::awaitable<int> run_job_command(asio::any_io_executor executor, std::shared_ptr<StopSignal> stop, const JobFlags& flags,
                                     const generate::JobSpec& spec) {
  auto opened = generate::RunLedger::open(spec.workdir, generate::make_run_id());
  if (!opened) fail_with(opened.error().kind, opened.error().message);
  std::shared_ptr<generate::RunLedger> ledger = *opened;

  codex::CodexFactoryOptions factory_options = flags.backend.factory_options();
  warn_about_codex_home(factory_options.backend);
  factory_options.on_backend_started = [ledger](const codex::BackendInfo& info, const agent::AgentBackendOptions& used) {
    nlohmann::json data = info.to_json();
    data["binary"] = used.binary;
    data["config_keys"] = generate::config_override_keys(used.config_overrides);  // never the values
    ledger->append("backend_started", data);
  };
  auto factory = codex::make_codex_session_factory(executor, std::move(factory_options));

  // A signal asks the loop to stop: the running turn is interrupted, the ledger gets its final
  // line, and only then is the backend shut down.
  std::stop_source stop_source;
  stop->on_stop = [&stop_source, factory] {
    stop_source.request_stop();
    factory->stop_starting();  // a codex still in its handshake goes at once
  };

  generate::JobRunOptions options;
  options.quiet = flags.quiet;
  options.fresh = flags.fresh;
  options.progress = [](const std::string& line) { std::cerr << "diary: " << util::terminal_line(line) << "\n"; };
  options.stop = stop_source.get_token();
  options.ledger = ledger;
  options.backend_info = {{"backend", "codex app-server"},
                          {"codex_bin_flag", flags.backend.codex_bin},
                          {"tested_codex_version", DIARY_CODEX_PIN},
                          {"config_keys", generate::config_override_keys(spec.config_overrides)}};
  if (stop->requested) stop_source.request_stop();

  auto result = co_await generate::run_job(spec, *factory, std::move(options));
  co_await factory->shutdown();
  stop->on_stop = nullptr;  // stop_source dies with this frame
  if (!result) fail_with(result.error().kind, result.error().message);

  if (flags.json) std::cout << generate::dump_json(generate::to_json(*result), 2) << "\n";
  else std::cout << generate::format_job_summary(*result);
  std::cout.flush();
  if (result->status != generate::RunStatus::complete) {
    std::string line = fmt::format("job {} {}: {}", result->name, generate::to_string(result->status), result->reason);
    if (result->error && result->status != generate::RunStatus::interrupted &&
        result->reason.find(result->error->message) == std::string::npos)
      line += " (last error: " + result->error->message + ")";
    std::cerr << "error: " << line << "\n";
  }
  co_return exit_code_for(result->status);
}

}  // namespace

void register_job(CLI::App& app, CliContext& context) {
  auto* job = app.add_subcommand("job", "Engineering automation jobs: one prompt, declared artifacts, resume until done");
  job->require_subcommand(1);
  auto flags = std::make_shared<JobFlags>();
  auto* run = job->add_subcommand("run", "Run a job spec (TOML) until its artifacts pass their checks");
  run->add_option("SPEC", flags->spec, "the job spec, e.g. job.toml (see docs/jobs.md)")->required();
  run->add_option("--model", flags->model, "model for the job (default: the spec's model, else codex's configured one)");
  run->add_option("--turn-timeout", flags->turn_timeout,
                  "timeout of each turn, e.g. 90s, 10m (default: the spec's turn_timeout, else 600s)");
  run->add_option("--max-no-progress", flags->max_no_progress,
                  "consecutive turns without artifact progress before giving up (default: the spec's max_no_progress, else 3)")
      ->check(CLI::Range(1, 1000));
  run->add_option("--max-turns", flags->max_turns,
                  "turns in all before giving up, whatever they achieve (overrides the spec; default 20)")
      ->check(CLI::Range(1, 1000));
  run->add_flag("--json", flags->json, "print the result as one JSON object on stdout");
  run->add_flag("--dry-run", flags->dry_run, "print the resolved job and the artifact checks; run nothing");
  run->add_flag("-q,--quiet", flags->quiet, "no progress lines on stderr");
  run->add_flag("--fresh", flags->fresh,
                "start a new agent conversation even if the job's last run ended unfinished (default: continue it)");
  flags->backend.add_to(*run);
  run->footer(
      "Examples:\n"
      "  diary job run examples/release-notes/job.toml\n"
      "  diary job run job.toml --dry-run\n"
      "  diary job run job.toml --json --model gpt-5 --turn-timeout 5m -q\n"
      "A job whose last run ended unfinished (Ctrl-C, kill, reboot, a crashed codex) continues that run's\n"
      "conversation: the agent keeps what it already knew. --fresh starts over.\n"
      "Exit codes: 0 complete, 1 incomplete/failed/budget exceeded, 2 bad spec or flags, 3 blocked, 130 interrupted.");

  run->callback([flags, &context] {
    const generate::JobSpec spec = load_spec(*flags);
    if (flags->dry_run) {
      const auto report = generate::dry_run_job(spec);
      if (flags->json) std::cout << generate::dump_json(generate::to_json(report), 2) << "\n";
      else std::cout << generate::format_dry_run(report);
      context.exit_code = exit_ok;
      return;
    }
    flags->backend.factory_options();        // validates -c before anything starts
    auto claim = generate::claim_job(spec);  // held until the run ends
    if (!claim) fail_with(claim.error().kind, claim.error().message);
    context.exit_code = run_async([&](asio::any_io_executor executor, std::shared_ptr<StopSignal> stop) {
      return run_job_command(executor, stop, *flags, spec);
    });
  });
}

}  // namespace diary::cmds
