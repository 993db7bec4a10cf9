#include "generate/artifacts/project_synthesis.h"

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "generate/artifacts/evidence_card.h"
#include "generate/artifacts/turn_inputs.h"
#include "support/scratch_dir.h"
#include "unit/generate/artifacts/evidence_samples.h"

namespace diary::generate::artifacts {
namespace {

using nlohmann::json;
using test::alpha;
using test::gap_item;
using test::PreparedDay;
using test::sample_chain;
using test::sample_item;
using test::turn;

void store_chain(const PreparedDay& prepared, const std::string& session_ref, const json& chain) {
  test::store_chain(prepared, alpha, session_ref, chain);
}

// Commits `item` to alpha's synthesis the way write_work_item does.
WorkItemCommit store_item(const PreparedDay& prepared, const json& item) {
  const auto committed = committed_project_chains(prepared.day(), alpha);
  WorkItemCommit commit;
  auto written = update_json_locked(prepared.synthesis(), [&](const StoredJson& current) -> std::optional<json> {
    commit = commit_work_item(current, item, prepared.day(), *prepared.day().find_project(alpha), committed);
    if (!commit.problems.empty()) return std::nullopt;
    return commit.envelope;
  });
  EXPECT_TRUE(written.has_value());
  return commit;
}

json read_json(const std::filesystem::path& path) { return test::read_json_file(path); }

// Alpha S0001: T0001 has a chain, T0002 has none.
class ValidateWorkItem : public ::testing::Test {
 protected:
  void SetUp() override {
    store_chain(prepared, "S0001", sample_chain("T0001", 1));
    committed = committed_project_chains(prepared.day(), alpha);
    ASSERT_EQ(committed.chains.size(), 1u);
  }
  Problems check(const json& item, const json* envelope = nullptr) {
    return validate_work_item(item, prepared.day(), alpha, committed, envelope);
  }
  PreparedDay prepared;
  ProjectChains committed;
};

TEST_F(ValidateWorkItem, AcceptsWellFormedItems) {
  EXPECT_TRUE(check(sample_item()).empty()) << invalid_result(check(sample_item())).dump(2);
  EXPECT_TRUE(check(gap_item("W0002", json::array({turn("S0001", "T0002")}))).empty());
  json excluded = gap_item("W0003", json::array({turn("S0001", "T0001")}));  // excluded items cover chained turns
  excluded["kind"] = "excluded_with_reason";
  excluded["reason"] = "a private aside";
  EXPECT_TRUE(check(excluded).empty());
  json minor = sample_item();
  minor["kind"] = "no_material_work_item";
  minor.erase("trigger");
  minor.erase("agent_reaction");
  minor["outcomes"] = json::array();
  minor["terminal_states"] = json::array();
  EXPECT_TRUE(check(minor).empty());
}

TEST_F(ValidateWorkItem, RejectsAMalformedRef) {
  for (const char* ref : {"W1", "w0001", "W00001", "X0001", "W00a1"}) {
    json item = sample_item(ref);
    test::expect_one_problem(check(item), "/work_item/work_item_ref", "must look like W0001");
  }
}

TEST_F(ValidateWorkItem, RejectsADuplicateRef) {
  const json envelope = {{"work_items", json::array({gap_item("W0001", json::array({turn("S0001", "T0002")}))})}};
  auto problems = check(sample_item("W0001"), &envelope);
  test::expect_one_problem(problems, "/work_item/work_item_ref", "work item W0001 already exists");
  EXPECT_NE(problems[0].hint.find("W0002"), std::string::npos);
  json later = sample_item("W0005");
  later["covered_turns"] = json::array();  // only the ref matters here
  const json gappy = {{"work_items", json::array({envelope["work_items"][0], later})}};
  EXPECT_NE(check(sample_item("W0005"), &gappy)[0].hint.find("W0006"), std::string::npos) << "the next free ref, not the count";
}

TEST_F(ValidateWorkItem, RejectsABlankTitle) {
  json item = sample_item();
  item["title"] = " ";
  test::expect_one_problem(check(item), "/work_item/title", "must be a non-empty string");
}

TEST_F(ValidateWorkItem, RejectsEmptyCoverage) {
  json item = sample_item();
  item["covered_turns"] = json::array();
  item["trigger"]["evidence_refs"] = json::array();
  item["outcomes"][0]["evidence_refs"] = json::array();
  item["terminal_states"][0]["evidence_refs"] = json::array();
  test::expect_one_problem(check(item), "/work_item/covered_turns", "must list at least one turn");
}

TEST_F(ValidateWorkItem, RejectsABlankCoveredTurnField) {
  json item = sample_item();
  item["covered_turns"].push_back(turn("", "T0002"));
  test::expect_one_problem(check(item), "/work_item/covered_turns/1/session_ref", "must be a non-empty string");
}

TEST_F(ValidateWorkItem, AMaterialItemNeedsATrigger) {
  json item = sample_item();
  item.erase("trigger");
  test::expect_one_problem(check(item), "/work_item/trigger", "a material_work_item needs a trigger");
}

TEST_F(ValidateWorkItem, AMaterialItemNeedsAnAgentReaction) {
  json item = sample_item();
  item.erase("agent_reaction");
  test::expect_one_problem(check(item), "/work_item/agent_reaction", "a material_work_item needs an agent_reaction");
}

TEST_F(ValidateWorkItem, AMaterialItemNeedsAnOutcomeOrATerminalState) {
  json item = sample_item();
  item["outcomes"] = json::array();
  EXPECT_TRUE(check(item).empty()) << "a terminal state is enough";
  item["terminal_states"] = json::array();
  test::expect_one_problem(check(item), "/work_item/outcomes", "needs at least one outcome or terminal state");
}

TEST_F(ValidateWorkItem, AGapItemCarriesNoTriggerOrReaction) {
  for (const char* key : {"trigger", "agent_reaction"}) {
    json item = gap_item("W0001", json::array({turn("S0001", "T0002")}));
    item[key] = sample_item()[key];
    item[key].erase("evidence_refs");  // keep the one fault
    if (std::string(key) == "trigger") item[key]["evidence_refs"] = json::array();
    test::expect_one_problem(check(item), std::string("/work_item/") + key,
                             std::string("an evidence_gap_item carries no ") + key);
  }
}

TEST_F(ValidateWorkItem, AGapItemCarriesNoOutcomesOrTerminalStates) {
  json item = gap_item("W0001", json::array({turn("S0001", "T0002")}));
  item["outcomes"] =
      json::array({{{"category", "other"}, {"summary", "x"}, {"evidence_refs", json::array()}, {"confidence", "low"}}});
  test::expect_one_problem(check(item), "/work_item/outcomes", "an evidence_gap_item carries no outcomes");
  item = gap_item("W0001", json::array({turn("S0001", "T0002")}));
  item["terminal_states"] = json::array({{{"type", "evidence_gap"}, {"summary", "x"}, {"evidence_refs", json::array()}}});
  test::expect_one_problem(check(item), "/work_item/terminal_states", "an evidence_gap_item carries no terminal_states");
}

TEST_F(ValidateWorkItem, AnExcludedItemNeedsAReason) {
  json item = gap_item("W0001", json::array({turn("S0001", "T0001")}));
  item["kind"] = "excluded_with_reason";
  test::expect_one_problem(check(item), "/work_item/reason", "needs a reason");
}

TEST_F(ValidateWorkItem, RejectsATurnThatIsNotIndexed) {
  json item = gap_item("W0001", json::array({turn("S0001", "T0009")}));
  test::expect_one_problem(check(item), "/work_item/covered_turns/0", "S0001/T0009 is not an indexed turn of project " + alpha);
  item = gap_item("W0001", json::array({turn("S0007", "T0001")}));
  test::expect_one_problem(check(item), "/work_item/covered_turns/0", "is not an indexed turn");
}

TEST_F(ValidateWorkItem, RejectsATurnCoveredTwiceInOneItem) {
  json item = gap_item("W0001", json::array({turn("S0001", "T0002"), turn("S0001", "T0002")}));
  test::expect_one_problem(check(item), "/work_item/covered_turns/1", "listed twice");
}

TEST_F(ValidateWorkItem, RejectsATurnAnEarlierItemCovers) {
  const json envelope = {{"work_items", json::array({sample_item("W0001")})}};
  test::expect_one_problem(check(sample_item("W0002"), &envelope), "/work_item/covered_turns/0",
                           "already covered by work item W0001");
}

TEST_F(ValidateWorkItem, AGapItemCoversOnlyTurnsWithoutAChain) {
  test::expect_one_problem(check(gap_item("W0001", json::array({turn("S0001", "T0001")}))), "/work_item/covered_turns/0",
                           "has an evidence chain; an evidence_gap_item covers only turns without one");
}

TEST_F(ValidateWorkItem, OtherKindsCoverOnlyTurnsWithAChain) {
  json item = sample_item();
  item["covered_turns"].push_back(turn("S0001", "T0002"));
  test::expect_one_problem(check(item), "/work_item/covered_turns/1",
                           "has no evidence chain; only an evidence_gap_item may cover it");
}

TEST_F(ValidateWorkItem, EvidenceRefsMustBeCoveredTurns) {
  store_chain(prepared, "S0001", sample_chain("T0002", 5, "Now run the tests"));
  committed = committed_project_chains(prepared.day(), alpha);
  json item = sample_item();
  item["outcomes"][0]["evidence_refs"] = json::array({turn("S0001", "T0002")});  // has a chain, not covered
  test::expect_one_problem(check(item), "/work_item/outcomes/0/evidence_refs/0",
                           "evidence ref S0001/T0002 is not a turn this work item covers");
}

TEST_F(ValidateWorkItem, EvidenceRefsMustHaveAChain) {
  json item = sample_item();
  item["covered_turns"].push_back(turn("S0001", "T0002"));
  item["trigger"]["evidence_refs"].push_back(turn("S0001", "T0002"));
  auto problems = check(item);
  ASSERT_EQ(problems.size(), 2u) << "the coverage rule and the ref rule";
  EXPECT_EQ(problems[1].path, "/work_item/trigger/evidence_refs/1");
  EXPECT_NE(problems[1].message.find("evidence ref S0001/T0002 has no evidence chain"), std::string::npos);
}

TEST_F(ValidateWorkItem, RejectsValuesOutsideEveryVocabulary) {
  const std::pair<std::string, std::string> fields[] = {{"/kind", "work item kind"},
                                                        {"/confidence", "confidence"},
                                                        {"/outcomes/0/category", "outcome category"},
                                                        {"/outcomes/0/confidence", "confidence"},
                                                        {"/terminal_states/0/type", "terminal state type"}};
  for (const auto& [pointer, name] : fields) {
    json item = sample_item();
    item[json::json_pointer(pointer)] = "made_up";
    test::expect_one_problem(check(item), "/work_item" + pointer, "must be a controlled " + name + " value");
  }
}

TEST_F(ValidateWorkItem, RejectsBlankActionsAndLimits) {
  json item = sample_item();
  item["agent_reaction"]["main_actions"].push_back("");
  test::expect_one_problem(check(item), "/work_item/agent_reaction/main_actions/1", "must be a non-empty string");
  item = sample_item();
  item["limits"] = json::array({"ok", 3});
  test::expect_one_problem(check(item), "/work_item/limits/1", "must be a non-empty string");
}

TEST_F(ValidateWorkItem, RejectsAnUnknownProject) {
  auto problems = validate_work_item(sample_item(), prepared.day(), "gamma-000000000000", committed, nullptr);
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0].path, "/project_key");
}

TEST_F(ValidateWorkItem, RejectsUnknownFieldsAndWrongTypes) {
  json item = sample_item();
  item["risks"] = json::array();
  test::expect_one_problem(check(item), "/work_item/risks", "is not a field of work_item");
  test::expect_one_problem(check("W0001"), "/work_item", "must be a JSON object");
}

TEST_F(ValidateWorkItem, OfflineItemsDoNotBlockRefsOrTurns) {
  json offline = sample_item("W0001");
  offline["source"] = "offline";
  const json envelope = {{"work_items", json::array({offline})}};
  EXPECT_TRUE(check(sample_item("W0001"), &envelope).empty());
}

TEST_F(ValidateWorkItem, HostileValuesNeverThrow) {
  const json values[] = {json(), json(1), json("s"), json::array({1}), json::object(), json::array({json::array()})};
  for (const char* field : {"work_item_ref", "kind", "covered_turns", "trigger", "agent_reaction", "outcomes", "terminal_states",
                            "limits", "reason", "confidence"})
    for (const auto& value : values) {
      json item = sample_item();
      item[field] = value;
      const bool valid = std::string(field) == "reason" && value.is_string();
      EXPECT_NO_THROW(EXPECT_EQ(check(item).empty(), valid) << field << " = " << value.dump());
    }
}

// ---- envelope ----

class ProjectSynthesis : public ::testing::Test {
 protected:
  void SetUp() override { store_chain(prepared, "S0001", sample_chain("T0001", 1)); }
  ProjectSynthesisState inspect() { return inspect_project_synthesis(prepared.day(), alpha); }
  PreparedDay prepared;
};

TEST_F(ProjectSynthesis, TheFirstCommitCreatesTheEnvelope) {
  auto commit = store_item(prepared, sample_item());
  ASSERT_TRUE(commit.problems.empty()) << invalid_result(commit.problems).dump(2);
  EXPECT_EQ(commit.remaining_turns, (std::vector<TurnRef>{{"S0001", "T0002"}}));
  const json envelope = read_json(prepared.synthesis());
  EXPECT_EQ(envelope["schema_version"], 1);
  EXPECT_EQ(envelope["project_key"], alpha);
  EXPECT_EQ(envelope["project_label"], "alpha");
  ASSERT_EQ(envelope["work_items"].size(), 1u);
  EXPECT_EQ(envelope["work_items"][0], sample_item());
  EXPECT_EQ(envelope["source_user_messages"],
            json::parse(R"([{"session_ref":"S0001","turn_ref":"T0001","messages":["Add a --verbose flag to the CLI"]}])"));
  EXPECT_EQ(envelope["inputs_sha256"], project_inputs_sha256(committed_project_chains(prepared.day(), alpha)));

  auto state = inspect();
  EXPECT_EQ(state.status, ProjectSynthesisState::Status::valid);
  EXPECT_EQ(state.uncovered_turns, (std::vector<TurnRef>{{"S0001", "T0002"}}));
  EXPECT_FALSE(state.complete());
  EXPECT_FALSE(state.needs_repair());

  store_item(prepared, gap_item("W0002", json::array({turn("S0001", "T0002")})));
  EXPECT_TRUE(inspect().complete());
}

TEST_F(ProjectSynthesis, SourceUserMessagesAreSortedAndSkipTurnsWithoutQuotes) {
  test::FixtureDay day = test::two_project_day();
  day.projects[0].sessions.push_back(test::FixtureSession{
      .session_ref = "S0002", .lines = day.projects[0].sessions[0].lines, .turns = {{"T0001", 1, 4}, {"T0002", 5, 8}}});
  PreparedDay two(day);
  store_chain(two, "S0002", sample_chain("T0001", 1, "second session"));
  json no_quote = sample_chain("T0002", 5);
  no_quote["trigger"]["quoted_messages"] = json::array();
  store_chain(two, "S0002", no_quote);
  store_chain(two, "S0001", sample_chain("T0002", 5, "Now run the tests"));
  store_chain(two, "S0001", sample_chain("T0001", 1));
  EXPECT_EQ(source_user_messages(committed_project_chains(two.day(), alpha)), json::parse(R"([
    {"session_ref":"S0001","turn_ref":"T0001","messages":["Add a --verbose flag to the CLI"]},
    {"session_ref":"S0001","turn_ref":"T0002","messages":["Now run the tests"]},
    {"session_ref":"S0002","turn_ref":"T0001","messages":["second session"]}])"));
}

TEST_F(ProjectSynthesis, AnInvalidItemIsDroppedOnItsOwn) {
  store_item(prepared, sample_item());
  store_item(prepared, gap_item("W0002", json::array({turn("S0001", "T0002")})));
  json envelope = read_json(prepared.synthesis());
  envelope["work_items"][0]["title"] = "";
  test::write_file(prepared.synthesis(), envelope.dump());

  auto state = inspect();
  EXPECT_EQ(state.status, ProjectSynthesisState::Status::valid);
  ASSERT_EQ(state.kept_items.size(), 1u);
  EXPECT_EQ(state.kept_items[0]["work_item_ref"], "W0002");
  ASSERT_EQ(state.dropped_items.size(), 1u);
  EXPECT_EQ(state.dropped_items[0].index, 0u);
  EXPECT_EQ(state.dropped_items[0].work_item_ref, "W0001");
  EXPECT_EQ(state.dropped_items[0].problems[0].path, "/work_items/0/title");
  EXPECT_EQ(state.uncovered_turns, (std::vector<TurnRef>{{"S0001", "T0001"}}));
  EXPECT_TRUE(state.needs_repair());

  ASSERT_TRUE(repair_project_synthesis(prepared.day(), alpha).has_value());
  const json repaired = read_json(prepared.synthesis());
  ASSERT_EQ(repaired["work_items"].size(), 1u);
  EXPECT_EQ(repaired["work_items"][0]["work_item_ref"], "W0002");
  EXPECT_FALSE(inspect().needs_repair());
}

TEST_F(ProjectSynthesis, ALaterItemCoveringATakenTurnIsDropped) {
  store_item(prepared, sample_item("W0001"));
  json envelope = read_json(prepared.synthesis());
  envelope["work_items"].push_back(sample_item("W0002"));
  test::write_file(prepared.synthesis(), envelope.dump());
  auto state = inspect();
  ASSERT_EQ(state.dropped_items.size(), 1u);
  EXPECT_EQ(state.dropped_items[0].work_item_ref, "W0002");
}

TEST_F(ProjectSynthesis, ReplacingAChainMakesTheSynthesisStale) {
  // An offline chain for T0002, a synthesis built on it, then the model's chain replaces it.
  json offline = sample_chain("T0002", 5, "Now run the tests");
  offline["source"] = "offline";
  offline["materiality"] = "minor";
  store_chain(prepared, "S0001", offline);
  store_item(prepared, sample_item("W0001", json::array({turn("S0001", "T0001"), turn("S0001", "T0002")})));
  ASSERT_TRUE(inspect().complete());

  store_chain(prepared, "S0001", sample_chain("T0002", 5, "Now run the tests"));
  auto state = inspect();
  EXPECT_EQ(state.status, ProjectSynthesisState::Status::stale);
  EXPECT_EQ(state.problems[0].path, "/inputs_sha256");
  EXPECT_EQ(state.uncovered_turns.size(), 2u);
  EXPECT_TRUE(state.needs_repair());
  ASSERT_TRUE(repair_project_synthesis(prepared.day(), alpha).has_value());
  EXPECT_FALSE(std::filesystem::exists(prepared.synthesis()));
}

TEST_F(ProjectSynthesis, AWriteOverAStaleEnvelopeStartsAFreshOne) {
  store_item(prepared, sample_item("W0001"));
  store_chain(prepared, "S0001", sample_chain("T0002", 5, "Now run the tests"));  // a new chain: stale
  auto commit = store_item(prepared, sample_item("W0001", json::array({turn("S0001", "T0002")})));
  ASSERT_TRUE(commit.problems.empty()) << invalid_result(commit.problems).dump(2);
  const json envelope = read_json(prepared.synthesis());
  ASSERT_EQ(envelope["work_items"].size(), 1u);
  EXPECT_EQ(commit.remaining_turns, (std::vector<TurnRef>{{"S0001", "T0001"}}));
  EXPECT_EQ(inspect().status, ProjectSynthesisState::Status::valid);
}

TEST_F(ProjectSynthesis, OfflineItemsAreListedAndSupersededByModelItems) {
  json offline = sample_item("W0001");
  offline["source"] = "offline";
  store_item(prepared, offline);
  store_item(prepared, gap_item("W0002", json::array({turn("S0001", "T0002")})));
  auto state = inspect();
  EXPECT_TRUE(state.complete());
  EXPECT_EQ(state.offline_items, (std::vector<std::string>{"W0001"}));
  EXPECT_EQ(state.offline_turns, (std::vector<TurnRef>{{"S0001", "T0001"}}));

  auto commit = store_item(prepared, sample_item("W0003"));  // covers the offline item's turn
  ASSERT_TRUE(commit.problems.empty()) << invalid_result(commit.problems).dump(2);
  EXPECT_TRUE(commit.remaining_turns.empty());
  const json envelope = read_json(prepared.synthesis());
  ASSERT_EQ(envelope["work_items"].size(), 2u);
  EXPECT_EQ(envelope["work_items"][0]["work_item_ref"], "W0002");
  EXPECT_EQ(envelope["work_items"][1]["work_item_ref"], "W0003");
  EXPECT_TRUE(inspect().offline_items.empty());
}

TEST_F(ProjectSynthesis, TurnsUnderOfflineItemsAreReportedAsStillToDo) {
  json offline = gap_item("W0001", json::array({turn("S0001", "T0002")}));
  offline["source"] = "offline";
  store_item(prepared, offline);
  auto commit = store_item(prepared, sample_item("W0002"));
  EXPECT_EQ(commit.remaining_turns, (std::vector<TurnRef>{{"S0001", "T0002"}}));
  EXPECT_TRUE(inspect().complete()) << "offline-made coverage still counts as complete";
}

TEST_F(ProjectSynthesis, ABrokenEnvelopeIsUnparsable) {
  store_item(prepared, sample_item());
  const json good = read_json(prepared.synthesis());
  const std::pair<std::string, json> breaks[] = {{"/schema_version", 0},
                                                 {"/project_key", "x"},
                                                 {"/project_label", "renamed"},
                                                 {"/work_items", json::object()},
                                                 {"/source_user_messages", "no"}};
  for (const auto& [pointer, value] : breaks) {
    json envelope = good;
    envelope[json::json_pointer(pointer)] = value;
    test::write_file(prepared.synthesis(), envelope.dump());
    auto state = inspect();
    EXPECT_EQ(state.status, ProjectSynthesisState::Status::unparsable) << pointer;
    EXPECT_EQ(state.problems.at(0).path, pointer);
  }
  test::write_file(prepared.synthesis(), "{");
  EXPECT_EQ(inspect().status, ProjectSynthesisState::Status::unparsable);
  ASSERT_TRUE(repair_project_synthesis(prepared.day(), alpha).has_value());
  EXPECT_FALSE(std::filesystem::exists(prepared.synthesis()));
}

TEST_F(ProjectSynthesis, OutdatedSourceUserMessagesAreRepaired) {
  store_item(prepared, sample_item());
  json envelope = read_json(prepared.synthesis());
  const json expected = envelope["source_user_messages"];
  envelope["source_user_messages"] = json::array();
  test::write_file(prepared.synthesis(), envelope.dump());
  auto state = inspect();
  EXPECT_TRUE(state.source_messages_outdated);
  EXPECT_TRUE(state.needs_repair());
  ASSERT_TRUE(repair_project_synthesis(prepared.day(), alpha).has_value());
  EXPECT_EQ(read_json(prepared.synthesis())["source_user_messages"], expected);
}

TEST(ProjectSynthesisEmpty, WritesAnEmptyEnvelopeOnlyForAProjectWithoutTurns) {
  test::FixtureDay day = test::two_project_day();
  day.projects.push_back(test::FixtureProject{"gamma-00000000000c", "gamma", {}});
  PreparedDay prepared(day);
  ASSERT_TRUE(write_empty_synthesis(prepared.day(), "gamma-00000000000c").has_value());
  auto state = inspect_project_synthesis(prepared.day(), "gamma-00000000000c");
  EXPECT_TRUE(state.complete());
  EXPECT_FALSE(state.needs_repair());
  const json envelope = read_json(prepared.synthesis("gamma-00000000000c"));
  EXPECT_EQ(envelope["work_items"], json::array());
  EXPECT_EQ(envelope["source_user_messages"], json::array());
  EXPECT_EQ(envelope["project_label"], "gamma");
  EXPECT_FALSE(write_empty_synthesis(prepared.day(), alpha).has_value());
  EXPECT_FALSE(std::filesystem::exists(prepared.synthesis(alpha)));
}

}  // namespace
}  // namespace diary::generate::artifacts
