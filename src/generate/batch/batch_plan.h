// `diary batch run --dry-run`: which jobs this run would take (after --only/--shard) and what
// their artifact checks say right now, without starting anything; handy to see what one shard
// of a fanned-out batch holds. Pure apart from reading the artifacts.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "generate/batch/batch_select.h"
#include "generate/batch/batch_spec.h"

namespace diary::generate {

// {batch, concurrency, shard, total_jobs, selected:[{name, index, shard, would_run,
//  failing_checks, workdir, spec}]}  (shard: "K/N" or null; each job's shard of N when given)
nlohmann::json plan_batch(const BatchSpec& spec, const std::vector<std::size_t>& selected, const JobSelection& selection,
                          int concurrency);

// One line per selected job ("would run" / "complete", failing checks), then a count.
std::string format_batch_plan(const nlohmann::json& plan);

}  // namespace diary::generate
