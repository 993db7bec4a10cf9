#include "generate/mcp/session_compaction.h"

#include <gtest/gtest.h>

#include "generate/mcp/utf8_text.h"
#include "unit/generate/mcp/fixture_sessions.h"

namespace {

using namespace diary::generate::mcp;
using diary::test::fixture_lines;
using diary::test::fixture_session_file;
using nlohmann::json;

// Compacts line `number` (1-based) of a fixture file with its real neighbours.
std::optional<CompactRecord> compact_line(const std::vector<std::string>& lines, std::size_t number,
                                          std::string_view source = codex_source) {
  Neighbours neighbours;
  if (number > 1) neighbours.previous = lines[number - 2];
  if (number < lines.size()) neighbours.next = lines[number];
  return compact_record(lines[number - 1], number, source, neighbours);
}

CompactRecord present(const std::vector<std::string>& lines, std::size_t number, std::string_view source = codex_source) {
  auto record = compact_line(lines, number, source);
  EXPECT_TRUE(record.has_value()) << "line " << number << " was omitted";
  return record.value_or(CompactRecord{});
}

// No member of the compact JSON may be null, false, "", [] or {}.
void expect_sparse(const json& value, const std::string& where = "") {
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      EXPECT_FALSE(member.is_null()) << where << "/" << key;
      EXPECT_FALSE(member.is_boolean() && !member.get<bool>()) << where << "/" << key;
      EXPECT_FALSE(member.is_string() && member.get<std::string>().empty()) << where << "/" << key;
      EXPECT_FALSE((member.is_array() || member.is_object()) && member.empty()) << where << "/" << key;
      expect_sparse(member, where + "/" + key);
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) expect_sparse(value[i], where + "/" + std::to_string(i));
  }
}

class CodexAlpha : public ::testing::Test {
 protected:
  std::vector<std::string> lines = fixture_lines(fixture_session_file("codex/alpha"));
};

TEST_F(CodexAlpha, MetadataLinesAreOmitted) {
  // session_meta, task_started, developer message, injected environment context, world_state,
  // turn_context, thread_settings_applied, token_usage_record, token_count.
  for (std::size_t number : {1, 2, 3, 4, 5, 6, 7, 11, 14, 17, 18, 20, 21, 22})
    EXPECT_FALSE(compact_line(lines, number).has_value()) << "line " << number;
}

TEST_F(CodexAlpha, PromptIsExactAndItsEchoIsADuplicate) {
  auto prompt = present(lines, 8);
  EXPECT_EQ(prompt.kind, RecordKind::user);
  EXPECT_EQ(prompt.text, "Please greet the team.\nRUN: echo hello\nANSWER: said hello");
  EXPECT_EQ(prompt.source_type, "response_item:message");
  auto echo = present(lines, 9);
  EXPECT_EQ(echo.kind, RecordKind::duplicate);
  EXPECT_EQ(echo.duplicate_of, 8u);
  EXPECT_EQ(
      to_json(echo),
      (json{{"line", 9}, {"kind", "duplicate"}, {"duplicate_of", 8}, {"source_type", "event_msg:item_completed:UserMessage"}}));
}

TEST_F(CodexAlpha, AgentEchoPrecedesTheAssistantMessage) {
  auto echo = present(lines, 15);
  EXPECT_EQ(echo.kind, RecordKind::duplicate);
  EXPECT_EQ(echo.duplicate_of, 16u);
  auto answer = present(lines, 16);
  EXPECT_EQ(answer.kind, RecordKind::assistant);
  EXPECT_EQ(answer.text, "said hello");
}

TEST_F(CodexAlpha, ShellCallCommandAndExitCode) {
  auto call = present(lines, 10);
  EXPECT_EQ(call.kind, RecordKind::tool_call);
  ASSERT_EQ(call.tool_uses.size(), 1u);
  EXPECT_EQ(call.tool_uses[0].name, "exec_command");
  EXPECT_EQ(call.tool_uses[0].command, "echo hello");
  EXPECT_EQ(call.tool_uses[0].call_id, "call_mock_1");
  EXPECT_EQ(to_json(call)["tool_uses"], json::parse(R"([{"name":"exec_command","input_summary":"{\"cmd\":\"echo hello\"}"}])"));

  auto execution = present(lines, 12);
  EXPECT_EQ(execution.kind, RecordKind::tool_result);
  ASSERT_EQ(execution.tool_results.size(), 1u);
  const auto& result = execution.tool_results[0];
  EXPECT_EQ(result.kind, ToolResultKind::command);
  EXPECT_EQ(result.command, "echo hello");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.status, "completed");
  EXPECT_EQ(result.output, "hello\n");
  EXPECT_EQ(result.call_id, "call_mock_1");

  auto output = present(lines, 13);
  ASSERT_EQ(output.tool_results.size(), 1u);
  EXPECT_EQ(output.tool_results[0].kind, ToolResultKind::output);
  EXPECT_EQ(output.tool_results[0].exit_code, 0);  // "Process exited with code 0"
}

TEST_F(CodexAlpha, TaskCompleteIsTerminal) {
  auto end = present(lines, 19);
  EXPECT_EQ(end.kind, RecordKind::terminal);
  EXPECT_EQ(end.turn_end, TurnEnd::completed);
}

TEST_F(CodexAlpha, EveryRecordIsSparse) {
  for (std::size_t number = 1; number <= lines.size(); ++number)
    if (auto record = compact_line(lines, number)) expect_sparse(to_json(*record), "line " + std::to_string(number));
}

TEST(CodexRecords, EchoWithDifferentTextIsNotADuplicate) {
  const std::string message = diary::test::codex_user_line("fix the parser");
  const std::string echo =
      R"({"timestamp":"2026-11-30T10:00:00.001Z","type":"event_msg","payload":{"type":"item_completed","item":{"type":"UserMessage","content":[{"type":"text","text":"something else"}]}}})";
  auto record = compact_record(echo, 2, codex_source, Neighbours{message, std::nullopt});
  ASSERT_TRUE(record);
  EXPECT_EQ(record->kind, RecordKind::user);
  EXPECT_EQ(record->text, "something else");
  auto same = compact_record(echo, 2, codex_source, Neighbours{diary::test::codex_user_line("  something else\n"), std::nullopt});
  ASSERT_TRUE(same);
  EXPECT_EQ(same->kind, RecordKind::duplicate);  // whitespace trimmed, as prepare pairs echoes
}

TEST(CodexRecords, FileChangesFailingCommandAndLongOutput) {
  const auto lines = fixture_lines(fixture_session_file("reader/codex-edits.jsonl"));
  auto added = present(lines, 12);
  ASSERT_EQ(added.tool_results.size(), 1u);
  const auto& add = added.tool_results[0];
  EXPECT_EQ(add.kind, ToolResultKind::file_change);
  EXPECT_EQ(add.status, "completed");
  ASSERT_EQ(add.changes.size(), 3u);
  std::vector<std::string> paths;
  for (const auto& change : add.changes) {
    EXPECT_EQ(change.operation, "add");
    paths.push_back(change.path);
  }
  EXPECT_EQ(paths, (std::vector<std::string>{"/fixture/projects/edits/notes.md", "/fixture/projects/edits/src/parser.cpp",
                                             "/fixture/projects/edits/tests/run_tests.sh"}));
  EXPECT_EQ(add.changes[0].diff, "hello notes\n");

  auto updated = present(lines, 17);
  ASSERT_EQ(updated.tool_results.size(), 1u);
  ASSERT_EQ(updated.tool_results[0].changes.size(), 1u);
  EXPECT_EQ(updated.tool_results[0].changes[0].operation, "update");
  EXPECT_EQ(updated.tool_results[0].changes[0].diff, "@@ -1 +1 @@\n-int parse();\n+int parse(int depth);\n");
  EXPECT_EQ(to_json(updated)["tool_results"][0]["changes"][0],
            (json{{"path", "/fixture/projects/edits/src/parser.cpp"},
                  {"operation", "update"},
                  {"preview", "@@ -1 +1 @@\n-int parse();\n+int parse(int depth);\n"}}));

  auto failed = present(lines, 22);
  ASSERT_EQ(failed.tool_results.size(), 1u);
  EXPECT_EQ(failed.tool_results[0].exit_code, 2);
  EXPECT_EQ(failed.tool_results[0].status, "failed");
  EXPECT_EQ(failed.tool_results[0].command, "ls /nonexistent-dir");

  // seq 1 2000: 8,893 bytes of output, trimmed to head + marker + tail.
  auto long_output = present(lines, 52);
  ASSERT_EQ(long_output.tool_results.size(), 1u);
  const std::string& whole = long_output.tool_results[0].output;
  ASSERT_GT(whole.size(), 1024u);
  const json rendered = to_json(long_output);
  EXPECT_EQ(rendered["truncated"], true);
  EXPECT_EQ(rendered["tool_results"][0]["truncated"], true);
  const std::string preview = rendered["tool_results"][0]["preview"];
  EXPECT_EQ(preview, whole.substr(0, 320) + "\n...[trimmed]...\n" + whole.substr(whole.size() - 160));
  // The user text of the same session is exact, multi-byte characters included.
  EXPECT_EQ(present(lines, 48).text, "Show me a long listing, café ☕.\nRUN: seq 1 2000\nANSWER: printed 2000 numbers");
}

// Tool outputs are read from the skimmed line, not a parsed document: escapes decode as a parser
// decodes them, invalid UTF-8 is repaired, and a non-string output takes the general path.
TEST(CodexRecords, SkimmedToolOutputsDecodeLikeTheParser) {
  const std::string escaped =
      R"({"type":"response_item","payload":{"type":"function_call_output","call_id":"c1","output":"Process exited with code 3\nOutput:\n\u00e9 \ud83d\ude00 \"q\" \\ tab\t"}})";
  auto record = compact_record(escaped, 5, codex_source);
  ASSERT_TRUE(record);
  ASSERT_EQ(record->tool_results.size(), 1u);
  EXPECT_EQ(record->tool_results[0].output, json::parse(escaped)["payload"]["output"].get<std::string>());
  EXPECT_EQ(record->tool_results[0].exit_code, 3);
  EXPECT_EQ(record->tool_results[0].call_id, "c1");

  const std::string invalid =
      "{\"type\":\"response_item\",\"payload\":{\"type\":\"function_call_output\",\"call_id\":\"c2\",\"output\":\"bad \xff byte\"}}";
  record = compact_record(invalid, 6, codex_source);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->tool_results.at(0).output, "bad \xEF\xBF\xBD byte");
  EXPECT_NO_THROW((void)to_json(*record).dump());

  const std::string parts =
      R"({"type":"response_item","payload":{"type":"function_call_output","call_id":"c3","output":[{"type":"input_text","text":"first"},{"type":"input_image","image_url":"data:"},{"type":"input_text","text":"second"}]}})";
  record = compact_record(parts, 7, codex_source);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->tool_results.at(0).output, "first\nsecond");
  EXPECT_EQ(record->unavailable, (std::vector<std::string>{"image"}));

  const std::string execution =
      R"({"type":"event_msg","payload":{"type":"item_completed","item":{"type":"CommandExecution","id":"c4","command":["/bin/bash","-lc","make \u0074est"],"status":"failed","aggregated_output":"boom\n","exit_code":-1}}})";
  record = compact_record(execution, 8, codex_source);
  ASSERT_TRUE(record);
  const auto& result = record->tool_results.at(0);
  EXPECT_EQ(result.kind, ToolResultKind::command);
  EXPECT_EQ(result.command, "make test");
  EXPECT_EQ(result.exit_code, -1);
  EXPECT_EQ(result.status, "failed");
  EXPECT_EQ(result.output, "boom\n");
  EXPECT_EQ(result.call_id, "c4");
}

TEST(CodexRecords, AbortedTurnIsInterrupted) {
  const auto lines = fixture_lines(fixture_session_file("codex/gamma-subagent"));
  bool seen = false;
  for (std::size_t number = 1; number <= lines.size(); ++number) {
    auto record = compact_line(lines, number);
    if (record && record->source_type == "event_msg:turn_aborted") {
      seen = true;
      EXPECT_EQ(record->kind, RecordKind::terminal);
      EXPECT_EQ(record->turn_end, TurnEnd::interrupted);
      EXPECT_EQ(record->text, "turn aborted: interrupted");
    }
  }
  EXPECT_TRUE(seen);
}

TEST(CodexRecords, SpawnAgentCallAndResult) {
  const auto lines = fixture_lines(fixture_session_file("codex/gamma"));
  auto call = present(lines, 10);
  ASSERT_EQ(call.tool_uses.size(), 1u);
  EXPECT_EQ(call.tool_uses[0].name, "spawn_agent");
  auto result = present(lines, 12);
  ASSERT_EQ(result.tool_results.size(), 1u);
  EXPECT_EQ(result.tool_results[0].name, "spawn_agent");
  EXPECT_EQ(result.tool_results[0].output, "ANSWER: child done");
}

TEST(CodexRecords, LongUserTextStaysExact) {
  const std::string text(5000, 'x');
  auto record = compact_record(diary::test::codex_user_line(text), 1, codex_source);
  ASSERT_TRUE(record);
  EXPECT_EQ(to_json(*record)["text"], text);
  EXPECT_FALSE(to_json(*record).contains("truncated"));
}

TEST(ClaudeRecords, DeltaSession) {
  const auto lines =
      fixture_lines(fixture_session_file("claude/projects/-fixture-projects-delta/5f0c6a8e-2d41-4c4b-9a57-0e3f1b2c3d4e.jsonl"));
  const auto claude = claude_source;
  // summary, snapshot, turn_duration, meta caveat, permission-mode: metadata.
  for (std::size_t number : {1, 2, 7, 9, 14, 16, 19})
    EXPECT_FALSE(compact_line(lines, number, claude).has_value()) << "line " << number;

  auto prompt = present(lines, 3, claude);
  EXPECT_EQ(prompt.kind, RecordKind::user);
  EXPECT_EQ(prompt.text, "Add a health check endpoint to the server.");

  auto reply = present(lines, 4, claude);
  EXPECT_EQ(reply.kind, RecordKind::assistant);
  EXPECT_EQ(reply.text, "I'll look at the server first.");
  ASSERT_EQ(reply.tool_uses.size(), 1u);
  EXPECT_EQ(reply.tool_uses[0].name, "Bash");
  EXPECT_EQ(reply.tool_uses[0].command, "ls src");
  EXPECT_EQ(reply.tool_uses[0].call_id, "toolu_01A");

  auto output = present(lines, 5, claude);
  EXPECT_EQ(output.kind, RecordKind::tool_result);
  ASSERT_EQ(output.tool_results.size(), 1u);
  EXPECT_EQ(output.tool_results[0].kind, ToolResultKind::command);
  EXPECT_EQ(output.tool_results[0].output, "server.cpp\nroutes.cpp");
  EXPECT_EQ(output.tool_results[0].call_id, "toolu_01A");

  EXPECT_EQ(present(lines, 8, claude).kind, RecordKind::malformed);
  EXPECT_EQ(present(lines, 11, claude).kind, RecordKind::tool_call);  // an Edit call without text
  auto interrupted = present(lines, 13, claude);
  EXPECT_EQ(interrupted.kind, RecordKind::terminal);
  EXPECT_EQ(interrupted.turn_end, TurnEnd::interrupted);
  auto local = present(lines, 15, claude);
  EXPECT_EQ(local.kind, RecordKind::tool_result);
  EXPECT_EQ(local.tool_results.at(0).name, "local_command");
  EXPECT_EQ(present(lines, 17, claude).text, "Ship it.");
}

TEST(ClaudeRecords, EditsWritesAndFailingBash) {
  const std::string write =
      R"({"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_9","type":"tool_result","content":"File created successfully at: /p/docs/guide.md"}]},"toolUseResult":{"type":"create","filePath":"/p/docs/guide.md","content":"# Guide\n","structuredPatch":[]},"sourceToolAssistantUUID":"a"})";
  auto created = compact_record(write, 7, claude_source);
  ASSERT_TRUE(created);
  ASSERT_EQ(created->tool_results.size(), 1u);
  EXPECT_EQ(created->tool_results[0].kind, ToolResultKind::file_change);
  ASSERT_EQ(created->tool_results[0].changes.size(), 1u);
  EXPECT_EQ(created->tool_results[0].changes[0].operation, "add");
  EXPECT_EQ(created->tool_results[0].changes[0].path, "/p/docs/guide.md");
  EXPECT_EQ(created->tool_results[0].changes[0].diff, "# Guide\n");

  const std::string edit =
      R"({"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_8","type":"tool_result","content":"The file has been updated."}]},"toolUseResult":{"filePath":"/p/src/a.cpp","oldString":"a","newString":"b","structuredPatch":[{"oldStart":1,"oldLines":1,"newStart":1,"newLines":1,"lines":["-a","+b"]}]}})";
  auto edited = compact_record(edit, 8, claude_source);
  ASSERT_TRUE(edited);
  ASSERT_EQ(edited->tool_results.at(0).changes.size(), 1u);
  EXPECT_EQ(edited->tool_results[0].changes[0].operation, "update");
  EXPECT_EQ(edited->tool_results[0].changes[0].diff, "-a\n+b\n");

  const std::string bash =
      R"({"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_7","type":"tool_result","content":"Exit code 1\nFAILED tests/test_a.py::test_x","is_error":true}]},"toolUseResult":"Error: Exit code 1\nFAILED tests/test_a.py::test_x"})";
  auto failing = compact_record(bash, 9, claude_source);
  ASSERT_TRUE(failing);
  EXPECT_EQ(failing->tool_results.at(0).exit_code, 1);
  EXPECT_EQ(failing->tool_results[0].status, "error");
  EXPECT_TRUE(failing->tool_results[0].is_error);
}

TEST(Trimming, OnlyPayloadsOverOneKibAreCut) {
  bool trimmed = true;
  EXPECT_EQ(trim_payload(std::string(1024, 'a'), trimmed), std::string(1024, 'a'));
  EXPECT_FALSE(trimmed);
  const std::string long_text = std::string(700, 'h') + std::string(700, 't');
  const std::string cut = trim_payload(long_text, trimmed);
  EXPECT_TRUE(trimmed);
  EXPECT_EQ(cut, std::string(320, 'h') + "\n...[trimmed]...\n" + std::string(160, 't'));
}

TEST(Trimming, CutsOnCharacterBoundaries) {
  std::string euros;
  for (int i = 0; i < 400; ++i) euros += "€";  // 3 bytes each: 1,200 bytes
  bool trimmed = false;
  const std::string cut = trim_payload(euros, trimmed);
  ASSERT_TRUE(trimmed);
  EXPECT_TRUE(is_valid_utf8(cut));
  const std::string marker(trim_marker);
  const auto at = cut.find(marker);
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(at, 318u);                               // 106 whole characters fit in 320 bytes
  EXPECT_EQ(cut.size() - at - marker.size(), 159u);  // 53 whole characters fit in 160 bytes
}

TEST(HostileInput, NeverThrowsAndIsMalformedOrUnknown) {
  const std::vector<std::string> lines = {
      "",
      "not json",
      "[1,2,3]",
      "\"a string\"",
      "{\"type\":\"response_item\",\"payload\":\"oops\"}",
      "{\"type\":\"response_item\",\"payload\":{\"type\":\"message\",\"role\":\"user\",\"content\":5}}",
      "{\"type\":\"response_item\",\"payload\":{\"type\":\"function_call\",\"name\":7,\"arguments\":{\"a\":1}}}",
      "{\"type\":\"event_msg\",\"payload\":{\"type\":\"item_completed\",\"item\":{\"type\":\"FileChange\",\"changes\":[1]}}}",
      "{\"type\":\"event_msg\",\"payload\":{\"type\":\"item_completed\",\"item\":{\"type\":\"CommandExecution\",\"command\":{},\"exit_code\":\"x\"}}}",
      "{\"type\":\"event_msg\",\"payload\":{\"type\":\"mcp_tool_call_end\",\"result\":{\"Err\":5}}}",
      "{\"type\":\"response_item\",\"payload\":{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"\xff\xfe\"}]}}",
      std::string(
          "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\"}]},\"toolUseResult\":[1]}"),
      std::string("{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_use\",\"input\":\"x\"}]}}"),
  };
  for (const auto& line : lines) {
    for (auto source : {codex_source, claude_source}) {
      std::optional<CompactRecord> record;
      EXPECT_NO_THROW(record = compact_record(line, 1, source, Neighbours{line, line})) << line;
      if (record) {
        json rendered;
        EXPECT_NO_THROW(rendered = to_json(*record));
        EXPECT_NO_THROW((void)rendered.dump()) << line;  // valid UTF-8 throughout
      }
    }
  }
  auto bad = compact_record("not json", 4, codex_source);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->kind, RecordKind::malformed);
  EXPECT_EQ(to_json(*bad), (json{{"line", 4}, {"kind", "malformed"}, {"text", "not json"}}));
}

}  // namespace
