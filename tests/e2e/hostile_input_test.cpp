// Hostile inputs as a new user (or a model) would hand them to diary: pathological regexes and
// huge files under `matches` and JSON Schema `pattern`, self-referencing `$ref`s, files that are
// not regular files or are far too large, artifact paths inside diary's own ledger folder, and a
// codex whose handshake `userAgent` is huge. Each test runs the built diary as a process with a
// deadline and asserts that it neither crashes (exit 128+N) nor hangs, and says why it refused.
// Most cases need no codex at all (spec validation and --dry-run happen before any start).
#include <sys/stat.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_support.h"

namespace diary::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class hostile_input : public CodexE2eTest {
 protected:
  // `diary job run SPEC --json --dry-run`: validates the spec and checks the artifacts from disk,
  // starts nothing.
  Finished dry_run(const fs::path& spec, std::chrono::milliseconds timeout = 30s) const {
    return run_diary({"job", "run", spec.string(), "--json", "--dry-run", "--codex-bin", DIARY_TEST_CODEX_BIN}, timeout);
  }

  // A spec with one artifact `big.txt` (written into the workdir with `content`) and `extra`
  // lines appended to its [[artifact]] table.
  fs::path artifact_spec(const std::string& content, const std::string& extra) const {
    write_file(env_.workdir() / "big.txt", content);
    return write_spec("name = \"hostile\"\nworkdir = \"" + env_.workdir().string() +
                      "\"\nprompt = \"never sent\"\n\n[[artifact]]\npath = \"big.txt\"\n" + extra);
  }

  // The one problem line of the first artifact in a dry run's --json result ("" when none).
  static std::string problems_of(const Finished& run) {
    const json result = json::parse(run.out, nullptr, false);
    if (result.is_discarded()) return "<not JSON: " + run.out + ">";
    std::string out;
    for (const auto& artifact : result.value("artifacts", json::array()))
      for (const auto& problem : artifact.value("problems", json::array())) out += problem.get<std::string>() + "\n";
    return out;
  }

  static void expect_no_crash(const Finished& run) {
    ASSERT_TRUE(run.exit_code.has_value()) << "still running after " << run.elapsed.count() << " ms";
    EXPECT_LT(*run.exit_code, 128) << "killed by signal " << (*run.exit_code - 128) << "\n" << run.err;
  }

  // A FIFO in the scratch dir (a reader that opens it blocks until a writer appears).
  fs::path make_fifo(const std::string& name) const {
    const fs::path path = scratch_ / name;
    EXPECT_EQ(::mkfifo(path.c_str(), 0600), 0) << std::strerror(errno);
    return path;
  }
};

// --- bounded regex ---------------------------------------------------------------------------

TEST_F(hostile_input, MatchesAcrossA180KilobyteFileDoesNotCrash) {
  std::string content = "# Release\n";
  while (content.size() < 180 * 1024) content += "a line of release notes that goes on\n";
  content += "## Fixes\n";
  const auto run = dry_run(artifact_spec(content, "matches = \"# Release(.|\\n)*## Fixes\"\n"));
  expect_no_crash(run);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(problems_of(run), "") << run.out;  // within the limits: it matches
}

TEST_F(hostile_input, MatchesAbabOn50KilobytesMatches) {
  std::string content;
  while (content.size() < 50 * 1024) content += "ab";
  const auto run = dry_run(artifact_spec(content, "matches = \"^(ab)*$\"\n"));
  expect_no_crash(run);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(problems_of(run), "") << run.out;
}

TEST_F(hostile_input, CatastrophicBacktrackingIsACheckFailureNamingTheLimit) {
  const auto run = dry_run(artifact_spec(std::string(40, 'a') + "!", "matches = \"^(a+)+$\"\n"), 20s);
  expect_no_crash(run);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const std::string problems = problems_of(run);
  EXPECT_TRUE(contains(problems, "/^(a+)+$/")) << problems;
  EXPECT_TRUE(contains(problems, "limit")) << problems;
  EXPECT_LT(run.elapsed, 10s);
}

TEST_F(hostile_input, QuadraticSearchIsBoundedInTime) {
  // Every start position scans to the end: n^2/2 steps without a time bound.
  const auto run = dry_run(artifact_spec(std::string(4 * 1024 * 1024, 'a'), "matches = \"[a-z]*[0-9]\"\n"), 30s);
  expect_no_crash(run);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_LT(run.elapsed, 15s);
  EXPECT_TRUE(contains(problems_of(run), "limit")) << run.out;
}

TEST_F(hostile_input, InvalidMatchesPatternIsRefusedAtParseTime) {
  const auto run = dry_run(artifact_spec("x", "matches = \"(unclosed\"\n"));
  expect_no_crash(run);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_TRUE(contains(run.err, "(unclosed")) << run.err;
}

TEST_F(hostile_input, SchemaPatternOnA100KilobyteStringDoesNotCrash) {
  std::string value;
  while (value.size() < 100 * 1024) value += "ab";
  write_file(scratch_ / "schema.json", R"({"type":"object","properties":{"v":{"type":"string","pattern":"^(a|b)*$"}}})");
  const auto spec = artifact_spec(json{{"v", value}}.dump(), "json_schema = \"schema.json\"\n");
  const auto run = dry_run(spec);
  expect_no_crash(run);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(problems_of(run), "") << run.out;
}

TEST_F(hostile_input, SchemaPatternThatBacktracksIsAViolationNotAHang) {
  write_file(scratch_ / "schema.json", R"({"properties":{"v":{"not":{"pattern":"^(a+)+$"}}}})");
  const auto spec = artifact_spec(json{{"v", std::string(40, 'a') + "!"}}.dump(), "json_schema = \"schema.json\"\n");
  const auto run = dry_run(spec, 20s);
  expect_no_crash(run);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  // Inside "not", a limit must not turn into a pass: the artifact is not shown valid.
  EXPECT_TRUE(contains(problems_of(run), "limit")) << run.out;
}

TEST_F(hostile_input, PatternPropertiesOnAHugePropertyNameDoesNotCrash) {
  write_file(scratch_ / "schema.json",
             R"({"type":"object","patternProperties":{"^(a|b)*$":{"type":"integer"}},"additionalProperties":false})");
  std::string name;
  while (name.size() < 100 * 1024) name += "ab";
  const auto spec = artifact_spec(json{{name, "not an integer"}}.dump(), "json_schema = \"schema.json\"\n");
  const auto run = dry_run(spec);
  expect_no_crash(run);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(problems_of(run), "not permitted by 'type' constraint")) << run.out;
}

TEST_F(hostile_input, DateFormatOnAHugeStringDoesNotCrash) {
  write_file(scratch_ / "schema.json", R"({"properties":{"d":{"type":"string","format":"date"}}})");
  const auto spec = artifact_spec(json{{"d", std::string(200 * 1024, '1')}}.dump(), "json_schema = \"schema.json\"\n");
  const auto run = dry_run(spec);
  expect_no_crash(run);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(problems_of(run), "date")) << run.out;
}

// --- $ref cycles -----------------------------------------------------------------------------

TEST_F(hostile_input, SelfReferencingOutputSchemaExitsTwoNamingTheSchema) {
  write_file(scratch_ / "loop.json", R"({"$ref":"#/definitions/a","definitions":{"a":{"$ref":"#/definitions/a"}}})");
  const auto spec = write_spec("name = \"loop\"\nworkdir = \"" + env_.workdir().string() +
                               "\"\nprompt = \"never sent\"\noutput_schema = \"loop.json\"\n");
  const auto run = dry_run(spec);
  expect_no_crash(run);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_TRUE(contains(run.err, "loop.json")) << run.err;
  EXPECT_TRUE(contains(run.err, "$ref")) << run.err;
}

TEST_F(hostile_input, RefCycleThroughAllOfInAnArtifactSchemaExitsTwo) {
  write_file(
      scratch_ / "cycle.json",
      R"({"definitions":{"a":{"allOf":[{"$ref":"#/definitions/b"}]},"b":{"anyOf":[{"$ref":"#/definitions/a"}]}},"$ref":"#/definitions/a"})");
  const auto spec = artifact_spec("{}", "json_schema = \"cycle.json\"\n");
  const auto run = dry_run(spec);
  expect_no_crash(run);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_TRUE(contains(run.err, "cycle.json")) << run.err;
}

TEST_F(hostile_input, RecursionThroughPropertiesIsStillAllowed) {
  write_file(scratch_ / "tree.json", R"({"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#"}}}})");
  const auto spec =
      artifact_spec(R"({"children":[{"children":[]},{"children":[{"children":[]}]}]})", "json_schema = \"tree.json\"\n");
  const auto run = dry_run(spec);
  expect_no_crash(run);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(problems_of(run), "") << run.out;
}

// --- safe file reads -------------------------------------------------------------------------

TEST_F(hostile_input, PromptFileDevZeroIsRefused) {
  const auto spec = write_spec("name = \"zero\"\nworkdir = \"" + env_.workdir().string() + "\"\nprompt_file = \"/dev/zero\"\n");
  const auto run = dry_run(spec, 20s);
  expect_no_crash(run);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_TRUE(contains(run.err, "/dev/zero")) << run.err;
  EXPECT_TRUE(contains(run.err, "not a regular file")) << run.err;
}

TEST_F(hostile_input, HugePromptFileIsRefusedWithItsCap) {
  const fs::path big = scratch_ / "huge-prompt.md";
  {
    std::ofstream out(big, std::ios::binary);
    out.seekp(17 * 1024 * 1024);
    out.put('x');
  }
  const auto spec =
      write_spec("name = \"huge\"\nworkdir = \"" + env_.workdir().string() + "\"\nprompt_file = \"huge-prompt.md\"\n");
  const auto run = dry_run(spec, 20s);
  expect_no_crash(run);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_TRUE(contains(run.err, "larger than 16 MiB")) << run.err;
}

TEST_F(hostile_input, FifoAsOutputSchemaIsRefused) {
  make_fifo("schema.fifo");
  const auto spec = write_spec("name = \"fifo\"\nworkdir = \"" + env_.workdir().string() +
                               "\"\nprompt = \"never sent\"\noutput_schema = \"schema.fifo\"\n");
  const auto run = dry_run(spec, 20s);
  expect_no_crash(run);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_TRUE(contains(run.err, "not a regular file")) << run.err;
}

TEST_F(hostile_input, FifoAsArtifactSchemaIsRefused) {
  make_fifo("artifact.fifo");
  const auto run = dry_run(artifact_spec("{}", "json_schema = \"artifact.fifo\"\n"), 20s);
  expect_no_crash(run);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_TRUE(contains(run.err, "not a regular file")) << run.err;
}

TEST_F(hostile_input, FifoAsExecOutputSchemaIsRefused) {
  const auto fifo = make_fifo("exec.fifo");
  const auto run = run_diary({"exec", "--output-schema", fifo.string(), "--codex-bin", DIARY_TEST_CODEX_BIN, "hello"}, 20s);
  expect_no_crash(run);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_TRUE(contains(run.err, "not a regular file")) << run.err;
}

TEST_F(hostile_input, FifoAsArtifactIsACheckFailure) {
  const auto spec = write_spec("name = \"fifo\"\nworkdir = \"" + env_.workdir().string() +
                               "\"\nprompt = \"never sent\"\n\n[[artifact]]\npath = \"out.fifo\"\n");
  EXPECT_EQ(::mkfifo((env_.workdir() / "out.fifo").c_str(), 0600), 0);
  const auto run = dry_run(spec, 20s);
  expect_no_crash(run);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(problems_of(run), "not a regular file")) << run.out;
}

// --- artifact paths under .diary/ ------------------------------------------------------------

TEST_F(hostile_input, ArtifactUnderTheLedgerFolderIsRefused) {
  const auto spec = write_spec("name = \"ledger\"\nworkdir = \"" + env_.workdir().string() +
                               "\"\nprompt = \"never sent\"\n\n[[artifact]]\npath = \".diary/runs/x.md\"\n");
  const auto run = dry_run(spec);
  expect_no_crash(run);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_TRUE(contains(run.err, "artifact[0].path")) << run.err;
  EXPECT_TRUE(contains(run.err, ".diary")) << run.err;
}

TEST_F(hostile_input, BatchArtifactUnderTheLedgerFolderIsRefused) {
  const auto batch = write_spec("[[job]]\nname = \"a\"\nworkdir = \"" + env_.workdir().string() +
                                    "\"\nprompt = \"never sent\"\n\n[[job.artifact]]\npath = \"./.diary/result.json\"\n",
                                "batch.toml");
  const auto run = run_diary({"batch", "run", batch.string(), "--dry-run", "--codex-bin", DIARY_TEST_CODEX_BIN}, 30s);
  expect_no_crash(run);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_TRUE(contains(run.err, ".diary")) << run.err;
}

// --- a codex with a hostile handshake ----------------------------------------------------------

// A stand-in codex: `--version` prints a version; `app-server` answers `initialize` with a 30 KB
// userAgent that has no '/', and every other request with "method not found".
class hostile_codex : public hostile_input {
 protected:
  void SetUp() override {
    hostile_input::SetUp();
    write_file(fake_codex_, R"(#!/usr/bin/env python3
import json, sys
if "--version" in sys.argv:
    print("codex-cli 0.169.0")
    sys.exit(0)
for line in sys.stdin:
    try:
        msg = json.loads(line)
    except Exception:
        continue
    if "id" not in msg or "method" not in msg:
        continue
    if msg["method"] == "initialize":
        out = {"id": msg["id"], "result": {"userAgent": "x" * 30000, "codexHome": "/nonexistent",
               "platformFamily": "unix", "platformOs": "linux"}}
    else:
        out = {"id": msg["id"], "error": {"code": -32601, "message": "Method not found: " + msg["method"]}}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
)");
    fs::permissions(fake_codex_, fs::perms::owner_all);
  }
  fs::path fake_codex_ = scratch_ / "hostile-codex";
};

TEST_F(hostile_codex, HugeUserAgentDoesNotCrashExec) {
  const auto run = run_diary({"exec", "--codex-bin", fake_codex_.string(), "--timeout", "10s", "hello"}, 40s);
  expect_no_crash(run);
}

TEST_F(hostile_codex, HugeUserAgentDoesNotCrashDoctor) {
  const auto run = run_diary({"doctor", "--codex-bin", fake_codex_.string()}, 40s);
  expect_no_crash(run);
  EXPECT_TRUE(contains(run.out, "app-server")) << run.out << run.err;
}

}  // namespace
}  // namespace diary::test
