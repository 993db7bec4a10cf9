#include "support/mock_model/mock_model_server.h"

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <sstream>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "support/mock_model/demo_agent.h"
#include "support/mock_model/directives.h"
#include "support/mock_model/reply_wire.h"

namespace diary::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

// codex sends the whole conversation every time; long sessions reach several MiB.
constexpr std::uint64_t kMaxBodyBytes = 256ull * 1024 * 1024;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// What one request gets: a reply to render (or hold back, for hang) and the bytes to send.
struct Decision {
  Reply reply;
  HttpAnswer answer;
};

std::string path_of(const http::request<http::string_body>& request) {
  std::string target(request.target());
  return target.substr(0, target.find('?'));
}

}  // namespace

struct MockModelServer::Impl {
  MockModelOptions options;
  std::uint16_t port = 0;

  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::vector<ModelRequest> requests;
  std::vector<std::string> unhandled;
  Handler handler;
  std::uint64_t sequence = 0;  // server thread only

  std::mutex stop_mutex;
  std::unique_ptr<asio::io_context> io = std::make_unique<asio::io_context>();
  std::thread thread;

  void log(const std::string& line) const {
    if (options.log_requests) std::fprintf(stderr, "diary-mock-model: %s\n", line.c_str());
  }

  Decision decide(const http::request<http::string_body>& request);
  Reply choose_reply(const ModelRequest& model_request);
  asio::awaitable<void> serve(tcp::socket socket);
  asio::awaitable<void> accept_loop(tcp::acceptor acceptor);
};

Reply MockModelServer::Impl::choose_reply(const ModelRequest& model_request) {
  Handler current;
  {
    std::lock_guard lock(mutex);
    current = handler;
  }
  if (current) {
    try {
      if (auto reply = current(model_request)) return *reply;
    } catch (const std::exception& error) {
      return Reply::http_error(500, std::string("mock model handler threw: ") + error.what());
    }
  }
  return options.demo_agent ? demo_agent_reply(model_request) : reply_from_directives(model_request);
}

Decision MockModelServer::Impl::decide(const http::request<http::string_body>& request) {
  const std::string path = path_of(request);
  if (request.method() != http::verb::post || path != "/v1/responses") {
    std::string what = std::string(request.method_string()) + " " + path;
    log(what + " -> 404");
    {
      std::lock_guard lock(mutex);
      unhandled.push_back(what);
    }
    return {Reply::http_error(404), json_error(404, "mock model: no route for " + what)};
  }
  if (request.count(http::field::content_encoding) != 0)
    return {Reply::http_error(415), json_error(415, "mock model: compressed request bodies are not supported")};
  auto body = nlohmann::json::parse(request.body(), nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return {Reply::http_error(400), json_error(400, "mock model: request body is not JSON")};

  ModelRequest model_request{path, std::move(body)};
  {
    std::lock_guard lock(mutex);
    requests.push_back(model_request);
  }
  changed.notify_all();

  Reply reply = choose_reply(model_request);
  Decision decision{reply, {}};
  if (reply.kind != Reply::Kind::hang) decision.answer = render_reply(reply, model_request, ++sequence);
  if (options.log_requests) {
    std::ostringstream line;
    PrintTo(model_request, &line);
    line << " -> ";
    PrintTo(reply, &line);
    log(line.str());
  }
  return decision;
}

asio::awaitable<void> MockModelServer::Impl::serve(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kMaxBodyBytes);
    auto [read_error, read_bytes] = co_await http::async_read(stream, buffer, parser, kUseTuple);
    if (read_error) co_return;  // the client closed the connection or sent garbage
    auto request = parser.release();
    Decision decision = decide(request);

    if (decision.reply.delay.count() > 0) {
      asio::steady_timer timer(stream.get_executor(), decision.reply.delay);
      co_await timer.async_wait(kUseTuple);
    }
    if (decision.reply.kind == Reply::Kind::hang) {
      // Hold the connection without answering until the client gives up or stop() runs.
      char byte = 0;
      co_await stream.socket().async_read_some(asio::buffer(&byte, 1), kUseTuple);
      co_return;
    }

    http::response<http::string_body> response{static_cast<http::status>(decision.answer.status), request.version()};
    response.set(http::field::server, "diary-mock-model");
    response.set(http::field::content_type, decision.answer.content_type);
    if (decision.answer.content_type == "text/event-stream") response.set(http::field::cache_control, "no-cache");
    response.keep_alive(request.keep_alive());
    response.body() = std::move(decision.answer.body);
    response.prepare_payload();
    auto [write_error, written] = co_await http::async_write(stream, response, kUseTuple);
    if (write_error || !response.keep_alive()) {
      beast::error_code ignored;
      stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
      co_return;
    }
  }
}

asio::awaitable<void> MockModelServer::Impl::accept_loop(tcp::acceptor acceptor) {
  for (;;) {
    auto [error, socket] = co_await acceptor.async_accept(kUseTuple);
    if (error == asio::error::operation_aborted) co_return;
    if (error) {
      // e.g. out of file descriptors: back off briefly instead of spinning.
      asio::steady_timer timer(acceptor.get_executor(), std::chrono::milliseconds(50));
      co_await timer.async_wait(kUseTuple);
      continue;
    }
    asio::co_spawn(acceptor.get_executor(), serve(std::move(socket)), [](std::exception_ptr failure) {
      if (!failure) return;
      try {
        std::rethrow_exception(failure);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "diary-mock-model: connection failed: %s\n", e.what());
      }
    });
  }
}

MockModelServer::MockModelServer(MockModelOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  tcp::acceptor acceptor(*impl_->io);
  const tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), options.port);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  impl_->port = acceptor.local_endpoint().port();
  asio::co_spawn(*impl_->io, impl_->accept_loop(std::move(acceptor)), asio::detached);
  impl_->thread = std::thread([io = impl_->io.get()] { io->run(); });
}

MockModelServer::~MockModelServer() { stop(); }

std::uint16_t MockModelServer::port() const { return impl_->port; }

std::string MockModelServer::base_url() const { return "http://127.0.0.1:" + std::to_string(impl_->port) + "/v1"; }

void MockModelServer::set_handler(Handler handler) {
  std::lock_guard lock(impl_->mutex);
  impl_->handler = std::move(handler);
}

std::vector<ModelRequest> MockModelServer::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

std::size_t MockModelServer::request_count() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests.size();
}

bool MockModelServer::wait_for_requests(std::size_t count, std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_until(lock, deadline, [&] { return impl_->requests.size() >= count; });
}

bool MockModelServer::wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const {
  return wait_for_requests(count, std::chrono::steady_clock::now() + timeout);
}

std::vector<std::string> MockModelServer::unhandled_requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->unhandled;
}

void MockModelServer::stop() {
  std::lock_guard lock(impl_->stop_mutex);
  if (!impl_->io) return;
  impl_->io->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
  // Destroying the io_context destroys every suspended connection coroutine, closing its socket:
  // hung and delayed connections end here without waiting for their timers.
  impl_->io.reset();
}

}  // namespace diary::test
