#include "generate/prepare/session_scan.h"

#include <gtest/gtest.h>

#include "support/scratch_dir.h"
#include "unit/generate/prepare/fixture_install.h"

namespace {

using namespace diary::generate::prepare;
using diary::test::fixtures_dir;
using diary::test::only_session_in;

ScannedSession scan(SessionSource source, const std::filesystem::path& path, ScanOptions options = {}) {
  auto scanned = scan_session_file(source, path, options);
  EXPECT_TRUE(scanned.has_value()) << (scanned ? "" : scanned.error().message);
  return *scanned;
}

std::vector<std::pair<std::size_t, std::size_t>> spans(const ScannedSession& session) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (const auto& turn : session.turns) out.emplace_back(turn.start_line, turn.end_line);
  return out;
}

using Spans = std::vector<std::pair<std::size_t, std::size_t>>;

// Real codex 0.169.0 rollouts (tests/fixtures/codex/make_fixtures.sh).
TEST(ScanCodex, ThreeTurnsAcrossResumes) {
  auto session = scan(SessionSource::codex, only_session_in(fixtures_dir() / "codex" / "alpha"));
  // Each prompt (response_item) is echoed by an item_completed UserMessage 0-1 ms later: one
  // turn each. The resume's thread_settings_applied/task_started/turn_context belong to the
  // next turn, not to the previous one's reaction.
  EXPECT_EQ(spans(session), (Spans{{8, 19}, {23, 34}, {38, 44}}));
  EXPECT_EQ(session.lines.total, 44u);
  EXPECT_EQ(session.lines.malformed, 0u);
  EXPECT_EQ(session.cwd, "/fixture/projects/alpha");
  EXPECT_EQ(session.originator, "codex_exec");
  EXPECT_FALSE(session.subagent);
  EXPECT_TRUE(only_session_in(fixtures_dir() / "codex" / "alpha").filename().string().find(session.session_id) !=
              std::string::npos);
  EXPECT_EQ(session.bytes, std::filesystem::file_size(only_session_in(fixtures_dir() / "codex" / "alpha")));
}

TEST(ScanCodex, ForkHoldsOnlyItsOwnTurn) {
  auto alpha = scan(SessionSource::codex, only_session_in(fixtures_dir() / "codex" / "alpha"));
  auto fork = scan(SessionSource::codex, only_session_in(fixtures_dir() / "codex" / "alpha-fork"));
  EXPECT_EQ(fork.forked_from_id, alpha.session_id);
  EXPECT_EQ(spans(fork), (Spans{{6, 12}}));
}

TEST(ScanCodex, SubagentIsRecognisedFromItsFirstLine) {
  auto child = scan(SessionSource::codex, only_session_in(fixtures_dir() / "codex" / "gamma-subagent"));
  EXPECT_TRUE(child.subagent);
  EXPECT_TRUE(child.stopped_early);
  EXPECT_EQ(child.lines.total, 1u);
}

TEST(ScanCodex, OwnOriginatorStopsReading) {
  ScanOptions options;
  options.excluded_originators = {"DIARY"};
  auto own = scan(SessionSource::codex, only_session_in(fixtures_dir() / "codex" / "diary-own"), options);
  EXPECT_EQ(own.originator, "diary");
  EXPECT_TRUE(own.stopped_early);
  EXPECT_TRUE(is_excluded_originator(options, own.originator));
  // Without the option it is an ordinary session.
  auto plain = scan(SessionSource::codex, only_session_in(fixtures_dir() / "codex" / "diary-own"));
  EXPECT_FALSE(plain.stopped_early);
  EXPECT_EQ(plain.turns.size(), 1u);
}

TEST(ScanCodex, MidnightTurnKeepsItsWholeReaction) {
  auto session = scan(SessionSource::codex, only_session_in(fixtures_dir() / "codex" / "midnight"));
  EXPECT_EQ(spans(session), (Spans{{8, 19}, {23, 29}}));
  EXPECT_EQ(session.turns[0].trigger_time, parse_timestamp("2026-05-12T23:59:59.600Z"));
}

TEST(ScanCodex, InjectedContextAndTurnAbortedAreNoPrompts) {
  // The parent in gamma: environment_context (line 4, provenance "harness") is scaffolding.
  auto parent = scan(SessionSource::codex, only_session_in(fixtures_dir() / "codex" / "gamma"));
  EXPECT_EQ(spans(parent), (Spans{{8, 20}}));
}

// Older rollouts echo prompts as event_msg user_message and carry no provenance tags.
TEST(ScanCodex, OlderEventMsgUserMessageEcho) {
  diary::test::ScratchDir scratch;
  diary::test::write_file(
      scratch / "rollout-old.jsonl",
      R"({"timestamp":"2025-09-01T10:00:00.000Z","type":"session_meta","payload":{"id":"old-1","cwd":"/p","originator":"codex_cli_rs","source":"cli"}})"
      "\n"
      R"({"timestamp":"2025-09-01T10:00:01.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"<user_instructions>be brief</user_instructions>"}]}})"
      "\n"
      R"({"timestamp":"2025-09-01T10:00:01.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"<environment_context>x</environment_context>"}]}})"
      "\n"
      R"({"timestamp":"2025-09-01T10:00:02.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"Rename foo"}]}})"
      "\n"
      R"({"timestamp":"2025-09-01T10:00:02.050Z","type":"event_msg","payload":{"type":"user_message","message":"Rename foo","images":[]}})"
      "\n"
      R"({"timestamp":"2025-09-01T10:00:03.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"done"}]}})"
      "\n"
      R"({"timestamp":"2025-09-01T10:05:00.000Z","type":"turn_context","payload":{"cwd":"/p"}})"
      "\n"
      R"({"timestamp":"2025-09-01T10:05:00.000Z","type":"event_msg","payload":{"type":"user_message","message":"And bar","images":[]}})"
      "\n"
      R"({"timestamp":"2025-09-01T10:05:01.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"ok"}]}})"
      "\n");
  auto session = scan(SessionSource::codex, scratch / "rollout-old.jsonl");
  EXPECT_EQ(session.session_id, "old-1");
  EXPECT_EQ(spans(session), (Spans{{4, 6}, {8, 9}}));
}

TEST(ScanCodex, SubagentSourceSpellings) {
  diary::test::ScratchDir scratch;
  for (auto meta : {R"({"source":{"subAgent":{"other":"x"}}})", R"({"source":"subagent_review"})",
                    R"({"source":"exec","thread_source":"subagent"})"}) {
    diary::test::write_file(
        scratch / "rollout-s.jsonl",
        std::string(R"({"timestamp":"2026-01-01T00:00:00Z","type":"session_meta","payload":)") + meta + "}\n");
    EXPECT_TRUE(scan(SessionSource::codex, scratch / "rollout-s.jsonl").subagent) << meta;
  }
}

TEST(ScanClaude, TurnsToolResultsAndDiagnostics) {
  auto session = scan(SessionSource::claude_code,
                      fixtures_dir() / "claude/projects/-fixture-projects-delta/5f0c6a8e-2d41-4c4b-9a57-0e3f1b2c3d4e.jsonl");
  EXPECT_EQ(session.session_id, "5f0c6a8e-2d41-4c4b-9a57-0e3f1b2c3d4e");
  EXPECT_EQ(spans(session), (Spans{{3, 8}, {10, 15}, {17, 19}}));
  EXPECT_EQ(session.lines.total, 19u);
  EXPECT_EQ(session.lines.malformed, 1u);
  EXPECT_EQ(session.lines.untimestamped, 4u);  // summary, two snapshots, permission-mode
  EXPECT_EQ(session.cwd, "/fixture/projects/delta");
  EXPECT_FALSE(session.subagent);
}

TEST(ScanClaude, SidechainFileIsASubagent) {
  auto session = scan(SessionSource::claude_code,
                      fixtures_dir() / "claude/projects/-fixture-projects-delta/7a1d2e3f-4b5c-4d6e-8f70-8192a3b4c5d6.jsonl");
  EXPECT_TRUE(session.subagent);
}

TEST(ScanLines, MalformedUntimestampedAndOversizedAreCountedNeverFatal) {
  diary::test::ScratchDir scratch;
  const std::string big(5000, 'x');
  diary::test::write_file(
      scratch / "s.jsonl",
      "not json\n"
      "[1,2,3]\n"
      "\n"
      R"({"type":"user","message":{"role":"user","content":"hi"},"timestamp":"2026-01-01T00:00:00Z","cwd":"/p"})"
      "\n"
      R"({"type":"assistant","message":{"role":"assistant","content":"yo"}})"
      "\n"
      R"({"type":"assistant","message":{"role":"assistant","content":")" +
          big +
          R"("},"timestamp":"2026-01-01T00:00:01Z"})"
          "\n"
          R"({"type":"user","message":{"role":"user","content":"again"},"timestamp":"bad"})");
  ScanOptions options;
  options.max_line_bytes = 1000;
  auto session = scan(SessionSource::claude_code, scratch / "s.jsonl", options);
  EXPECT_EQ(session.lines.total, 7u);
  EXPECT_EQ(session.lines.malformed, 3u);      // prose, an array, an empty line
  EXPECT_EQ(session.lines.untimestamped, 2u);  // line 5 and the bad timestamp on line 7
  EXPECT_EQ(session.lines.oversized, 1u);
  EXPECT_EQ(spans(session), (Spans{{4, 6}, {7, 7}}));
  EXPECT_FALSE(session.turns[1].trigger_time.has_value());
}

TEST(ScanLines, MissingFileIsAnIoError) {
  diary::test::ScratchDir scratch;
  auto scanned = scan_session_file(SessionSource::codex, scratch / "gone.jsonl", {});
  ASSERT_FALSE(scanned);
  EXPECT_EQ(scanned.error().kind, diary::agent::ErrorKind::io);
}

}  // namespace
