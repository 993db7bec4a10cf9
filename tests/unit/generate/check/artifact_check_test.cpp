#include "generate/check/artifact_check.h"

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace diary::generate {
namespace {

using test::ScratchDir;
using test::write_file;
using Lines = std::vector<std::string>;

ArtifactSpec spec_for(std::string path) {
  ArtifactSpec spec;
  spec.path = std::move(path);
  return spec;
}

std::shared_ptr<const JsonSchema> schema_of(const char* text) {
  auto schema = JsonSchema::compile(nlohmann::json::parse(text));
  EXPECT_TRUE(schema);
  return std::make_shared<const JsonSchema>(std::move(*schema));
}

TEST(ArtifactCheck, MissingFileFailsEveryCheckAndListsRequirements) {
  ScratchDir dir;
  auto spec = spec_for("docs/RELEASE.md");
  spec.contains = {"## Highlights"};
  spec.matches = "^# .+";
  spec.matches_regex = *compile_artifact_regex(*spec.matches);
  auto result = check_artifact(dir.path(), spec);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.failing_checks, 4);
  EXPECT_EQ(result.bytes, 0u);
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_EQ(result.problems[0], "missing file (required: at least 1 byte(s); contains \"## Highlights\"; matches /^# .+/)");
}

TEST(ArtifactCheck, EmptyFileIsTooSmallByDefault) {
  ScratchDir dir;
  write_file(dir / "a.txt", "");
  auto result = check_artifact(dir.path(), spec_for("a.txt"));
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.problems, (Lines{"too small: 0 byte(s), needs at least 1"}));
  EXPECT_EQ(result.failing_checks, 1);
}

TEST(ArtifactCheck, MinBytesZeroAcceptsAnEmptyFile) {
  ScratchDir dir;
  write_file(dir / "a.txt", "");
  auto spec = spec_for("a.txt");
  spec.min_bytes = 0;
  EXPECT_TRUE(check_artifact(dir.path(), spec).ok);
}

TEST(ArtifactCheck, SizeSubstringsAndRegexEachReported) {
  ScratchDir dir;
  write_file(dir / "notes.md", "intro\n## Highlights\nbody\n");
  auto spec = spec_for("notes.md");
  spec.min_bytes = 100;
  spec.contains = {"## Highlights", "## Fixes", "quote \"x\""};
  spec.matches = "^# .+";
  spec.matches_regex = *compile_artifact_regex(*spec.matches);
  auto result = check_artifact(dir.path(), spec);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.bytes, 25u);
  EXPECT_EQ(result.problems, (Lines{"too small: 25 byte(s), needs at least 100", "missing substring \"## Fixes\"",
                                    "missing substring \"quote \\\"x\\\"\"", "no match for regex /^# .+/"}));
  EXPECT_EQ(result.failing_checks, 4);
}

TEST(ArtifactCheck, RegexIsMultiline) {
  ScratchDir dir;
  write_file(dir / "notes.md", "preamble\n# Title\n");
  auto spec = spec_for("notes.md");
  spec.matches = "^# Title$";
  spec.matches_regex = *compile_artifact_regex(*spec.matches);
  EXPECT_TRUE(check_artifact(dir.path(), spec).ok);
}

TEST(ArtifactCheck, InvalidRegexIsInvalidInput) {
  auto regex = compile_artifact_regex("([a-");
  ASSERT_FALSE(regex);
  EXPECT_EQ(regex.error().kind, agent::ErrorKind::invalid_input);
  EXPECT_NE(regex.error().message.find("([a-"), std::string::npos);
}

TEST(ArtifactCheck, JsonSchemaViolationsCarryPathsAndCountOnce) {
  ScratchDir dir;
  write_file(dir / "out.json", R"({"items": [{"name": 1}], "version": "x"})");
  auto spec = spec_for("out.json");
  spec.json_schema = schema_of(R"({"type":"object","required":["title"],"properties":{
      "items":{"type":"array","items":{"properties":{"name":{"type":"string"}}}},
      "version":{"type":"integer"}}})");
  spec.json_schema_path = "/x/schemas/notes.json";
  auto result = check_artifact(dir.path(), spec);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.failing_checks, 1);
  bool saw_name = false, saw_version = false, saw_root = false;
  for (const auto& p : result.problems) {
    EXPECT_EQ(p.rfind("schema notes.json: $", 0), 0u) << p;
    saw_name |= p.find("$.items[0].name:") != std::string::npos;
    saw_version |= p.find("$.version:") != std::string::npos;
    saw_root |= p.find("$: ") != std::string::npos;
  }
  EXPECT_TRUE(saw_name && saw_version && saw_root) << ::testing::PrintToString(result.problems);
}

TEST(ArtifactCheck, NonJsonFileFailsItsSchemaCheck) {
  ScratchDir dir;
  write_file(dir / "out.json", "not json");
  auto spec = spec_for("out.json");
  spec.json_schema = schema_of(R"({"type":"object"})");
  auto result = check_artifact(dir.path(), spec);
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_NE(result.problems[0].find("schema schema: $: not valid JSON"), std::string::npos) << result.problems[0];
}

TEST(ArtifactCheck, ValidJsonPasses) {
  ScratchDir dir;
  write_file(dir / "out.json", R"({"title": "t"})");
  auto spec = spec_for("out.json");
  spec.json_schema = schema_of(R"({"type":"object","required":["title"]})");
  auto result = check_artifact(dir.path(), spec);
  EXPECT_TRUE(result.ok) << ::testing::PrintToString(result.problems);
  EXPECT_EQ(result.failing_checks, 0);
}

TEST(ArtifactCheck, DirectoryIsNotARegularFile) {
  ScratchDir dir;
  std::filesystem::create_directories(dir / "docs");
  auto result = check_artifact(dir.path(), spec_for("docs"));
  EXPECT_EQ(result.problems, (Lines{"not a regular file"}));
  EXPECT_EQ(result.failing_checks, 2);
}

TEST(ArtifactCheck, SymlinkPointingOutsideTheWorkdirFails) {
  ScratchDir dir;
  write_file(dir / "outside" / "secret.md", "data");
  std::filesystem::create_directories(dir / "work");
  std::filesystem::create_symlink(dir / "outside" / "secret.md", dir / "work" / "link.md");
  auto result = check_artifact(dir / "work", spec_for("link.md"));
  EXPECT_FALSE(result.ok);
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_NE(result.problems[0].find("outside the working directory"), std::string::npos) << result.problems[0];
  EXPECT_EQ(result.bytes, 0u);
}

TEST(ArtifactCheck, SymlinkInsideTheWorkdirIsFollowed) {
  ScratchDir dir;
  write_file(dir / "real.md", "data");
  std::filesystem::create_symlink(dir / "real.md", dir / "link.md");
  EXPECT_TRUE(check_artifact(dir.path(), spec_for("link.md")).ok);
}

TEST(ArtifactCheck, ReportTalliesFailingChecksAndBytes) {
  ScratchDir dir;
  write_file(dir / "a.md", "hello");
  auto a = spec_for("a.md");
  a.contains = {"bye"};
  auto report = check_artifacts(dir.path(), {a, spec_for("b.md")});
  EXPECT_FALSE(report.complete());
  EXPECT_EQ(report.tally, (CheckTally{1 + 2, 5}));
  ASSERT_EQ(report.artifacts.size(), 2u);
  auto json = to_json(report);
  EXPECT_EQ(json["failing_checks"], 3);
  EXPECT_EQ(json["artifacts"][1]["path"], "b.md");
  EXPECT_EQ(json["artifacts"][1]["ok"], false);

  write_file(dir / "a.md", "hello bye");
  write_file(dir / "b.md", "x");
  auto done = check_artifacts(dir.path(), {a, spec_for("b.md")});
  EXPECT_TRUE(done.complete());
  EXPECT_EQ(done.tally, (CheckTally{0, 10}));
}

TEST(ArtifactCheck, ProgressIsFewerFailingChecksOrMoreBytes) {
  EXPECT_TRUE(improves({2, 0}, {3, 100}));
  EXPECT_TRUE(improves({3, 101}, {3, 100}));
  EXPECT_FALSE(improves({3, 100}, {3, 100}));
  EXPECT_FALSE(improves({4, 1000}, {3, 100}));
  EXPECT_FALSE(improves({3, 99}, {3, 100}));
}

TEST(ArtifactCheck, RegexThatHitsALimitIsAFailingCheckNamingPatternAndLimit) {
  ScratchDir dir;
  write_file(dir / "a.txt", std::string(40, 'a') + "!");
  auto spec = spec_for("a.txt");
  spec.matches = "^(a+)+$";
  spec.matches_regex = *compile_artifact_regex(*spec.matches);
  auto result = check_artifact(dir.path(), spec);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.failing_checks, 1);
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_NE(result.problems[0].find("regex /^(a+)+$/ gave up"), std::string::npos) << result.problems[0];
  EXPECT_NE(result.problems[0].find("match limit"), std::string::npos) << result.problems[0];
}

TEST(ArtifactCheck, RegexAcrossALargeFileMatches) {
  ScratchDir dir;
  std::string content = "# Release\n";
  while (content.size() < 300 * 1024) content += "a line of notes\n";
  write_file(dir / "a.md", content + "## Fixes\n");
  auto spec = spec_for("a.md");
  spec.matches = "# Release(.|\n)*## Fixes";
  spec.matches_regex = *compile_artifact_regex(*spec.matches);
  auto result = check_artifact(dir.path(), spec);
  EXPECT_TRUE(result.ok) << (result.problems.empty() ? "" : result.problems[0]);
}

TEST(ArtifactCheck, InvalidRegexIsRefusedWithItsOffset) {
  auto regex = compile_artifact_regex("([a-");
  ASSERT_FALSE(regex);
  EXPECT_EQ(regex.error().kind, agent::ErrorKind::invalid_input);
  EXPECT_NE(regex.error().message.find("invalid regex /([a-/"), std::string::npos) << regex.error().message;
}

}  // namespace
}  // namespace diary::generate
