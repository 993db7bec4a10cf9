#include "generate/check/artifact_check.h"

#include "util/text_file.h"
#include "generate/check/workdir_path.h"

namespace diary::generate {

namespace fs = std::filesystem;

namespace {

// Shown to users and models: JSON quoting keeps newlines and quotes in a substring visible.
std::string quote(const std::string& text) { return nlohmann::json(text).dump(); }

constexpr std::size_t max_schema_problems = 20;

// What a missing artifact must satisfy, so that the resume prompt can say it in one line.
std::string requirements(const ArtifactSpec& spec) {
  std::string out = spec.min_bytes > 0 ? "at least " + std::to_string(spec.min_bytes) + " byte(s)" : "may be empty";
  for (const auto& text : spec.contains) out += "; contains " + quote(text);
  if (spec.matches) out += "; matches /" + *spec.matches + "/";
  if (spec.json_schema) {
    out += "; valid JSON against ";
    out += spec.json_schema_path ? spec.json_schema_path->filename().string() : std::string("its schema");
  }
  return out;
}

}  // namespace

int ArtifactSpec::check_count() const {
  return 2 + static_cast<int>(contains.size()) + (matches_regex ? 1 : 0) + (json_schema ? 1 : 0);
}

agent::Result<std::shared_ptr<const util::BoundedRegex>> compile_artifact_regex(const std::string& pattern) {
  auto regex = util::BoundedRegex::compile(pattern, util::RegexDialect::multiline);
  if (!regex) return agent::fail(agent::ErrorKind::invalid_input, regex.error());
  return std::make_shared<const util::BoundedRegex>(std::move(*regex));
}

nlohmann::json to_json(const ArtifactCheckResult& result) {
  return {{"path", result.path}, {"ok", result.ok}, {"problems", result.problems}};
}

bool improves(const CheckTally& now, const CheckTally& best) {
  if (now.failing_checks != best.failing_checks) return now.failing_checks < best.failing_checks;
  return now.bytes > best.bytes;
}

nlohmann::json to_json(const ArtifactReport& report) {
  nlohmann::json artifacts = nlohmann::json::array();
  for (const auto& result : report.artifacts) artifacts.push_back(to_json(result));
  return {{"artifacts", std::move(artifacts)},
          {"failing_checks", report.tally.failing_checks},
          {"bytes", report.tally.bytes},
          {"complete", report.complete()}};
}

ArtifactCheckResult check_artifact(const fs::path& workdir, const ArtifactSpec& spec) {
  ArtifactCheckResult result{.path = spec.path};
  auto fail_all = [&](std::string problem) {
    result.problems.push_back(std::move(problem));
    result.failing_checks = spec.check_count();
    return result;
  };

  auto resolved = resolve_in_workdir(workdir, spec.path);
  if (!resolved) return fail_all(resolved.error().message);
  std::error_code ec;
  const auto status = fs::status(*resolved, ec);
  if (ec || !fs::exists(status)) return fail_all("missing file (required: " + requirements(spec) + ")");
  if (!fs::is_regular_file(status)) return fail_all("not a regular file");
  auto content = util::read_text_file(*resolved, util::artifact_read_cap);
  if (!content) return fail_all(content.error());
  result.bytes = content->size();

  auto failed_check = [&](std::string problem) {
    result.problems.push_back(std::move(problem));
    ++result.failing_checks;
  };
  if (content->size() < spec.min_bytes)
    failed_check("too small: " + std::to_string(content->size()) + " byte(s), needs at least " + std::to_string(spec.min_bytes));
  for (const auto& text : spec.contains)
    if (content->find(text) == std::string::npos) failed_check("missing substring " + quote(text));
  if (spec.matches_regex) {
    // A search that hits a limit cannot show the artifact good: a failing check that says which.
    auto found = spec.matches_regex->search(*content);
    if (!found) failed_check(found.error());
    else if (!*found) failed_check("no match for regex " + util::shown_pattern(spec.matches_regex->pattern()));
  }
  if (spec.json_schema) {
    const std::string schema_name = spec.json_schema_path ? spec.json_schema_path->filename().string() : std::string("schema");
    auto violations = validate_json_text(*spec.json_schema, *content);
    // One failing check however many violations: every violation is still listed (bounded).
    if (!violations.empty()) ++result.failing_checks;
    for (std::size_t i = 0; i < violations.size() && i < max_schema_problems; ++i)
      result.problems.push_back("schema " + schema_name + ": " + to_string(violations[i]));
    if (violations.size() > max_schema_problems)
      result.problems.push_back("schema " + schema_name + ": ... and " + std::to_string(violations.size() - max_schema_problems) +
                                " more violation(s)");
  }
  result.ok = result.problems.empty();
  return result;
}

ArtifactReport check_artifacts(const fs::path& workdir, const std::vector<ArtifactSpec>& specs) {
  ArtifactReport report;
  for (const auto& spec : specs) {
    auto result = check_artifact(workdir, spec);
    report.tally.failing_checks += result.failing_checks;
    report.tally.bytes += result.bytes;
    report.artifacts.push_back(std::move(result));
  }
  return report;
}

}  // namespace diary::generate
