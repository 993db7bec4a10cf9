#include "generate/mcp/write_evidence_tool.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <thread>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "generate/artifacts/evidence_card.h"
#include "generate/artifacts/turn_inputs.h"
#include "generate/artifacts/vocabulary.h"
#include "generate/check/json_schema.h"
#include "support/scratch_dir.h"
#include "unit/generate/artifacts/evidence_samples.h"
#include "unit/generate/mcp/tool_checks.h"

namespace diary::generate::mcp {
namespace {

using nlohmann::json;
using test::alpha;
using test::expect_invalid;
using test::evidence_args;
using test::PreparedDay;
using test::sample_chain;

json read_json(const std::filesystem::path& path) { return test::read_json_file(path); }

class WriteEvidence : public ::testing::Test {
 protected:
  json call(const json& arguments) { return tool.call(ToolContext{prepared.workspace()}, arguments); }
  json write(const std::string& turn_ref, std::size_t first) {
    return call(evidence_args(alpha, "S0001", sample_chain(turn_ref, first)));
  }
  McpTool tool = write_evidence_tool();
  PreparedDay prepared;
};

TEST_F(WriteEvidence, TheFirstWriteCreatesTheCard) {
  EXPECT_EQ(tool.name, "write_evidence");
  const json result = write("T0001", 1);
  EXPECT_EQ(result, (json{{"status", "appended"},
                          {"project_key", alpha},
                          {"session_ref", "S0001"},
                          {"turn_ref", "T0001"},
                          {"missing_turns", json::array({"T0002"})}}));
  const json card = read_json(prepared.card());
  EXPECT_EQ(card["schema_version"], 1);
  EXPECT_EQ(card["project_key"], alpha);
  EXPECT_EQ(card["session_ref"], "S0001");
  ASSERT_EQ(card["evidence_chains"].size(), 1u);
  json expected = sample_chain("T0001", 1);
  const auto* session = prepared.day().find_session(alpha, "S0001");
  expected["inputs_sha256"] = *artifacts::turn_inputs_sha256(prepared.day(), alpha, *session, session->turns[0]);
  EXPECT_EQ(card["evidence_chains"][0], expected);
  EXPECT_EQ(test::read_file(prepared.card()).back(), '\n');

  EXPECT_EQ(write("T0002", 5)["missing_turns"], json::array());
  EXPECT_TRUE(artifacts::inspect_evidence_card(prepared.day(), alpha, "S0001").complete());
}

TEST_F(WriteEvidence, RejectsADuplicateAndLeavesTheCardByteIdentical) {
  ASSERT_EQ(write("T0001", 1)["status"], "appended");
  const std::string before = test::read_file(prepared.card());
  json again = sample_chain("T0001", 1);
  again["materiality"] = "minor";
  const json result = call(evidence_args(alpha, "S0001", again));
  expect_invalid(result, "/evidence_chain/turn_ref");
  EXPECT_NE(result["errors"][0]["message"].get<std::string>().find("duplicate"), std::string::npos);
  EXPECT_EQ(test::read_file(prepared.card()), before);
}

TEST_F(WriteEvidence, AnInvalidChainChangesNothingOnDisk) {
  json chain = sample_chain("T0001", 1);
  chain["terminal_state"]["type"] = "finished";
  expect_invalid(call(evidence_args(alpha, "S0001", chain)), "/evidence_chain/terminal_state/type");
  EXPECT_FALSE(std::filesystem::exists(prepared.card().parent_path())) << "not even the evidence folder";

  ASSERT_EQ(write("T0002", 5)["status"], "appended");
  const std::string before = test::read_file(prepared.card());
  chain = sample_chain("T0001", 1);
  chain["outcomes"][0]["citations"][0]["lines"] = "7-8";  // another turn's lines
  expect_invalid(call(evidence_args(alpha, "S0001", chain)), "/evidence_chain/outcomes/0/citations/0/lines");
  EXPECT_EQ(test::read_file(prepared.card()), before);
}

TEST_F(WriteEvidence, RejectsAnAgentSuppliedInputsHash) {
  json chain = sample_chain("T0001", 1);
  chain["inputs_sha256"] = std::string(64, 'a');
  const json result = call(evidence_args(alpha, "S0001", chain));
  expect_invalid(result, "/evidence_chain/inputs_sha256");
  EXPECT_EQ(result["errors"].size(), 1u) << "reported once";
  EXPECT_FALSE(std::filesystem::exists(prepared.card()));
}

TEST_F(WriteEvidence, RejectsAnAgentSuppliedSource) {
  json chain = sample_chain("T0001", 1);
  chain["source"] = "offline";
  expect_invalid(call(evidence_args(alpha, "S0001", chain)), "/evidence_chain/source");
  EXPECT_FALSE(std::filesystem::exists(prepared.card()));
}

TEST_F(WriteEvidence, RejectsMalformedArguments) {
  json arguments = evidence_args(alpha, "S0001", sample_chain());
  arguments["turn_ref"] = "T0001";
  expect_invalid(call(arguments), "/turn_ref");
  arguments = evidence_args(alpha, "S0001", sample_chain());
  arguments.erase("evidence_chain");
  expect_invalid(call(arguments), "/evidence_chain");
  arguments = evidence_args(alpha, "S0001", sample_chain());
  arguments["project_key"] = "";
  expect_invalid(call(arguments), "/project_key");
  expect_invalid(call(json::array()), "");
  expect_invalid(call(evidence_args(alpha, "S0001", "chain")), "/evidence_chain");
}

TEST_F(WriteEvidence, RejectsAnUnknownProjectOrSession) {
  expect_invalid(call(evidence_args("nope", "S0001", sample_chain())), "/project_key");
  expect_invalid(call(evidence_args(alpha, "S0002", sample_chain())), "/session_ref");
}

TEST_F(WriteEvidence, AnswersWhenTheWorkspaceIsNotPrepared) {
  test::ScratchDir empty;
  const json result = tool.call(ToolContext{empty.path()}, evidence_args(alpha, "S0001", sample_chain()));
  expect_invalid(result, "");
  EXPECT_NE(result["errors"][0]["message"].get<std::string>().find("prepared workspace"), std::string::npos);
}

TEST_F(WriteEvidence, AModelChainReplacesAnOfflineOne) {
  json offline = sample_chain("T0001", 1);
  offline["source"] = "offline";
  offline["materiality"] = "minor";
  const auto* session = prepared.day().find_session(alpha, "S0001");
  auto hash = artifacts::turn_inputs_sha256(prepared.day(), alpha, *session, session->turns[0]);
  auto commit = artifacts::commit_chain({}, offline, *hash, prepared.day(), alpha, *session);
  ASSERT_TRUE(commit.problems.empty());
  ASSERT_TRUE(artifacts::write_json_atomic(prepared.card(), commit.card).has_value());
  ASSERT_EQ(artifacts::inspect_evidence_card(prepared.day(), alpha, "S0001").offline_turns.size(), 1u);

  EXPECT_EQ(write("T0001", 1)["status"], "appended");
  const json card = read_json(prepared.card());
  ASSERT_EQ(card["evidence_chains"].size(), 1u);
  EXPECT_EQ(card["evidence_chains"][0]["materiality"], "material");
  EXPECT_FALSE(card["evidence_chains"][0].contains("source"));
}

TEST_F(WriteEvidence, TheWorkspaceIsReadPerCall) {
  // A session added to the index after the tool was made is known to the next call.
  test::FixtureDay day = test::two_project_day();
  day.projects[0].sessions.push_back(day.projects[0].sessions[0]);
  day.projects[0].sessions[1].session_ref = "S0002";
  expect_invalid(call(evidence_args(alpha, "S0002", sample_chain())), "/session_ref");
  test::write_fixture_workspace(prepared.workspace().parent_path().parent_path(), day);
  EXPECT_EQ(call(evidence_args(alpha, "S0002", sample_chain()))["status"], "appended");
}

// ---- the lock ----

// A session of `turns` four-line turns (the two_project_day lines, repeated).
test::FixtureDay many_turn_day(std::size_t turns) {
  test::FixtureDay day = test::two_project_day();
  auto& session = day.projects[0].sessions[0];
  const auto lines = session.lines;
  session.lines.clear();
  session.turns.clear();
  for (std::size_t i = 0; i < turns; ++i) {
    for (std::size_t j = 0; j < 4; ++j) session.lines.push_back(lines[j]);
    char ref[8];
    std::snprintf(ref, sizeof ref, "T%04zu", i + 1);
    session.turns.push_back({ref, 4 * i + 1, 4 * i + 4});
  }
  return day;
}

TEST(WriteEvidenceLock, TwoProcessesAppendingToOneCardLoseNoChain) {
  constexpr std::size_t per_writer = 15;
  PreparedDay prepared(many_turn_day(2 * per_writer));
  const auto& turns = prepared.day().find_session(alpha, "S0001")->turns;

  // Each child writes every other turn, interleaved with the other child.
  auto spawn = [&](std::size_t parity) {
    const pid_t pid = ::fork();
    if (pid != 0) return pid;
    const McpTool tool = write_evidence_tool();
    int failures = 0;
    for (std::size_t i = parity; i < turns.size(); i += 2) {
      const json result = tool.call(ToolContext{prepared.workspace()},
                                    evidence_args(alpha, "S0001", sample_chain(turns[i].turn_ref, turns[i].start_line)));
      if (result.value("status", "") != "appended") ++failures;
    }
    ::_exit(failures == 0 ? 0 : 1);
  };
  const pid_t writers[] = {spawn(0), spawn(1)};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (pid_t pid : writers) {
    ASSERT_GT(pid, 0);
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        FAIL() << "writer " << pid << " did not finish within 60 s";
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a write was not appended";
  }
  const json card = read_json(prepared.card());
  ASSERT_EQ(card["evidence_chains"].size(), turns.size());
  for (std::size_t i = 0; i < turns.size(); ++i) EXPECT_EQ(card["evidence_chains"][i]["turn_ref"], turns[i].turn_ref);
  EXPECT_TRUE(artifacts::inspect_evidence_card(prepared.day(), alpha, "S0001").complete());
}

// ---- the published schema ----

class WriteEvidenceSchema : public ::testing::Test {
 protected:
  void SetUp() override {
    auto compiled = JsonSchema::compile(tool.input_schema);
    ASSERT_TRUE(compiled.has_value()) << compiled.error().message;
    schema.emplace(std::move(*compiled));
  }
  McpTool tool = write_evidence_tool();
  std::optional<JsonSchema> schema;
};

TEST_F(WriteEvidenceSchema, IsAClosedDraft07Schema) {
  test::expect_closed_schema(tool.input_schema, "");
  const json& chain = tool.input_schema["properties"]["evidence_chain"];
  EXPECT_EQ(chain["properties"]["trigger"]["properties"]["type"]["enum"], json(artifacts::trigger_types().values()));
  EXPECT_EQ(chain["properties"]["outcomes"]["items"]["properties"]["category"]["enum"],
            json(artifacts::outcome_categories().values()));
  EXPECT_EQ(chain["properties"]["observed_checks"]["items"]["properties"]["type"]["enum"],
            json(artifacts::check_types().values()));
  EXPECT_EQ(chain["properties"]["terminal_state"]["properties"]["type"]["enum"], json(artifacts::terminal_types().values()));
  EXPECT_EQ(chain["properties"]["materiality"]["enum"], json(artifacts::materiality_levels().values()));
  EXPECT_NE(tool.description.find("missing_turns"), std::string::npos);
  EXPECT_NE(tool.description.find("status"), std::string::npos);
}

TEST_F(WriteEvidenceSchema, AcceptsAValidCall) {
  const auto violations = schema->validate(evidence_args(alpha, "S0001", sample_chain()));
  EXPECT_TRUE(violations.empty()) << (violations.empty() ? "" : to_string(violations[0]));
}

TEST_F(WriteEvidenceSchema, RejectsAnUnknownEnumValue) {
  json chain = sample_chain();
  chain["outcomes"][0]["category"] = "bug_fix";
  EXPECT_FALSE(schema->is_valid(evidence_args(alpha, "S0001", chain)));
}

TEST_F(WriteEvidenceSchema, RejectsAnExtraPropertyAtAnyDepth) {
  json arguments = evidence_args(alpha, "S0001", sample_chain());
  arguments["extra"] = 1;
  EXPECT_FALSE(schema->is_valid(arguments));
  json chain = sample_chain();
  chain["inputs_sha256"] = std::string(64, 'a');
  EXPECT_FALSE(schema->is_valid(evidence_args(alpha, "S0001", chain)));
  chain = sample_chain();
  chain["trigger"]["citations"][0]["note"] = "x";
  EXPECT_FALSE(schema->is_valid(evidence_args(alpha, "S0001", chain)));
}

TEST_F(WriteEvidenceSchema, RejectsAMalformedSpanAndAnEmptyText) {
  json chain = sample_chain();
  chain["agent_reactions"][0]["citations"][0]["lines"] = "2..4";
  EXPECT_FALSE(schema->is_valid(evidence_args(alpha, "S0001", chain)));
  chain = sample_chain();
  chain["trigger"]["summary"] = "";
  EXPECT_FALSE(schema->is_valid(evidence_args(alpha, "S0001", chain)));
  chain = sample_chain();
  chain.erase("materiality");
  EXPECT_FALSE(schema->is_valid(evidence_args(alpha, "S0001", chain)));
}

}  // namespace
}  // namespace diary::generate::mcp
