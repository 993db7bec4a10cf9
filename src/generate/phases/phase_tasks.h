// The task bodies of the DAG besides evidence (evidence_task.h): `project:<pk>`, `daily` and
// `render`. Each checks its prerequisites, skips work that is complete on disk, and degrades to
// offline parts instead of failing the day when the model cannot deliver.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "generate/phases/pipeline_context.h"
#include "generate/phases/task_graph.h"

namespace diary::generate::phases {

boost::asio::awaitable<TaskOutcome> run_project_task(const PipelineContext& context, std::string project_key);
boost::asio::awaitable<TaskOutcome> run_daily_task(const PipelineContext& context);
boost::asio::awaitable<TaskOutcome> run_render_task(const PipelineContext& context);

}  // namespace diary::generate::phases
