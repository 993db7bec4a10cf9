#include "generate/job/job_lock.h"

#include <fmt/format.h>

namespace diary::generate {

std::filesystem::path job_lock_path(const JobSpec& spec) {
  return spec.workdir / ".diary" / "locks" / ("job-" + spec.name + ".lock");
}

agent::Result<util::RunLock> claim_job(const JobSpec& spec) {
  auto lock = util::RunLock::try_acquire(job_lock_path(spec));
  if (lock) return std::move(*lock);
  if (lock.error().io_error) return agent::fail(agent::ErrorKind::io, lock.error().message);
  return agent::fail(agent::ErrorKind::invalid_input,
                     fmt::format("job {} is already running in {} ({} {}); wait for it to end or stop it first", spec.name,
                                 spec.workdir.string(), job_lock_path(spec).string(), lock.error().message));
}

}  // namespace diary::generate
