#include "generate/batch/backend_health.h"

namespace diary::generate {

BackendHealth::Verdict BackendHealth::died(std::size_t started_on, Clock::time_point now) {
  // Without start reports (a caller that does not wire them) the first death is still counted.
  if (deaths_ > 0 && started_on <= starts_at_last_death_) return Verdict::known;
  const bool repeated = last_death_ && now - *last_death_ < restart_window_;
  ++deaths_;
  starts_at_last_death_ = starts_;
  last_death_ = now;
  return repeated ? Verdict::give_up : Verdict::restart;
}

}  // namespace diary::generate
