// A loopback mock of the OpenAI Responses API (POST /v1/responses, SSE answers) for hermetic
// codex runs. It owns one thread and io_context; replies come from a test's handler or else from
// the prompt directives (directives.h), or the demo agent (demo_agent.h) when so configured. All public members are thread-safe; the handler runs on
// the server thread and must not block (use Reply::after for delays).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/mock_model/model_request.h"
#include "support/mock_model/reply.h"

namespace diary::test {

struct MockModelOptions {
  std::uint16_t port = 0;     // 0 = an ephemeral port
  bool log_requests = false;  // one line per request on stderr
  bool demo_agent = false;    // answer as the scripted generate agent (demo_agent.h), not by directives
};

class MockModelServer {
 public:
  // Returns the reply for a request, or nullopt to fall back to the prompt directives.
  using Handler = std::function<std::optional<Reply>(const ModelRequest&)>;

  // Listens on 127.0.0.1 before returning (port() is valid at once); throws
  // boost::system::system_error when the port cannot be bound.
  explicit MockModelServer(MockModelOptions options = {});
  ~MockModelServer();
  MockModelServer(const MockModelServer&) = delete;
  MockModelServer& operator=(const MockModelServer&) = delete;

  std::uint16_t port() const;
  std::string base_url() const;  // "http://127.0.0.1:<port>/v1"

  void set_handler(Handler handler);

  // Every POST /v1/responses received so far, in arrival order (recorded before answering).
  std::vector<ModelRequest> requests() const;
  std::size_t request_count() const;
  // True once at least `count` model requests arrived; false if the deadline passed first.
  bool wait_for_requests(std::size_t count, std::chrono::steady_clock::time_point deadline) const;
  bool wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const;
  // "METHOD /path" of requests answered 404 (anything but POST /v1/responses).
  std::vector<std::string> unhandled_requests() const;

  // Closes the listener and every connection, hung ones included, and joins the thread.
  // Idempotent; the recorded requests stay readable afterwards.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace diary::test
