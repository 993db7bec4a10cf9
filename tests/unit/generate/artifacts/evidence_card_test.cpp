#include "generate/artifacts/evidence_card.h"

#include <algorithm>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"
#include "unit/generate/artifacts/evidence_samples.h"

namespace diary::generate::artifacts {
namespace {

using nlohmann::json;
using test::alpha;
using test::beta;
using test::PreparedDay;
using test::sample_chain;

using test::store_chain;

json read_json(const std::filesystem::path& path) { return test::read_json_file(path); }

class ValidateChain : public ::testing::Test {
 protected:
  // The problems of `chain` for alpha/S0001, no existing card.
  Problems check(const json& chain, const json* existing = nullptr) {
    return validate_chain(chain, prepared.day(), alpha, "S0001", existing);
  }
  PreparedDay prepared;
};

TEST_F(ValidateChain, AcceptsAWellFormedChain) {
  EXPECT_TRUE(check(sample_chain()).empty()) << invalid_result(check(sample_chain())).dump(2);
  EXPECT_TRUE(check(sample_chain("T0002", 5, "Now run the tests")).empty());
}

TEST_F(ValidateChain, AcceptsEmptyListsWhereNothingApplies) {
  json chain = sample_chain();
  chain["trigger"]["quoted_messages"] = json::array();
  chain["observed_checks"] = json::array();
  chain["terminal_state"]["type"] = "no_material";
  chain["outcomes"] = json::array();
  chain["materiality"] = "none";
  EXPECT_TRUE(check(chain).empty()) << invalid_result(check(chain)).dump(2);
}

TEST_F(ValidateChain, RejectsABlankSummary) {
  json chain = sample_chain();
  chain["trigger"]["summary"] = "  \t";
  test::expect_one_problem(check(chain), "/evidence_chain/trigger/summary", "must be a non-empty string");
  EXPECT_EQ(check(chain)[0].hint, "provide a concise non-empty summary");
}

TEST_F(ValidateChain, RejectsABlankReactionOutcomeCheckOrTerminalSummary) {
  for (const std::string pointer :
       {"/agent_reactions/0/summary", "/outcomes/0/summary", "/observed_checks/0/summary", "/terminal_state/summary"}) {
    json chain = sample_chain();
    chain[json::json_pointer(pointer)] = "";
    test::expect_one_problem(check(chain), "/evidence_chain" + pointer, "must be a non-empty string");
  }
}

TEST_F(ValidateChain, RejectsABlankQuote) {
  json chain = sample_chain();
  chain["trigger"]["quoted_messages"][0]["text"] = "";
  test::expect_one_problem(check(chain), "/evidence_chain/trigger/quoted_messages/0/text", "must be a non-empty string");
}

TEST_F(ValidateChain, RejectsABlankTurnRef) {
  json chain = sample_chain();
  chain["turn_ref"] = " ";
  test::expect_one_problem(check(chain), "/evidence_chain/turn_ref", "must be a non-empty string");
}

TEST_F(ValidateChain, RejectsValuesOutsideEveryVocabulary) {
  const std::pair<std::string, std::string> fields[] = {{"/trigger/type", "trigger type"},
                                                        {"/outcomes/0/category", "outcome category"},
                                                        {"/observed_checks/0/type", "observed check type"},
                                                        {"/terminal_state/type", "terminal state type"},
                                                        {"/materiality", "materiality"}};
  for (const auto& [pointer, name] : fields) {
    json chain = sample_chain();
    chain[json::json_pointer(pointer)] = "made_up";
    auto problems = check(chain);
    test::expect_one_problem(problems, "/evidence_chain" + pointer, "must be a controlled " + name + " value");
    EXPECT_NE(problems[0].hint.find("use a controlled value such as"), std::string::npos);
  }
}

TEST_F(ValidateChain, RejectsMalformedOrReversedSpans) {
  for (const json& lines : {json("3"), json("a-b"), json("0-2"), json("4-2"), json(" 1-2"), json(12)}) {
    json chain = sample_chain();
    chain["agent_reactions"][0]["citations"][0]["lines"] = lines;
    auto problems = check(chain);
    test::expect_one_problem(problems, "/evidence_chain/agent_reactions/0/citations/0/lines", "must be a line span");
    EXPECT_EQ(problems[0].hint, "write the span as \"start-end\" with start <= end, e.g. \"12-14\"");
  }
}

TEST_F(ValidateChain, RejectsAnUnknownProject) {
  test::expect_one_problem(validate_chain(sample_chain(), prepared.day(), "gamma-000000000000", "S0001", nullptr), "/project_key",
                           "unknown project_key gamma-000000000000");
}

TEST_F(ValidateChain, RejectsAnUnknownSession) {
  auto problems = validate_chain(sample_chain(), prepared.day(), alpha, "S0009", nullptr);
  test::expect_one_problem(problems, "/session_ref", "unknown session_ref S0009");
  EXPECT_EQ(problems[0].hint, "use a session_ref listed in sessions.index.jsonl");
}

TEST_F(ValidateChain, RejectsATurnNotInTheSession) {
  // The spans would fit T0001, so the only fault is the turn itself.
  auto problems = check(sample_chain("T0003"));
  test::expect_one_problem(problems, "/evidence_chain/turn_ref", "turn T0003 is not a turn of session S0001");
  EXPECT_EQ(problems[0].hint, "use the assigned turn_ref from the target turn");
}

TEST_F(ValidateChain, RejectsATurnThatAlreadyHasAChain) {
  const json card = {{"evidence_chains", json::array({sample_chain()})}};
  test::expect_one_problem(check(sample_chain(), &card), "/evidence_chain/turn_ref",
                           "already has a committed evidence chain (duplicate)");
  EXPECT_TRUE(check(sample_chain("T0002", 5), &card).empty()) << "another turn is no duplicate";
}

TEST_F(ValidateChain, AnOfflineChainIsNoDuplicate) {
  json offline = sample_chain();
  offline["source"] = "offline";
  const json card = {{"evidence_chains", json::array({offline})}};
  EXPECT_TRUE(check(sample_chain(), &card).empty());
}

TEST_F(ValidateChain, RejectsACitationOutsideTheTurn) {
  json chain = sample_chain();
  chain["observed_checks"][0]["citations"][0]["lines"] = "4-5";
  auto problems = check(chain);
  test::expect_one_problem(problems, "/evidence_chain/observed_checks/0/citations/0/lines",
                           "line span 4-5 is outside turn T0001 span 1-4");
  EXPECT_NE(problems[0].hint.find("cite only lines 1-4"), std::string::npos);
}

TEST_F(ValidateChain, RejectsAQuoteCitationOutsideTheTurn) {
  json chain = sample_chain("T0002", 5);
  chain["trigger"]["quoted_messages"][0]["citations"][0]["lines"] = "1-1";  // the previous turn
  test::expect_one_problem(check(chain), "/evidence_chain/trigger/quoted_messages/0/citations/0/lines",
                           "outside turn T0002 span 5-8");
}

TEST_F(ValidateChain, RejectsMaterialResultWithoutAnOutcome) {
  json chain = sample_chain();
  chain["outcomes"] = json::array();
  test::expect_one_problem(check(chain), "/evidence_chain/outcomes", "material_result needs at least one outcome");
}

TEST_F(ValidateChain, RejectsAMaterialOutcomeCitingOnlyTriggerLines) {
  json chain = sample_chain();
  chain["outcomes"][0]["citations"] = json::array({{{"lines", "1-1"}}});
  auto problems = check(chain);
  test::expect_one_problem(problems, "/evidence_chain/outcomes/0/citations", "a material outcome cites only trigger evidence");
  EXPECT_NE(problems[0].hint.find("agent_reaction"), std::string::npos);
}

TEST_F(ValidateChain, AMaterialOutcomeWithoutCitationsIsRejectedToo) {
  json chain = sample_chain();
  chain["outcomes"][0]["citations"] = json::array();
  test::expect_one_problem(check(chain), "/evidence_chain/outcomes/0/citations", "a material outcome cites no lines");
}

TEST_F(ValidateChain, AnOutcomeSharingAReactionLineOrOutsideTheTriggerPasses) {
  json chain = sample_chain();
  chain["trigger"]["citations"] = json::array({{{"lines", "1-2"}}});
  chain["outcomes"][0]["citations"] = json::array({{{"lines", "2-2"}}});  // trigger and reaction line
  EXPECT_TRUE(check(chain).empty()) << invalid_result(check(chain)).dump(2);
  chain["agent_reactions"][0]["citations"] = json::array({{{"lines", "3-3"}}});
  chain["outcomes"][0]["citations"] = json::array({{{"lines", "1-3"}}});  // reaches past the trigger
  EXPECT_TRUE(check(chain).empty());
  chain["outcomes"][0]["citations"] = json::array({{{"lines", "1-2"}}});  // only trigger lines
  EXPECT_EQ(check(chain).size(), 1u);
}

TEST_F(ValidateChain, TheTriggerRuleAppliesOnlyToMaterialChains) {
  json chain = sample_chain();
  chain["outcomes"][0]["citations"] = json::array({{{"lines", "1-1"}}});
  chain["materiality"] = "minor";
  EXPECT_TRUE(check(chain).empty());
}

TEST_F(ValidateChain, RejectsAMissingField) {
  json chain = sample_chain();
  chain.erase("observed_checks");
  test::expect_one_problem(check(chain), "/evidence_chain/observed_checks", "is required");
}

TEST_F(ValidateChain, RejectsAnUnknownField) {
  json chain = sample_chain();
  chain["trigger"]["mood"] = "happy";
  auto problems = check(chain);
  test::expect_one_problem(problems, "/evidence_chain/trigger/mood", "is not a field of trigger");
  EXPECT_NE(problems[0].hint.find("quoted_messages"), std::string::npos) << "the hint lists the allowed fields";
}

TEST_F(ValidateChain, ACitationWithAnExtraFieldIsStillChecked) {
  json chain = sample_chain();
  chain["outcomes"][0]["citations"][0] = {{"lines", "9-9"}, {"why", "x"}};
  auto problems = check(chain);
  ASSERT_EQ(problems.size(), 2u) << invalid_result(problems).dump(2);
  EXPECT_EQ(problems[0].path, "/evidence_chain/outcomes/0/citations/0/why");
  EXPECT_EQ(problems[1].path, "/evidence_chain/outcomes/0/citations/0/lines");
}

TEST_F(ValidateChain, HostileLongValuesAreQuotedShortly) {
  json chain = sample_chain(std::string(100000, 'T'));
  chain["trigger"]["citations"][0]["lines"] = std::string(100000, '9');
  chain["materiality"] = "none";
  for (const auto& problem : check(chain)) EXPECT_LT(problem.message.size(), 200u) << problem.path;
}

TEST_F(ValidateChain, RejectsWrongTypes) {
  test::expect_one_problem(check(json::array()), "/evidence_chain", "must be a JSON object");
  json chain = sample_chain();
  chain["outcomes"] = "none";
  test::expect_one_problem(check(chain), "/evidence_chain/outcomes", "must be a JSON array");
  chain = sample_chain();
  chain["terminal_state"] = json::array();
  test::expect_one_problem(check(chain), "/evidence_chain/terminal_state", "must be a JSON object");
}

TEST_F(ValidateChain, StoredFieldsAreCheckedToo) {
  json chain = sample_chain();
  chain["inputs_sha256"] = "not-a-hash";
  test::expect_one_problem(check(chain), "/evidence_chain/inputs_sha256", "lowercase hex SHA-256");
  chain = sample_chain();
  chain["source"] = "model";
  test::expect_one_problem(check(chain), "/evidence_chain/source", "must be \"offline\"");
}

TEST_F(ValidateChain, ReportsEveryProblemAtOnce) {
  json chain = sample_chain();
  chain["trigger"]["type"] = "x";
  chain["materiality"] = "y";
  chain["agent_reactions"][0]["summary"] = "";
  EXPECT_EQ(check(chain).size(), 3u);
}

TEST_F(ValidateChain, HostileValuesNeverThrow) {
  const json values[] = {json(), json(1), json("s"), json::array({1, 2}), json::object(), json::array({json()})};
  const char* fields[] = {"turn_ref",        "trigger",        "agent_reactions", "outcomes",
                          "observed_checks", "terminal_state", "materiality"};
  for (const char* field : fields)
    for (const auto& value : values) {
      json chain = sample_chain();
      chain[field] = value;
      EXPECT_NO_THROW(EXPECT_FALSE(check(chain).empty()) << field << " = " << value.dump());
      json nested = sample_chain();
      nested["agent_reactions"] = json::array({value});
      nested["trigger"]["quoted_messages"] = json::array({value});
      EXPECT_NO_THROW(check(nested));
    }
}

TEST_F(ValidateChain, PathsUseTheGivenBase) {
  json chain = sample_chain();
  chain["materiality"] = "x";
  auto problems = validate_chain(chain, prepared.day(), alpha, "S0001", nullptr, "/evidence_chains/3");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, "/evidence_chains/3/materiality");
}

// ---- inspect / repair ----

class EvidenceCard : public ::testing::Test {
 protected:
  EvidenceCardState inspect(const std::string& pk = alpha) { return inspect_evidence_card(prepared.day(), pk, "S0001"); }
  PreparedDay prepared;
};

TEST_F(EvidenceCard, AMissingCardMissesEveryTurn) {
  auto state = inspect();
  EXPECT_EQ(state.status, EvidenceCardState::Status::missing);
  EXPECT_EQ(state.missing_turns, (std::vector<std::string>{"T0001", "T0002"}));
  EXPECT_FALSE(state.complete());
  EXPECT_FALSE(state.needs_repair());
}

TEST_F(EvidenceCard, APartialCardKeepsItsChainsAndNamesTheMissingTurns) {
  store_chain(prepared, alpha, "S0001", sample_chain("T0002", 5));
  auto state = inspect();
  EXPECT_EQ(state.status, EvidenceCardState::Status::valid);
  ASSERT_EQ(state.kept_chains.size(), 1u);
  EXPECT_EQ(state.missing_turns, (std::vector<std::string>{"T0001"}));
  EXPECT_FALSE(state.complete());
  store_chain(prepared, alpha, "S0001", sample_chain("T0001", 1));
  state = inspect();
  EXPECT_TRUE(state.complete());
  EXPECT_FALSE(state.needs_repair());
  // Chains are stored in index order, whatever order they were written in.
  const json card = read_json(prepared.card());
  EXPECT_EQ(card["evidence_chains"][0]["turn_ref"], "T0001");
  EXPECT_EQ(card["evidence_chains"][1]["turn_ref"], "T0002");
  EXPECT_EQ(card["schema_version"], 1);
  EXPECT_EQ(card["project_key"], alpha);
  EXPECT_EQ(card["session_ref"], "S0001");
}

TEST_F(EvidenceCard, AnInvalidChainIsDroppedOnItsOwn) {
  store_chain(prepared, alpha, "S0001", sample_chain("T0001", 1));
  store_chain(prepared, alpha, "S0001", sample_chain("T0002", 5));
  json card = read_json(prepared.card());
  card["evidence_chains"][1]["trigger"]["summary"] = "";  // as if an agent edited the file
  test::write_file(prepared.card(), card.dump(2));

  auto state = inspect();
  EXPECT_EQ(state.status, EvidenceCardState::Status::valid);
  ASSERT_EQ(state.kept_chains.size(), 1u);
  EXPECT_EQ(state.kept_chains[0]["turn_ref"], "T0001");
  ASSERT_EQ(state.dropped_chains.size(), 1u);
  EXPECT_EQ(state.dropped_chains[0].index, 1u);
  EXPECT_EQ(state.dropped_chains[0].turn_ref, "T0002");
  EXPECT_FALSE(state.dropped_chains[0].stale);
  ASSERT_EQ(state.dropped_chains[0].problems.size(), 1u);
  EXPECT_EQ(state.dropped_chains[0].problems[0].path, "/evidence_chains/1/trigger/summary");
  EXPECT_EQ(state.missing_turns, (std::vector<std::string>{"T0002"}));
  EXPECT_TRUE(state.needs_repair());

  ASSERT_TRUE(repair_evidence_card(prepared.day(), alpha, "S0001").has_value());
  const json repaired = read_json(prepared.card());
  ASSERT_EQ(repaired["evidence_chains"].size(), 1u);
  EXPECT_EQ(repaired["evidence_chains"][0], card["evidence_chains"][0]);
  EXPECT_FALSE(inspect().needs_repair());
}

TEST_F(EvidenceCard, AChainBecomesStaleWhenItsTurnBytesChange) {
  store_chain(prepared, alpha, "S0001", sample_chain("T0001", 1));
  store_chain(prepared, alpha, "S0001", sample_chain("T0002", 5));
  ASSERT_TRUE(inspect().complete());

  // Rewrite line 6 (inside T0002) with other bytes; T0001 (lines 1-4) is untouched.
  test::FixtureDay changed = test::two_project_day();
  changed.projects[0].sessions[0].lines[5] = test::codex_shell_call_line("ctest -j8", "call_2");
  test::write_fixture_workspace(prepared.workspace().parent_path().parent_path(), changed);

  auto state = inspect();
  EXPECT_EQ(state.status, EvidenceCardState::Status::valid);
  ASSERT_EQ(state.kept_chains.size(), 1u);
  EXPECT_EQ(state.kept_chains[0]["turn_ref"], "T0001");
  ASSERT_EQ(state.dropped_chains.size(), 1u);
  EXPECT_TRUE(state.dropped_chains[0].stale);
  EXPECT_EQ(state.dropped_chains[0].problems[0].path, "/evidence_chains/1/inputs_sha256");
  EXPECT_EQ(state.missing_turns, (std::vector<std::string>{"T0002"}));
}

TEST_F(EvidenceCard, AChainWithoutInputsHashIsStale) {
  store_chain(prepared, alpha, "S0001", sample_chain("T0001", 1));
  json card = read_json(prepared.card());
  card["evidence_chains"][0].erase("inputs_sha256");
  test::write_file(prepared.card(), card.dump());
  auto state = inspect();
  ASSERT_EQ(state.dropped_chains.size(), 1u);
  EXPECT_TRUE(state.dropped_chains[0].stale);
}

TEST_F(EvidenceCard, ADuplicateStoredChainIsDropped) {
  store_chain(prepared, alpha, "S0001", sample_chain("T0001", 1));
  json card = read_json(prepared.card());
  card["evidence_chains"].push_back(card["evidence_chains"][0]);
  test::write_file(prepared.card(), card.dump());
  auto state = inspect();
  EXPECT_EQ(state.kept_chains.size(), 1u);
  ASSERT_EQ(state.dropped_chains.size(), 1u);
  EXPECT_EQ(state.dropped_chains[0].index, 1u);
  EXPECT_NE(state.dropped_chains[0].problems[0].message.find("duplicate"), std::string::npos);
}

TEST_F(EvidenceCard, OfflineChainsAreValidButListed) {
  json offline = sample_chain("T0001", 1);
  offline["source"] = "offline";
  offline["terminal_state"]["type"] = "no_material";
  store_chain(prepared, alpha, "S0001", offline);
  store_chain(prepared, alpha, "S0001", sample_chain("T0002", 5));
  auto state = inspect();
  EXPECT_TRUE(state.complete());
  EXPECT_EQ(state.offline_turns, (std::vector<std::string>{"T0001"}));

  // A model-made chain replaces it.
  store_chain(prepared, alpha, "S0001", sample_chain("T0001", 1));
  state = inspect();
  EXPECT_TRUE(state.complete());
  EXPECT_TRUE(state.offline_turns.empty());
  const json card = read_json(prepared.card());
  ASSERT_EQ(card["evidence_chains"].size(), 2u);
  EXPECT_FALSE(card["evidence_chains"][0].contains("source"));
  EXPECT_EQ(card["evidence_chains"][0]["terminal_state"]["type"], "material_result");
}

TEST_F(EvidenceCard, AnUnparsableCardIsRemovedByRepair) {
  test::write_file(prepared.card(), "{\"schema_version\": 1, \"evidence_chains\": [");
  auto state = inspect();
  EXPECT_EQ(state.status, EvidenceCardState::Status::unparsable);
  EXPECT_EQ(state.missing_turns.size(), 2u);
  EXPECT_TRUE(state.needs_repair());
  ASSERT_TRUE(repair_evidence_card(prepared.day(), alpha, "S0001").has_value());
  EXPECT_FALSE(std::filesystem::exists(prepared.card()));
  EXPECT_EQ(inspect().status, EvidenceCardState::Status::missing);
}

TEST_F(EvidenceCard, ABrokenEnvelopeIsUnparsable) {
  const json good = {{"schema_version", 1}, {"project_key", alpha}, {"session_ref", "S0001"}, {"evidence_chains", json::array()}};
  const std::pair<std::string, json> breaks[] = {
      {"/schema_version", 2}, {"/project_key", beta}, {"/session_ref", "S0002"}, {"/evidence_chains", json::object()}};
  for (const auto& [pointer, value] : breaks) {
    json card = good;
    card[json::json_pointer(pointer)] = value;
    test::write_file(prepared.card(), card.dump());
    auto state = inspect();
    EXPECT_EQ(state.status, EvidenceCardState::Status::unparsable) << pointer;
    ASSERT_EQ(state.problems.size(), 1u) << pointer;
    EXPECT_EQ(state.problems[0].path, pointer);
  }
  test::write_file(prepared.card(), "[]");
  EXPECT_EQ(inspect().status, EvidenceCardState::Status::unparsable);
}

TEST_F(EvidenceCard, RepairLeavesASoundCardByteIdentical) {
  store_chain(prepared, alpha, "S0001", sample_chain("T0001", 1));
  const std::string before = test::read_file(prepared.card());
  ASSERT_TRUE(repair_evidence_card(prepared.day(), alpha, "S0001").has_value());
  EXPECT_EQ(test::read_file(prepared.card()), before);
}

TEST_F(EvidenceCard, RepairRefusesWhenTheSessionCopyIsUnreadable) {
  store_chain(prepared, alpha, "S0001", sample_chain("T0001", 1));
  const std::string before = test::read_file(prepared.card());
  std::filesystem::remove(prepared.day().session_file(alpha, *prepared.day().find_session(alpha, "S0001")));
  EXPECT_FALSE(repair_evidence_card(prepared.day(), alpha, "S0001").has_value());
  EXPECT_EQ(test::read_file(prepared.card()), before) << "no chain is thrown away for want of the transcript";
  auto state = inspect();
  ASSERT_EQ(state.dropped_chains.size(), 1u);
  EXPECT_NE(state.dropped_chains[0].problems[0].message.find("cannot check"), std::string::npos);
}

TEST(EvidenceCardEmpty, WritesAnEmptyCardOnlyForASessionWithoutTurns) {
  test::FixtureDay day = test::two_project_day();
  day.projects[0].sessions.push_back(test::FixtureSession{.session_ref = "S0002", .lines = {}, .turns = {}});
  PreparedDay prepared(day);
  ASSERT_TRUE(write_empty_card(prepared.day(), alpha, "S0002").has_value());
  const json card = read_json(prepared.card(alpha, "S0002"));
  EXPECT_EQ(card,
            (json{{"schema_version", 1}, {"project_key", alpha}, {"session_ref", "S0002"}, {"evidence_chains", json::array()}}));
  EXPECT_TRUE(inspect_evidence_card(prepared.day(), alpha, "S0002").complete());

  auto refused = write_empty_card(prepared.day(), alpha, "S0001");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().kind, agent::ErrorKind::invalid_input);
  EXPECT_FALSE(std::filesystem::exists(prepared.card(alpha, "S0001")));
}

// ---- commit ----

TEST_F(EvidenceCard, CommitReplacesAStaleOrInvalidChainOfTheTurn) {
  store_chain(prepared, alpha, "S0001", sample_chain("T0001", 1));
  json card = read_json(prepared.card());
  card["evidence_chains"][0]["inputs_sha256"] = std::string(64, '0');  // stale
  test::write_file(prepared.card(), card.dump());
  store_chain(prepared, alpha, "S0001", sample_chain("T0001", 1));  // not a duplicate
  EXPECT_TRUE(inspect().kept_chains.size() == 1 && inspect().dropped_chains.empty());

  card = read_json(prepared.card());
  card["evidence_chains"][0]["materiality"] = "huge";  // invalid
  test::write_file(prepared.card(), card.dump());
  store_chain(prepared, alpha, "S0001", sample_chain("T0001", 1));
  EXPECT_TRUE(inspect().dropped_chains.empty());
}

TEST_F(EvidenceCard, CommitStartsAFreshCardOverAnUnparsableOne) {
  test::write_file(prepared.card(), "not json");
  store_chain(prepared, alpha, "S0001", sample_chain("T0001", 1));
  auto state = inspect();
  EXPECT_EQ(state.status, EvidenceCardState::Status::valid);
  EXPECT_EQ(state.kept_chains.size(), 1u);
}

}  // namespace
}  // namespace diary::generate::artifacts
