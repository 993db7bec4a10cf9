// `diary batch run BATCH.toml`: parse and validate the whole batch (every problem, exit 2),
// select jobs (--only, --shard), then either show the plan (--dry-run) or run the jobs
// concurrently on one Codex session factory and print the table (or --json). Progress goes to
// stderr: a live view on a terminal, plain lines otherwise. Everything else lives in
// src/generate/batch.
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <stop_token>

#include <fmt/format.h>

#include "cmds/async_main.h"
#include "cmds/backend_flags.h"
#include "cmds/cli.h"
#include "cmds/exit_codes.h"
#include "generate/batch/batch_merge.h"
#include "generate/batch/batch_plan.h"
#include "generate/batch/batch_runner.h"
#include "generate/batch/batch_select.h"
#include "generate/batch/batch_spec_parser.h"
#include "generate/batch/shard_environment.h"
#include "generate/job/job_lock.h"
#include "generate/job/job_overrides.h"

namespace diary::cmds {

namespace asio = boost::asio;

namespace {

struct BatchFlags {
  BackendFlags backend;
  std::string batch;
  int concurrency = 0;
  std::vector<std::string> only;
  std::string shard;
  std::string runs_dir;
  bool json = false;
  bool fail_fast = false;
  bool dry_run = false;
  bool quiet = false;
  bool fresh = false;
};

struct LoadedBatch {
  generate::BatchSpec spec;
  generate::JobSelection selection;
  std::vector<std::size_t> selected;
  int concurrency = generate::default_batch_concurrency;
};

// Every problem of the batch file is printed (one `error:` line each) before exiting with 2.
LoadedBatch load_batch(const BatchFlags& flags) {
  auto parsed = generate::parse_batch_spec(flags.batch);
  if (!parsed) {
    const auto& problems = parsed.error();
    for (std::size_t i = 0; i + 1 < problems.size(); ++i) std::cerr << "error: " << problems[i] << "\n";
    fail_with(agent::ErrorKind::invalid_input,
              problems.back() + (problems.size() > 1 ? fmt::format(" ({} problems)", problems.size()) : ""));
  }
  LoadedBatch loaded;
  loaded.spec = std::move(*parsed);
  generate::JobOverrides overrides;
  overrides.config_overrides = flags.backend.config_overrides;  // -c after each job's codex_config: the flag wins
  for (auto& job : loaded.spec.jobs)
    if (auto applied = generate::apply_job_overrides(job.spec, overrides); !applied)
      fail_with(applied.error().kind, applied.error().message);

  loaded.selection.only = flags.only;
  if (!flags.shard.empty()) {
    auto shard = flags.shard == "auto" ? generate::shard_from_environment(generate::process_environment())
                                       : generate::parse_shard(flags.shard);
    if (!shard) fail_with(shard.error().kind, shard.error().message);
    loaded.selection.shard = *shard;
  }
  auto selected = generate::select_jobs(loaded.spec, loaded.selection);
  if (!selected) fail_with(selected.error().kind, selected.error().message);
  loaded.selected = std::move(*selected);
  loaded.concurrency = flags.concurrency > 0 ? flags.concurrency : loaded.spec.concurrency;
  return loaded;
}

// A live view only on a real terminal that understands cursor movement.
bool stderr_is_live_terminal() {
  if (::isatty(STDERR_FILENO) == 0) return false;
  const char* term = std::getenv("TERM");
  return term != nullptr && std::string_view(term) != "dumb";
}

std::size_t terminal_width() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 100;
}

asio::awaitable<int> run_batch_command(asio::any_io_executor executor, std::shared_ptr<StopSignal> stop, const BatchFlags& flags,
                                       const LoadedBatch& batch) {
  auto opened = generate::open_batch_ledger(batch.spec, generate::shard_run_id(generate::make_run_id(), batch.selection.shard),
                                            flags.runs_dir);
  if (!opened) fail_with(opened.error().kind, opened.error().message);
  std::shared_ptr<generate::RunLedger> ledger = *opened;
  auto health = std::make_shared<generate::BackendHealth>();

  std::shared_ptr<generate::BatchProgressView> view;
  if (!flags.quiet) {
    std::vector<std::string> names;
    for (auto index : batch.selected) names.push_back(batch.spec.jobs[index].spec.name);
    generate::BatchProgressView::Options view_options;
    view_options.live = stderr_is_live_terminal();
    view_options.width = view_options.live ? terminal_width() : 100;
    view_options.write = [](std::string_view text) { std::cerr << text << std::flush; };
    view = std::make_shared<generate::BatchProgressView>(std::move(names), std::move(view_options));
  }

  codex::CodexFactoryOptions factory_options = flags.backend.factory_options();
  warn_about_codex_home(factory_options.backend);
  factory_options.on_backend_started = [ledger, health, view](const codex::BackendInfo& info,
                                                              const agent::AgentBackendOptions& used) {
    health->started();
    nlohmann::json data = info.to_json();
    data["binary"] = used.binary;
    data["config_keys"] = generate::config_override_keys(used.config_overrides);  // never the values
    data["starts"] = health->starts();
    ledger->append("backend_started", data);
    if (view && health->starts() > 1)
      view->batch_line(fmt::format("started codex app-server pid {} (start #{})", info.pid, health->starts()));
  };
  auto factory = codex::make_codex_session_factory(executor, std::move(factory_options));

  std::stop_source stop_source;
  stop->on_stop = [&stop_source, factory] {
    stop_source.request_stop();
    factory->stop_starting();  // a codex still in its handshake goes at once
  };
  if (stop->requested) stop_source.request_stop();

  generate::BatchRunOptions options;
  options.concurrency = batch.concurrency;
  options.fail_fast = flags.fail_fast;
  options.fresh = flags.fresh;
  options.stop = stop_source.get_token();
  options.health = health;
  options.ledger = ledger;
  options.observer = view;
  options.backend_info = {{"backend", "codex app-server (shared by the batch)"},
                          {"codex_bin_flag", flags.backend.codex_bin},
                          {"tested_codex_version", DIARY_CODEX_PIN},
                          {"batch_run_id", ledger->run_id()}};
  options.shard = batch.selection.shard;
  options.only = flags.only;
  nlohmann::json shard_text;
  if (batch.selection.shard) shard_text = fmt::format("{}/{}", batch.selection.shard->index, batch.selection.shard->count);
  options.request = {{"only", flags.only},
                     {"shard", shard_text},
                     {"config_keys", generate::config_override_keys(flags.backend.config_overrides)}};

  auto result = co_await generate::run_batch(batch.spec, batch.selected, *factory, std::move(options));
  co_await factory->shutdown();
  stop->on_stop = nullptr;  // stop_source dies with this frame
  if (!result) fail_with(result.error().kind, result.error().message);

  if (flags.json) std::cout << generate::dump_json(generate::to_json(*result), 2) << "\n";
  else std::cout << generate::format_batch_table(*result);
  std::cout.flush();
  if (result->status != generate::BatchStatus::complete)
    std::cerr << "error: batch " << generate::to_string(result->status) << ": " << result->reason << "\n";
  co_return exit_code_for(result->status);
}

struct MergeFlags {
  std::vector<std::string> inputs;
  bool json = false;
};

void register_batch_merge(CLI::App& batch, CliContext& context) {
  auto flags = std::make_shared<MergeFlags>();
  auto* merge = batch.add_subcommand("merge", "Combine the results of a sharded batch (one run per shard) into one result");
  merge
      ->add_option("DIR", flags->inputs,
                   "a shard's run directory, its result.json, or a directory holding run directories (e.g. "
                   ".diary/batches or downloaded artifacts)")
      ->required();
  merge->add_flag("--json", flags->json, "print the merged result as one JSON object on stdout");
  merge->footer(
      "Every job appears once (batch-file order); for a shard run more than once the newest run counts. Shards that\n"
      "reported nothing are named, and a job reported by two shards is a conflict.\n"
      "Examples:\n"
      "  diary batch merge /shared/runs\n"
      "  diary batch merge artifacts/shard-*/ --json\n"
      "Exit codes: 0 every shard reported and every job is complete, 1 a shard is missing, a job conflicts or is not\n"
      "complete, 2 unreadable input or runs that are not shards of one split.");
  merge->callback([flags, &context] {
    std::vector<std::filesystem::path> inputs(flags->inputs.begin(), flags->inputs.end());
    auto runs = generate::read_shard_runs(inputs);
    if (!runs) fail_with(runs.error().kind, runs.error().message);
    auto merged = generate::merge_shard_runs(std::move(*runs));
    if (!merged) fail_with(merged.error().kind, merged.error().message);
    if (flags->json) std::cout << generate::merged_json_text(*merged) << "\n";
    else std::cout << generate::format_merge_table(*merged);
    std::cout.flush();
    if (!merged->complete) std::cerr << "error: merge incomplete: " << merged->reason << "\n";
    context.exit_code = merged->complete ? exit_ok : exit_failed;
  });
}

}  // namespace

void register_batch(CLI::App& app, CliContext& context) {
  auto* batch = app.add_subcommand("batch", "Many jobs at once: concurrent conversations on one shared codex app-server");
  batch->require_subcommand(1);
  auto flags = std::make_shared<BatchFlags>();
  auto* run = batch->add_subcommand("run", "Run a batch file (TOML): every job until its artifacts pass their checks");
  run->add_option("BATCH", flags->batch, "the batch file, e.g. batch.toml (see docs/batches.md)")->required();
  run->add_option("--concurrency", flags->concurrency,
                  "conversations running at once (default: the batch file's concurrency, else 4)")
      ->check(CLI::Range(1, generate::max_batch_concurrency));
  run->add_option("--only", flags->only, "run only the job with this name (repeatable; default: every job)");
  run->add_option("--shard", flags->shard,
                  "run only shard K of N (1-based, e.g. 2/4), or `auto`: K and N from the environment of a Kubernetes "
                  "Indexed Job, a Slurm job array or DIARY_SHARD_INDEX/DIARY_SHARD_COUNT (docs/batches.md); jobs are "
                  "split by a hash of their name, the same on every machine (default: 1/1, every job)");
  run->add_option("--runs-dir", flags->runs_dir,
                  "where the batch's run directory goes (default: <batch dir>/.diary/batches), e.g. shared storage "
                  "that `diary batch merge` reads");
  run->add_flag("--fail-fast", flags->fail_fast, "stop the batch when a job ends other than complete");
  run->add_flag("--json", flags->json, "print the result as one JSON object on stdout");
  run->add_flag("--dry-run", flags->dry_run, "list the selected jobs and their artifact checks; run nothing");
  run->add_flag("-q,--quiet", flags->quiet, "no progress on stderr");
  run->add_flag("--fresh", flags->fresh,
                "start new agent conversations even for jobs whose last run ended unfinished (default: continue them)");
  flags->backend.add_to(*run);
  run->footer(
      "Examples:\n"
      "  diary batch run examples/batch/batch.toml\n"
      "  diary batch run batch.toml --concurrency 16 --json -q\n"
      "  diary batch run batch.toml --shard auto --runs-dir /shared/runs   # one shard per machine\n"
      "  diary batch run batch.toml --only docs-api --only notes\n"
      "Exit codes: 0 every selected job complete, 1 some job not complete, 2 bad batch file or flags, 3 blocked, "
      "130 interrupted.");

  run->callback([flags, &context] {
    const LoadedBatch loaded = load_batch(*flags);
    if (flags->dry_run) {
      const nlohmann::json plan = generate::plan_batch(loaded.spec, loaded.selected, loaded.selection, loaded.concurrency);
      if (flags->json) std::cout << generate::dump_json(plan, 2) << "\n";
      else std::cout << generate::format_batch_plan(plan);
      context.exit_code = exit_ok;
      return;
    }
    flags->backend.factory_options();  // validates -c before anything starts
    // Every selected job is claimed up front: none runs if one already runs elsewhere.
    std::vector<util::RunLock> claims;
    for (auto index : loaded.selected) {
      auto claim = generate::claim_job(loaded.spec.jobs[index].spec);
      if (!claim) fail_with(claim.error().kind, claim.error().message);
      claims.push_back(std::move(*claim));
    }
    context.exit_code = run_async([&](asio::any_io_executor executor, std::shared_ptr<StopSignal> stop) {
      return run_batch_command(executor, stop, *flags, loaded);
    });
  });

  register_batch_merge(*batch, context);
}

}  // namespace diary::cmds
