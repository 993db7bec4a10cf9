// Progress of `diary generate` on stderr, from ProgressEvents (never transcript text). Off a
// terminal: one log line per event ("evidence: start <pk>/<S>", "evidence: done <pk>/<S> [ok]",
// "evidence: done <pk>/<S> [failed] <error>"). On a terminal: a live block redrawn in place —
// one line per phase (running / done / failed of its total) and the elapsed time. Quiet: nothing.
// Single-threaded: called on the run's executor.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "generate/phases/pipeline_context.h"

namespace diary::generate::phases {

class GenerateProgressView {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Mode { quiet, log, live };
  struct Options {
    Mode mode = Mode::log;
    std::function<void(std::string_view)> write;  // one call per update
    std::function<Clock::time_point()> now = [] { return Clock::now(); };
  };

  // `totals`: tasks per phase (evidence, project, daily, render) in this run.
  GenerateProgressView(std::map<std::string, int> totals, Options options);

  void on_event(const ProgressEvent& event);
  void tick();    // live mode: redraw the elapsed time (call about once a second)
  void finish();  // leave the terminal clean for the closing lines

  std::vector<std::string> frame() const;  // the live block as drawn now

 private:
  struct Counts {
    int total = 0, running = 0, done = 0, failed = 0, degraded = 0;
  };
  void redraw();

  Options options_;
  std::map<std::string, Counts> phases_;
  Clock::time_point started_;
  std::size_t drawn_lines_ = 0;
  std::string last_note_;
};

}  // namespace diary::generate::phases
