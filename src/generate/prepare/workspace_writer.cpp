#include "generate/prepare/workspace_writer.h"

#include <atomic>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include "generate/prepare/parallel_for.h"
#include "util/atomic_file.h"
#include "util/run_lock.h"

namespace diary::generate::prepare {

namespace {

std::unexpected<agent::Error> io_error(const std::string& what, int error_number) {
  return agent::fail(agent::ErrorKind::io, what + ": " + std::strerror(error_number));
}

// Removes a temporary folder unless it was committed.
class TemporaryDir {
 public:
  explicit TemporaryDir(std::filesystem::path path) : path_(std::move(path)) {}
  ~TemporaryDir() {
    if (!path_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(path_, ignored);
    }
  }
  TemporaryDir(const TemporaryDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A file inside the folder being built (the folder's rename is the commit point): the
// AtomicFile still makes each file durable before the folder is swapped in.
agent::Result<void> write_text(const std::filesystem::path& path, const std::string& text) {
  if (auto written = util::write_file_atomically(path, text); !written) return agent::fail(agent::ErrorKind::io, written.error());
  return {};
}

agent::Result<void> make_dirs(const std::filesystem::path& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) return agent::fail(agent::ErrorKind::io, "cannot create " + path.string() + ": " + error.message());
  return {};
}

agent::Result<void> commit(const std::filesystem::path& built, const std::filesystem::path& target, bool replace) {
  if (auto moved = util::replace_directory(built, target, replace); !moved)
    return agent::fail(agent::ErrorKind::io, moved.error());
  return {};
}

nlohmann::ordered_json line_counts_json(const LineCounts& lines) {
  return {{"total", lines.total},
          {"malformed", lines.malformed},
          {"untimestamped", lines.untimestamped},
          {"oversized", lines.oversized}};
}

nlohmann::ordered_json index_row(const PlannedSession& session) {
  nlohmann::ordered_json row;
  row["session_ref"] = session.ref;
  row["source"] = std::string(to_string(session.source));
  row["source_session_id"] = session.source_session_id;
  row["session_path"] = session.session_path();
  row["target_start_line"] = session.turns.front().start_line;
  row["target_end_line"] = session.turns.back().end_line;
  auto turns = nlohmann::ordered_json::array();
  for (const auto& turn : session.turns)
    turns.push_back({{"turn_ref", turn.ref}, {"turn_start_line", turn.start_line}, {"turn_end_line", turn.end_line}});
  row["turns"] = std::move(turns);
  return row;
}

struct CopyJob {
  const PlannedProject* project;
  const PlannedSession* session;
  std::filesystem::path destination;
  agent::Result<std::string> checksum = std::string();
};

nlohmann::ordered_json audit_json(const WorkspacePlan& plan, const ReportTarget& target, const WorkspacePaths& paths,
                                  const WriteOptions& options, const std::vector<CopyJob>& jobs) {
  nlohmann::ordered_json audit;
  audit["schema_version"] = workspace_schema_version;
  audit["report_date"] = target.date_string();
  audit["timezone"] = target.timezone;
  audit["prepared_at"] = options.prepared_at;
  audit["workspace"] = paths.workspace.string();
  auto sources = nlohmann::ordered_json::array();
  for (const auto& root : options.sources)
    sources.push_back({{"source", std::string(to_string(root.source))}, {"root", root.root.string()}});
  audit["sources"] = std::move(sources);

  LineCounts totals;
  auto add = [&](const LineCounts& lines) {
    totals.total += lines.total;
    totals.malformed += lines.malformed;
    totals.untimestamped += lines.untimestamped;
    totals.oversized += lines.oversized;
  };
  auto sessions = nlohmann::ordered_json::array();
  for (const auto& job : jobs) {
    const auto& session = *job.session;
    add(session.lines);
    nlohmann::ordered_json row;
    row["project_key"] = job.project->identity.key;
    row["project_root"] = job.project->identity.root;
    row["session_ref"] = session.ref;
    row["source"] = std::string(to_string(session.source));
    row["source_session_id"] = session.source_session_id;
    row["source_path"] = session.source_path.string();
    row["session_path"] = session.session_path();
    row["bytes"] = session.bytes;
    row["sha256"] = *job.checksum;
    row["lines"] = line_counts_json(session.lines);
    auto duplicates = nlohmann::ordered_json::array();
    for (const auto& path : session.duplicate_paths) duplicates.push_back(path.string());
    row["identical_duplicates"] = std::move(duplicates);
    sessions.push_back(std::move(row));
  }
  audit["sessions"] = std::move(sessions);

  auto skipped = nlohmann::ordered_json::array();
  for (const auto& file : plan.skipped) {
    add(file.lines);
    nlohmann::ordered_json row;
    row["source"] = std::string(to_string(file.source));
    row["source_path"] = file.path.string();
    row["reason"] = std::string(to_string(file.reason));
    row["lines"] = line_counts_json(file.lines);
    if (!file.detail.empty()) row["detail"] = file.detail;
    skipped.push_back(std::move(row));
  }
  audit["skipped"] = std::move(skipped);
  audit["totals"] = {{"files_scanned", plan.files_scanned},
                     {"projects", plan.projects.size()},
                     {"sessions", plan.session_count()},
                     {"turns", plan.turn_count()},
                     {"lines", line_counts_json(totals)}};
  return audit;
}

}  // namespace

namespace {

// Copies exactly `bytes` bytes. copy_file_range keeps the data in the kernel (and reflinks on
// file systems that can); the read/write loop covers kernels or file systems that refuse it.
agent::Result<void> copy_exact(int in, int out, std::uint64_t bytes, const std::filesystem::path& from,
                               const std::filesystem::path& to) {
  std::uint64_t left = bytes;
  bool kernel_copy = true;
  std::string buffer;
  while (left > 0) {
    if (kernel_copy) {
      ssize_t copied = ::copy_file_range(in, nullptr, out, nullptr, left, 0);
      if (copied > 0) {
        left -= static_cast<std::uint64_t>(copied);
        continue;
      }
      if (copied < 0 && errno == EINTR) continue;
      if (copied == 0) return agent::fail(agent::ErrorKind::io, from.string() + " shrank while it was being prepared");
      if (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP && errno != EPERM)
        return io_error("cannot copy " + from.string() + " to " + to.string(), errno);
      kernel_copy = false;
      buffer.resize(1u << 20);
    }
    ssize_t got = ::read(in, buffer.data(), std::min<std::uint64_t>(left, buffer.size()));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return io_error("cannot read " + from.string(), errno);
    if (got == 0) return agent::fail(agent::ErrorKind::io, from.string() + " shrank while it was being prepared");
    if (!util::write_all(out, std::string_view(buffer.data(), static_cast<std::size_t>(got))))
      return io_error("cannot write " + to.string(), errno);
    left -= static_cast<std::uint64_t>(got);
  }
  return {};
}

}  // namespace

agent::Result<std::string> copy_and_hash(const std::filesystem::path& from, const std::filesystem::path& to,
                                         std::uint64_t bytes) {
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return io_error("cannot open " + from.string(), errno);
  int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (out < 0) {
    const int error = errno;
    ::close(in);
    return io_error("cannot create " + to.string(), error);
  }
  auto copied = copy_exact(in, out, bytes, from, to);
  ::close(in);
  if (::close(out) != 0 && copied) copied = io_error("cannot write " + to.string(), errno);
  if (!copied) return std::unexpected(copied.error());
  // Checksum what was copied: the copy, not the source, which may have grown meanwhile.
  return file_sha256(to, bytes);
}

agent::Result<void> write_workspace(const WorkspacePlan& plan, const ReportTarget& target, const WorkspacePaths& paths,
                                    const WriteOptions& options) {
  if (auto made = make_dirs(paths.workspace.parent_path()); !made) return made;
  if (auto made = make_dirs(paths.audit_dir.parent_path()); !made) return made;
  util::remove_abandoned_temporaries(paths.workspace);
  util::remove_abandoned_temporaries(paths.audit_dir);
  // One prepare of a day at a time: a second one says so instead of racing to the rename (and
  // replacing the winner's audit before failing).
  // The lock file lives in the reports root (<root>/work/<date> -> <root>/.prepare-<date>.lock),
  // outside the folders readers list.
  auto claim = util::RunLock::try_acquire(paths.workspace.parent_path().parent_path() /
                                          (".prepare-" + paths.workspace.filename().string() + ".lock"));
  if (!claim) {
    if (claim.error().io_error) return agent::fail(agent::ErrorKind::io, claim.error().message);
    return agent::fail(agent::ErrorKind::invalid_input, "another `diary prepare` of " + paths.workspace.filename().string() +
                                                            " is in progress (" + claim.error().message +
                                                            "); wait for it to finish");
  }
  std::error_code exists_error;
  if (!options.replace_existing && std::filesystem::exists(paths.workspace, exists_error))
    return agent::fail(agent::ErrorKind::invalid_input,
                       "workspace " + paths.workspace.string() +
                           " already exists (another `diary prepare` of this day finished first); left unchanged "
                           "(use --force to rebuild it)");
  TemporaryDir workspace(util::temporary_sibling(paths.workspace));
  TemporaryDir audit_dir(util::temporary_sibling(paths.audit_dir));
  const auto& root = workspace.path();
  if (auto made = make_dirs(root / "projects"); !made) return made;
  if (auto made = make_dirs(audit_dir.path()); !made) return made;

  if (auto written = write_text(root / metadata_file_name, stable_dump(metadata_json(target, options.prepared_at))); !written)
    return written;

  std::vector<CopyJob> jobs;
  for (const auto& project : plan.projects) {
    const auto folder = root / "projects" / project.identity.key;
    nlohmann::ordered_json project_json;
    project_json["schema_version"] = workspace_schema_version;
    project_json["project_key"] = project.identity.key;
    project_json["project_label"] = project.identity.label;
    std::string index;
    for (const auto& session : project.sessions) {
      index += compact_dump(index_row(session)) + "\n";
      const auto destination = folder / session.session_path();
      if (auto made = make_dirs(destination.parent_path()); !made) return made;
      jobs.push_back({&project, &session, destination});
    }
    if (auto made = make_dirs(folder); !made) return made;
    if (auto written = write_text(folder / project_file_name, stable_dump(project_json)); !written) return written;
    if (auto written = write_text(folder / session_index_file_name, index); !written) return written;
  }

  parallel_for(jobs.size(), options.threads, [&](std::size_t i) {
    jobs[i].checksum = copy_and_hash(jobs[i].session->source_path, jobs[i].destination, jobs[i].session->bytes);
  });
  for (const auto& job : jobs)
    if (!job.checksum) return std::unexpected(job.checksum.error());

  if (auto written =
          write_text(audit_dir.path() / paths.audit_file.filename(), stable_dump(audit_json(plan, target, paths, options, jobs)));
      !written)
    return written;

  // The audit goes first: the workspace rename is the commit point readers look for.
  if (auto moved = commit(audit_dir.path(), paths.audit_dir, true); !moved) return moved;
  return commit(workspace.path(), paths.workspace, options.replace_existing);
}

}  // namespace diary::generate::prepare
