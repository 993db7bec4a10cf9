// The run ledger: <workdir>/.diary/runs/<run_id>/events.jsonl, one JSON object per line,
// append-only and handed to the kernel line by line (a crash or SIGINT leaves every line
// written so far), plus result.json beside it, replaced atomically. Not thread-safe: use it
// from the one executor thread that runs the job.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "agent/error.h"

namespace diary::generate {

// The folder diary keeps its ledgers in, inside a job's workdir (and beside a batch file).
// Artifacts may not be declared there (job_spec_parser refuses them).
inline constexpr std::string_view ledger_dir_name = ".diary";

// Sortable by time: UTC "YYYYMMDDTHHMMSS.mmmZ-" plus 6 random hex digits.
std::string make_run_id();
std::string make_run_id(std::chrono::system_clock::time_point now, std::uint32_t random);

// "2025-01-31T12:00:00.123Z"
std::string utc_timestamp(std::chrono::system_clock::time_point now);

// JSON text for files and terminals: invalid UTF-8 (e.g. in command output) is replaced rather
// than throwing.
std::string dump_json(const nlohmann::json& value, int indent = -1);

class RunLedger {
 public:
  // Creates the run directory and events.jsonl (which must not exist yet).
  static agent::Result<std::shared_ptr<RunLedger>> open(const std::filesystem::path& workdir, const std::string& run_id);
  // The same in `directory` itself (e.g. a batch's <dir>/.diary/batches/<run_id>).
  static agent::Result<std::shared_ptr<RunLedger>> open_directory(const std::filesystem::path& directory,
                                                                  const std::string& run_id);

  RunLedger(const RunLedger&) = delete;
  RunLedger& operator=(const RunLedger&) = delete;
  ~RunLedger();

  // Appends {"seq", "ts", "event", ...fields of `data`} as one line. Never throws: the first
  // write failure is kept (write_error()) and later appends are dropped.
  void append(std::string_view event, const nlohmann::json& data = nlohmann::json::object());

  // Writes result.json (pretty-printed) via a temporary file and rename.
  agent::Result<void> write_result(const nlohmann::json& result);

  const std::string& run_id() const { return run_id_; }
  const std::filesystem::path& directory() const { return directory_; }
  std::filesystem::path events_path() const { return directory_ / "events.jsonl"; }
  std::filesystem::path result_path() const { return directory_ / "result.json"; }
  const std::optional<agent::Error>& write_error() const { return write_error_; }

 private:
  RunLedger(std::string run_id, std::filesystem::path directory, int fd);

  std::string run_id_;
  std::filesystem::path directory_;
  int fd_ = -1;
  std::uint64_t seq_ = 0;
  std::optional<agent::Error> write_error_;
};

}  // namespace diary::generate
