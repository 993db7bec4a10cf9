#include "generate/prepare/workspace_plan.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <tuple>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include "util/sha256.h"

namespace diary::generate::prepare {

namespace {

struct Candidate {
  ScannedSession scan;
  ProjectIdentity identity;
  std::vector<PlannedTurn> turns;
};

std::vector<PlannedTurn> turns_in_window(const std::vector<TurnSpan>& turns, const ReportTarget& target) {
  std::vector<PlannedTurn> kept;
  for (const auto& turn : turns)
    if (turn.trigger_time && target.contains(*turn.trigger_time))
      kept.push_back({make_ref('T', kept.size() + 1), turn.start_line, turn.end_line});
  return kept;
}

std::optional<SkipReason> exclusion(const ScannedSession& scan, const PlanOptions& options) {
  if (scan.subagent) return SkipReason::subagent;
  if (is_excluded_originator(options.scan, scan.originator)) return SkipReason::own_session;
  if (scan.cwd && std::filesystem::path(*scan.cwd).is_absolute() && is_inside(*scan.cwd, options.reports_root))
    return SkipReason::inside_reports_root;
  return std::nullopt;
}

// Identical copies (same id, same bytes, same project) collapse onto the smallest path;
// anything else claiming the same id is a conflict the user must resolve.
agent::Result<std::vector<Candidate>> fold_duplicates(
    std::vector<Candidate> candidates, const PlanOptions& options,
    std::map<std::filesystem::path, std::vector<std::filesystem::path>>& folded) {
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(a.scan.source, a.scan.session_id, a.scan.path) < std::tie(b.scan.source, b.scan.session_id, b.scan.path);
  });
  std::vector<Candidate> kept;
  for (std::size_t i = 0; i < candidates.size();) {
    std::size_t j = i + 1;
    while (j < candidates.size() && candidates[j].scan.source == candidates[i].scan.source &&
           candidates[j].scan.session_id == candidates[i].scan.session_id)
      ++j;
    if (j - i > 1) {
      const Candidate& first = candidates[i];
      auto first_sum = options.checksum(first.scan.path, first.scan.bytes);
      if (!first_sum) return std::unexpected(first_sum.error());
      for (std::size_t k = i + 1; k < j; ++k) {
        const Candidate& other = candidates[k];
        bool same = other.scan.bytes == first.scan.bytes && other.identity == first.identity;
        if (same) {
          auto other_sum = options.checksum(other.scan.path, other.scan.bytes);
          if (!other_sum) return std::unexpected(other_sum.error());
          same = *other_sum == *first_sum;
        }
        if (!same)
          return agent::fail(agent::ErrorKind::invalid_input,
                             fmt::format("conflicting copies of {} session {}: {} and {} differ; remove or move one "
                                         "of them and prepare again (nothing was written)",
                                         to_string(first.scan.source), first.scan.session_id, first.scan.path.string(),
                                         other.scan.path.string()));
        folded[first.scan.path].push_back(other.scan.path);
      }
    }
    kept.push_back(std::move(candidates[i]));
    i = j;
  }
  return kept;
}

}  // namespace

std::string make_ref(char prefix, std::size_t number) { return fmt::format("{}{:04d}", prefix, number); }

std::string_view to_string(SkipReason reason) {
  switch (reason) {
    case SkipReason::unreadable: return "unreadable";
    case SkipReason::subagent: return "subagent";
    case SkipReason::own_session: return "own_session";
    case SkipReason::inside_reports_root: return "inside_reports_root";
    case SkipReason::no_turns_in_window: return "no_turns_in_window";
  }
  return "unknown";
}

std::string PlannedSession::session_path() const { return "sessions/" + std::string(to_string(source)) + "/" + file_name; }

std::size_t WorkspacePlan::session_count() const {
  std::size_t count = 0;
  for (const auto& project : projects) count += project.sessions.size();
  return count;
}

std::size_t WorkspacePlan::turn_count() const {
  std::size_t count = 0;
  for (const auto& project : projects)
    for (const auto& session : project.sessions) count += session.turns.size();
  return count;
}

agent::Result<WorkspacePlan> plan_workspace(std::vector<ScanOutcome> scans, const ReportTarget& target,
                                            const PlanOptions& options) {
  WorkspacePlan plan;
  plan.files_scanned = scans.size();
  std::vector<Candidate> candidates;
  for (auto& outcome : scans) {
    if (!outcome.result) {
      plan.skipped.push_back({outcome.source, outcome.path, SkipReason::unreadable, {}, outcome.result.error().message});
      continue;
    }
    ScannedSession& scan = *outcome.result;
    if (auto reason = exclusion(scan, options)) {
      plan.skipped.push_back({scan.source, scan.path, *reason, scan.lines, {}});
      continue;
    }
    auto turns = turns_in_window(scan.turns, target);
    if (turns.empty()) {
      plan.skipped.push_back({scan.source, scan.path, SkipReason::no_turns_in_window, scan.lines, {}});
      continue;
    }
    auto identity = project_identity(scan.cwd, scan.source, scan.session_id);
    candidates.push_back({std::move(scan), std::move(identity), std::move(turns)});
  }

  std::map<std::filesystem::path, std::vector<std::filesystem::path>> folded;
  auto kept = fold_duplicates(std::move(candidates), options, folded);
  if (!kept) return std::unexpected(kept.error());

  std::map<std::string, PlannedProject> projects;
  for (auto& candidate : *kept) {
    auto& project = projects[candidate.identity.key];
    project.identity = candidate.identity;
    PlannedSession session;
    session.source = candidate.scan.source;
    session.source_session_id = candidate.scan.session_id;
    session.source_path = candidate.scan.path;
    session.file_name = candidate.scan.path.filename().string();
    session.bytes = candidate.scan.bytes;
    session.lines = candidate.scan.lines;
    session.turns = std::move(candidate.turns);
    if (auto it = folded.find(session.source_path); it != folded.end()) session.duplicate_paths = it->second;
    project.sessions.push_back(std::move(session));
  }

  for (auto& [key, project] : projects) {
    auto& sessions = project.sessions;
    std::sort(sessions.begin(), sessions.end(), [](const PlannedSession& a, const PlannedSession& b) {
      return std::make_tuple(to_string(a.source), std::cref(a.source_session_id), a.session_path()) <
             std::make_tuple(to_string(b.source), std::cref(b.source_session_id), b.session_path());
    });
    for (std::size_t i = 0; i < sessions.size(); ++i) {
      sessions[i].ref = make_ref('S', i + 1);
      for (std::size_t j = 0; j < i; ++j)
        if (sessions[j].session_path() == sessions[i].session_path())
          return agent::fail(
              agent::ErrorKind::invalid_input,
              fmt::format("{} and {} would both be copied to {}/{}; rename one of them", sessions[j].source_path.string(),
                          sessions[i].source_path.string(), key, sessions[i].session_path()));
    }
    plan.projects.push_back(std::move(project));
  }

  std::sort(plan.skipped.begin(), plan.skipped.end(),
            [](const SkippedFile& a, const SkippedFile& b) { return std::tie(a.source, a.path) < std::tie(b.source, b.path); });
  return plan;
}

agent::Result<std::string> file_sha256(const std::filesystem::path& path, std::uint64_t bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return agent::fail(agent::ErrorKind::io, "cannot open " + path.string() + ": " + std::strerror(errno));
  util::Sha256 hasher;
  std::string buffer(1u << 20, '\0');
  std::uint64_t left = bytes;
  while (left > 0) {
    ssize_t got = ::read(fd, buffer.data(), std::min<std::uint64_t>(left, buffer.size()));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      ::close(fd);
      return agent::fail(agent::ErrorKind::io, "cannot read " + path.string() + " (did it shrink while preparing?)");
    }
    hasher.update(buffer.data(), static_cast<std::size_t>(got));
    left -= static_cast<std::uint64_t>(got);
  }
  ::close(fd);
  return hasher.hex_digest();
}

}  // namespace diary::generate::prepare
