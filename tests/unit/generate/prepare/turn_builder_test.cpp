#include "generate/prepare/turn_builder.h"

#include <gtest/gtest.h>

namespace {

using namespace diary::generate::prepare;
using namespace std::chrono_literals;

const Instant t0 = *parse_timestamp("2026-05-12T10:00:00Z");

RecordClass reaction() { return {RecordRole::reaction}; }
RecordClass scaffold() { return {RecordRole::scaffold}; }
RecordClass prompt(std::string text, TriggerChannel channel = TriggerChannel::message) {
  return {RecordRole::trigger, channel, std::move(text)};
}

TEST(TurnBuilder, TurnEndsBeforeTheNextPromptsScaffolding) {
  TurnBuilder builder;
  builder.add(1, scaffold(), t0);  // session_meta
  builder.add(2, scaffold(), t0);  // task_started
  builder.add(3, prompt("first"), t0);
  builder.add(4, reaction(), t0 + 1s);
  builder.add(5, reaction(), t0 + 2s);   // task_complete
  builder.add(6, scaffold(), t0 + 60s);  // task_started
  builder.add(7, scaffold(), t0 + 60s);  // turn_context
  builder.add(8, prompt("second"), t0 + 60s);
  builder.add(9, reaction(), t0 + 61s);
  auto turns = builder.finish(9);
  ASSERT_EQ(turns.size(), 2u);
  EXPECT_EQ(turns[0], (TurnSpan{3, 5, t0}));
  EXPECT_EQ(turns[1], (TurnSpan{8, 9, t0 + 60s}));
}

TEST(TurnBuilder, ScaffoldingInsideAReactionStaysInTheTurn) {
  TurnBuilder builder;
  builder.add(1, prompt("go"), t0);
  builder.add(2, scaffold(), t0);  // e.g. a mid-turn world_state
  builder.add(3, reaction(), t0);
  builder.add(4, prompt("next"), t0 + 5s);
  auto turns = builder.finish(4);
  ASSERT_EQ(turns.size(), 2u);
  EXPECT_EQ(turns[0].end_line, 3u);
}

TEST(TurnBuilder, LastTurnRunsToTheEndOfTheFileIncludingTrailingScaffolding) {
  TurnBuilder builder;
  builder.add(1, prompt("only"), t0);
  builder.add(2, reaction(), t0);
  builder.add(3, scaffold(), t0);
  auto turns = builder.finish(3);
  ASSERT_EQ(turns.size(), 1u);
  EXPECT_EQ(turns[0], (TurnSpan{1, 3, t0}));
}

TEST(TurnBuilder, NoPromptNoTurns) {
  TurnBuilder builder;
  builder.add(1, scaffold(), t0);
  builder.add(2, reaction(), t0);
  EXPECT_TRUE(builder.finish(2).empty());
}

TEST(TurnBuilder, EchoWithin100msCountsOnce) {
  TurnBuilder builder;
  builder.add(1, prompt("fix the bug"), t0);
  builder.add(2, prompt("  fix the bug\n", TriggerChannel::event_echo), t0 + 100ms);
  builder.add(3, reaction(), t0 + 1s);
  auto turns = builder.finish(3);
  ASSERT_EQ(turns.size(), 1u);
  EXPECT_EQ(turns[0], (TurnSpan{1, 3, t0}));
}

TEST(TurnBuilder, EchoBeforeTheMessageAlsoCountsOnce) {
  TurnBuilder builder;
  builder.add(1, prompt("fix", TriggerChannel::event_echo), t0);
  builder.add(2, prompt("fix"), t0 + 3ms);
  auto turns = builder.finish(2);
  ASSERT_EQ(turns.size(), 1u);
  EXPECT_EQ(turns[0].start_line, 1u);
}

TEST(TurnBuilder, EchoLaterThan100msIsASecondPrompt) {
  TurnBuilder builder;
  builder.add(1, prompt("fix the bug"), t0);
  builder.add(2, prompt("fix the bug", TriggerChannel::event_echo), t0 + 101ms);
  EXPECT_EQ(builder.finish(2).size(), 2u);
}

TEST(TurnBuilder, DifferentTextOrSameChannelIsNoEcho) {
  TurnBuilder different;
  different.add(1, prompt("fix the bug"), t0);
  different.add(2, prompt("fix the other bug", TriggerChannel::event_echo), t0 + 1ms);
  EXPECT_EQ(different.finish(2).size(), 2u);

  // The user really sent the same words twice in a row: two prompts.
  TurnBuilder repeated;
  repeated.add(1, prompt("continue"), t0);
  repeated.add(2, prompt("continue"), t0 + 1ms);
  EXPECT_EQ(repeated.finish(2).size(), 2u);
}

TEST(TurnBuilder, APromptAbsorbsOnlyOneEcho) {
  TurnBuilder builder;
  builder.add(1, prompt("yes"), t0);
  builder.add(2, prompt("yes", TriggerChannel::event_echo), t0 + 1ms);
  builder.add(3, prompt("yes", TriggerChannel::event_echo), t0 + 2ms);
  EXPECT_EQ(builder.finish(3).size(), 2u);
}

TEST(TurnBuilder, PromptWithoutTimestampStillBoundsTurns) {
  TurnBuilder builder;
  builder.add(1, prompt("first"), t0);
  builder.add(2, reaction(), t0);
  builder.add(3, prompt("no time"), std::nullopt);
  builder.add(4, reaction(), std::nullopt);
  auto turns = builder.finish(4);
  ASSERT_EQ(turns.size(), 2u);
  EXPECT_EQ(turns[0].end_line, 2u);
  EXPECT_FALSE(turns[1].trigger_time.has_value());
}

TEST(InjectedContext, KnownPrefixesAreNoPrompts) {
  for (auto text : {"<environment_context>\n<cwd>/x</cwd>", "  # AGENTS.md instructions for /x", "<turn_aborted>",
                    "<subagent_notification>{}", "<INSTRUCTIONS>do</INSTRUCTIONS>", "[Request interrupted by user]",
                    "<local-command-stdout>ok</local-command-stdout>"})
    EXPECT_TRUE(is_injected_context(text)) << text;
  for (auto text : {"Please fix the build", "", "why does <environment_context> appear?", "#AGENTS.md is wrong"})
    EXPECT_FALSE(is_injected_context(text)) << text;
}

}  // namespace
