#include "generate/batch/batch_progress.h"
#include "util/duration.h"
#include "util/terminal_text.h"

#include <algorithm>

#include <fmt/format.h>

namespace diary::generate {

namespace {

// "turn 2: $ make" -> "$ make": the view shows the turn number in its own column.
std::string action_of(const std::string& line) {
  if (line.starts_with("turn ")) {
    const auto colon = line.find(": ");
    const auto digits = line.find_first_not_of("0123456789", 5);
    if (colon != std::string::npos && digits == colon) return line.substr(colon + 2);
  }
  return line;
}

}  // namespace

BatchProgressView::BatchProgressView(std::vector<std::string> names, Options options)
    : options_(std::move(options)), started_(options_.now()) {
  for (auto& name : names) jobs_.push_back(JobState{.name = std::move(name)});
}

std::chrono::milliseconds BatchProgressView::tick_interval() const {
  return options_.live ? std::chrono::milliseconds(250) : std::chrono::milliseconds(0);
}

std::string BatchProgressView::fit(std::string line) const {
  const std::size_t width = std::max<std::size_t>(options_.width, 20) - 1;  // the last column would wrap
  return util::fit_width(line, width);
}

std::vector<std::string> BatchProgressView::frame() const {
  const auto now = options_.now();
  std::size_t name_width = 4, running = 0, complete = 0, failed = 0, pending = 0;
  for (const auto& job : jobs_) {
    switch (job.phase) {
      case JobState::Phase::pending: ++pending; break;
      case JobState::Phase::running:
        ++running;
        name_width = std::max(name_width, std::min<std::size_t>(util::display_width(util::terminal_line(job.name)), 32));
        break;
      case JobState::Phase::finished: ++(job.complete ? complete : failed); break;
    }
  }
  std::vector<std::string> rows;
  std::size_t shown = 0;
  for (const auto& job : jobs_) {
    if (job.phase != JobState::Phase::running) continue;
    if (shown++ == options_.max_rows) break;
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - job.started);
    rows.push_back(
        fit(fmt::format("  {}  turn {:>2}  {:>7}  {}", util::pad_to_width(util::fit_width(job.name, name_width), name_width),
                        job.turn, util::format_duration(elapsed), util::terminal_line(job.last_action))));
  }
  if (running > options_.max_rows) rows.push_back(fit(fmt::format("  ... and {} more running", running - options_.max_rows)));
  const std::size_t total = jobs_.size();
  constexpr std::size_t bar_width = 24;
  const std::size_t filled = total == 0 ? bar_width : (complete + failed) * bar_width / total;
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - started_);
  rows.push_back(fit(fmt::format("[{}{}] {}/{} done: {} complete, {} failed, {} running, {} pending  {}",
                                 std::string(filled, '#'), std::string(bar_width - filled, '.'), complete + failed, total,
                                 complete, failed, running, pending, util::format_duration(elapsed))));
  return rows;
}

void BatchProgressView::emit(std::vector<std::string> permanent) {
  if (!options_.write) return;
  std::string out;
  if (!options_.live) {
    for (const auto& line : permanent) out += "diary: " + line + "\n";
    if (!out.empty()) options_.write(out);
    return;
  }
  // Back to the top of the live block and clear it, then finished lines, then the new block:
  // one write, so the terminal never shows half a frame.
  if (drawn_rows_ > 0) out += fmt::format("\x1b[{}F\x1b[J", drawn_rows_);
  for (const auto& line : permanent) out += fit(line) + "\n";
  drawn_rows_ = 0;
  if (!finished_) {
    for (const auto& row : frame()) {
      out += row + "\n";
      ++drawn_rows_;
    }
  }
  options_.write(out);
}

void BatchProgressView::job_started(std::size_t pos) {
  if (pos >= jobs_.size()) return;
  auto& job = jobs_[pos];
  job.phase = JobState::Phase::running;
  job.started = options_.now();
  job.last_action = "checking artifacts";
  if (!options_.live) emit({"[" + job.name + "] started"});
}

void BatchProgressView::job_turn(std::size_t pos, int turn) {
  if (pos < jobs_.size()) jobs_[pos].turn = turn;
}

void BatchProgressView::job_line(std::size_t pos, const std::string& line) {
  if (pos >= jobs_.size()) return;
  jobs_[pos].last_action = action_of(line);
  if (!options_.live) emit({"[" + jobs_[pos].name + "] " + line});
}

void BatchProgressView::job_finished(std::size_t pos, const BatchJobResult& result) {
  if (pos >= jobs_.size()) return;
  auto& job = jobs_[pos];
  job.phase = JobState::Phase::finished;
  job.complete = result.complete();
  const int turns = result.job ? result.job->attempts() : 0;
  const auto duration = result.job ? result.job->duration : std::chrono::milliseconds(0);
  std::string line = fmt::format("[{}] {} ({} turn{}, {})", job.name, result.status(), turns, turns == 1 ? "" : "s",
                                 util::format_duration(duration));
  if (!job.complete) {
    const std::string why = result.job ? result.job->reason : result.skipped_reason;
    if (!why.empty()) line += ": " + why;
  }
  emit({line});
}

void BatchProgressView::batch_line(const std::string& line) { emit({line}); }

void BatchProgressView::tick() {
  if (options_.live && !finished_) emit({});
}

void BatchProgressView::finish() {
  if (finished_) return;
  finished_ = true;
  if (options_.live) emit({});
}

}  // namespace diary::generate
