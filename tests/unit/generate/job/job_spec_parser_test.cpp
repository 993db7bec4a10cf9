#include "generate/job/job_spec_parser.h"

#include <gtest/gtest.h>

#include "generate/job/job_overrides.h"
#include "support/scratch_dir.h"

namespace diary::generate {
namespace {

using test::ScratchDir;
using test::write_file;

class JobSpecParserTest : public ::testing::Test {
 protected:
  ScratchDir dir;

  agent::Result<JobSpec> parse(const std::string& toml) {
    write_file(dir / "job.toml", toml);
    return parse_job_spec(dir / "job.toml");
  }

  // Asserts an invalid_input error whose message names the file, the line and the key.
  void expect_error(const std::string& toml, const std::string& key, int line, const std::string& fragment) {
    auto spec = parse(toml);
    ASSERT_FALSE(spec) << "expected an error for:\n" << toml;
    EXPECT_EQ(spec.error().kind, agent::ErrorKind::invalid_input);
    const std::string& message = spec.error().message;
    std::string where = (dir / "job.toml").string() + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": ";
    EXPECT_EQ(message.rfind(where, 0), 0u) << message << "\n  expected prefix: " << where;
    EXPECT_NE(message.find(key + ": "), std::string::npos) << message << "\n  expected key: " << key;
    EXPECT_NE(message.find(fragment), std::string::npos) << message << "\n  expected: " << fragment;
  }
};

const std::string minimal = "name = \"n\"\nprompt = \"do it\"\n";

TEST_F(JobSpecParserTest, MinimalSpecGetsDefaults) {
  auto spec = parse(minimal);
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(spec->name, "n");
  EXPECT_EQ(spec->prompt, "do it");
  EXPECT_EQ(spec->workdir, std::filesystem::canonical(dir.path()));
  EXPECT_EQ(spec->spec_path, dir / "job.toml");
  EXPECT_EQ(spec->sandbox, "workspace-write");
  EXPECT_EQ(spec->approval_policy, "never");
  EXPECT_EQ(spec->turn_timeout, std::chrono::seconds(600));
  EXPECT_EQ(spec->max_no_progress, 3);
  EXPECT_EQ(spec->max_turns, 20);
  EXPECT_EQ(to_json(*spec)["max_turns"], 20);
  EXPECT_FALSE(spec->model || spec->max_tokens || spec->output_schema || spec->fallback_model);
  EXPECT_TRUE(spec->artifacts.empty());
  EXPECT_EQ(spec->policy, ApprovalPolicy{});
}

TEST_F(JobSpecParserTest, FullSpecIsResolved) {
  write_file(dir / "prompts" / "p.md", "Write the notes.\n");
  write_file(dir / "schemas" / "notes.json", R"({"type":"object"})");
  write_file(dir / "schemas" / "out.json", R"({"type":"object","required":["ok"]})");
  std::filesystem::create_directories(dir / "repo");
  auto spec = parse(R"(
name = "release-notes.v1"
workdir = "repo"
prompt_file = "prompts/p.md"
model = "gpt-x"
model_provider = "mock"
reasoning_effort = "high"
sandbox = "read-only"
approval_policy = "on-request"
developer_instructions = "be brief"
turn_timeout = "10m"
max_no_progress = 5
max_turns = 9
output_schema = "schemas/out.json"
resume_prompt = "keep going"
max_tokens = 200000
fallback_model = "gpt-small"

[[artifact]]
path = "docs/./RELEASE.md"
min_bytes = 10
contains = ["## Highlights", "## Fixes"]
matches = "^# .+"
json_schema = "schemas/notes.json"

[[artifact]]
path = "CHANGELOG.md"

[policy]
allow_commands = ["git status", "npm test"]
deny_commands = ["rm -rf", "git push"]
allow_write_paths = ["docs/**"]
)");
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(spec->name, "release-notes.v1");
  EXPECT_EQ(spec->workdir, std::filesystem::canonical(dir / "repo"));
  EXPECT_EQ(spec->prompt, "Write the notes.\n");
  EXPECT_EQ(spec->prompt_file, dir / "prompts" / "p.md");
  EXPECT_EQ(spec->model, "gpt-x");
  EXPECT_EQ(spec->model_provider, "mock");
  EXPECT_EQ(spec->reasoning_effort, "high");
  EXPECT_EQ(spec->sandbox, "read-only");
  EXPECT_EQ(spec->approval_policy, "on-request");
  EXPECT_EQ(spec->developer_instructions, "be brief");
  EXPECT_EQ(spec->turn_timeout, std::chrono::minutes(10));
  EXPECT_EQ(spec->max_no_progress, 5);
  EXPECT_EQ(spec->max_turns, 9);
  ASSERT_TRUE(spec->output_schema);
  EXPECT_EQ(spec->output_schema_path, dir / "schemas" / "out.json");
  EXPECT_FALSE(spec->output_schema->is_valid(nlohmann::json::object()));
  EXPECT_EQ(spec->resume_prompt, "keep going");
  EXPECT_EQ(spec->max_tokens, 200000);
  EXPECT_EQ(spec->fallback_model, "gpt-small");
  ASSERT_EQ(spec->artifacts.size(), 2u);
  const auto& a = spec->artifacts[0];
  EXPECT_EQ(a.path, "docs/RELEASE.md");
  EXPECT_EQ(a.min_bytes, 10u);
  EXPECT_EQ(a.contains, (std::vector<std::string>{"## Highlights", "## Fixes"}));
  EXPECT_EQ(a.matches, "^# .+");
  EXPECT_TRUE(a.matches_regex);
  EXPECT_EQ(a.json_schema_path, dir / "schemas" / "notes.json");
  EXPECT_TRUE(a.json_schema);
  EXPECT_EQ(spec->artifacts[1].path, "CHANGELOG.md");
  EXPECT_EQ(spec->artifacts[1].min_bytes, 1u);
  EXPECT_EQ(spec->policy.allow_commands, (std::vector<std::string>{"git status", "npm test"}));
  EXPECT_EQ(spec->policy.deny_commands, (std::vector<std::string>{"rm -rf", "git push"}));
  EXPECT_EQ(spec->policy.allow_write_paths, (std::vector<std::string>{"docs/**"}));

  auto json = to_json(*spec);
  EXPECT_EQ(json["name"], "release-notes.v1");
  EXPECT_EQ(json["turn_timeout_ms"], 600000);
  EXPECT_EQ(json["artifacts"][0]["path"], "docs/RELEASE.md");
  EXPECT_EQ(json["policy"]["deny_commands"][1], "git push");
}

TEST_F(JobSpecParserTest, MissingOrUnreadableSpecFile) {
  auto missing = parse_job_spec(dir / "nope.toml");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, agent::ErrorKind::invalid_input);
  EXPECT_NE(missing.error().message.find("nope.toml: job spec not found"), std::string::npos);
  auto directory = parse_job_spec(dir.path());
  ASSERT_FALSE(directory);
  EXPECT_NE(directory.error().message.find("not a regular file"), std::string::npos);
}

TEST_F(JobSpecParserTest, TomlSyntaxErrorHasLineAndColumn) {
  auto spec = parse("name = \"n\"\nprompt = \"x\"\nbroken = = 3\n");
  ASSERT_FALSE(spec);
  EXPECT_EQ(spec.error().kind, agent::ErrorKind::invalid_input);
  EXPECT_EQ(spec.error().message.rfind((dir / "job.toml").string() + ":3:", 0), 0u) << spec.error().message;
  EXPECT_NE(spec.error().message.find("TOML syntax error"), std::string::npos);
}

TEST_F(JobSpecParserTest, UnknownKeys) {
  expect_error(minimal + "colour = \"red\"\n", "colour", 3, "unknown key");
  expect_error(minimal + "[[artifact]]\npath = \"a\"\nsize = 3\n", "artifact[0].size", 5, "unknown key");
  expect_error(minimal + "[policy]\nallow = [\"ls\"]\n", "policy.allow", 4, "unknown key");
  expect_error(minimal + "[extra]\nx = 1\n", "extra", 3, "unknown key");
}

TEST_F(JobSpecParserTest, Name) {
  expect_error("prompt = \"x\"\n", "name", 0, "required key is missing");
  expect_error("name = 3\nprompt = \"x\"\n", "name", 1, "expected a string, got integer");
  expect_error("name = \"a b\"\nprompt = \"x\"\n", "name", 1, "must match [A-Za-z0-9._-]+");
  expect_error("name = \"\"\nprompt = \"x\"\n", "name", 1, "must match");
}

TEST_F(JobSpecParserTest, PromptFields) {
  expect_error("name = \"n\"\n", "prompt", 0, "required key is missing");
  write_file(dir / "p.md", "text");
  expect_error("name = \"n\"\nprompt = \"x\"\nprompt_file = \"p.md\"\n", "prompt_file", 3, "not both");
  expect_error("name = \"n\"\nprompt = \"\"\n", "prompt", 2, "must not be empty");
  expect_error("name = \"n\"\nprompt = [\"x\"]\n", "prompt", 2, "expected a string, got array");
  expect_error("name = \"n\"\nprompt_file = \"missing.md\"\n", "prompt_file", 2, "cannot read");
  write_file(dir / "empty.md", "");
  expect_error("name = \"n\"\nprompt_file = \"empty.md\"\n", "prompt_file", 2, "is empty");
  expect_error("name = \"n\"\nprompt_file = \"\"\n", "prompt_file", 2, "must not be empty");
}

TEST_F(JobSpecParserTest, Workdir) {
  expect_error(minimal + "workdir = \"nope\"\n", "workdir", 3, "does not exist");
  write_file(dir / "file", "x");
  expect_error(minimal + "workdir = \"file\"\n", "workdir", 3, "is not a directory");
  expect_error(minimal + "workdir = 1\n", "workdir", 3, "expected a string");
}

TEST_F(JobSpecParserTest, EnumsAndStrings) {
  expect_error(minimal + "reasoning_effort = \"max\"\n", "reasoning_effort", 3,
               "'max' is not one of none|minimal|low|medium|high|xhigh");
  expect_error(minimal + "sandbox = \"none\"\n", "sandbox", 3, "is not one of read-only|workspace-write|danger-full-access");
  expect_error(minimal + "approval_policy = \"always\"\n", "approval_policy", 3, "is not one of never|on-request|untrusted");
  expect_error(minimal + "approval_policy = \"on-failure\"\n", "approval_policy", 3, "not supported by codex 0.169.0");
  expect_error(minimal + "sandbox = true\n", "sandbox", 3, "expected a string, got boolean");
  expect_error(minimal + "model = \"\"\n", "model", 3, "must not be empty");
  expect_error(minimal + "model = 1.5\n", "model", 3, "got float");
  expect_error(minimal + "model_provider = 1\n", "model_provider", 3, "expected a string");
  expect_error(minimal + "fallback_model = \"\"\n", "fallback_model", 3, "must not be empty");
  expect_error(minimal + "developer_instructions = 1\n", "developer_instructions", 3, "expected a string");
  expect_error(minimal + "resume_prompt = {a = 1}\n", "resume_prompt", 3, "got table");
}

TEST_F(JobSpecParserTest, Numbers) {
  expect_error(minimal + "turn_timeout = 600\n", "turn_timeout", 3, "expected a string, got integer");
  expect_error(minimal + "turn_timeout = \"10 minutes\"\n", "turn_timeout", 3, "invalid duration");
  expect_error(minimal + "turn_timeout = \"0s\"\n", "turn_timeout", 3, "invalid duration");
  expect_error(minimal + "turn_timeout = \"600\"\n", "turn_timeout", 3, "needs a unit");
  expect_error(minimal + "max_no_progress = 0\n", "max_no_progress", 3, "must be at least 1");
  expect_error(minimal + "max_no_progress = \"3\"\n", "max_no_progress", 3, "expected an integer, got string");
  expect_error(minimal + "max_no_progress = 5000\n", "max_no_progress", 3, "at most 1000");
  expect_error(minimal + "max_turns = 0\n", "max_turns", 3, "must be at least 1");
  expect_error(minimal + "max_turns = 1001\n", "max_turns", 3, "at most 1000");
  expect_error(minimal + "max_tokens = 0\n", "max_tokens", 3, "must be at least 1");
  expect_error(minimal + "max_tokens = 1.0\n", "max_tokens", 3, "expected an integer, got float");
}

TEST_F(JobSpecParserTest, OutputSchema) {
  expect_error(minimal + "output_schema = \"none.json\"\n", "output_schema", 3, "cannot read");
  write_file(dir / "bad.json", "{");
  expect_error(minimal + "output_schema = \"bad.json\"\n", "output_schema", 3, "is not valid JSON");
  write_file(dir / "notschema.json", "[1]");
  expect_error(minimal + "output_schema = \"notschema.json\"\n", "output_schema", 3, "must be an object or a boolean");
  write_file(dir / "badref.json", R"({"$ref": 7})");
  expect_error(minimal + "output_schema = \"badref.json\"\n", "output_schema", 3, "invalid JSON schema");
  expect_error(minimal + "output_schema = 1\n", "output_schema", 3, "expected a string");
}

TEST_F(JobSpecParserTest, ArtifactErrors) {
  const std::string head = minimal + "[[artifact]]\n";  // artifact table on line 3
  expect_error(head + "min_bytes = 1\n", "artifact[0].path", 3, "required key is missing");
  expect_error(head + "path = 1\n", "artifact[0].path", 4, "expected a string");
  expect_error(head + "path = \"\"\n", "artifact[0].path", 4, "path is empty");
  expect_error(head + "path = \"/etc/passwd\"\n", "artifact[0].path", 4, "must be relative");
  expect_error(head + "path = \"../x.md\"\n", "artifact[0].path", 4, "escapes the working directory");
  expect_error(head + "path = \"a/../../x.md\"\n", "artifact[0].path", 4, "escapes the working directory");
  expect_error(head + "path = \".\"\n", "artifact[0].path", 4, "names the working directory itself");
  expect_error(head + "path = \"a\"\nmin_bytes = -1\n", "artifact[0].min_bytes", 5, "must be at least 0");
  expect_error(head + "path = \"a\"\nmin_bytes = \"1\"\n", "artifact[0].min_bytes", 5, "expected an integer");
  expect_error(head + "path = \"a\"\ncontains = \"x\"\n", "artifact[0].contains", 5, "expected an array of strings, got string");
  expect_error(head + "path = \"a\"\ncontains = [\"x\", 2]\n", "artifact[0].contains[1]", 5, "expected a string, got integer");
  expect_error(head + "path = \"a\"\ncontains = [\"\"]\n", "artifact[0].contains[0]", 5, "must not be empty");
  expect_error(head + "path = \"a\"\nmatches = \"([a-\"\n", "artifact[0].matches", 5, "invalid regex");
  expect_error(head + "path = \"a\"\nmatches = 3\n", "artifact[0].matches", 5, "expected a string");
  expect_error(head + "path = \"a\"\njson_schema = \"no.json\"\n", "artifact[0].json_schema", 5, "cannot read");
  expect_error(head + "path = \"a\"\n[[artifact]]\npath = \"./a\"\n", "artifact[1].path", 6, "duplicate artifact path a");
  expect_error(head + "path = \".diary/runs/x.md\"\n", "artifact[0].path", 4,
               "is inside .diary/, where diary writes its run ledger");
  expect_error(head + "path = \"./.diary\"\n", "artifact[0].path", 4, "is inside .diary/");
  expect_error("name = \"n\"\nprompt_file = \"/dev/zero\"\n", "prompt_file", 2,
               "/dev/zero is not a regular file (a character device)");
  expect_error(minimal + "artifact = \"x\"\n", "artifact", 3, "expected [[artifact]] tables, got string");
  expect_error(minimal + "artifact = [1, 2]\n", "artifact", 3, "expected [[artifact]] tables, got array");
}

TEST_F(JobSpecParserTest, ArtifactSymlinkOutOfTheWorkdir) {
  std::filesystem::create_directories(dir / "outside");
  std::filesystem::create_directories(dir / "work");
  std::filesystem::create_symlink(dir / "outside", dir / "work" / "docs");
  write_file(dir / "job.toml", "name = \"n\"\nprompt = \"x\"\nworkdir = \"work\"\n[[artifact]]\npath = \"docs/a.md\"\n");
  auto spec = parse_job_spec(dir / "job.toml");
  ASSERT_FALSE(spec);
  EXPECT_NE(spec.error().message.find("job.toml:5: artifact[0].path: "), std::string::npos) << spec.error().message;
  EXPECT_NE(spec.error().message.find("outside the working directory"), std::string::npos) << spec.error().message;

  std::filesystem::create_symlink(dir / "outside" / "missing.md", dir / "work" / "dangling.md");
  write_file(dir / "job.toml", "name = \"n\"\nprompt = \"x\"\nworkdir = \"work\"\n[[artifact]]\npath = \"dangling.md\"\n");
  auto dangling = parse_job_spec(dir / "job.toml");
  ASSERT_FALSE(dangling);
  EXPECT_NE(dangling.error().message.find("symlink pointing outside"), std::string::npos) << dangling.error().message;
}

TEST_F(JobSpecParserTest, PolicyErrors) {
  expect_error(minimal + "policy = \"strict\"\n", "policy", 3, "expected a table");
  expect_error(minimal + "[policy]\nallow_commands = \"ls\"\n", "policy.allow_commands", 4, "expected an array of strings");
  expect_error(minimal + "[policy]\ndeny_commands = [1]\n", "policy.deny_commands[0]", 4, "expected a string");
  expect_error(minimal + "[policy]\nallow_write_paths = [\"../x/**\"]\n", "policy.allow_write_paths[0]", 4, "escapes");
  expect_error(minimal + "[policy]\nallow_write_paths = [\"/etc/**\"]\n", "policy.allow_write_paths[0]", 4, "must be relative");
}

TEST_F(JobSpecParserTest, TextVariantResolvesAgainstTheGivenPath) {
  std::filesystem::create_directories(dir / "sub");
  auto spec = parse_job_spec_text(minimal + "workdir = \"sub\"\n", dir / "virtual.toml");
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(spec->workdir, std::filesystem::canonical(dir / "sub"));
}

TEST_F(JobSpecParserTest, OverridesApplyAndValidate) {
  auto spec = parse(minimal);
  ASSERT_TRUE(spec);
  ASSERT_TRUE(apply_job_overrides(*spec, {.model = "m2",
                                          .turn_timeout = std::chrono::seconds(30),
                                          .max_no_progress = 7,
                                          .max_turns = 4,
                                          .config_overrides = {"a.b=1", "token=secret"}}));
  EXPECT_EQ(spec->model, "m2");
  EXPECT_EQ(spec->turn_timeout, std::chrono::seconds(30));
  EXPECT_EQ(spec->max_no_progress, 7);
  EXPECT_EQ(spec->max_turns, 4);
  EXPECT_EQ(spec->config_overrides, (std::vector<std::string>{"a.b=1", "token=secret"}));
  EXPECT_EQ(to_json(*spec)["config_override_keys"], nlohmann::json({"a.b", "token"}));
  EXPECT_EQ(to_json(*spec).dump().find("secret"), std::string::npos);

  auto bad = apply_job_overrides(*spec, {.max_no_progress = 0});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, agent::ErrorKind::invalid_input);
  EXPECT_NE(bad.error().message.find("--max-no-progress"), std::string::npos);
  EXPECT_FALSE(apply_job_overrides(*spec, {.model = ""}));
  EXPECT_FALSE(apply_job_overrides(*spec, {.max_turns = 0}));
  EXPECT_FALSE(apply_job_overrides(*spec, {.max_turns = 1001}));
  EXPECT_FALSE(apply_job_overrides(*spec, {.turn_timeout = std::chrono::milliseconds(0)}));
  EXPECT_FALSE(apply_job_overrides(*spec, {.config_overrides = {"novalue"}}));
  EXPECT_FALSE(apply_job_overrides(*spec, {.config_overrides = {"=x"}}));
  EXPECT_EQ(spec->max_no_progress, 7);  // failed overrides change nothing
}

}  // namespace
}  // namespace diary::generate
