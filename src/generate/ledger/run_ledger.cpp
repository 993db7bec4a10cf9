#include "generate/ledger/run_ledger.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <random>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "util/atomic_file.h"

namespace diary::generate {

namespace fs = std::filesystem;

namespace {

std::tm utc_tm(std::chrono::system_clock::time_point now) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return tm;
}

int millis_of(std::chrono::system_clock::time_point now) {
  const auto since = now.time_since_epoch();
  return static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(since).count() % 1000);
}

}  // namespace

std::string utc_timestamp(std::chrono::system_clock::time_point now) {
  const std::tm tm = utc_tm(now);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec, millis_of(now));
}

std::string make_run_id(std::chrono::system_clock::time_point now, std::uint32_t random) {
  const std::tm tm = utc_tm(now);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}.{:03}Z-{:06x}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec, millis_of(now), random & 0xffffffu);
}

std::string make_run_id() {
  std::random_device device;
  return make_run_id(std::chrono::system_clock::now(), device());
}

std::string dump_json(const nlohmann::json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

RunLedger::RunLedger(std::string run_id, fs::path directory, int fd)
    : run_id_(std::move(run_id)), directory_(std::move(directory)), fd_(fd) {}

RunLedger::~RunLedger() {
  if (fd_ >= 0) ::close(fd_);
}

agent::Result<std::shared_ptr<RunLedger>> RunLedger::open(const fs::path& workdir, const std::string& run_id) {
  return open_directory(workdir / ledger_dir_name / "runs" / run_id, run_id);
}

agent::Result<std::shared_ptr<RunLedger>> RunLedger::open_directory(const fs::path& directory, const std::string& run_id) {
  std::error_code ec;
  fs::create_directories(directory, ec);
  if (ec)
    return agent::fail(agent::ErrorKind::io,
                       "cannot create the run ledger directory " + directory.string() + ": " + ec.message());
  const fs::path events = directory / "events.jsonl";
  const int fd = ::open(events.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return agent::fail(agent::ErrorKind::io, "cannot create " + events.string() + ": " + std::strerror(errno));
  return std::shared_ptr<RunLedger>(new RunLedger(run_id, directory, fd));
}

void RunLedger::append(std::string_view event, const nlohmann::json& data) {
  if (write_error_) return;
  // seq, ts and event lead every line so that `tail` reads naturally.
  nlohmann::ordered_json line;
  line["seq"] = ++seq_;
  line["ts"] = utc_timestamp(std::chrono::system_clock::now());
  line["event"] = event;
  if (data.is_object()) {
    for (const auto& [key, value] : data.items())
      if (!line.contains(key)) line[key] = nlohmann::ordered_json(value);
  } else if (!data.is_null()) {
    line["data"] = nlohmann::ordered_json(data);
  }
  // One write() per line on an O_APPEND descriptor: no user-space buffer to lose on a crash.
  const std::string text = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  if (!util::write_all(fd_, text))
    write_error_ = agent::Error{agent::ErrorKind::io, "cannot append to " + events_path().string() + ": " + std::strerror(errno)};
}

agent::Result<void> RunLedger::write_result(const nlohmann::json& result) {
  if (auto written = util::write_file_atomically(result_path(), dump_json(result, 2) + "\n"); !written)
    return agent::fail(agent::ErrorKind::io, written.error());
  return {};
}

}  // namespace diary::generate
