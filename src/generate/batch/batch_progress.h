// Progress of a running batch on stderr. BatchObserver is what the scheduler reports to;
// BatchProgressView renders it either as plain log lines ("diary: [job] ...", for logs and
// pipes) or, on a terminal, as a live view: one line per running job (name, turn, elapsed, last
// action) under the lines of finished jobs, and a total bar (complete/failed/running/pending),
// redrawn in place with ANSI escapes. Single-threaded: called on the batch's executor.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "generate/batch/batch_result.h"

namespace diary::generate {

class BatchObserver {
 public:
  virtual ~BatchObserver() = default;
  // `pos` indexes the selected jobs (the order of BatchResult::jobs).
  virtual void job_started(std::size_t /*pos*/) {}
  virtual void job_turn(std::size_t /*pos*/, int /*turn*/) {}
  virtual void job_line(std::size_t /*pos*/, const std::string& /*line*/) {}
  virtual void job_finished(std::size_t /*pos*/, const BatchJobResult& /*result*/) {}
  virtual void batch_line(const std::string& /*line*/) {}  // batch-level notices
  virtual void tick() {}                                   // every tick_interval() while running
  virtual std::chrono::milliseconds tick_interval() const { return std::chrono::milliseconds(0); }
  virtual void finish() {}  // the batch is over: leave the terminal clean for the result
};

class BatchProgressView : public BatchObserver {
 public:
  using Clock = std::chrono::steady_clock;

  struct Options {
    bool live = false;                            // a terminal: redraw in place; else plain lines
    std::size_t width = 100;                      // terminal columns (live lines are cut to fit: no wrapping)
    std::size_t max_rows = 20;                    // running jobs shown; the rest are counted
    std::function<void(std::string_view)> write;  // one call per update (e.g. to stderr)
    std::function<Clock::time_point()> now = [] { return Clock::now(); };
  };

  // `names`: the selected jobs, in batch-file order.
  BatchProgressView(std::vector<std::string> names, Options options);

  void job_started(std::size_t pos) override;
  void job_turn(std::size_t pos, int turn) override;
  void job_line(std::size_t pos, const std::string& line) override;
  void job_finished(std::size_t pos, const BatchJobResult& result) override;
  void batch_line(const std::string& line) override;
  void tick() override;
  std::chrono::milliseconds tick_interval() const override;
  void finish() override;

  // The live block as it would be drawn now: running jobs, then the total bar.
  std::vector<std::string> frame() const;

 private:
  struct JobState {
    std::string name;
    enum class Phase { pending, running, finished } phase = Phase::pending;
    bool complete = false;
    int turn = 0;
    Clock::time_point started{};
    std::string last_action;
  };

  void emit(std::vector<std::string> permanent);
  std::string fit(std::string line) const;

  std::vector<JobState> jobs_;
  Options options_;
  Clock::time_point started_;
  std::size_t drawn_rows_ = 0;
  bool finished_ = false;
};

}  // namespace diary::generate
