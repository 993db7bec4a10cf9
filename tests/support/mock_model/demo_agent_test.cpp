// Sans-io tests of the demo agent: crafted requests shaped like codex 0.169.0's (MCP tools in an
// `mcp__diary` namespace, tool results as "Wall time: ...\nOutput:\n<json>"), one step of each
// pass at a time: reading with next_cursor and fragments, the chain it writes, the correction
// after an invalid answer, stopping early and resuming, the project and daily passes.
#include <gtest/gtest.h>

#include "support/mock_model/demo_agent.h"
#include "support/mock_model/demo_conversation.h"
#include "support/mock_model/demo_pages.h"
#include "support/mock_model/demo_passes.h"

namespace diary::test {
namespace {

using nlohmann::json;

json user_message(const std::string& text) {
  return {{"type", "message"}, {"role", "user"}, {"content", json::array({{{"type", "input_text"}, {"text", text}}})}};
}

json assistant_message(const std::string& text) {
  return {{"type", "message"}, {"role", "assistant"}, {"content", json::array({{{"type", "output_text"}, {"text", text}}})}};
}

std::string prompt_with(const json& assignment) {
  return "Do the pass. Text before the block mentions ```json nothing``` too.\n\n```json\n" + assignment.dump(2) + "\n```";
}

// A conversation under construction: the prompt, then the agent's calls and codex's answers.
class Script {
 public:
  explicit Script(const json& assignment) { input_.push_back(user_message(prompt_with(assignment))); }

  // Replays `reply` (a tool call of the agent) and codex's answer `result`.
  Script& answered(const Reply& reply, const json& result) {
    EXPECT_EQ(reply.kind, Reply::Kind::tool_call) << ::testing::PrintToString(reply);
    const std::string id = "call_" + std::to_string(input_.size());
    input_.push_back({{"type", "function_call"},
                      {"name", reply.tool_name},
                      {"namespace", reply.tool_namespace},
                      {"arguments", reply.tool_arguments.dump()},
                      {"call_id", id}});
    input_.push_back(
        {{"type", "function_call_output"}, {"call_id", id}, {"output", "Wall time: 0.0042 seconds\nOutput:\n" + result.dump()}});
    return *this;
  }
  Script& said(const Reply& reply) {
    EXPECT_EQ(reply.kind, Reply::Kind::message);
    input_.push_back(assistant_message(reply.text));
    return *this;
  }
  Script& prompted(const json& assignment) {
    input_.push_back(user_message(prompt_with(assignment)));
    return *this;
  }

  ModelRequest request(json tools = default_tools()) const {
    return {"/v1/responses", {{"model", demo_model_name}, {"input", input_}, {"tools", std::move(tools)}}};
  }
  Reply next() const { return demo_agent_reply(request()); }

  static json default_tools() {
    json diary_tools = json::array();
    for (const char* name : {"read_session_lines", "write_evidence", "write_work_item", "write_project_summary",
                             "write_report_title", "write_engagement", "write_team_learning"})
      diary_tools.push_back({{"type", "function"}, {"name", name}});
    return json::array({{{"type", "function"}, {"name", "exec_command"}},
                        {{"type", "namespace"}, {"name", "mcp__diary"}, {"tools", diary_tools}}});
  }

 private:
  json input_ = json::array();
};

bool is_final(const Reply& reply) {
  return reply.kind == Reply::Kind::message && reply.phase == "final_answer" && reply.text.starts_with(demo::label);
}

json evidence_assignment() {
  return {{"pass", "evidence"},    {"project_key", "proj-a"}, {"session_ref", "S0001"},   {"turn_ref", "T0002"},
          {"turn_start_line", 10}, {"turn_end_line", 16},     {"previous_turn", nullptr}, {"last_errors", json::array()}};
}

const std::string kUserText = "Fix the parser: it drops the last line — ünïcode ✓";

// The turn's records, compact, as read_session_lines returns them.
json turn_records(const std::string& user_text = kUserText) {
  return json::array(
      {{{"line", 9}, {"kind", "assistant"}, {"text", "previous turn's answer (context)"}},
       {{"line", 10}, {"kind", "user"}, {"text", user_text}},
       {{"line", 11}, {"kind", "duplicate"}, {"duplicate_of", 10}},
       {{"line", 12},
        {"kind", "tool_call"},
        {"tool_uses", json::array({{{"name", "exec_command"}, {"input_summary", "make test"}}})}},
       {{"line", 13},
        {"kind", "tool_result"},
        {"tool_results", json::array({{{"kind", "command"}, {"command", "make test"}, {"exit_code", 0}}})}},
       {{"line", 14},
        {"kind", "tool_result"},
        {"tool_results", json::array({{{"kind", "file_change"},
                                       {"changes", json::array({{{"path", "src/parser.cpp"}, {"operation", "update"}}})}}})}},
       {{"line", 15}, {"kind", "assistant"}, {"text", "Fixed: the last line is kept now."}}});
}

json page(json records, json next_cursor = nullptr) { return {{"records", std::move(records)}, {"next_cursor", next_cursor}}; }

// The chain a correct demo agent writes for turn_records().
void expect_good_chain(const json& arguments) {
  EXPECT_EQ(arguments["project_key"], "proj-a");
  EXPECT_EQ(arguments["session_ref"], "S0001");
  const json& chain = arguments["evidence_chain"];
  EXPECT_EQ(chain["turn_ref"], "T0002");
  EXPECT_EQ(chain["trigger"]["type"], "explicit_user_message");
  EXPECT_EQ(chain["trigger"]["quoted_messages"][0]["text"], kUserText);  // exact
  EXPECT_EQ(chain["trigger"]["citations"], json::array({{{"lines", "10-10"}}}));
  EXPECT_EQ(chain["agent_reactions"][0]["citations"], json::array({{{"lines", "12-15"}}}));
  EXPECT_EQ(chain["outcomes"][0]["category"], "code_outcome");
  EXPECT_EQ(chain["outcomes"][0]["summary"], "Changed src/parser.cpp");
  EXPECT_EQ(chain["outcomes"][0]["citations"], json::array({{{"lines", "14-14"}}}));
  EXPECT_EQ(chain["observed_checks"][0]["type"], "test_output");
  EXPECT_EQ(chain["observed_checks"][0]["citations"], json::array({{{"lines", "13-13"}}}));
  EXPECT_EQ(chain["terminal_state"]["type"], "material_result");
  EXPECT_EQ(chain["materiality"], "material");
  // Nothing outside the turn's span 10-16, the context line 9 included.
  for (const auto& [key, value] : chain.items()) EXPECT_EQ(value.dump().find("\"9-"), std::string::npos) << key;
}

TEST(DemoEvidenceTest, ReadsTheAssignedTurnThenWritesOneChainQuotingTheUserExactly) {
  Script script(evidence_assignment());
  const Reply read = script.next();
  EXPECT_EQ(read,
            Reply::tool_call(
                "read_session_lines",
                {{"project_key", "proj-a"}, {"session_ref", "S0001"}, {"start_line", 10}, {"end_line", 16}, {"mode", "compact"}},
                "mcp__diary"));
  script.answered(read, page(turn_records()));
  const Reply write = script.next();
  ASSERT_EQ(write.tool_name, "write_evidence");
  EXPECT_EQ(write.tool_namespace, "mcp__diary");
  expect_good_chain(write.tool_arguments);
  script.answered(write, {{"status", "appended"}, {"turn_ref", "T0002"}, {"missing_turns", json::array()}});
  const Reply done = script.next();
  EXPECT_TRUE(is_final(done)) << done.text;
  EXPECT_NE(done.text.find("S0001/T0002 is written"), std::string::npos);
}

TEST(DemoEvidenceTest, ACommitAndACheckThatPassesAfterFailingAreOutcomes) {
  auto command = [](long long line, const std::string& text, int exit_code) {
    return json{{"line", line},
                {"kind", "tool_result"},
                {"tool_results", json::array({{{"kind", "command"}, {"command", text}, {"exit_code", exit_code}}})}};
  };
  Script script(evidence_assignment());
  script.answered(script.next(), page(json::array({{{"line", 10}, {"kind", "user"}, {"text", "make the tests pass"}},
                                                   command(11, "python -m unittest", 1),
                                                   command(12, "sed -i s/a/b/ x.py", 0),
                                                   command(13, "python -m unittest", 0),
                                                   command(14, "git commit -qm fix", 0)})));
  const json chain = script.next().tool_arguments["evidence_chain"];
  ASSERT_EQ(chain["outcomes"].size(), 2u) << chain.dump(2);
  EXPECT_EQ(chain["outcomes"][0]["category"], "validation_outcome");
  EXPECT_EQ(chain["outcomes"][0]["citations"], json::array({{{"lines", "11-13"}}}));
  EXPECT_EQ(chain["outcomes"][1]["summary"], "Committed the work: `git commit -qm fix`");
  EXPECT_EQ(chain["terminal_state"]["type"], "material_result");
  EXPECT_EQ(chain["materiality"], "material");
}

TEST(DemoEvidenceTest, FollowsNextCursorAndReassemblesFragmentsAcrossPages) {
  // The user record (line 10) arrives as three fragments of its JSON text, split inside a
  // multibyte character boundary-safe way; offsets count Unicode characters.
  json records = turn_records();
  const std::string text = records[1].dump();
  auto chars_prefix = [&](std::size_t chars) {
    std::size_t bytes = 0;
    for (std::size_t n = 0; n < chars; ++n) {
      const unsigned char lead = static_cast<unsigned char>(text[bytes]);
      bytes += lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    }
    return bytes;
  };
  long long total = 0;
  for (unsigned char c : text) total += (c & 0xC0) != 0x80;
  const std::size_t a = chars_prefix(20), b = chars_prefix(static_cast<std::size_t>(total) - 5);
  auto fragment = [&](std::size_t from, std::size_t to, long long offset) {
    return json{{"line", 10},
                {"record_format", "compact_json"},
                {"offset", offset},
                {"total_chars", total},
                {"content", text.substr(from, to - from)}};
  };
  long long b_chars = 0;
  for (std::size_t i = 0; i < b; ++i) b_chars += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
  const json page1 = page(json::array({records[0], fragment(0, a, 0)}), {{"line", 10}, {"offset", 20}});
  const json page2 = page(json::array({fragment(a, b, 20)}), {{"line", 10}, {"offset", b_chars}});
  json rest = json::array({fragment(b, text.size(), b_chars)});
  for (std::size_t i = 2; i < records.size(); ++i) rest.push_back(records[i]);
  const json page3 = page(rest);

  Script script(evidence_assignment());
  const Reply first = script.next();
  script.answered(first, page1);
  const Reply second = script.next();
  ASSERT_EQ(second.tool_name, "read_session_lines");
  EXPECT_EQ(second.tool_arguments["cursor"], (json{{"line", 10}, {"offset", 20}}));
  EXPECT_EQ(second.tool_arguments["start_line"], 10);
  script.answered(second, page2);
  const Reply third = script.next();
  EXPECT_EQ(third.tool_arguments["cursor"], (json{{"line", 10}, {"offset", b_chars}}));
  script.answered(third, page3);
  const Reply write = script.next();
  ASSERT_EQ(write.tool_name, "write_evidence");
  expect_good_chain(write.tool_arguments);

  // The reassembly on its own: a fragment that does not continue where the last one stopped.
  const auto broken = demo::assemble_pages({page(json::array({fragment(0, a, 0), fragment(a, text.size(), 3)}))});
  EXPECT_NE(broken.problem.find("expected 20"), std::string::npos) << broken.problem;
}

TEST(DemoEvidenceTest, MistakeMarkerCitesOutsideTheSpanThenCorrectsFromTheErrors) {
  const std::string marked = "Please fix it [demo:mistake]";
  Script script(evidence_assignment());
  script.answered(script.next(), page(turn_records(marked)));
  const Reply wrong = script.next();
  ASSERT_EQ(wrong.tool_name, "write_evidence");
  const json& citations = wrong.tool_arguments["evidence_chain"]["agent_reactions"][0]["citations"];
  EXPECT_EQ(citations, json::array({{{"lines", "12-15"}}, {{"lines", "17-17"}}}));  // 17 > turn_end_line 16

  const json rejection = {{"status", "invalid"},
                          {"errors", json::array({{{"path", "/evidence_chain/agent_reactions/0/citations/1/lines"},
                                                   {"message", "line span 17-17 is outside turn T0002 span 10-16"},
                                                   {"hint", "cite only lines 10-16 of the assigned turn"}}})}};
  script.answered(wrong, rejection);
  const Reply corrected = script.next();
  ASSERT_EQ(corrected.tool_name, "write_evidence");
  json expected = wrong.tool_arguments;
  expected["evidence_chain"]["agent_reactions"][0]["citations"] = json::array({{{"lines", "12-15"}}});
  EXPECT_EQ(corrected.tool_arguments, expected);

  script.answered(corrected, {{"status", "appended"}});
  EXPECT_TRUE(is_final(script.next()));
}

TEST(DemoEvidenceTest, ErrorsNamingNoCitationGetAFreshChainThenAGiveUp) {
  Script script(evidence_assignment());
  script.answered(script.next(), page(turn_records("go [demo:mistake]")));
  const Reply wrong = script.next();
  const json unrelated = {{"status", "invalid"},
                          {"errors", json::array({{{"path", "/evidence_chain/materiality"}, {"message", "bad materiality"}}})}};
  script.answered(wrong, unrelated);
  const Reply fresh = script.next();
  ASSERT_EQ(fresh.tool_name, "write_evidence");
  EXPECT_EQ(fresh.tool_arguments["evidence_chain"]["agent_reactions"][0]["citations"].size(), 1u);
  script.answered(fresh, unrelated);
  const Reply stop = script.next();  // the same chain again would change nothing
  EXPECT_TRUE(is_final(stop));
  EXPECT_NE(stop.text.find("bad materiality"), std::string::npos) << stop.text;
}

TEST(DemoEvidenceTest, StopEarlyMarkerEndsTheFirstTurnAndWritesOnTheResumeTurn) {
  const std::string marked = "Refactor the module [demo:stop-early]";
  Script script(evidence_assignment());
  script.answered(script.next(), page(turn_records(marked)));
  const Reply stopped = script.next();
  EXPECT_TRUE(is_final(stopped)) << stopped.text;
  EXPECT_NE(stopped.text.find("stopping early"), std::string::npos);

  // diary's resume prompt: same assignment, the last errors empty.
  script.said(stopped).prompted(evidence_assignment());
  const Reply reread = script.next();
  ASSERT_EQ(reread.tool_name, "read_session_lines");
  EXPECT_FALSE(reread.tool_arguments.contains("cursor"));
  script.answered(reread, page(turn_records(marked)));
  const Reply write = script.next();
  ASSERT_EQ(write.tool_name, "write_evidence");
  EXPECT_EQ(write.tool_arguments["evidence_chain"]["trigger"]["quoted_messages"][0]["text"], marked);
}

TEST(DemoEvidenceTest, RejectedReadsUnofferedToolsAndBadAssignmentsEndWithAMessage) {
  Script script(evidence_assignment());
  const Reply read = script.next();
  script.answered(read, {{"status", "invalid"},
                         {"errors", json::array({{{"path", "/session_ref"}, {"message", "unknown session_ref S0001"}}})}});
  const Reply rejected = script.next();
  EXPECT_TRUE(is_final(rejected));
  EXPECT_NE(rejected.text.find("unknown session_ref"), std::string::npos);

  const Reply unoffered =
      demo_agent_reply(Script(evidence_assignment()).request(json::array({{{"type", "function"}, {"name", "exec_command"}}})));
  EXPECT_TRUE(is_final(unoffered));
  EXPECT_NE(unoffered.text.find("read_session_lines"), std::string::npos);

  ModelRequest no_block{"/v1/responses", {{"input", json::array({user_message("no assignment here")})}}};
  const Reply confused = demo_agent_reply(no_block);
  EXPECT_TRUE(is_final(confused));
  EXPECT_NE(confused.text.find("assignment"), std::string::npos);
  ModelRequest broken{"/v1/responses", {{"input", json::array({user_message("```json\n{\"pass\": \n```")})}}};
  EXPECT_TRUE(is_final(demo_agent_reply(broken)));
  EXPECT_TRUE(is_final(Script({{"pass", "evidence"}, {"project_key", "p"}}).next()));  // no span
  EXPECT_NE(Script({{"pass", "haiku"}, {"citable_turns", json::array({json::object()})}}).next().text.find("haiku"),
            std::string::npos);
}

json project_assignment() {
  return {
      {"pass", "project"},
      {"project_key", "proj-a"},
      {"project_label", "Parser"},
      {"committed_work_items",
       json::array(
           {{{"work_item_ref", "W0001"}, {"covered_turns", json::array({{{"session_ref", "S0000"}, {"turn_ref", "T0001"}}})}}})},
      {"turns", json::array({{{"session_ref", "S0001"},
                              {"turn_ref", "T0001"},
                              {"has_chain", true},
                              {"materiality", "material"},
                              {"trigger_summary", "The user asked: fix the parser"},
                              {"terminal_type", "material_result"},
                              {"outcomes", json::array({{{"category", "code_outcome"}, {"summary", "Changed src/parser.cpp"}}})}},
                             {{"session_ref", "S0001"}, {"turn_ref", "T0002"}, {"has_chain", false}},
                             {{"session_ref", "S0002"},
                              {"turn_ref", "T0001"},
                              {"has_chain", true},
                              {"materiality", "minor"},
                              {"trigger_summary", "The user asked: what time is it"},
                              {"terminal_type", "no_material"},
                              {"outcomes", json::array()}}})}};
}

json turn(const char* session, const char* turn_ref) { return {{"session_ref", session}, {"turn_ref", turn_ref}}; }

TEST(DemoProjectTest, OneItemPerSessionThenGapsUntilNothingIsUncovered) {
  Script script(project_assignment());
  const Reply first = script.next();
  ASSERT_EQ(first.tool_name, "write_work_item");
  const json& material = first.tool_arguments["work_item"];
  EXPECT_EQ(first.tool_arguments["project_key"], "proj-a");
  EXPECT_EQ(material["work_item_ref"], "W0002");  // after the committed W0001
  EXPECT_EQ(material["kind"], "material_work_item");
  EXPECT_EQ(material["covered_turns"], json::array({turn("S0001", "T0001")}));
  EXPECT_EQ(material["title"], "fix the parser");  // the request, not "The user asked: ..."
  EXPECT_EQ(material["trigger"]["evidence_refs"], json::array({turn("S0001", "T0001")}));
  EXPECT_FALSE(material["agent_reaction"]["main_actions"].empty());
  EXPECT_EQ(material["outcomes"][0]["category"], "code_outcome");
  EXPECT_EQ(material["terminal_states"][0]["type"], "material_result");

  script.answered(first, {{"status", "appended"},
                          {"work_item_ref", "W0002"},
                          {"uncovered_turns", json::array({turn("S0001", "T0002"), turn("S0002", "T0001")})}});
  const Reply second = script.next();
  const json& gap = second.tool_arguments["work_item"];
  EXPECT_EQ(gap["work_item_ref"], "W0003");
  EXPECT_EQ(gap["kind"], "evidence_gap_item");
  EXPECT_EQ(gap["covered_turns"], json::array({turn("S0001", "T0002")}));
  EXPECT_FALSE(gap.contains("trigger"));
  EXPECT_FALSE(gap.contains("agent_reaction"));
  EXPECT_EQ(gap["outcomes"], json::array());
  EXPECT_EQ(gap["terminal_states"], json::array());

  script.answered(second, {{"status", "appended"}, {"uncovered_turns", json::array({turn("S0002", "T0001")})}});
  const Reply third = script.next();
  EXPECT_EQ(third.tool_arguments["work_item"]["kind"], "no_material_work_item");
  EXPECT_EQ(third.tool_arguments["work_item"]["work_item_ref"], "W0004");
  script.answered(third, {{"status", "appended"}, {"uncovered_turns", json::array()}});
  EXPECT_TRUE(is_final(script.next()));
}

TEST(DemoProjectTest, ARejectedCoveredTurnMovesToTheOtherKindOfItem) {
  json assignment = project_assignment();
  assignment["turns"] = json::array({{{"session_ref", "S0003"}, {"turn_ref", "T0001"}}});  // nothing known
  Script script(assignment);
  const Reply gap = script.next();
  ASSERT_EQ(gap.tool_arguments["work_item"]["kind"], "evidence_gap_item");
  script.answered(
      gap,
      {{"status", "invalid"},
       {"errors",
        json::array({{{"path", "/work_item/covered_turns/0"},
                      {"message", "S0003/T0001 has an evidence chain: evidence_gap_item covers only turns without one"}}})}});
  const Reply retry = script.next();
  EXPECT_EQ(retry.tool_arguments["work_item"]["kind"], "no_material_work_item");
  EXPECT_EQ(retry.tool_arguments["work_item"]["work_item_ref"], "W0002");
  const json other = {{"status", "invalid"}, {"errors", json::array({{{"path", "/work_item/title"}, {"message", "bad title"}}})}};
  script.answered(retry, other);
  EXPECT_TRUE(is_final(script.next()));  // nothing it can change
}

json daily_turns() {
  return json::array({{{"project_key", "proj-a"}, {"session_ref", "S0001"}, {"turn_ref", "T0001"}},
                      {{"project_key", "proj-b"}, {"session_ref", "S0002"}, {"turn_ref", "T0003"}}});
}

json projects() {
  return json::array(
      {{{"project_key", "proj-b"},
        {"project_label", "Docs"},
        {"summary", nullptr},
        {"work_items",
         json::array({{{"title", "Draft the 2026-01-02 release notes for the **parser**"}, {"disposition", "blocked"}}})}},
       {{"project_key", "proj-a"},
        {"project_label", "Parser"},
        {"summary", nullptr},
        {"work_items",
         json::array({{{"title", "Keep the last line when parsing a file without a trailing newline at its very end"},
                       {"disposition", "completed"}}})}}});
}

TEST(DemoDailyTest, TitleIsShortDatelessAndCitesTheProjectItDescribes) {
  Script script(
      {{"pass", "report_title"}, {"report_date", "2026-01-02"}, {"citable_turns", daily_turns()}, {"projects", projects()}});
  const Reply write = script.next();
  ASSERT_EQ(write.tool_name, "write_report_title");
  const std::string title = write.tool_arguments["title"]["text"];
  EXPECT_LE(title.size(), 80u) << title;
  EXPECT_TRUE(title.starts_with("Parser: Keep the last line")) << title;  // the completed item first
  EXPECT_EQ(title.find("2026"), std::string::npos);
  EXPECT_EQ(write.tool_arguments["title"]["citations"][0], daily_turns()[0]);  // proj-a's turn first
  script.answered(write, {{"status", "written"}});
  EXPECT_TRUE(is_final(script.next()));

  // Without a completed item, the first titled one, cleaned of its date and Markdown.
  json blocked_only = projects();
  blocked_only.erase(1);
  const Reply second = Script({{"pass", "report_title"}, {"citable_turns", daily_turns()}, {"projects", blocked_only}}).next();
  EXPECT_EQ(second.tool_arguments["title"]["text"], "Docs: Draft the release notes for the parser");
}

TEST(DemoDailyTest, EverySlotIsWrittenWithCitationsAndARejectedCitationIsDropped) {
  const json common = {{"citable_turns", daily_turns()}, {"projects", projects()}};
  for (const auto& [pass, tool] : {std::pair{"engagement", "write_engagement"}, {"team_learning", "write_team_learning"}}) {
    json assignment = common;
    assignment["pass"] = pass;
    const Reply write = Script(assignment).next();
    EXPECT_EQ(write.tool_name, tool);
    EXPECT_EQ(write.tool_namespace, "mcp__diary");
    const json& args = write.tool_arguments;
    const json& lead = pass == std::string("engagement") ? args["overall_reading"] : args["takeaways"];
    EXPECT_TRUE(lead["text"].get<std::string>().starts_with("Demo agent")) << lead;
    EXPECT_EQ(lead["citations"], daily_turns());
    EXPECT_EQ(lead["confidence"], "low");
    EXPECT_FALSE(args["limits"].empty());
  }

  json summary = {{"pass", "project_summary"},
                  {"project_key", "proj-a"},
                  {"project_label", "Parser"},
                  {"citable_turns", json::array({turn("S0001", "T0001"), turn("S0001", "T0002")})},
                  {"work_items", json::array({{{"work_item_ref", "W0001"}, {"title", "Keep the last line"}}})}};
  Script script(summary);
  const Reply write = script.next();
  ASSERT_EQ(write.tool_name, "write_project_summary");
  EXPECT_EQ(write.tool_arguments["project_key"], "proj-a");
  EXPECT_EQ(write.tool_arguments["summary"]["citations"], summary["citable_turns"]);
  EXPECT_NE(write.tool_arguments["summary"]["text"].get<std::string>().find("Keep the last line"), std::string::npos);
  script.answered(
      write,
      {{"status", "invalid"},
       {"errors", json::array({{{"path", "/summary/citations/0"}, {"message", "S0001/T0001 has no committed evidence"}}})}});
  const Reply retry = script.next();
  EXPECT_EQ(retry.tool_arguments["summary"]["citations"], json::array({turn("S0001", "T0002")}));

  EXPECT_TRUE(is_final(Script({{"pass", "engagement"}, {"citable_turns", json::array()}}).next()));
}

TEST(DemoConversationTest, ToolOutputsParseInBothOfCodexsForms) {
  EXPECT_EQ(demo::parse_tool_output("Wall time: 0.1 seconds\nOutput:\n{\"a\":1}"), (json{{"a", 1}}));
  EXPECT_EQ(demo::parse_tool_output("{\"b\":2}"), (json{{"b", 2}}));
  EXPECT_TRUE(demo::parse_tool_output("Wall time: 0.1 seconds\nOutput:\nMCP tool call requires approval").is_null());
  EXPECT_EQ(demo::one_line("  first line\nsecond", 80), "first line");
  EXPECT_EQ(demo::one_line("ééééééééé", 5), "éé...");
  EXPECT_EQ(demo::short_title("The user asked: Why is it slow? Fix it. Please.", 80), "Why is it slow?");
  EXPECT_EQ(demo::short_title("Keep v1.2 working. Then more", 80), "Keep v1.2 working");
  EXPECT_EQ(demo::short_title("`todo list` should show `[ ] 2. x` next. More", 80), "`todo list` should show `[ ] 2. x` next");
  EXPECT_EQ(demo::short_title("Run `a b c d e f g h` now", 12), "Run a b ...");
  EXPECT_EQ(demo::count_of(1, "work item"), "1 work item");
  EXPECT_EQ(demo::count_of(2, "turn"), "2 turns");
  EXPECT_EQ(demo::last_json_block("x ```json\n{\"n\":1}\n``` y ```json\n[2]\n```"), json::array({2}));
}

}  // namespace
}  // namespace diary::test
