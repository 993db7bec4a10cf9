#include "jsonrpc/rpc_message.h"

#include <gtest/gtest.h>

using namespace diary::jsonrpc;

TEST(Classify, ByFieldPresence) {
  auto request = classify(R"({"id":7,"method":"item/commandExecution/requestApproval","params":{"a":1}})");
  ASSERT_TRUE(std::holds_alternative<IncomingRequest>(request));
  EXPECT_EQ(std::get<IncomingRequest>(request).id, RequestId{std::int64_t{7}});
  EXPECT_EQ(std::get<IncomingRequest>(request).params["a"], 1);

  auto string_id = classify(R"({"id":"abc","method":"x"})");
  ASSERT_TRUE(std::holds_alternative<IncomingRequest>(string_id));
  EXPECT_EQ(std::get<IncomingRequest>(string_id).id, RequestId{std::string("abc")});

  auto notification = classify(R"({"method":"turn/started","params":{"threadId":"t"}})");
  ASSERT_TRUE(std::holds_alternative<IncomingNotification>(notification));
  EXPECT_EQ(std::get<IncomingNotification>(notification).method, "turn/started");

  auto response = classify(R"({"id":3,"result":{"ok":true}})");
  ASSERT_TRUE(std::holds_alternative<IncomingResponse>(response));
  EXPECT_EQ(std::get<IncomingResponse>(response).result["ok"], true);

  auto null_result = classify(R"({"id":4,"result":null})");
  ASSERT_TRUE(std::holds_alternative<IncomingResponse>(null_result));

  auto error = classify(R"({"id":5,"error":{"code":-32001,"message":"Server overloaded"}})");
  ASSERT_TRUE(std::holds_alternative<IncomingError>(error));
  EXPECT_EQ(std::get<IncomingError>(error).error.code, -32001);
  EXPECT_EQ(std::get<IncomingError>(error).error.message, "Server overloaded");
}

TEST(Classify, GarbageIsUnclassifiable) {
  for (auto line :
       {"not json", "{\"truncated\": ", "[1,2,3]", "{\"neither\":1}", "42", "{\"id\":1.5,\"method\":\"m\"}", "{\"id\":9}"}) {
    EXPECT_TRUE(std::holds_alternative<Unclassifiable>(classify(std::string_view(line)))) << line;
  }
}

TEST(Classify, IllTypedErrorObjectsDoNotThrow) {
  IncomingMessage message;
  ASSERT_NO_THROW(message = classify(R"({"id":5,"error":{"code":"busy","message":7}})"));
  ASSERT_TRUE(std::holds_alternative<IncomingError>(message));
  EXPECT_EQ(std::get<IncomingError>(message).error.code, 0);
  EXPECT_EQ(std::get<IncomingError>(message).error.message, "");
}

TEST(Encode, OmitsJsonrpcField) {
  auto line = encode_request(1, "initialize", {{"clientInfo", {{"name", "diary"}}}});
  auto parsed = json::parse(line);
  EXPECT_FALSE(parsed.contains("jsonrpc"));
  EXPECT_EQ(parsed["id"], 1);
  EXPECT_EQ(parsed["method"], "initialize");
  EXPECT_EQ(json::parse(encode_notification("initialized", nullptr)), json({{"method", "initialized"}}));
  EXPECT_EQ(json::parse(encode_error(RequestId{std::string("s")}, -32601, "nope")),
            json({{"id", "s"}, {"error", {{"code", -32601}, {"message", "nope"}}}}));
}

TEST(Encode, Jsonrpc2EnvelopeOnEveryForm) {
  const auto v2 = Envelope::jsonrpc2;
  EXPECT_EQ(json::parse(encode_request(2, "tools/list", nullptr, v2)),
            json({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "tools/list"}}));
  EXPECT_EQ(json::parse(encode_notification("notifications/initialized", nullptr, v2)),
            json({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}));
  EXPECT_EQ(json::parse(encode_result(RequestId{std::int64_t{3}}, json::object(), v2)),
            json({{"jsonrpc", "2.0"}, {"id", 3}, {"result", json::object()}}));
  EXPECT_EQ(json::parse(encode_error(RequestId{std::string("x")}, -32602, "bad", v2)),
            json({{"jsonrpc", "2.0"}, {"id", "x"}, {"error", {{"code", -32602}, {"message", "bad"}}}}));
}

TEST(Encode, ErrorWithoutIdCarriesNullId) {
  auto parsed = json::parse(encode_error(std::nullopt, rpc_code::parse_error, "parse error", Envelope::jsonrpc2));
  ASSERT_TRUE(parsed.contains("id"));
  EXPECT_TRUE(parsed["id"].is_null());
  EXPECT_EQ(parsed["error"]["code"], -32700);
}

TEST(Encode, InvalidUtf8IsReplacedNotThrown) {
  const std::string bad = std::string("a") + char(0xff) + "b";
  std::string line;
  EXPECT_NO_THROW(line = encode_result(RequestId{std::int64_t{1}}, json(bad), Envelope::jsonrpc2));
  EXPECT_EQ(json::parse(line)["result"],
            "a\xEF\xBF\xBD"
            "b");
}
