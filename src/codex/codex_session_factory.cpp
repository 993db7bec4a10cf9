#include "codex/codex_session_factory.h"

#include <cstdint>
#include <exception>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "codex/codex_binary.h"

namespace diary::codex {

namespace asio = boost::asio;

// One pool slot. `starting` lets concurrent create_runner calls for the same options wait for a
// single start instead of racing to spawn two processes: waiters park on `started`, a timer
// that is never armed, only cancelled (which wakes every waiter). A start that fails (also by
// throwing) leaves its error in `start_error`: the waiters of that start fail with it at once.
struct CodexAgentSessionFactory::Entry {
  explicit Entry(asio::any_io_executor executor) : started(executor, asio::steady_timer::time_point::max()) {}
  std::shared_ptr<CodexBackend> backend;
  std::weak_ptr<CodexBackend> spawning;  // the process of a start still in its handshake
  std::optional<agent::Error> start_error;
  std::uint64_t attempts = 0;  // starts begun; a waiter knows its start ended when this moved on
  bool starting = false;
  asio::steady_timer started;
};

CodexAgentSessionFactory::CodexAgentSessionFactory(asio::any_io_executor executor, CodexFactoryOptions options)
    : executor_(std::move(executor)), options_(std::move(options)) {}

CodexAgentSessionFactory::~CodexAgentSessionFactory() = default;

agent::AgentBackendOptions CodexAgentSessionFactory::effective(const agent::AgentBackendOptions& requested) const {
  agent::AgentBackendOptions out = requested == agent::AgentBackendOptions{} ? options_.backend : requested;
  if (out.binary.empty()) out.binary = options_.backend.binary.empty() ? options_.codex_binary : options_.backend.binary;
  return out;
}

asio::awaitable<agent::Result<std::shared_ptr<CodexBackend>>> CodexAgentSessionFactory::backend_for(
    const agent::AgentBackendOptions& requested) {
  if (shut_down_) co_return agent::fail(agent::ErrorKind::cancelled, "the session factory is shut down");
  const agent::AgentBackendOptions key = effective(requested);
  auto& slot = backends_[key];
  if (!slot) slot = std::make_shared<Entry>(executor_);
  auto entry = slot;  // keep it alive across suspension points
  // A stop after a failed start (a batch stops on the blocked job) keeps that start's cause.
  if (stop_starting_)
    co_return entry->start_error ? agent::Result<std::shared_ptr<CodexBackend>>(std::unexpected(*entry->start_error))
                                 : agent::fail(agent::ErrorKind::cancelled, "stopped: no new codex app-server starts");
  const std::uint64_t awaited = entry->attempts;
  bool waited = false;
  while (entry->starting) {
    waited = true;
    boost::system::error_code ignored;
    co_await entry->started.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  // The start we waited for failed: fail with its error now rather than start again at once.
  if (waited && entry->attempts == awaited && entry->start_error) co_return std::unexpected(*entry->start_error);
  if (shut_down_ || stop_starting_)  // the start we waited for was cut short by a stop
    co_return entry->start_error ? agent::Result<std::shared_ptr<CodexBackend>>(std::unexpected(*entry->start_error))
                                 : agent::fail(agent::ErrorKind::cancelled, "stopped while the codex app-server was starting");
  if (entry->backend && !entry->backend->unusable()) co_return entry->backend;
  if (entry->backend) {  // dead or broken: make sure it is gone before replacing it
    auto old = std::move(entry->backend);
    co_await old->shutdown(std::chrono::milliseconds(0));
  }

  auto binary = find_codex_binary(key.binary);
  if (!binary) co_return std::unexpected(binary.error());
  entry->starting = true;
  ++entry->attempts;
  entry->start_error.reset();
  BackendStartOptions start;
  start.binary = *binary;
  start.options = key;
  start.handshake_timeout = options_.handshake_timeout;
  start.stderr_log = options_.stderr_log;
  start.protocol_log = options_.warn;
  start.on_spawned = [weak_entry = std::weak_ptr<Entry>(entry)](const std::shared_ptr<CodexBackend>& spawned) {
    if (auto alive = weak_entry.lock()) alive->spawning = spawned;
  };
  agent::Result<std::shared_ptr<CodexBackend>> started = agent::fail(agent::ErrorKind::blocked, "not started");
  try {
    started = co_await CodexBackend::start(executor_, std::move(start));
  } catch (const std::exception& e) {
    // Nothing may leave the waiters asleep: a throwing start is a failed start like any other.
    started = agent::fail(agent::ErrorKind::blocked, std::string("codex app-server could not be started: ") + e.what());
  } catch (...) {
    started = agent::fail(agent::ErrorKind::blocked, "codex app-server could not be started: unknown exception");
  }
  entry->spawning.reset();
  entry->starting = false;
  if (!started) entry->start_error = started.error();
  entry->started.cancel();
  entry->started.expires_at(asio::steady_timer::time_point::max());
  if (shut_down_ || stop_starting_) {  // a stop overtook the start: nothing may run any more
    if (started) co_await (*started)->shutdown(std::chrono::milliseconds(0));
    co_return agent::fail(agent::ErrorKind::cancelled, "stopped while the codex app-server was starting");
  }
  if (!started) co_return std::unexpected(started.error());
  entry->backend = *started;
  ++backends_started_;
  if (!version_checked_) {
    // From the handshake, not `codex --version`: a second process would run in diary's own
    // environment and write below the user's ~/.codex even when the backend has its own home.
    version_checked_ = true;
    codex_version_ = version_from_user_agent(entry->backend->info().user_agent).value_or("unknown");
    if (codex_version_ != pinned_codex_version() && options_.warn)
      options_.warn(fmt::format("codex {} at {} differs from the tested version {}", codex_version_, binary->string(),
                                pinned_codex_version()));
  }
  if (options_.on_backend_started) options_.on_backend_started(entry->backend->info(), key);
  co_return entry->backend;
}

asio::awaitable<agent::Result<std::shared_ptr<agent::AgentRunner>>> CodexAgentSessionFactory::create_runner(
    agent::AgentConfig config) {
  auto backend = co_await backend_for(config.backend);
  if (!backend) co_return std::unexpected(backend.error());
  // The runner builds thread/start from the backend it really runs on (its tool server).
  config.backend = effective(config.backend);
  auto runner = std::make_shared<CodexAgentRunner>(*backend, std::move(config), options_.runner_timeouts);
  std::erase_if(runners_, [](const auto& weak) { return weak.expired(); });
  runners_.push_back(runner);
  co_return std::shared_ptr<agent::AgentRunner>(runner);
}

void CodexAgentSessionFactory::stop_starting() {
  stop_starting_ = true;
  for (auto& [key, entry] : backends_)
    if (auto spawning = entry->spawning.lock()) spawning->abort();
}

asio::awaitable<void> CodexAgentSessionFactory::shutdown() {
  // A second caller (e.g. the command after a SIGINT already started a shutdown) must not return
  // before the processes are gone; it waits on each backend's own shutdown below.
  shut_down_ = true;
  for (auto& weak : runners_)
    if (auto runner = weak.lock(); runner && runner->turn_running()) co_await runner->interrupt();
  auto entries = backends_;  // stable copy: backends_ must not change under the awaits
  stop_starting();           // a start still in its handshake is killed: backend_for reports the stop
  for (auto& [key, entry] : entries)
    if (auto backend = entry->backend) co_await backend->shutdown();
}

std::shared_ptr<CodexAgentSessionFactory> make_codex_session_factory(asio::any_io_executor executor,
                                                                     CodexFactoryOptions options) {
  return std::make_shared<CodexAgentSessionFactory>(std::move(executor), std::move(options));
}

}  // namespace diary::codex
