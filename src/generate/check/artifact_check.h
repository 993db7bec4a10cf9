// The one artifact-check module: declared artifacts are verified from disk (exists inside the
// working directory, size, substrings, regex, JSON schema) and reported per artifact, plus a
// tally that tells the resume loop whether a turn made progress. Checks only read files;
// specs are immutable values (compiled regex/schema shared via shared_ptr<const>).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/error.h"
#include "generate/check/json_schema.h"
#include "util/bounded_regex.h"

namespace diary::generate {

struct ArtifactSpec {
  std::string path;              // relative to the working directory, normalized
  std::uintmax_t min_bytes = 1;  // 0 = may be empty (but must exist)
  std::vector<std::string> contains;
  std::optional<std::string> matches;                       // PCRE2 regex source, multiline (docs/jobs.md)
  std::shared_ptr<const util::BoundedRegex> matches_regex;  // compiled `matches`, bounded
  std::optional<std::filesystem::path> json_schema_path;    // as resolved, for messages
  std::shared_ptr<const JsonSchema> json_schema;

  // Number of individual checks this artifact has (exists, size, each substring, ...).
  int check_count() const;
};

// Compiles a `matches` pattern the way checks use it (multiline, bounded by util::RegexLimits).
agent::Result<std::shared_ptr<const util::BoundedRegex>> compile_artifact_regex(const std::string& pattern);

struct ArtifactCheckResult {
  std::string path;
  bool ok = false;
  std::vector<std::string> problems;  // one line each, e.g. `missing substring "## Highlights"`
  int failing_checks = 0;
  std::uintmax_t bytes = 0;  // size on disk when the file exists inside the workdir

  friend bool operator==(const ArtifactCheckResult&, const ArtifactCheckResult&) = default;
};

nlohmann::json to_json(const ArtifactCheckResult& result);  // {path, ok, problems}

// What progress is measured on: fewer failing checks, or as many failing checks and more bytes
// of artifact on disk (an artifact written in pieces over several turns).
struct CheckTally {
  int failing_checks = 0;
  std::uintmax_t bytes = 0;

  friend bool operator==(const CheckTally&, const CheckTally&) = default;
};

// True when `now` is strictly better than `best` (the best tally seen so far, so that an
// artifact deleted and rewritten does not count as progress twice).
bool improves(const CheckTally& now, const CheckTally& best);

struct ArtifactReport {
  std::vector<ArtifactCheckResult> artifacts;
  CheckTally tally;

  bool complete() const { return tally.failing_checks == 0; }
};

nlohmann::json to_json(const ArtifactReport& report);  // {artifacts, failing_checks, bytes, complete}

ArtifactCheckResult check_artifact(const std::filesystem::path& workdir, const ArtifactSpec& spec);
ArtifactReport check_artifacts(const std::filesystem::path& workdir, const std::vector<ArtifactSpec>& specs);

}  // namespace diary::generate
