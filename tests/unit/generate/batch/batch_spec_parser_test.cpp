#include "generate/batch/batch_spec_parser.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace diary::generate {
namespace {

namespace fs = std::filesystem;
using test::ScratchDir;
using test::write_file;

class BatchSpecParserTest : public ::testing::Test {
 protected:
  ScratchDir dir;

  fs::path batch_path() const { return dir / "batch.toml"; }

  std::expected<BatchSpec, BatchProblems> parse(const std::string& toml) {
    write_file(batch_path(), toml);
    return parse_batch_spec(batch_path());
  }

  BatchSpec parse_ok(const std::string& toml) {
    auto spec = parse(toml);
    EXPECT_TRUE(spec) << (spec ? "" : ::testing::PrintToString(spec.error()));
    return spec ? std::move(*spec) : BatchSpec{};
  }

  BatchProblems problems(const std::string& toml) {
    auto spec = parse(toml);
    EXPECT_FALSE(spec) << "expected problems for:\n" << toml;
    return spec ? BatchProblems{} : spec.error();
  }

  // "<batch>:LINE: KEY: ...fragment..." (line 0: no line), or `file` instead of the batch.
  static bool has_problem(const BatchProblems& problems, const std::string& where, const std::string& key,
                          const std::string& fragment) {
    return std::any_of(problems.begin(), problems.end(), [&](const std::string& problem) {
      return problem.rfind(where + ": " + key + ": ", 0) == 0 && problem.find(fragment) != std::string::npos;
    });
  }
  std::string at(int line) const { return batch_path().string() + (line > 0 ? ":" + std::to_string(line) : ""); }
};

std::string shown(const BatchProblems& problems) {
  std::string out;
  for (const auto& problem : problems) out += "  " + problem + "\n";
  return out;
}

TEST_F(BatchSpecParserTest, InlineAndFileJobsInBatchOrderWithDefaults) {
  write_file(dir / "jobs" / "notes.toml", "name = \"notes\"\nprompt = \"write notes\"\n[[artifact]]\npath = \"NOTES.md\"\n");
  write_file(dir / "schemas" / "out.json", R"({"type":"object"})");
  fs::create_directories(dir / "repo");
  const auto spec = parse_ok(R"(
concurrency = 8
[defaults]
model = "m-default"
turn_timeout = "5m"
output_schema = "schemas/out.json"
codex_config = ["mcp_servers.x.command=\"x\""]
[defaults.policy]
allow_commands = ["ls"]

[[job]]
file = "jobs/notes.toml"

[[job]]
name = "docs-api"
workdir = "repo"
prompt = "write the API docs"
model = "m-own"
codex_config = []
[[job.artifact]]
path = "docs/api.md"
contains = ["## Auth"]
[[job.artifact]]
path = "docs/index.md"
)");
  EXPECT_EQ(spec.concurrency, 8);
  EXPECT_EQ(spec.batch_path, fs::absolute(batch_path()));
  ASSERT_EQ(spec.jobs.size(), 2u);

  const auto& notes = spec.jobs[0];
  EXPECT_EQ(notes.index, 0u);
  EXPECT_EQ(notes.line, 11u);
  EXPECT_EQ(notes.spec.name, "notes");
  EXPECT_EQ(notes.spec.spec_path, dir / "jobs" / "notes.toml");
  EXPECT_EQ(notes.spec.workdir, fs::canonical(dir / "jobs"));  // a job file's "." is its own directory
  EXPECT_EQ(notes.spec.model, "m-default");                    // from [defaults]
  EXPECT_EQ(notes.spec.turn_timeout, std::chrono::minutes(5));
  EXPECT_EQ(notes.spec.output_schema_path, dir / "schemas" / "out.json");  // relative to the batch file
  EXPECT_EQ(notes.spec.config_overrides, (std::vector<std::string>{"mcp_servers.x.command=\"x\""}));
  EXPECT_EQ(notes.spec.policy.allow_commands, (std::vector<std::string>{"ls"}));

  const auto& api = spec.jobs[1];
  EXPECT_EQ(api.index, 1u);
  EXPECT_EQ(api.spec.name, "docs-api");
  EXPECT_EQ(api.spec.spec_path, fs::absolute(batch_path()));
  EXPECT_EQ(api.spec.workdir, fs::canonical(dir / "repo"));
  EXPECT_EQ(api.spec.prompt, "write the API docs");
  EXPECT_EQ(api.spec.model, "m-own");  // a job's own value wins
  EXPECT_EQ(api.spec.turn_timeout, std::chrono::minutes(5));
  EXPECT_TRUE(api.spec.config_overrides.empty());  // its own (empty) codex_config wins
  ASSERT_EQ(api.spec.artifacts.size(), 2u);
  EXPECT_EQ(api.spec.artifacts[0].path, "docs/api.md");
  EXPECT_EQ(api.spec.artifacts[0].contains, (std::vector<std::string>{"## Auth"}));
  EXPECT_EQ(api.spec.artifacts[1].path, "docs/index.md");
}

TEST_F(BatchSpecParserTest, DefaultConcurrencyAndWorkdir) {
  const auto spec = parse_ok("[[job]]\nname = \"a\"\nprompt = \"x\"\n");
  EXPECT_EQ(spec.concurrency, default_batch_concurrency);
  ASSERT_EQ(spec.jobs.size(), 1u);
  EXPECT_EQ(spec.jobs[0].spec.workdir, fs::canonical(dir.path()));
  EXPECT_TRUE(spec.jobs[0].spec.config_overrides.empty());
}

TEST_F(BatchSpecParserTest, DefaultPromptAndWorkdirAreRelativeToTheBatchFile) {
  write_file(dir / "prompts" / "common.md", "the common task\n");
  fs::create_directories(dir / "work");
  write_file(dir / "jobs" / "own.toml", "name = \"own\"\nprompt = \"own prompt\"\n");
  write_file(dir / "jobs" / "inherits.toml", "name = \"inherits\"\n");
  const auto spec = parse_ok(R"(
[defaults]
prompt_file = "prompts/common.md"
workdir = "work"
[[job]]
file = "jobs/own.toml"
[[job]]
file = "jobs/inherits.toml"
[[job]]
name = "inline"
prompt = "inline prompt"
)");
  ASSERT_EQ(spec.jobs.size(), 3u);
  EXPECT_EQ(spec.jobs[0].spec.prompt, "own prompt");  // its prompt beats the default prompt_file
  EXPECT_FALSE(spec.jobs[0].spec.prompt_file);
  EXPECT_EQ(spec.jobs[1].spec.prompt, "the common task\n");
  EXPECT_EQ(spec.jobs[1].spec.prompt_file, dir / "prompts" / "common.md");
  EXPECT_EQ(spec.jobs[2].spec.prompt, "inline prompt");
  for (const auto& job : spec.jobs) EXPECT_EQ(job.spec.workdir, fs::canonical(dir / "work")) << job.spec.name;
}

TEST_F(BatchSpecParserTest, EveryProblemIsReportedAtOnce) {
  write_file(dir / "jobs" / "bad.toml", "name = \"bad\"\nprompt = \"x\"\nmodel = 7\n");
  write_file(dir / "jobs" / "dup.toml", "name = \"twice\"\nprompt = \"x\"\n");
  const auto found = problems(R"(colour = "red"
concurrency = 0
[[job]]
file = "jobs/missing.toml"
[[job]]
file = "jobs/bad.toml"
[[job]]
name = "twice"
prompt = "x"
[[job]]
file = "jobs/dup.toml"
[[job]]
name = "no prompt"
[[job]]
name = "escapes"
prompt = "x"
[[job.artifact]]
path = "../outside.md"
[[job]]
file = "jobs/dup.toml"
model = "m"
[[job]]
name = "ok"
prompt = "x"
codex_config = ["novalue", 3]
)");
  EXPECT_TRUE(has_problem(found, at(1), "colour", "unknown key (allowed: concurrency, defaults, job)")) << shown(found);
  EXPECT_TRUE(has_problem(found, at(2), "concurrency", "must be between 1 and 1024, got 0")) << shown(found);
  EXPECT_TRUE(has_problem(found, at(4), "job[0].file", "job spec not found: " + (dir / "jobs" / "missing.toml").string()))
      << shown(found);
  EXPECT_TRUE(has_problem(found, (dir / "jobs" / "bad.toml").string() + ":3", "model", "expected a string, got integer"))
      << shown(found);
  EXPECT_TRUE(has_problem(found, at(10), "job[3].name", "duplicate job name 'twice' (also job[2], line 7)")) << shown(found);
  EXPECT_TRUE(has_problem(found, at(13), "job[4].name", "must match [A-Za-z0-9._-]+")) << shown(found);
  EXPECT_TRUE(has_problem(found, at(18), "job[5].artifact[0].path", "escapes")) << shown(found);
  EXPECT_TRUE(has_problem(found, at(21), "job[6].model", "not allowed next to file")) << shown(found);
  EXPECT_TRUE(has_problem(found, at(25), "job[7].codex_config[0]", "expected key=value, got 'novalue'")) << shown(found);
  EXPECT_TRUE(has_problem(found, at(25), "job[7].codex_config[1]", "expected a string")) << shown(found);
  EXPECT_EQ(found.size(), 10u) << shown(found);
}

TEST_F(BatchSpecParserTest, InlineJobMissingKeysNameTheJobHeaderLine) {
  const auto found = problems("[[job]]\nprompt = \"x\"\n\n[[job]]\nname = \"b\"\n");
  EXPECT_TRUE(has_problem(found, at(1), "job[0].name", "required key is missing")) << shown(found);
  EXPECT_TRUE(has_problem(found, at(4), "job[1].prompt", "required key is missing")) << shown(found);
  EXPECT_EQ(found.size(), 2u) << shown(found);
}

TEST_F(BatchSpecParserTest, InlineJobFieldsAreValidatedLikeAJobFile) {
  const auto found = problems(R"([[job]]
name = "a"
prompt = "x"
sandbox = "none"
[[job]]
name = "b"
prompt = "x"
size = 3
[[job]]
name = "c"
prompt = "x"
[[job.artifact]]
path = "a.md"
matches = "("
[[job]]
name = "d"
prompt = "x"
[job.policy]
allow = ["ls"]
)");
  EXPECT_TRUE(has_problem(found, at(4), "job[0].sandbox", "'none' is not one of")) << shown(found);
  EXPECT_TRUE(has_problem(found, at(8), "job[1].size", "unknown key")) << shown(found);
  EXPECT_TRUE(has_problem(found, at(14), "job[2].artifact[0].matches", "")) << shown(found);
  EXPECT_TRUE(has_problem(found, at(19), "job[3].policy.allow", "unknown key")) << shown(found);
  EXPECT_EQ(found.size(), 4u) << shown(found);
}

TEST_F(BatchSpecParserTest, BrokenDefaultsAreReportedOnceNotOncePerJob) {
  const auto found = problems(R"([defaults]
name = "all"
model = 3
[[job]]
name = "a"
prompt = "x"
[[job]]
name = "b"
prompt = "x"
)");
  EXPECT_TRUE(has_problem(found, at(2), "defaults.name", "not allowed in [defaults]")) << shown(found);
  EXPECT_TRUE(has_problem(found, at(3), "defaults.model", "expected a string, got integer")) << shown(found);
  EXPECT_EQ(found.size(), 2u) << shown(found);
}

TEST_F(BatchSpecParserTest, DefaultsTypeErrorsNameTheDefaultsKey) {
  const auto found = problems("[defaults]\nmodel = 3\nturn_timeout = \"soon\"\n[[job]]\nname = \"a\"\nprompt = \"x\"\n");
  EXPECT_TRUE(has_problem(found, at(2), "defaults.model", "expected a string, got integer")) << shown(found);
  EXPECT_EQ(found.size(), 1u) << shown(found);
  const auto artifact = problems("[defaults]\n[[defaults.artifact]]\npath = \"x\"\n[[job]]\nname = \"a\"\nprompt = \"x\"\n");
  EXPECT_TRUE(has_problem(artifact, at(2), "defaults.artifact", "not allowed in [defaults]")) << shown(artifact);
  const auto unknown = problems("[defaults]\nconcurrency = 3\n[[job]]\nname = \"a\"\nprompt = \"x\"\n");
  EXPECT_TRUE(has_problem(unknown, at(2), "defaults.concurrency", "unknown key")) << shown(unknown);
}

TEST_F(BatchSpecParserTest, ArtifactsClaimedByTwoJobs) {
  const auto found = problems(R"([[job]]
name = "a"
prompt = "x"
[[job.artifact]]
path = "out.md"
[[job]]
name = "b"
prompt = "x"
[[job.artifact]]
path = "./out.md"
)");
  EXPECT_TRUE(has_problem(found, at(6), "job[1].artifact", "is also declared by job[0] ('a')")) << shown(found);
  EXPECT_EQ(found.size(), 1u) << shown(found);
}

TEST_F(BatchSpecParserTest, StructuralProblems) {
  EXPECT_TRUE(has_problem(problems("concurrency = 2\n"), at(0), "job", "no jobs")) << shown(problems("concurrency = 2\n"));
  EXPECT_TRUE(has_problem(problems("job = 3\n"), at(1), "job", "expected [[job]] tables"));
  EXPECT_TRUE(has_problem(problems("job = []\n"), at(1), "job", "expected [[job]] tables"));
  EXPECT_TRUE(has_problem(problems("concurrency = \"4\"\n[[job]]\nname = \"a\"\nprompt = \"x\"\n"), at(1), "concurrency",
                          "expected an integer"));
  EXPECT_TRUE(has_problem(problems("concurrency = 5000\n[[job]]\nname = \"a\"\nprompt = \"x\"\n"), at(1), "concurrency",
                          "between 1 and 1024"));
  EXPECT_TRUE(
      has_problem(problems("defaults = 3\n[[job]]\nname = \"a\"\nprompt = \"x\"\n"), at(1), "defaults", "expected a table"));
  EXPECT_TRUE(has_problem(problems("[[job]]\nfile = 3\n"), at(2), "job[0].file", "expected the path of a job spec file"));
  fs::create_directories(dir / "adir");
  EXPECT_TRUE(has_problem(problems("[[job]]\nfile = \"adir\"\n"), at(2), "job[0].file", "is not a regular file"));
}

TEST_F(BatchSpecParserTest, SyntaxErrorAndMissingFile) {
  const auto syntax = problems("[[job]]\nname = = 1\n");
  ASSERT_EQ(syntax.size(), 1u);
  EXPECT_EQ(syntax[0].rfind(batch_path().string() + ":2:", 0), 0u) << syntax[0];
  EXPECT_NE(syntax[0].find("TOML syntax error"), std::string::npos) << syntax[0];

  auto missing = parse_batch_spec(dir / "nope.toml");
  ASSERT_FALSE(missing);
  ASSERT_EQ(missing.error().size(), 1u);
  EXPECT_NE(missing.error()[0].find("nope.toml: batch file not found"), std::string::npos);
}

TEST_F(BatchSpecParserTest, JobFileSyntaxErrorNamesTheJobFile) {
  write_file(dir / "jobs" / "broken.toml", "name = \"x\"\nprompt = \n");
  const auto found = problems("[[job]]\nfile = \"jobs/broken.toml\"\n");
  ASSERT_EQ(found.size(), 1u) << shown(found);
  EXPECT_EQ(found[0].rfind((dir / "jobs" / "broken.toml").string() + ":2:", 0), 0u) << found[0];
  EXPECT_NE(found[0].find("TOML syntax error"), std::string::npos) << found[0];
}

}  // namespace
}  // namespace diary::generate
