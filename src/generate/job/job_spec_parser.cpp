#include "generate/job/job_spec_parser.h"

#include <set>

// Only this translation unit includes toml++; its header-only, exception-free build keeps
// errors as values like the rest of the library.
#define TOML_EXCEPTIONS 0
#include <toml++/toml.h>

#include "util/duration.h"
#include "util/text_file.h"
#include "generate/check/workdir_path.h"
#include "generate/ledger/run_ledger.h"

namespace diary::generate {

namespace fs = std::filesystem;

namespace {

using agent::ErrorKind;

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "table";
    case toml::node_type::array: return "array";
    case toml::node_type::string: return "string";
    case toml::node_type::integer: return "integer";
    case toml::node_type::floating_point: return "float";
    case toml::node_type::boolean: return "boolean";
    case toml::node_type::date: return "date";
    case toml::node_type::time: return "time";
    case toml::node_type::date_time: return "date-time";
    default: return "nothing";
  }
}

bool valid_name(const std::string& name) {
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (!std::isalnum(c) && c != '.' && c != '_' && c != '-') return false;
  return true;
}

// Collects the context needed to word every error the same way.
class SpecReader {
 public:
  // `shown` names the spec in messages as the user gave it; `base` resolves relative paths;
  // `key_prefix` leads every key named in a message; `table_line` stands for keys that are
  // missing (0 = none: a whole file).
  SpecReader(fs::path shown, fs::path base, std::string key_prefix = {}, std::uint32_t table_line = 0)
      : shown_(std::move(shown)), base_(std::move(base)), key_prefix_(std::move(key_prefix)), table_line_(table_line) {}

  std::unexpected<agent::Error> error(std::string_view key, std::uint32_t line, std::string message) const {
    std::string where = shown_.string();
    if (line > 0) where += ":" + std::to_string(line);
    return agent::fail(ErrorKind::invalid_input, where + ": " + key_prefix_ + std::string(key) + ": " + message);
  }

  // For a key that is absent (or whose default is wrong): the table's own line, if any.
  std::unexpected<agent::Error> missing(std::string_view key, std::string message) const {
    return error(key, table_line_, std::move(message));
  }

  std::unexpected<agent::Error> error(std::string_view key, const toml::node& node, std::string message) const {
    return error(key, node.source().begin.line, std::move(message));
  }

  const fs::path& base() const { return base_; }

  agent::Result<void> reject_unknown_keys(const toml::table& table, std::string_view prefix,
                                          const std::set<std::string_view>& known) const {
    for (auto&& [key, node] : table) {
      if (known.count(key.str())) continue;
      std::string allowed;
      for (auto name : known) allowed += (allowed.empty() ? "" : ", ") + std::string(name);
      return error(std::string(prefix) + std::string(key.str()), key.source().begin.line,
                   "unknown key (allowed: " + allowed + ")");
    }
    return {};
  }

  agent::Result<std::optional<std::string>> optional_string(const toml::table& table, std::string_view key,
                                                            std::string_view prefix = {}) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::nullopt;
    if (!node->is_string())
      return error(std::string(prefix) + std::string(key), *node, "expected a string, got " + type_name(*node));
    return node->as_string()->get();
  }

  agent::Result<std::optional<std::string>> optional_nonempty(const toml::table& table, std::string_view key,
                                                              std::string_view prefix = {}) const {
    auto value = optional_string(table, key, prefix);
    if (value && *value && (*value)->empty())
      return error(std::string(prefix) + std::string(key), *table.get(key), "must not be empty");
    return value;
  }

  agent::Result<std::optional<std::int64_t>> optional_integer(const toml::table& table, std::string_view key,
                                                              std::int64_t minimum, std::string_view prefix = {}) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::nullopt;
    const std::string name = std::string(prefix) + std::string(key);
    if (!node->is_integer()) return error(name, *node, "expected an integer, got " + type_name(*node));
    const std::int64_t value = node->as_integer()->get();
    if (value < minimum)
      return error(name, *node, "must be at least " + std::to_string(minimum) + ", got " + std::to_string(value));
    return value;
  }

  agent::Result<std::optional<std::string>> optional_choice(const toml::table& table, std::string_view key,
                                                            const std::vector<std::string>& choices) const {
    auto value = optional_string(table, key);
    if (!value || !*value) return value;
    for (const auto& choice : choices)
      if (**value == choice) return value;
    std::string allowed;
    for (const auto& choice : choices) allowed += (allowed.empty() ? "" : "|") + choice;
    return error(key, *table.get(key), "'" + **value + "' is not one of " + allowed);
  }

  agent::Result<std::vector<std::string>> string_list(const toml::table& table, std::string_view key,
                                                      std::string_view prefix = {}) const {
    std::vector<std::string> out;
    const toml::node* node = table.get(key);
    if (node == nullptr) return out;
    const std::string name = std::string(prefix) + std::string(key);
    const toml::array* array = node->as_array();
    if (array == nullptr) return error(name, *node, "expected an array of strings, got " + type_name(*node));
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& item = *array->get(i);
      const std::string item_name = name + "[" + std::to_string(i) + "]";
      if (!item.is_string()) return error(item_name, item, "expected a string, got " + type_name(item));
      if (item.as_string()->get().empty()) return error(item_name, item, "must not be empty");
      out.push_back(item.as_string()->get());
    }
    return out;
  }

  // A schema file named by `key`, relative to the spec file.
  agent::Result<std::pair<fs::path, std::shared_ptr<const JsonSchema>>> schema_file(const toml::node& node,
                                                                                    const std::string& key) const {
    const fs::path path = (base_ / node.as_string()->get()).lexically_normal();
    auto schema = JsonSchema::load(path);
    if (!schema) return error(key, node, schema.error().message);
    return std::make_pair(path, std::make_shared<const JsonSchema>(std::move(*schema)));
  }

 private:
  fs::path shown_;
  fs::path base_;
  std::string key_prefix_;
  std::uint32_t table_line_ = 0;
};

const std::set<std::string_view> root_keys = {
    "name",           "workdir",          "prompt",    "prompt_file",     "model",
    "model_provider", "reasoning_effort", "sandbox",   "approval_policy", "developer_instructions",
    "turn_timeout",   "max_no_progress",  "max_turns", "output_schema",   "resume_prompt",
    "max_tokens",     "fallback_model",   "artifact",  "policy"};
const std::set<std::string_view> artifact_keys = {"path", "min_bytes", "contains", "matches", "json_schema"};
const std::set<std::string_view> policy_keys = {"allow_commands", "deny_commands", "allow_write_paths"};

agent::Result<ArtifactSpec> parse_artifact(const SpecReader& reader, const toml::table& table, std::size_t index,
                                           const fs::path& workdir) {
  const std::string prefix = "artifact[" + std::to_string(index) + "].";
  if (auto ok = reader.reject_unknown_keys(table, prefix, artifact_keys); !ok) return std::unexpected(ok.error());
  ArtifactSpec spec;

  auto path = reader.optional_string(table, "path", prefix);
  if (!path) return std::unexpected(path.error());
  if (!*path) return reader.error(prefix + "path", table.source().begin.line, "required key is missing");
  const toml::node& path_node = *table.get("path");
  auto normal = normalize_relative(**path);
  if (!normal) return reader.error(prefix + "path", path_node, normal.error().message);
  auto inside = resolve_in_workdir(workdir, normal->generic_string());
  if (!inside) return reader.error(prefix + "path", path_node, inside.error().message);
  // diary's own ledger (events.jsonl, result.json) is no artifact: a check there would pass on
  // what diary wrote, and a model told to write there could corrupt the ledger. Lexically and
  // through symlinks.
  std::error_code ec;
  const fs::path ledger = fs::weakly_canonical(workdir / ledger_dir_name, ec);
  if (*normal->begin() == fs::path(ledger_dir_name) || (!ec && is_within(ledger, *inside)))
    return reader.error(prefix + "path", path_node,
                        "'" + **path + "' is inside " + std::string(ledger_dir_name) +
                            "/, where diary writes its run ledger; declare artifacts elsewhere");
  spec.path = normal->generic_string();

  auto min_bytes = reader.optional_integer(table, "min_bytes", 0, prefix);
  if (!min_bytes) return std::unexpected(min_bytes.error());
  if (*min_bytes) spec.min_bytes = static_cast<std::uintmax_t>(**min_bytes);

  auto contains = reader.string_list(table, "contains", prefix);
  if (!contains) return std::unexpected(contains.error());
  spec.contains = std::move(*contains);

  auto matches = reader.optional_nonempty(table, "matches", prefix);
  if (!matches) return std::unexpected(matches.error());
  if (*matches) {
    auto regex = compile_artifact_regex(**matches);
    if (!regex) return reader.error(prefix + "matches", *table.get("matches"), regex.error().message);
    spec.matches = **matches;
    spec.matches_regex = std::move(*regex);
  }

  auto schema_name = reader.optional_nonempty(table, "json_schema", prefix);
  if (!schema_name) return std::unexpected(schema_name.error());
  if (*schema_name) {
    auto schema = reader.schema_file(*table.get("json_schema"), prefix + "json_schema");
    if (!schema) return std::unexpected(schema.error());
    spec.json_schema_path = schema->first;
    spec.json_schema = schema->second;
  }
  return spec;
}

agent::Result<ApprovalPolicy> parse_policy(const SpecReader& reader, const toml::node& node) {
  const toml::table* table = node.as_table();
  if (table == nullptr) return reader.error("policy", node, "expected a table ([policy]), got " + type_name(node));
  if (auto ok = reader.reject_unknown_keys(*table, "policy.", policy_keys); !ok) return std::unexpected(ok.error());
  ApprovalPolicy policy;
  auto allow = reader.string_list(*table, "allow_commands", "policy.");
  if (!allow) return std::unexpected(allow.error());
  auto deny = reader.string_list(*table, "deny_commands", "policy.");
  if (!deny) return std::unexpected(deny.error());
  auto writes = reader.string_list(*table, "allow_write_paths", "policy.");
  if (!writes) return std::unexpected(writes.error());
  const toml::array* globs = table->get_as<toml::array>("allow_write_paths");
  for (std::size_t i = 0; i < writes->size(); ++i) {
    if (auto normal = normalize_relative((*writes)[i]); !normal)
      return reader.error("policy.allow_write_paths[" + std::to_string(i) + "]", *globs->get(i), normal.error().message);
  }
  policy.allow_commands = std::move(*allow);
  policy.deny_commands = std::move(*deny);
  policy.allow_write_paths = std::move(*writes);
  return policy;
}

#define DIARY_TRY_ASSIGN(target, expr)                               \
  do {                                                               \
    auto diary_value_ = (expr);                                      \
    if (!diary_value_) return std::unexpected(diary_value_.error()); \
    (target) = std::move(*diary_value_);                             \
  } while (false)

}  // namespace

agent::Result<JobSpec> parse_job_table(const toml::table& root, const JobTableContext& context) {
  const fs::path absolute_spec = fs::absolute(context.spec_path).lexically_normal();
  const SpecReader r(context.spec_path, absolute_spec.parent_path(), context.key_prefix, context.line);
  if (auto ok = r.reject_unknown_keys(root, "", root_keys); !ok) return std::unexpected(ok.error());

  JobSpec spec;
  spec.spec_path = absolute_spec;

  std::optional<std::string> name;
  DIARY_TRY_ASSIGN(name, r.optional_string(root, "name"));
  if (!name) return r.missing("name", "required key is missing");
  if (!valid_name(*name)) return r.error("name", *root.get("name"), "'" + *name + "' must match [A-Za-z0-9._-]+");
  spec.name = *name;

  std::optional<std::string> workdir;
  DIARY_TRY_ASSIGN(workdir, r.optional_nonempty(root, "workdir"));
  {
    const fs::path wanted = (r.base() / workdir.value_or(".")).lexically_normal();
    std::error_code ec;
    const auto status = fs::status(wanted, ec);
    const std::uint32_t line = workdir ? root.get("workdir")->source().begin.line : context.line;
    if (ec || !fs::exists(status)) return r.error("workdir", line, "directory " + wanted.string() + " does not exist");
    if (!fs::is_directory(status)) return r.error("workdir", line, wanted.string() + " is not a directory");
    spec.workdir = fs::canonical(wanted, ec);
    if (ec) return r.error("workdir", line, "cannot resolve " + wanted.string() + ": " + ec.message());
  }

  std::optional<std::string> prompt, prompt_file;
  DIARY_TRY_ASSIGN(prompt, r.optional_string(root, "prompt"));
  DIARY_TRY_ASSIGN(prompt_file, r.optional_nonempty(root, "prompt_file"));
  if (prompt && prompt_file)
    return r.error("prompt_file", *root.get("prompt_file"), "give either prompt or prompt_file, not both");
  if (!prompt && !prompt_file) return r.missing("prompt", "required key is missing (or give prompt_file)");
  if (prompt) {
    if (prompt->empty()) return r.error("prompt", *root.get("prompt"), "must not be empty");
    spec.prompt = *prompt;
  } else {
    const fs::path file = (r.base() / *prompt_file).lexically_normal();
    auto text_content = util::read_text_file(file);
    if (!text_content) return r.error("prompt_file", *root.get("prompt_file"), text_content.error());
    if (text_content->empty()) return r.error("prompt_file", *root.get("prompt_file"), file.string() + " is empty");
    spec.prompt = std::move(*text_content);
    spec.prompt_file = file;
  }

  DIARY_TRY_ASSIGN(spec.model, r.optional_nonempty(root, "model"));
  DIARY_TRY_ASSIGN(spec.model_provider, r.optional_nonempty(root, "model_provider"));
  DIARY_TRY_ASSIGN(spec.reasoning_effort,
                   r.optional_choice(root, "reasoning_effort", {"none", "minimal", "low", "medium", "high", "xhigh"}));
  std::optional<std::string> choice;
  DIARY_TRY_ASSIGN(choice, r.optional_choice(root, "sandbox", {"read-only", "workspace-write", "danger-full-access"}));
  if (choice) spec.sandbox = *choice;
  // codex 0.169.0 no longer knows "on-failure" (thread/start would reject every turn), so say so
  // here, before anything runs.
  if (const auto* policy = root.get("approval_policy"); policy && policy->value<std::string>() == "on-failure")
    return r.error("approval_policy", *policy,
                   "\"on-failure\" is not supported by codex 0.169.0; use \"on-request\" or \"untrusted\"");
  DIARY_TRY_ASSIGN(choice, r.optional_choice(root, "approval_policy", {"never", "on-request", "untrusted"}));
  if (choice) spec.approval_policy = *choice;
  DIARY_TRY_ASSIGN(spec.developer_instructions, r.optional_string(root, "developer_instructions"));
  DIARY_TRY_ASSIGN(spec.resume_prompt, r.optional_string(root, "resume_prompt"));
  DIARY_TRY_ASSIGN(spec.fallback_model, r.optional_nonempty(root, "fallback_model"));

  std::optional<std::string> timeout;
  DIARY_TRY_ASSIGN(timeout, r.optional_string(root, "turn_timeout"));
  if (timeout) {
    auto duration = util::parse_duration(*timeout);
    if (!duration) return r.error("turn_timeout", *root.get("turn_timeout"), duration.error());
    spec.turn_timeout = *duration;
  }
  std::optional<std::int64_t> number;
  DIARY_TRY_ASSIGN(number, r.optional_integer(root, "max_no_progress", 1));
  if (number) {
    if (*number > 1000) return r.error("max_no_progress", *root.get("max_no_progress"), "must be at most 1000");
    spec.max_no_progress = static_cast<int>(*number);
  }
  DIARY_TRY_ASSIGN(number, r.optional_integer(root, "max_turns", 1));
  if (number) {
    if (*number > 1000) return r.error("max_turns", *root.get("max_turns"), "must be at most 1000");
    spec.max_turns = static_cast<int>(*number);
  }
  DIARY_TRY_ASSIGN(spec.max_tokens, r.optional_integer(root, "max_tokens", 1));

  std::optional<std::string> output_schema;
  DIARY_TRY_ASSIGN(output_schema, r.optional_nonempty(root, "output_schema"));
  if (output_schema) {
    auto schema = r.schema_file(*root.get("output_schema"), "output_schema");
    if (!schema) return std::unexpected(schema.error());
    spec.output_schema_path = schema->first;
    spec.output_schema = schema->second;
  }

  if (const toml::node* artifacts = root.get("artifact")) {
    const toml::array* array = artifacts->as_array();
    if (array == nullptr || !array->is_array_of_tables())
      return r.error("artifact", *artifacts, "expected [[artifact]] tables, got " + type_name(*artifacts));
    std::set<std::string> seen;
    for (std::size_t i = 0; i < array->size(); ++i) {
      auto artifact = parse_artifact(r, *array->get(i)->as_table(), i, spec.workdir);
      if (!artifact) return std::unexpected(artifact.error());
      if (!seen.insert(artifact->path).second)
        return r.error("artifact[" + std::to_string(i) + "].path", *array->get(i)->as_table()->get("path"),
                       "duplicate artifact path " + artifact->path);
      spec.artifacts.push_back(std::move(*artifact));
    }
  }
  if (const toml::node* policy = root.get("policy")) DIARY_TRY_ASSIGN(spec.policy, parse_policy(r, *policy));
  return spec;
}

agent::Result<JobSpec> parse_job_spec_text(std::string_view text, const fs::path& spec_path,
                                           const JobTableHook& before_validation) {
  toml::parse_result parsed = toml::parse(text, spec_path.string());
  if (!parsed) {
    const auto& error = parsed.error();
    return agent::fail(ErrorKind::invalid_input, spec_path.string() + ":" + std::to_string(error.source().begin.line) + ":" +
                                                     std::to_string(error.source().begin.column) +
                                                     ": TOML syntax error: " + std::string(error.description()));
  }
  if (before_validation) before_validation(parsed.table());
  return parse_job_table(parsed.table(), JobTableContext{.spec_path = spec_path});
}

agent::Result<JobSpec> parse_job_spec(const fs::path& spec_path, const JobTableHook& before_validation) {
  std::error_code ec;
  const auto status = fs::status(spec_path, ec);
  if (ec || !fs::exists(status)) return agent::fail(ErrorKind::invalid_input, spec_path.string() + ": job spec not found");
  if (!fs::is_regular_file(status))
    return agent::fail(ErrorKind::invalid_input, spec_path.string() + ": job spec is not a regular file");
  auto text = util::read_text_file(spec_path);
  if (!text) return agent::fail(ErrorKind::invalid_input, "job spec: " + text.error());
  return parse_job_spec_text(*text, spec_path, before_validation);
}

}  // namespace diary::generate
