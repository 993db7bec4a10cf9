// Sans-io tests of the mock model's request reading, directive logic and wire rendering.
#include <gtest/gtest.h>

#include "support/mock_model/directives.h"
#include "support/mock_model/reply_wire.h"

namespace diary::test {
namespace {

using nlohmann::json;

json user_message(const std::string& text) {
  return {{"type", "message"}, {"role", "user"}, {"content", json::array({{{"type", "input_text"}, {"text", text}}})}};
}

json call_output(const std::string& output) { return {{"type", "function_call_output"}, {"call_id", "c"}, {"output", output}}; }

json exec_tools() {
  return json::array({{{"type", "function"}, {"name", "exec_command"}},
                      {{"type", "function"}, {"name", "write_stdin"}},
                      {{"type", "namespace"},
                       {"name", "mcp__diary"},
                       {"tools", json::array({{{"type", "function"}, {"name", "write_evidence"}}})}}});
}

ModelRequest request_with(json input, json tools = exec_tools(), std::string model = "mock-model") {
  return {"/v1/responses", {{"model", model}, {"input", std::move(input)}, {"tools", tools}}};
}

// Parses the SSE body into (event name, data) pairs, checking that both lines agree on type.
std::vector<std::pair<std::string, json>> events_of(const std::string& body) {
  std::vector<std::pair<std::string, json>> events;
  std::size_t pos = 0;
  while (pos < body.size()) {
    const auto end = body.find("\n\n", pos);
    const std::string block = body.substr(pos, end - pos);
    pos = end + 2;
    const auto newline = block.find('\n');
    const std::string name = block.substr(std::string("event: ").size(), newline - 7);
    json data = json::parse(block.substr(newline + 1 + std::string("data: ").size()));
    EXPECT_EQ(data["type"], name);
    events.emplace_back(name, std::move(data));
  }
  return events;
}

TEST(ModelRequestTest, ReadsLastUserMessageAndOutputsAfterIt) {
  const auto request = request_with(json::array({user_message("first\nRUN: old"),
                                                 call_output("old output"),
                                                 {{"type", "message"}, {"role", "developer"}, {"content", "ignored"}},
                                                 user_message("<environment_context>x</environment_context>"),
                                                 user_message("RUN: a\nANSWER: b"),
                                                 call_output("out-a")}));
  EXPECT_EQ(request.last_user_text(), "RUN: a\nANSWER: b");
  EXPECT_EQ(request.function_outputs_since_last_user(), std::vector<std::string>{"out-a"});
  EXPECT_EQ(request.model(), "mock-model");
  EXPECT_FALSE(request.has_output_schema());
}

TEST(ModelRequestTest, FlattensArrayOutputsAndListsNamespacedTools) {
  json output = {{"type", "function_call_output"},
                 {"call_id", "c"},
                 {"output", json::array({{{"type", "input_text"}, {"text", "one"}}, {{"type", "input_text"}, {"text", "two"}}})}};
  auto request = request_with(json::array({user_message("x"), output}));
  request.body["text"] = {{"format", {{"type", "json_schema"}}}};
  EXPECT_EQ(request.function_outputs_since_last_user(), std::vector<std::string>{"one\ntwo"});
  EXPECT_TRUE(request.has_output_schema());
  EXPECT_EQ(request.offered_tools(),
            (std::vector<OfferedTool>{{"", "exec_command"}, {"", "write_stdin"}, {"mcp__diary", "write_evidence"}}));
  EXPECT_EQ(request.shell_tool(), "exec_command");
}

TEST(DirectivesTest, ParsesEveryDirective) {
  const auto d = parse_directives(
      "intro text\n  RUN: echo 1  \nCALL: mcp__diary/write_evidence {\"a\":1}\nRUN: echo 2\n"
      "ANSWER: line one\nANSWER: line two\nSLEEP_MS: 25\nFAIL_HTTP_MODEL: big 429\n"
      "PHASE: final_answer\nUSAGE: 7 3\nnot RUN: this\n");
  ASSERT_EQ(d.steps.size(), 3u);
  EXPECT_EQ(d.steps[0], Reply::shell("echo 1"));
  EXPECT_EQ(d.steps[1], Reply::tool_call("write_evidence", {{"a", 1}}, "mcp__diary"));
  EXPECT_EQ(d.steps[2], Reply::shell("echo 2"));
  EXPECT_EQ(d.answer, "line one\nline two");
  EXPECT_EQ(d.delay, std::chrono::milliseconds(25));
  EXPECT_EQ(d.fail_http_model, (std::vector<std::pair<std::string, int>>{{"big", 429}}));
  EXPECT_EQ(d.phase, "final_answer");
  EXPECT_EQ(d.usage, (Usage{.input_tokens = 7, .output_tokens = 3}));
  EXPECT_FALSE(d.hang);
  EXPECT_TRUE(d.errors.empty());
}

TEST(DirectivesTest, WalksStepsByCountingOutputsThenAnswers) {
  const std::string prompt = "RUN: one\nRUN: two\nANSWER: finished";
  EXPECT_EQ(reply_from_directives(request_with(json::array({user_message(prompt)}))), Reply::shell("one"));
  EXPECT_EQ(reply_from_directives(request_with(json::array({user_message(prompt), call_output("1")}))), Reply::shell("two"));
  EXPECT_EQ(reply_from_directives(request_with(json::array({user_message(prompt), call_output("1"), call_output("2")}))),
            Reply::message("finished"));
}

TEST(DirectivesTest, DefaultsAndFailures) {
  auto reply_to = [](const std::string& prompt, std::string model = "mock-model") {
    return reply_from_directives(request_with(json::array({user_message(prompt)}), exec_tools(), model));
  };
  EXPECT_EQ(reply_to("just text"), Reply::message("done"));
  EXPECT_EQ(reply_to("ANSWER_JSON: { \"n\" : 1 }"), Reply::message("{\"n\":1}"));
  EXPECT_EQ(reply_to("HANG\nANSWER: x"), Reply::hang());
  EXPECT_EQ(reply_to("FAIL_HTTP: 500"), Reply::http_error(500));
  EXPECT_EQ(reply_to("FAIL_HTTP_MODEL: big 503", "big"), Reply::http_error(503));
  EXPECT_EQ(reply_to("FAIL_HTTP_MODEL: big 503", "small"), Reply::message("done"));
  EXPECT_EQ(reply_to("RESPONSE_FAILED: rate_limit_exceeded").error_code, "rate_limit_exceeded");
  EXPECT_EQ(reply_to("SLEEP_MS: 40\nANSWER: late"), Reply::message("late").after(std::chrono::milliseconds(40)));
  EXPECT_EQ(reply_to("SLEEP_MS: soon").error_code, "mock_bad_directive");
  EXPECT_EQ(reply_to("CALL: tool not-json").error_code, "mock_bad_directive");
  EXPECT_EQ(reply_to("USAGE: 5 6").usage, (Usage{.input_tokens = 5, .output_tokens = 6}));
}

TEST(ReplyWireTest, MessageStreamsCreatedItemAndCompletedWithUsage) {
  const auto answer = render_reply(Reply::message("hi").with_phase("final_answer"), request_with(json::array()), 7);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.content_type, "text/event-stream");
  const auto events = events_of(answer.body);
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[0].first, "response.created");
  EXPECT_EQ(events[1].first, "response.output_item.added");
  EXPECT_EQ(events[2].second["delta"], "hi");
  EXPECT_EQ(events[3].first, "response.output_item.done");
  const json& item = events[3].second["item"];
  EXPECT_EQ(item["type"], "message");
  EXPECT_EQ(item["role"], "assistant");
  EXPECT_EQ(item["phase"], "final_answer");
  EXPECT_EQ(item["content"][0], (json{{"type", "output_text"}, {"text", "hi"}}));
  EXPECT_EQ(events[4].first, "response.completed");
  const json& usage = events[4].second["response"]["usage"];
  EXPECT_EQ(usage["input_tokens"], 120);
  EXPECT_EQ(usage["output_tokens"], 30);
  EXPECT_EQ(usage["total_tokens"], 150);
  EXPECT_EQ(events[4].second["response"]["id"], events[0].second["response"]["id"]);
}

TEST(ReplyWireTest, ShellUsesTheOfferedShellTool) {
  auto call_item = [](const HttpAnswer& answer) { return events_of(answer.body)[1].second["item"]; };
  const auto exec = call_item(render_reply(Reply::shell("ls"), request_with(json::array()), 1));
  EXPECT_EQ(exec["type"], "function_call");
  EXPECT_EQ(exec["name"], "exec_command");
  EXPECT_EQ(json::parse(exec["arguments"].get<std::string>()), (json{{"cmd", "ls"}}));
  EXPECT_EQ(exec["call_id"], "call_mock_1");

  const json shell_tools = json::array({{{"type", "function"}, {"name", "shell"}}});
  const auto shell = call_item(render_reply(Reply::shell("ls"), request_with({}, shell_tools), 2));
  EXPECT_EQ(shell["name"], "shell");
  EXPECT_EQ(json::parse(shell["arguments"].get<std::string>()), (json{{"command", {"bash", "-lc", "ls"}}}));

  const auto none = render_reply(Reply::shell("ls"), request_with({}, json::array()), 3);
  const auto events = events_of(none.body);
  EXPECT_EQ(events.back().first, "response.failed");
  EXPECT_EQ(events.back().second["response"]["error"]["code"], "mock_no_shell_tool");
}

TEST(ReplyWireTest, ToolCallFindsTheNamespaceOfMcpTools) {
  const auto answer = render_reply(Reply::tool_call("write_evidence", {{"x", 1}}), request_with(json::array()), 4);
  const json item = events_of(answer.body)[1].second["item"];
  EXPECT_EQ(item["name"], "write_evidence");
  EXPECT_EQ(item["namespace"], "mcp__diary");
  const auto top = render_reply(Reply::tool_call("write_stdin", json::object()), request_with(json::array()), 5);
  EXPECT_FALSE(events_of(top.body)[1].second["item"].contains("namespace"));
}

TEST(ReplyWireTest, ErrorsAndFailures) {
  const auto http = render_reply(Reply::http_error(429), request_with(json::array()), 1);
  EXPECT_EQ(http.status, 429);
  EXPECT_EQ(http.content_type, "application/json");
  EXPECT_EQ(json::parse(http.body)["error"]["code"], "mock_http_429");

  const auto failed = render_reply(Reply::failed("context_length_exceeded", "too long"), request_with({}), 2);
  const auto events = events_of(failed.body);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].second["response"]["error"], (json{{"code", "context_length_exceeded"}, {"message", "too long"}}));
}

}  // namespace
}  // namespace diary::test
