// One run of a job at a time: `diary job run` and `diary batch run` claim each job they run
// (same name, same workdir) with an exclusive lock, <workdir>/.diary/locks/job-<name>.lock,
// held until the command ends. A second run of the same job is refused up front (exit 2) with
// the holder's pid instead of doing the work twice, concurrently. Thread-safe.
#pragma once

#include "agent/error.h"
#include "generate/job/job_spec.h"
#include "util/run_lock.h"

namespace diary::generate {

std::filesystem::path job_lock_path(const JobSpec& spec);

// ErrorKind::invalid_input naming the job, its workdir and the holder's pid when it is taken;
// ErrorKind::io when the lock file cannot be created.
agent::Result<util::RunLock> claim_job(const JobSpec& spec);

}  // namespace diary::generate
