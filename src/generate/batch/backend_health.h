// Accounting of app-server starts and deaths during a batch, to decide between "restart once and
// go on" and "stop the batch". Deaths are seen by the jobs (a turn failing with
// ErrorKind::process_exited); every job running on the backend sees the same death, so a
// report only counts as a new death when the dying job's backend was started after the last
// death counted. A job tells which backend it ran on by the start count when its runner was
// created: a job of the dead backend may report after a replacement already started (its turn
// ended later), and that is still the old death, not a second one.
// Starts come from the session factory's callback (the command wires it). Single-threaded: use
// it on the batch's executor.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

namespace diary::generate {

class BackendHealth {
 public:
  using Clock = std::chrono::steady_clock;

  explicit BackendHealth(std::chrono::milliseconds restart_window = std::chrono::seconds(60)) : restart_window_(restart_window) {}

  // A backend finished its start-up (the first one or a replacement).
  void started() { ++starts_; }

  enum class Verdict {
    known,    // the death already counted (another job of the same backend reporting it)
    restart,  // a new death: the next job gets a new backend
    give_up,  // a second death within the restart window: stop the batch
  };
  // `started_on`: starts() when the dying job's runner was created.
  Verdict died(std::size_t started_on, Clock::time_point now = Clock::now());

  std::size_t starts() const { return starts_; }
  std::size_t deaths() const { return deaths_; }
  std::chrono::milliseconds restart_window() const { return restart_window_; }

 private:
  std::chrono::milliseconds restart_window_;
  std::size_t starts_ = 0;
  std::size_t deaths_ = 0;
  std::size_t starts_at_last_death_ = 0;
  std::optional<Clock::time_point> last_death_;
};

}  // namespace diary::generate
