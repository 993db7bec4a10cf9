#include "generate/batch/batch_spec_parser.h"

#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

// Same exception-free toml++ build as the job spec parser (job_spec_parser.cpp).
#define TOML_EXCEPTIONS 0
#include <toml++/toml.h>

#include "generate/job/job_spec_parser.h"
#include "util/text_file.h"

namespace diary::generate {

namespace fs = std::filesystem;

namespace {

const std::set<std::string_view> root_keys = {"concurrency", "defaults", "job"};
// Keys a job entry may have besides the job's own fields. `codex_config` is backend-level
// (codex `-c key=value`): jobs whose values differ get separate app-servers.
constexpr std::string_view file_key = "file";
constexpr std::string_view codex_config_key = "codex_config";
// Job fields that [defaults] may not set: they identify one job.
const std::set<std::string_view> not_defaults = {"name", "artifact", "file"};
// Job fields holding paths relative to the file that sets them.
const std::vector<std::string_view> path_keys = {"workdir", "prompt_file", "output_schema"};

std::string join(const std::set<std::string_view>& names) {
  std::string out;
  for (auto name : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

class BatchReader {
 public:
  explicit BatchReader(fs::path shown) : shown_(std::move(shown)) {}

  void problem(std::string_view key, std::uint32_t line, const std::string& message) {
    std::string where = shown_.string();
    if (line > 0) where += ":" + std::to_string(line);
    problems_.push_back(where + ": " + std::string(key) + ": " + message);
  }
  void problem(std::string_view key, const toml::node& node, const std::string& message) {
    problem(key, node.source().begin.line, message);
  }
  void add(std::string message) { problems_.push_back(std::move(message)); }

  // `codex_config = ["key=value", ...]`, removed from `table` (the job parser does not know it).
  std::optional<std::vector<std::string>> take_codex_config(toml::table& table, const std::string& prefix) {
    const toml::node* node = table.get(codex_config_key);
    if (node == nullptr) return std::nullopt;
    const std::string key = prefix + std::string(codex_config_key);
    std::vector<std::string> out;
    if (const toml::array* array = node->as_array()) {
      for (std::size_t i = 0; i < array->size(); ++i) {
        const toml::node& item = *array->get(i);
        const std::string item_key = key + "[" + std::to_string(i) + "]";
        const auto* text = item.as_string();
        if (text == nullptr) {
          problem(item_key, item, "expected a string \"key=value\"");
        } else if (const auto eq = text->get().find('='); eq == std::string::npos || eq == 0) {
          problem(item_key, item, "expected key=value, got '" + text->get() + "'");
        } else {
          out.push_back(text->get());
        }
      }
    } else {
      problem(key, *node, "expected an array of \"key=value\" strings");
    }
    table.erase(codex_config_key);
    return out;
  }

  BatchProblems take() { return std::move(problems_); }
  bool ok() const { return problems_.empty(); }
  const fs::path& shown() const { return shown_; }

 private:
  fs::path shown_;
  BatchProblems problems_;
};

// [defaults]: checked once on their own (as a job with a placeholder name and prompt, so that
// a mistake is reported once with its line, not once per job), then their relative paths are
// made absolute against the batch directory so that they mean the same in every job.
struct Defaults {
  toml::table table;
  std::vector<std::string> codex_config;
  bool usable = true;
};

Defaults read_defaults(BatchReader& reader, toml::table& root, const fs::path& base) {
  Defaults defaults;
  toml::node* node = root.get("defaults");
  if (node == nullptr) return defaults;
  toml::table* table = node->as_table();
  if (table == nullptr) {
    reader.problem("defaults", *node, "expected a table ([defaults])");
    defaults.usable = false;
    return defaults;
  }
  if (auto codex = reader.take_codex_config(*table, "defaults.")) defaults.codex_config = std::move(*codex);
  for (auto key : not_defaults) {
    if (const toml::node* bad = table->get(key)) {
      reader.problem("defaults." + std::string(key), *bad, "not allowed in [defaults] (it belongs to one job)");
      table->erase(key);
      defaults.usable = false;
    }
  }
  const bool has_prompt = table->contains("prompt") || table->contains("prompt_file");
  table->insert("name", "defaults");
  if (!has_prompt) table->insert("prompt", "(each job's own)");
  auto checked = parse_job_table(
      *table, JobTableContext{.spec_path = reader.shown(), .key_prefix = "defaults.", .line = node->source().begin.line});
  table->erase("name");
  if (!has_prompt) table->erase("prompt");
  if (!checked) {
    reader.add(checked.error().message);
    defaults.usable = false;
    return defaults;
  }
  for (auto key : path_keys)
    if (auto* value = table->get_as<std::string>(key)) value->get() = (base / value->get()).lexically_normal().string();
  defaults.table = *table;
  return defaults;
}

// Adds the defaults a job does not set itself (a job's own value wins; `prompt` and
// `prompt_file` count as one setting).
void merge_defaults(toml::table& job, const toml::table& defaults) {
  const bool job_has_prompt = job.contains("prompt") || job.contains("prompt_file");
  for (auto&& [key, value] : defaults) {
    const std::string_view name = key.str();
    if (name == "prompt" || name == "prompt_file") {
      if (job_has_prompt) continue;
    } else if (job.contains(name)) {
      continue;
    }
    job.insert(name, value);
  }
}

struct ParsedJob {
  std::optional<JobSpec> spec;
  std::string name;  // as declared, also when the job is invalid (for duplicate checks)
};

ParsedJob read_file_job(BatchReader& reader, toml::table& entry, const std::string& prefix, const fs::path& base,
                        const Defaults& defaults) {
  ParsedJob out;
  const toml::node& file_node = *entry.get(file_key);
  const auto* file = file_node.as_string();
  if (file == nullptr || file->get().empty()) {
    reader.problem(prefix + "file", file_node, "expected the path of a job spec file");
    return out;
  }
  bool clean = true;
  for (auto&& [key, value] : entry) {
    if (key.str() == file_key) continue;
    reader.problem(prefix + std::string(key.str()), key.source().begin.line,
                   "not allowed next to file (set job fields in the job file, or make this an inline job)");
    clean = false;
  }
  const fs::path path = (base / file->get()).lexically_normal();
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    reader.problem(prefix + "file", file_node, "job spec not found: " + path.string());
    return out;
  }
  if (!fs::is_regular_file(status)) {
    reader.problem(prefix + "file", file_node, path.string() + " is not a regular file");
    return out;
  }
  if (!defaults.usable || !clean) return out;
  auto text = util::read_text_file(path);
  if (!text) {
    reader.problem(prefix + "file", file_node, text.error());
    return out;
  }
  auto spec = parse_job_spec_text(*text, path, [&](toml::table& job) { merge_defaults(job, defaults.table); });
  if (!spec) {
    reader.add(spec.error().message);
    return out;
  }
  out.name = spec->name;
  out.spec = std::move(*spec);
  return out;
}

ParsedJob read_inline_job(BatchReader& reader, toml::table& entry, const std::string& prefix, const Defaults& defaults) {
  ParsedJob out;
  if (const auto* name = entry.get_as<std::string>("name")) out.name = name->get();
  if (!defaults.usable) return out;
  merge_defaults(entry, defaults.table);
  auto spec = parse_job_table(
      entry, JobTableContext{.spec_path = reader.shown(), .key_prefix = prefix, .line = entry.source().begin.line});
  if (!spec) {
    reader.add(spec.error().message);
    return out;
  }
  out.spec = std::move(*spec);
  return out;
}

void check_concurrency(BatchReader& reader, const toml::table& root, BatchSpec& spec) {
  const toml::node* node = root.get("concurrency");
  if (node == nullptr) return;
  const auto* value = node->as_integer();
  if (value == nullptr) {
    reader.problem("concurrency", *node, "expected an integer");
  } else if (value->get() < 1 || value->get() > max_batch_concurrency) {
    reader.problem("concurrency", *node,
                   "must be between 1 and " + std::to_string(max_batch_concurrency) + ", got " + std::to_string(value->get()));
  } else {
    spec.concurrency = static_cast<int>(value->get());
  }
}

// Names must be unique (results, ledgers and --only refer to jobs by name); no file may be an
// artifact of two jobs (they run at the same time).
void check_across_jobs(BatchReader& reader, const std::vector<ParsedJob>& parsed, const std::vector<std::uint32_t>& lines) {
  std::map<std::string, std::size_t> names;
  std::map<fs::path, std::size_t> artifacts;
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    const std::string prefix = "job[" + std::to_string(i) + "]";
    if (!parsed[i].name.empty()) {
      auto [first, inserted] = names.emplace(parsed[i].name, i);
      if (!inserted)
        reader.problem(prefix + ".name", lines[i],
                       "duplicate job name '" + parsed[i].name + "' (also job[" + std::to_string(first->second) + "], line " +
                           std::to_string(lines[first->second]) + ")");
    }
    if (!parsed[i].spec) continue;
    for (const auto& artifact : parsed[i].spec->artifacts) {
      const fs::path path = parsed[i].spec->workdir / artifact.path;
      auto [first, inserted] = artifacts.emplace(path, i);
      if (!inserted && first->second != i)
        reader.problem(prefix + ".artifact", lines[i],
                       "artifact " + path.string() + " is also declared by job[" + std::to_string(first->second) + "] ('" +
                           parsed[first->second].name + "'); jobs run concurrently, so each file needs one owner");
    }
  }
}

}  // namespace

std::expected<BatchSpec, BatchProblems> parse_batch_spec_text(std::string_view text, const fs::path& batch_path) {
  BatchReader reader(batch_path);
  const fs::path absolute = fs::absolute(batch_path).lexically_normal();
  const fs::path base = absolute.parent_path();
  toml::parse_result parsed = toml::parse(text, batch_path.string());
  if (!parsed) {
    const auto& error = parsed.error();
    return std::unexpected(BatchProblems{batch_path.string() + ":" + std::to_string(error.source().begin.line) + ":" +
                                         std::to_string(error.source().begin.column) +
                                         ": TOML syntax error: " + std::string(error.description())});
  }
  toml::table& root = parsed.table();
  BatchSpec spec;
  spec.batch_path = absolute;

  for (auto&& [key, value] : root)
    if (!root_keys.count(key.str()))
      reader.problem(key.str(), key.source().begin.line, "unknown key (allowed: " + join(root_keys) + ")");
  check_concurrency(reader, root, spec);
  Defaults defaults = read_defaults(reader, root, base);

  toml::node* jobs_node = root.get("job");
  toml::array* jobs = jobs_node ? jobs_node->as_array() : nullptr;
  if (jobs_node == nullptr) {
    reader.problem("job", 0, "no jobs: add [[job]] tables (file = \"...\" or an inline job)");
  } else if (jobs == nullptr || !jobs->is_array_of_tables() || jobs->empty()) {
    reader.problem("job", *jobs_node, "expected [[job]] tables");
    jobs = nullptr;
  }

  std::vector<ParsedJob> parsed_jobs;
  std::vector<std::uint32_t> lines;
  if (jobs != nullptr) {
    for (std::size_t i = 0; i < jobs->size(); ++i) {
      toml::table& entry = *jobs->get(i)->as_table();
      const std::string prefix = "job[" + std::to_string(i) + "].";
      lines.push_back(entry.source().begin.line);
      auto codex = reader.take_codex_config(entry, prefix);
      ParsedJob job = entry.contains(file_key) ? read_file_job(reader, entry, prefix, base, defaults)
                                               : read_inline_job(reader, entry, prefix, defaults);
      if (job.spec) job.spec->config_overrides = codex ? std::move(*codex) : defaults.codex_config;
      parsed_jobs.push_back(std::move(job));
    }
  }
  check_across_jobs(reader, parsed_jobs, lines);
  if (!reader.ok()) return std::unexpected(reader.take());

  for (std::size_t i = 0; i < parsed_jobs.size(); ++i)
    spec.jobs.push_back(BatchJob{.spec = std::move(*parsed_jobs[i].spec), .index = i, .line = lines[i]});
  return spec;
}

std::expected<BatchSpec, BatchProblems> parse_batch_spec(const fs::path& batch_path) {
  std::error_code ec;
  const auto status = fs::status(batch_path, ec);
  if (ec || !fs::exists(status)) return std::unexpected(BatchProblems{batch_path.string() + ": batch file not found"});
  if (!fs::is_regular_file(status))
    return std::unexpected(BatchProblems{batch_path.string() + ": batch file is not a regular file"});
  auto text = util::read_text_file(batch_path);
  if (!text) return std::unexpected(BatchProblems{"batch file: " + text.error()});
  return parse_batch_spec_text(*text, batch_path);
}

}  // namespace diary::generate
