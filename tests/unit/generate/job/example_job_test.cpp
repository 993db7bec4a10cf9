// Keeps examples/release-notes valid: it parses, and its checks accept a correct result.
#include <gtest/gtest.h>

#include "generate/job/dry_run.h"
#include "generate/job/job_spec_parser.h"
#include "support/scratch_dir.h"

namespace diary::generate {
namespace {

const std::filesystem::path example = std::filesystem::path(DIARY_TEST_SOURCE_DIR) / "examples" / "release-notes";

TEST(ExampleJob, ReleaseNotesSpecParses) {
  auto spec = parse_job_spec(example / "job.toml");
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(spec->name, "release-notes");
  EXPECT_EQ(spec->artifacts.size(), 2u);
  EXPECT_TRUE(spec->output_schema);
  EXPECT_EQ(spec->policy.allow_write_paths, (std::vector<std::string>{"docs/**"}));
}

TEST(ExampleJob, ReleaseNotesChecksAcceptACorrectResult) {
  auto spec = parse_job_spec(example / "job.toml");
  ASSERT_TRUE(spec) << spec.error().message;
  test::ScratchDir dir;
  spec->workdir = dir.path();
  EXPECT_FALSE(check_artifacts(spec->workdir, spec->artifacts).complete());

  test::write_file(dir / "docs" / "RELEASE.md",
                   "# Release 2.4.0\n\n## Highlights\n- Parallel artifact checks (#412)\n- `--json` output for every "
                   "command (#398)\n\n## Fixes\n- No crash on an empty config file (#420)\n- The resume prompt keeps "
                   "the last failing check (#417)\n\n## Upgrade notes\n- `--timeout` is now `--turn-timeout` (#405)\n");
  test::write_file(dir / "docs" / "release.json",
                   R"({"version": "2.4.0", "highlights": ["Parallel artifact checks"], "fixes": ["Empty config crash"],
                       "upgrade_notes": ["--timeout is now --turn-timeout"]})");
  auto report = check_artifacts(spec->workdir, spec->artifacts);
  for (const auto& artifact : report.artifacts) EXPECT_TRUE(artifact.ok) << ::testing::PrintToString(artifact.problems);

  EXPECT_TRUE(spec->output_schema->is_valid(nlohmann::json::parse(
      R"({"version": "2.4.0", "files": ["docs/RELEASE.md", "docs/release.json"], "summary": "Release notes written."})")));
  EXPECT_FALSE(dry_run_job(*spec).would_run);
}

}  // namespace
}  // namespace diary::generate
