#include "generate/artifacts/turn_inputs.h"

#include <string>

#include <gtest/gtest.h>

#include "generate/artifacts/versions.h"
#include "util/sha256.h"
#include "unit/generate/artifacts/evidence_samples.h"

namespace diary::generate::artifacts {
namespace {

using test::alpha;
using test::PreparedDay;

TEST(TurnInputs, HashesTheTurnLinesAndThePromptVersion) {
  PreparedDay prepared;
  const auto* session = prepared.day().find_session(alpha, "S0001");
  const test::FixtureDay day = test::two_project_day();
  std::string bytes;
  for (std::size_t i = 4; i < 8; ++i) bytes += day.projects[0].sessions[0].lines[i] + "\n";
  bytes += evidence_prompt_version;
  auto hash = turn_inputs_sha256(prepared.day(), alpha, *session, session->turns[1]);
  ASSERT_TRUE(hash.has_value());
  EXPECT_EQ(*hash, util::sha256_hex(bytes));
  auto all = session_turn_hashes(prepared.day(), alpha, *session);
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1], *hash);
  EXPECT_NE((*all)[0], *hash);
}

TEST(TurnInputs, FailsWhenTheSessionEndsBeforeTheTurn) {
  test::FixtureDay day = test::two_project_day();
  day.projects[0].sessions[0].lines.resize(6);  // T0002 needs lines 5-8
  PreparedDay prepared(day);
  const auto* session = prepared.day().find_session(alpha, "S0001");
  auto hash = turn_inputs_sha256(prepared.day(), alpha, *session, session->turns[1]);
  ASSERT_FALSE(hash.has_value());
  EXPECT_NE(hash.error().message.find("has 6 lines but a turn ends at line 8"), std::string::npos) << hash.error().message;
  EXPECT_TRUE(turn_inputs_sha256(prepared.day(), alpha, *session, session->turns[0]).has_value());
}

}  // namespace
}  // namespace diary::generate::artifacts
