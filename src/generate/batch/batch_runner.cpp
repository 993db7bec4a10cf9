#include "generate/batch/batch_runner.h"

#include <algorithm>
#include <exception>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "generate/batch/tracked_session.h"
#include "generate/job/run_job.h"
#include "util/log_exception.h"
#include "util/duration.h"

namespace diary::generate {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

// One batch run. Shared by its worker coroutines (each holds a reference), so it outlives them
// whatever order they end in.
class BatchScheduler : public std::enable_shared_from_this<BatchScheduler> {
 public:
  BatchScheduler(asio::any_io_executor executor, const BatchSpec& spec, std::vector<std::size_t> selected,
                 agent::AgentSessionFactory& factory, BatchRunOptions options)
      : executor_(executor),
        spec_(spec),
        selected_(std::move(selected)),
        factory_(factory),
        options_(std::move(options)),
        results_(selected_.size()),
        wake_(executor, Clock::time_point::max()),
        tick_timer_(executor) {
    if (!options_.health) options_.health = std::make_shared<BackendHealth>();
  }

  asio::awaitable<BatchResult> run() {
    auto self = shared_from_this();
    const auto started = Clock::now();
    record_request();
    // A signal (requested on this executor's thread) stops the batch like any other stop.
    std::stop_callback on_signal(options_.stop, [this] { stop(BatchStatus::interrupted, "interrupted by a signal"); });

    const std::size_t workers =
        std::min<std::size_t>(static_cast<std::size_t>(std::max(options_.concurrency, 1)), selected_.size());
    for (std::size_t i = 0; i < workers; ++i) {
      ++active_;
      asio::co_spawn(executor_, worker(), [self](std::exception_ptr error) {
        if (error && !self->failure_) self->failure_ = error;
        --self->active_;
        self->wake();
      });
    }
    if (options_.observer && options_.observer->tick_interval().count() > 0)
      asio::co_spawn(executor_, ticker(), util::log_exception("the batch progress ticker"));

    while (active_ > 0) {
      if (stopping() && !shut_down_ && Clock::now() >= stop_deadline_) {
        // The grace is over: take the backends down under the turns that did not end.
        shut_down_ = true;
        note(
            fmt::format("jobs still running {} after the stop; shutting codex down", util::format_duration(options_.stop_grace)));
        co_await factory_.shutdown();
        continue;
      }
      wake_.expires_at(stopping() && !shut_down_ ? stop_deadline_ : Clock::time_point::max());
      boost::system::error_code ignored;
      co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
    done_ = true;
    tick_timer_.cancel();
    // A worker that threw outside its job (run_one catches what a job throws) still leaves a
    // batch result behind; the ledger names what went wrong.
    if (failure_) {
      std::string what = "unknown exception";
      try {
        std::rethrow_exception(failure_);
      } catch (const std::exception& e) {
        what = e.what();
      } catch (...) {}
      options_.ledger->append("worker_failed", {{"message", what}});
      note("a batch worker failed: " + what);
    }

    BatchResult result = finish(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started));
    if (options_.observer) options_.observer->finish();
    co_return result;
  }

 private:
  bool stopping() const { return stop_status_.has_value(); }
  bool stop_pending() const { return stopping() || pending_stop_.has_value(); }
  void wake() { wake_.cancel(); }

  void note(const std::string& line) {
    if (options_.observer) options_.observer->batch_line(line);
  }

  void record_request() {
    nlohmann::json jobs = nlohmann::json::array();
    for (auto index : selected_) jobs.push_back(spec_.jobs[index].spec.name);
    nlohmann::json data = options_.request;
    data["run_id"] = options_.ledger->run_id();
    data["batch"] = spec_.batch_path.string();
    data["concurrency"] = options_.concurrency;
    data["fail_fast"] = options_.fail_fast;
    data["jobs"] = std::move(jobs);
    data["total_jobs"] = spec_.jobs.size();
    options_.ledger->append("batch_request", data);
  }

  // The first reason to stop wins; later ones only add to the ledger.
  void stop(BatchStatus status, const std::string& reason) {
    options_.ledger->append("stop", {{"status", to_string(status)}, {"reason", reason}, {"first", !stopping()}});
    if (stopping()) return;
    stop_status_ = status;
    stop_reason_ = reason;
    stop_deadline_ = Clock::now() + options_.stop_grace;
    note("stopping: " + reason);
    stop_source_.request_stop();  // running jobs interrupt their turns
    wake();
  }

  // For a stop found out by a job's own turn (its app-server died again): that job first ends
  // as what it is (failed), then the batch stops. The post is a safety net; the job's end
  // applies it first.
  void stop_after_this_job(BatchStatus status, const std::string& reason) {
    if (stop_pending()) return;
    pending_stop_ = std::make_pair(status, reason);
    asio::post(executor_, [self = shared_from_this()] { self->apply_pending_stop(); });
  }

  void apply_pending_stop() {
    if (!pending_stop_) return;
    auto [status, reason] = std::move(*pending_stop_);
    pending_stop_.reset();
    stop(status, reason);
  }

  asio::awaitable<void> worker() {
    auto self = shared_from_this();
    while (!stop_pending() && next_ < selected_.size()) {
      const std::size_t pos = next_++;
      co_await run_one(pos);
    }
  }

  asio::awaitable<void> ticker() {
    auto self = shared_from_this();
    const auto interval = options_.observer->tick_interval();
    while (!done_) {
      tick_timer_.expires_after(interval);
      boost::system::error_code ignored;
      co_await tick_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      if (!done_) options_.observer->tick();
    }
  }

  // True: the job resumes its conversation on a new app-server (its resume loop starts it).
  bool backend_lost(std::size_t pos, const agent::Error& error, std::size_t started_on) {
    if (stop_pending()) return false;  // stopping: the backends go down on purpose (or already gave up)
    const auto verdict = options_.health->died(started_on);
    if (verdict == BackendHealth::Verdict::known) return true;
    const std::string& name = spec_.jobs[selected_[pos]].spec.name;
    const bool give_up = verdict == BackendHealth::Verdict::give_up;
    options_.ledger->append("backend_died", {{"job", name},
                                             {"message", error.message},
                                             {"deaths", options_.health->deaths()},
                                             {"action", give_up ? "stop" : "restart"}});
    if (give_up) {
      stop_after_this_job(BatchStatus::failed,
                          fmt::format("the codex app-server died again within {} ({}); stopping the batch",
                                      util::format_duration(options_.health->restart_window()), error.message));
      return false;
    }
    note(fmt::format("the codex app-server died ({}); its running jobs resume their conversations on a new one", error.message));
    return true;
  }

  asio::awaitable<void> run_one(std::size_t pos) {
    auto self = shared_from_this();
    const BatchJob& job = spec_.jobs[selected_[pos]];
    options_.ledger->append("job_started",
                            {{"job", job.spec.name}, {"index", job.index}, {"workdir", job.spec.workdir.string()}});
    if (options_.observer) options_.observer->job_started(pos);

    TrackingHooks hooks;
    hooks.on_turn_start = [self, pos](int turn) {
      if (self->options_.observer) self->options_.observer->job_turn(pos, turn);
    };
    // Which backend the job runs on (the start count when its runner was made): its death
    // report may come after a replacement started.
    auto started_on = std::make_shared<std::size_t>(0);
    hooks.on_runner_created = [self, started_on] { *started_on = self->options_.health->starts(); };
    hooks.on_backend_lost = [self, pos, started_on](const agent::Error& error) {
      return self->backend_lost(pos, error, *started_on);
    };
    TrackedSessionFactory tracked(factory_, std::move(hooks));

    JobRunOptions job_options;
    job_options.progress = [self, pos](const std::string& line) {
      if (self->options_.observer) self->options_.observer->job_line(pos, line);
    };
    job_options.stop = stop_source_.get_token();
    job_options.fresh = options_.fresh;
    job_options.backend = options_.backend;
    job_options.backend_info = options_.backend_info;
    job_options.initial_backoff = options_.initial_backoff;
    job_options.max_backoff = options_.max_backoff;
    agent::Result<JobResult> outcome = agent::fail(agent::ErrorKind::protocol, "the job did not run");
    std::string thrown;
    try {
      outcome = co_await run_job(job.spec, tracked, std::move(job_options));
    } catch (const std::exception& e) {
      thrown = e.what();
    } catch (...) {
      thrown = "unknown exception";
    }
    if (!thrown.empty()) outcome = agent::fail(agent::ErrorKind::protocol, "the job failed with an exception: " + thrown);

    BatchJobResult entry{.index = job.index, .name = job.spec.name};
    if (outcome) {
      entry.job = std::move(*outcome);
    } else {  // the job's own ledger could not be created, or the job threw: the batch goes on
      JobResult failed;
      failed.name = job.spec.name;
      failed.status = RunStatus::failed;
      failed.error = outcome.error();
      failed.reason = (thrown.empty() ? "could not start the job: " : "") + outcome.error().message;
      entry.job = std::move(failed);
    }
    const JobResult& ran = *entry.job;
    options_.ledger->append("job_finished", {{"job", ran.name},
                                             {"index", job.index},
                                             {"status", to_string(ran.status)},
                                             {"attempts", ran.attempts()},
                                             {"tokens", tokens_used(ran.usage)},
                                             {"duration_ms", ran.duration.count()},
                                             {"reason", ran.reason},
                                             {"run_id", ran.run_id},
                                             {"ledger", ran.ledger.string()}});
    if (options_.observer) options_.observer->job_finished(pos, entry);
    const RunStatus status = ran.status;
    const std::string summary = fmt::format("job {} ended {}: {}", ran.name, to_string(status), ran.reason);
    results_[pos] = std::move(entry);
    apply_pending_stop();
    if (status == RunStatus::blocked) stop(BatchStatus::blocked, summary);
    else if (options_.fail_fast && status != RunStatus::complete) stop(BatchStatus::failed, "--fail-fast: " + summary);
  }

  BatchResult finish(std::chrono::milliseconds duration) {
    BatchResult result;
    result.run_id = options_.ledger->run_id();
    result.ledger = options_.ledger->events_path();
    result.duration = duration;
    result.concurrency = options_.concurrency;
    result.backend_starts = options_.health->starts();
    result.backend_deaths = options_.health->deaths();
    result.shard = options_.shard;
    result.batch_path = spec_.batch_path;
    result.batch_jobs = spec_.jobs.size();
    result.only = options_.only;
    std::size_t skipped = 0, complete = 0;
    for (std::size_t pos = 0; pos < selected_.size(); ++pos) {
      if (!results_[pos]) {
        const BatchJob& job = spec_.jobs[selected_[pos]];
        results_[pos] = BatchJobResult{.index = job.index,
                                       .name = job.spec.name,
                                       .skipped_reason = "not started: " + stop_reason_.value_or("the batch stopped")};
        options_.ledger->append("job_skipped",
                                {{"job", job.spec.name}, {"index", job.index}, {"reason", results_[pos]->skipped_reason}});
        ++skipped;
      }
      if (results_[pos]->complete()) ++complete;
      result.jobs.push_back(std::move(*results_[pos]));
    }
    if (skipped > 0) note(fmt::format("{} job(s) not started", skipped));
    if (stop_status_) {
      result.status = *stop_status_;
      result.reason = *stop_reason_;
    } else if (complete == result.jobs.size()) {
      result.status = BatchStatus::complete;
      result.reason = fmt::format("{} job(s) complete", complete);
    } else {
      result.status = BatchStatus::failed;
      result.reason = fmt::format("{} of {} job(s) not complete", result.jobs.size() - complete, result.jobs.size());
    }
    const nlohmann::json json = to_json(result);
    options_.ledger->append("result", json);
    if (auto written = options_.ledger->write_result(json); !written) note("warning: " + written.error().message);
    if (options_.ledger->write_error()) note("warning: " + options_.ledger->write_error()->message);
    return result;
  }

  asio::any_io_executor executor_;
  const BatchSpec& spec_;
  std::vector<std::size_t> selected_;
  agent::AgentSessionFactory& factory_;
  BatchRunOptions options_;
  std::vector<std::optional<BatchJobResult>> results_;
  asio::steady_timer wake_;
  asio::steady_timer tick_timer_;
  std::stop_source stop_source_;
  std::optional<BatchStatus> stop_status_;
  std::optional<std::string> stop_reason_;
  std::optional<std::pair<BatchStatus, std::string>> pending_stop_;
  Clock::time_point stop_deadline_ = Clock::time_point::max();
  std::size_t next_ = 0;
  std::size_t active_ = 0;
  bool shut_down_ = false;
  bool done_ = false;
  std::exception_ptr failure_;
};

}  // namespace

agent::Result<std::shared_ptr<RunLedger>> open_batch_ledger(const BatchSpec& spec, const std::string& run_id,
                                                            const std::filesystem::path& runs_dir) {
  const auto dir = runs_dir.empty() ? spec.batch_path.parent_path() / ledger_dir_name / "batches" : runs_dir;
  return RunLedger::open_directory(dir / run_id, run_id);
}

std::string shard_run_id(const std::string& run_id, const std::optional<Shard>& shard) {
  if (!shard) return run_id;
  return fmt::format("{}-shard-{}-of-{}", run_id, shard->index, shard->count);
}

asio::awaitable<agent::Result<BatchResult>> run_batch(const BatchSpec& spec, std::vector<std::size_t> selected,
                                                      agent::AgentSessionFactory& factory, BatchRunOptions options) {
  if (!options.ledger) {
    auto opened = open_batch_ledger(spec, make_run_id());
    if (!opened) co_return std::unexpected(opened.error());
    options.ledger = std::move(*opened);
  }
  auto executor = co_await asio::this_coro::executor;
  auto scheduler = std::make_shared<BatchScheduler>(executor, spec, std::move(selected), factory, std::move(options));
  BatchResult result = co_await scheduler->run();
  co_return result;
}

}  // namespace diary::generate
