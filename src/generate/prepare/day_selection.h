// The targeting flags shared by `prepare`, `inspect` (and later `generate`): --date / --today /
// --timezone / --reports-root, resolved against the process environment in the documented
// precedence. Reads environment variables and /etc files; thread-safe.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "agent/error.h"
#include "generate/prepare/report_target.h"

namespace diary::generate::prepare {

struct DaySelection {
  std::optional<std::string> date;
  bool today = false;
  std::optional<std::string> timezone;
  std::optional<std::string> reports_root;
};

struct ResolvedDay {
  ReportTarget target;
  std::filesystem::path reports_root;
};

agent::Result<ResolvedDay> resolve_day(const DaySelection& selection,
                                       std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// Only the reports root (for `diary list`).
agent::Result<std::filesystem::path> resolve_reports_root_from_environment(const std::optional<std::string>& flag);

}  // namespace diary::generate::prepare
