// The typed, non-throwing decoders of codex messages (codex_protocol.h): every mismatch is a
// value naming its JSON path, never an exception; shapes captured from codex 0.169.0 decode.
#include "codex/codex_protocol.h"

#include <gtest/gtest.h>

namespace diary::codex::protocol {
namespace {

using agent::ErrorKind;

template <class T>
std::string mismatch(const json& value, std::string root = "result") {
  auto decoded = decode<T>(value, std::move(root));
  if (decoded) return "(decoded)";
  EXPECT_EQ(decoded.error().kind, ErrorKind::protocol);
  return decoded.error().message;
}

TEST(CodexProtocol, PathsNameFieldsAndIndexes) {
  Path::Root root("params");
  Path path(root);
  // Each segment refers to its parent, which must outlive it (decoders pass paths as arguments).
  const Path item = path.field("item");
  const Path changes = item.field("changes");
  const Path change = changes.index(2);
  EXPECT_EQ(change.field("path").to_string(), "params.item.changes[2].path");
  change.field("path").report("expected string");
  item.report("a later report does not replace the first");
  EXPECT_EQ(root.error(), "params.item.changes[2].path: expected string");
}

TEST(CodexProtocol, APrimitiveOfTheWrongTypeIsAMismatchNotAConversion) {
  EXPECT_EQ(mismatch<InitializeResponse>(42), "result: expected object");
  EXPECT_EQ(mismatch<InitializeResponse>({{"userAgent", 7}}), "result.userAgent: expected string");
  EXPECT_EQ(mismatch<InitializeResponse>(json::object()), "result.userAgent: missing");
  EXPECT_EQ(mismatch<ThreadStartResponse>({{"thread", {{"id", 5}}}}), "result.thread.id: expected string");
  EXPECT_EQ(mismatch<ThreadStartResponse>({{"thread", "thr_1"}}), "result.thread: expected object");
  EXPECT_EQ(mismatch<TurnStartResponse>(json::array()), "result: expected object");
  EXPECT_EQ(mismatch<TurnStartResponse>({{"turn", {{"id", nullptr}}}}), "result.turn.id: expected string");
  // Integers are integers: a float or a string with digits is not one.
  EXPECT_EQ(mismatch<TokenUsageUpdated>({{"tokenUsage", {{"last", {{"inputTokens", 1.5}}}}}}, "params"),
            "params.tokenUsage.last.inputTokens: expected integer");
  EXPECT_EQ(mismatch<TokenUsageUpdated>({{"tokenUsage", {{"last", {{"inputTokens", "many"}}}}}}, "params"),
            "params.tokenUsage.last.inputTokens: expected integer");
  EXPECT_EQ(mismatch<TokenUsageUpdated>({{"tokenUsage", {{"last", {{"outputTokens", 18446744073709551615ull}}}}}}, "params"),
            "params.tokenUsage.last.outputTokens: integer out of range");
}

TEST(CodexProtocol, RealResponsesDecode) {
  auto init = decode<InitializeResponse>({{"userAgent", "diary/0.169.0 (Debian 12; x86_64)"},
                                          {"codexHome", "/h/.codex"},
                                          {"platformFamily", "unix"},
                                          {"platformOs", "linux"}},
                                         "result");
  ASSERT_TRUE(init) << init.error();
  EXPECT_EQ(init->codex_home, "/h/.codex");
  EXPECT_EQ(init->platform_os, "linux");

  auto thread = decode<ThreadStartResponse>(
      {{"thread", {{"id", "thr_1"}, {"preview", ""}}}, {"model", "gpt-5"}, {"cwd", "/w"}, {"sandbox", {{"type", "readOnly"}}}},
      "result");
  ASSERT_TRUE(thread) << thread.error();
  EXPECT_EQ(thread->thread_id, "thr_1");
  EXPECT_EQ(thread->model, "gpt-5");

  auto account = decode<GetAccountResponse>(
      {{"account", {{"type", "chatgpt"}, {"email", nullptr}, {"planType", "plus"}}}, {"requiresOpenaiAuth", true}}, "result");
  ASSERT_TRUE(account) << account.error();
  ASSERT_TRUE(account->account);
  EXPECT_EQ(account->account->plan_type, "plus");
  auto none = decode<GetAccountResponse>({{"account", nullptr}, {"requiresOpenaiAuth", false}}, "result");
  ASSERT_TRUE(none) << none.error();
  EXPECT_FALSE(none->account);
  EXPECT_FALSE(none->requires_openai_auth);
  EXPECT_EQ(mismatch<GetAccountResponse>({{"account", {{"type", 1}}}}), "result.account.type: expected string");
  EXPECT_EQ(mismatch<GetAccountResponse>({{"requiresOpenaiAuth", "yes"}}), "result.requiresOpenaiAuth: expected boolean");
}

TEST(CodexProtocol, ItemsDecodeByTypeAndReportTheirMismatches) {
  auto message = decode<ItemNotification>(
      {{"threadId", "t"}, {"turnId", "u"}, {"item", {{"type", "agentMessage"}, {"id", "m"}, {"text", "hi"}, {"phase", nullptr}}}},
      "params");
  ASSERT_TRUE(message) << message.error();
  EXPECT_EQ(message->item.text, "hi");
  EXPECT_FALSE(message->item.phase);

  EXPECT_EQ(mismatch<ItemNotification>({{"item", {{"type", "agentMessage"}, {"id", "m"}, {"text", 42}}}}, "params"),
            "params.item.text: expected string");
  EXPECT_EQ(mismatch<ItemNotification>({{"item", {{"type", "fileChange"}, {"id", "p"}, {"changes", {5}}}}}, "params"),
            "params.item.changes[0]: expected object");
  EXPECT_EQ(mismatch<ItemNotification>(
                {{"item", {{"type", "commandExecution"}, {"id", "c"}, {"command", "ls"}, {"exitCode", "0"}}}}, "params"),
            "params.item.exitCode: expected integer");
  EXPECT_EQ(mismatch<ItemNotification>({{"threadId", 3}, {"item", {{"type", "x"}, {"id", "i"}}}}, "params"),
            "params.threadId: expected string");
  EXPECT_EQ(mismatch<ItemNotification>({{"item", {{"type", "reasoning"}, {"id", "r"}, {"summary", {"a", 1}}}}}, "params"),
            "params.item.summary[1]: expected string");
  // An item type diary does not read needs only its type and id.
  EXPECT_TRUE(decode<ItemNotification>({{"item", {{"type", "imageView"}, {"id", "i"}, {"path", 5}}}}, "params"));

  auto command = decode<ItemNotification>({{"item",
                                            {{"type", "commandExecution"},
                                             {"id", "c"},
                                             {"command", "ls"},
                                             {"cwd", "/w"},
                                             {"status", "completed"},
                                             {"exitCode", nullptr},
                                             {"aggregatedOutput", nullptr}}}},
                                          "params");
  ASSERT_TRUE(command) << command.error();
  EXPECT_FALSE(command->item.exit_code);
  EXPECT_EQ(command->item.aggregated_output, "");
}

TEST(CodexProtocol, TurnsErrorsAndUsage) {
  auto completed = decode<TurnNotification>(
      {{"threadId", "t"},
       {"turn", {{"id", "u"}, {"status", "failed"}, {"error", {{"message", "429"}}}, {"items", json::array()}}}},
      "params");
  ASSERT_TRUE(completed) << completed.error();
  EXPECT_EQ(completed->turn.status, "failed");
  EXPECT_EQ(completed->turn.error["message"], "429");
  EXPECT_EQ(mismatch<TurnNotification>({{"turn", {{"id", "u"}, {"status", 7}}}}, "params"),
            "params.turn.status: expected string");
  EXPECT_EQ(mismatch<TurnNotification>({{"turn", 3}}, "params"), "params.turn: expected object");
  EXPECT_EQ(mismatch<TurnNotification>({{"turn", {{"id", "u"}, {"status", "failed"}, {"error", "boom"}}}}, "params"),
            "params.turn.error: expected object");

  EXPECT_EQ(mismatch<ErrorNotification>({{"error", 7}}, "params"), "params.error: expected object");
  EXPECT_EQ(mismatch<ErrorNotification>({{"error", {{"message", "m"}}}, {"willRetry", "no"}}, "params"),
            "params.willRetry: expected boolean");

  auto usage = decode<TokenUsageUpdated>({{"tokenUsage",
                                           {{"last",
                                             {{"inputTokens", 1200},
                                              {"cachedInputTokens", 200},
                                              {"outputTokens", 34},
                                              {"reasoningOutputTokens", 8},
                                              {"totalTokens", 1234}}},
                                            {"total", {{"inputTokens", 2400}, {"outputTokens", 68}}}}}},
                                         "params");
  ASSERT_TRUE(usage) << usage.error();
  EXPECT_EQ(usage->last.total_tokens, 1234);
  EXPECT_EQ(usage->total.total_tokens, 2468);  // input + output when totalTokens is absent
}

TEST(CodexProtocol, RoutingKeysNeverFail) {
  EXPECT_EQ(thread_id_of({{"threadId", "t"}}), "t");
  EXPECT_EQ(thread_id_of({{"turn", {{"threadId", "t2"}}}}), "t2");
  EXPECT_EQ(thread_id_of({{"thread", {{"id", "t3"}}}}), "t3");
  EXPECT_EQ(thread_id_of({{"threadId", 5}, {"turn", 3}}), "");
  EXPECT_EQ(thread_id_of(42), "");
  EXPECT_EQ(turn_id_of({{"turn", {{"id", "u"}}}}), "u");
  EXPECT_EQ(turn_id_of({{"turnId", "v"}}), "v");
  EXPECT_EQ(turn_id_of({{"turnId", json::array()}, {"turn", "x"}}), "");
}

TEST(CodexProtocol, ApprovalRequestsOfEveryMethod) {
  EXPECT_TRUE(is_approval_method("item/permissions/requestApproval"));
  EXPECT_FALSE(is_approval_method("item/tool/requestUserInput"));
  auto command = decode_approval("item/commandExecution/requestApproval", {{"threadId", "t"},
                                                                           {"turnId", "u"},
                                                                           {"itemId", "c1"},
                                                                           {"command", "rm -rf /"},
                                                                           {"cwd", "/w"},
                                                                           {"reason", nullptr},
                                                                           {"startedAtMs", 1}});
  ASSERT_TRUE(command) << command.error();
  EXPECT_EQ(command->command, "rm -rf /");
  EXPECT_EQ(command->item_id, "c1");
  EXPECT_EQ(command->reason, "");

  auto legacy = decode_approval("execCommandApproval",
                                {{"conversationId", "t"}, {"callId", "x"}, {"command", {"git", "push"}}, {"cwd", "/w"}});
  ASSERT_TRUE(legacy) << legacy.error();
  EXPECT_EQ(legacy->thread_id, "t");
  EXPECT_EQ(legacy->command, "git push");

  auto patch = decode_approval("applyPatchApproval", {{"conversationId", "t"},
                                                      {"callId", "x"},
                                                      {"grantRoot", "/w"},
                                                      {"fileChanges", {{"/w/a.txt", {{"add", {{"content", "x"}}}}}}}});
  ASSERT_TRUE(patch) << patch.error();
  EXPECT_EQ(patch->paths, (std::vector<std::string>{"/w", "/w/a.txt"}));

  auto bad = decode_approval("item/commandExecution/requestApproval", {{"threadId", 1}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "params.threadId: expected string");
  auto bad_argv = decode_approval("execCommandApproval", {{"conversationId", "t"}, {"command", {"ls", 2}}});
  ASSERT_FALSE(bad_argv);
  EXPECT_EQ(bad_argv.error().message, "params.command[1]: expected string");
  EXPECT_EQ(decode_approval("item/fileChange/requestApproval", "x").error().message, "params: expected object");
}

}  // namespace
}  // namespace diary::codex::protocol
