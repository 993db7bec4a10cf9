#include "generate/prepare/source_discovery.h"

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace {

using namespace diary::generate::prepare;

TEST(SourceRoots, DefaultsOverridesAndDisabling) {
  EXPECT_EQ(source_roots({std::nullopt, std::nullopt, "/home/u"}),
            (std::vector<SourceRoot>{{SessionSource::codex, "/home/u/.codex/sessions"},
                                     {SessionSource::claude_code, "/home/u/.claude/projects"}}));
  EXPECT_EQ(source_roots({"/c", "~/claude", "/home/u"}),
            (std::vector<SourceRoot>{{SessionSource::codex, "/c"}, {SessionSource::claude_code, "/home/u/claude"}}));
  // An empty override disables that source.
  EXPECT_EQ(source_roots({"", std::nullopt, "/home/u"}),
            (std::vector<SourceRoot>{{SessionSource::claude_code, "/home/u/.claude/projects"}}));
  EXPECT_TRUE(source_roots({"", "", "/home/u"}).empty());
  EXPECT_TRUE(source_roots({std::nullopt, std::nullopt, std::nullopt}).empty());
}

TEST(DiscoverSessionFiles, FindsRolloutsAndProjectSessionsSkippingSubagents) {
  diary::test::ScratchDir scratch;
  const auto codex = scratch / "codex";
  const auto claude = scratch / "claude";
  for (auto path : {codex / "2026/05/12/rollout-b.jsonl", codex / "2026/05/11/rollout-a.jsonl", codex / "notes.jsonl",
                    codex / "2026/05/12/rollout-c.json", claude / "-p/one.jsonl", claude / "-p/one/subagents/agent-x.jsonl",
                    claude / "-q/two.jsonl", claude / "-q/readme.txt"})
    diary::test::write_file(path, "{}\n");
  auto files = discover_session_files(
      {{SessionSource::codex, codex}, {SessionSource::claude_code, claude}, {SessionSource::codex, scratch / "missing"}});
  std::vector<std::string> found;
  for (const auto& file : files)
    found.push_back(std::string(to_string(file.source)) + ":" + std::filesystem::relative(file.path, scratch.path()).string());
  EXPECT_EQ(found, (std::vector<std::string>{"codex:codex/2026/05/11/rollout-a.jsonl", "codex:codex/2026/05/12/rollout-b.jsonl",
                                             "claude-code:claude/-p/one.jsonl", "claude-code:claude/-q/two.jsonl"}));
}

TEST(DiscoverSessionFiles, ARootMayBeASingleFile) {
  diary::test::ScratchDir scratch;
  diary::test::write_file(scratch / "rollout-x.jsonl", "{}\n");
  EXPECT_EQ(discover_session_files({{SessionSource::codex, scratch / "rollout-x.jsonl"}}).size(), 1u);
}

}  // namespace
