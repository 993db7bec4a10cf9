// Loopback tests of MockModelServer: routing, SSE answers, keep-alive, concurrency, handlers and
// prompt shutdown with hung connections. Every client operation has a deadline.
#include <future>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include "support/mock_model/mock_model_server.h"

namespace diary::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using nlohmann::json;
using namespace std::chrono_literals;

constexpr auto kDeadline = 10s;

struct HttpResult {
  beast::error_code error;  // set when the exchange failed (e.g. the server closed on us)
  int status = 0;
  std::string content_type;
  std::string body;
  bool keep_alive = false;
};

// A tiny keep-alive client: one connection, sequential requests, each bounded by a deadline.
class Client {
 public:
  explicit Client(std::uint16_t port) : stream_(io_) {
    stream_.expires_after(kDeadline);
    stream_.connect(asio::ip::tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), port));
  }

  HttpResult send(http::verb verb, const std::string& target, const std::string& body,
                  std::chrono::milliseconds deadline = kDeadline) {
    http::request<http::string_body> request{verb, target, 11};
    request.set(http::field::host, "127.0.0.1");
    request.set(http::field::content_type, "application/json");
    request.keep_alive(true);
    request.body() = body;
    request.prepare_payload();
    HttpResult result;
    http::response<http::string_body> response;
    stream_.expires_after(deadline);
    http::async_write(stream_, request, [&](beast::error_code ec, std::size_t) {
      if (ec) {
        result.error = ec;
        return;
      }
      http::async_read(stream_, buffer_, response, [&](beast::error_code read_ec, std::size_t) { result.error = read_ec; });
    });
    io_.restart();
    io_.run();
    result.status = static_cast<int>(response.result_int());
    result.content_type = std::string(response[http::field::content_type]);
    result.body = response.body();
    result.keep_alive = response.keep_alive();
    return result;
  }

  HttpResult post(const json& body, std::chrono::milliseconds deadline = kDeadline) {
    return send(http::verb::post, "/v1/responses", body.dump(), deadline);
  }

 private:
  asio::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

json prompt_body(const std::string& prompt, const std::string& model = "mock-model") {
  return {
      {"model", model},
      {"input",
       json::array(
           {{{"type", "message"}, {"role", "user"}, {"content", json::array({{{"type", "input_text"}, {"text", prompt}}})}}})},
      {"tools", json::array({{{"type", "function"}, {"name", "exec_command"}}})}};
}

bool has_event(const std::string& body, const std::string& type) {
  return body.find("event: " + type + "\n") != std::string::npos;
}

TEST(MockModelServerTest, AnswersDirectivesAsSseOverOneKeepAliveConnection) {
  MockModelServer server;
  ASSERT_NE(server.port(), 0);
  EXPECT_EQ(server.base_url(), "http://127.0.0.1:" + std::to_string(server.port()) + "/v1");
  Client client(server.port());

  const auto first = client.post(prompt_body("RUN: echo hi\nANSWER: ok"));
  ASSERT_FALSE(first.error) << first.error.message();
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.content_type, "text/event-stream");
  EXPECT_TRUE(first.keep_alive);
  EXPECT_TRUE(has_event(first.body, "response.completed"));
  EXPECT_NE(first.body.find(R"(\"cmd\":\"echo hi\")"), std::string::npos) << first.body;

  json second_body = prompt_body("RUN: echo hi\nANSWER: ok");
  second_body["input"].push_back({{"type", "function_call_output"}, {"call_id", "x"}, {"output", "hi"}});
  const auto second = client.post(second_body);  // same connection
  ASSERT_FALSE(second.error) << second.error.message();
  EXPECT_NE(second.body.find(R"("text":"ok")"), std::string::npos) << second.body;

  ASSERT_EQ(server.request_count(), 2u);
  const auto requests = server.requests();
  EXPECT_EQ(requests[0].path, "/v1/responses");
  EXPECT_EQ(requests[1].function_outputs_since_last_user(), std::vector<std::string>{"hi"});
  EXPECT_TRUE(server.unhandled_requests().empty());
}

TEST(MockModelServerTest, UnknownPathsGetJson404AndAreNotCountedAsModelRequests) {
  MockModelServer server;
  Client client(server.port());
  const auto result = client.send(http::verb::get, "/v1/models", "");
  ASSERT_FALSE(result.error) << result.error.message();
  EXPECT_EQ(result.status, 404);
  EXPECT_EQ(result.content_type, "application/json");
  EXPECT_TRUE(json::parse(result.body).contains("error"));
  EXPECT_EQ(server.request_count(), 0u);
  EXPECT_EQ(server.unhandled_requests(), std::vector<std::string>{"GET /v1/models"});
  const auto bad = client.send(http::verb::post, "/v1/responses", "{not json");
  EXPECT_EQ(bad.status, 400);
}

TEST(MockModelServerTest, HandlerRepliesFirstAndNulloptFallsBackToDirectives) {
  MockModelServer server;
  server.set_handler([](const ModelRequest& request) -> std::optional<Reply> {
    if (request.model() == "scripted") return Reply::http_error(503);
    return std::nullopt;
  });
  Client client(server.port());
  EXPECT_EQ(client.post(prompt_body("ANSWER: x", "scripted")).status, 503);
  const auto fallback = client.post(prompt_body("ANSWER: from directives"));
  EXPECT_EQ(fallback.status, 200);
  EXPECT_NE(fallback.body.find("from directives"), std::string::npos);

  server.set_handler([](const ModelRequest&) -> std::optional<Reply> { throw std::runtime_error("boom"); });
  const auto thrown = client.post(prompt_body("ANSWER: x"));
  EXPECT_EQ(thrown.status, 500);
  EXPECT_NE(thrown.body.find("boom"), std::string::npos);
}

TEST(MockModelServerTest, HungAndSleepingConnectionsDoNotBlockOthers) {
  MockModelServer server;
  // A hung request on its own thread/connection; it must end when the server stops.
  auto hung = std::async(std::launch::async, [port = server.port()] {
    Client client(port);
    return client.post(prompt_body("HANG"));
  });
  ASSERT_TRUE(server.wait_for_requests(1, kDeadline));

  Client sleeper(server.port());
  const auto started = std::chrono::steady_clock::now();
  const auto slow = sleeper.post(prompt_body("SLEEP_MS: 150\nANSWER: late"));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(slow.status, 200);
  EXPECT_GE(elapsed, 150ms);
  EXPECT_LT(elapsed, 5s);

  Client quick(server.port());
  EXPECT_EQ(quick.post(prompt_body("ANSWER: fast")).status, 200);
  EXPECT_EQ(hung.wait_for(0ms), std::future_status::timeout);

  const auto stop_started = std::chrono::steady_clock::now();
  server.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, 2s);
  ASSERT_EQ(hung.wait_for(kDeadline), std::future_status::ready);
  EXPECT_TRUE(hung.get().error);  // the connection was closed without an answer
  server.stop();                  // idempotent
  EXPECT_EQ(server.request_count(), 3u);
}

TEST(MockModelServerTest, ServesManyParallelConversations) {
  MockModelServer server;
  constexpr int kClients = 8;
  std::vector<std::future<std::string>> answers;
  for (int i = 0; i < kClients; ++i) {
    answers.push_back(std::async(std::launch::async, [port = server.port(), i] {
      Client client(port);
      return client.post(prompt_body("SLEEP_MS: 100\nANSWER: n" + std::to_string(i))).body;
    }));
  }
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < kClients; ++i) {
    ASSERT_EQ(answers[i].wait_for(kDeadline), std::future_status::ready);
    EXPECT_NE(answers[i].get().find("\"text\":\"n" + std::to_string(i) + "\""), std::string::npos);
  }
  // Concurrent delays overlap: far less than kClients * 100 ms.
  EXPECT_LT(std::chrono::steady_clock::now() - started, 700ms);
  EXPECT_EQ(server.request_count(), static_cast<std::size_t>(kClients));
}

TEST(MockModelServerTest, WaitForRequestsHonoursItsDeadline) {
  MockModelServer server;
  const auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(server.wait_for_requests(1, 50ms));
  EXPECT_GE(std::chrono::steady_clock::now() - started, 50ms);
}

}  // namespace
}  // namespace diary::test
