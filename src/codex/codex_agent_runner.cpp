#include "codex/codex_agent_runner.h"

#include <fmt/format.h>

#include "codex/codex_args.h"
#include "codex/turn_collector.h"

namespace diary::codex {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

// Restores a flag and runs cleanup however the coroutine leaves (co_return on any path).
template <class F>
struct OnExit {
  F f;
  ~OnExit() { f(); }
};
template <class F>
OnExit(F) -> OnExit<F>;

std::chrono::milliseconds remaining(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return std::max(left, std::chrono::milliseconds(1));
}

std::string seconds_text(std::chrono::milliseconds duration) {
  return fmt::format("{:g}s", static_cast<double>(duration.count()) / 1000.0);
}

}  // namespace

CodexAgentRunner::CodexAgentRunner(std::shared_ptr<CodexBackend> backend, agent::AgentConfig config,
                                   RunnerTimeouts timeouts)
    : backend_(std::move(backend)), config_(std::move(config)), timeouts_(timeouts) {}

CodexAgentRunner::~CodexAgentRunner() {
  if (!thread_id_.empty()) backend_->forget_thread(thread_id_);
}

asio::awaitable<agent::Result<void>> CodexAgentRunner::ensure_thread() {
  if (!thread_id_.empty()) co_return agent::Result<void>{};
  CallOptions call;
  call.timeout = timeouts_.thread_start;
  const std::string method = "thread/start";
  const json params = thread_start_params(config_);
  auto started = co_await backend_->rpc().call(method, params, call);
  if (!started) co_return std::unexpected(started.error());
  std::string id = (*started).contains("thread") ? (*started)["thread"].value("id", "") : "";
  if (id.empty()) co_return agent::fail(agent::ErrorKind::protocol, "thread/start answered without a thread id");
  thread_id_ = id;
  // codex resolves the model: ours, a -c model=... override, or its configured default.
  if (auto model = started->find("model"); model != started->end() && model->is_string()) model_ = *model;
  // Approval decisions are reported into whichever turn is running when they happen.
  event_forwarder_ = std::make_shared<std::function<void(agent::AgentTurnEvent)>>();
  std::weak_ptr<std::function<void(agent::AgentTurnEvent)>> forward = event_forwarder_;
  backend_->register_thread(thread_id_, ThreadHooks{config_.approval_handler, [forward](agent::AgentTurnEvent event) {
                                                      if (auto f = forward.lock(); f && *f) (*f)(std::move(event));
                                                    }});
  co_return agent::Result<void>{};
}

asio::awaitable<agent::Result<agent::AgentTurnResult>> CodexAgentRunner::turn(std::string prompt,
                                                                              agent::TurnOptions options) {
  auto self = shared_from_this();
  if (running_)
    co_return agent::fail(agent::ErrorKind::busy,
                          "a turn is already running on this runner; use another runner for concurrent work");
  if (const auto& broken = backend_->unusable()) co_return std::unexpected(*broken);
  running_ = true;
  interrupt_requested_ = interrupt_sent_ = false;
  turn_id_.clear();
  OnExit reset{[this] {
    running_ = false;
    turn_id_.clear();
  }};
  const auto started_at = Clock::now();
  const auto deadline = AsyncSlot<int>::deadline_after(options.timeout);

  if (auto thread = co_await ensure_thread(); !thread) co_return std::unexpected(thread.error());

  auto collector = std::make_shared<TurnCollector>(backend_->executor(), options.on_event);
  *event_forwarder_ = [collector](agent::AgentTurnEvent event) { collector->add_event(std::move(event)); };
  backend_->router().attach(thread_id_, collector.get());
  backend_->turn_began();
  OnExit detach{[this] {
    backend_->router().detach(thread_id_);
    backend_->turn_ended();
    if (event_forwarder_) *event_forwarder_ = nullptr;
  }};

  CallOptions call;
  call.timeout = remaining(deadline);
  const std::string method = "turn/start";
  const json params = turn_start_params(thread_id_, prompt, options);
  auto started = co_await backend_->rpc().call(method, params, call);
  if (!started) {
    if (started.error().kind == agent::ErrorKind::timeout)
      co_return agent::fail(agent::ErrorKind::timeout,
                            "turn/start was not answered within " + seconds_text(options.timeout));
    co_return std::unexpected(started.error());
  }
  turn_id_ = (*started).contains("turn") ? (*started)["turn"].value("id", "") : "";
  if (turn_id_.empty()) co_return agent::fail(agent::ErrorKind::protocol, "turn/start answered without a turn id");
  backend_->router().bind_turn(thread_id_, turn_id_);
  if (interrupt_requested_) co_await send_interrupt();

  if (options.model) model_ = *options.model;  // an override holds from this turn on
  if (!co_await collector->done().wait_until(deadline)) {
    co_await send_interrupt();
    if (!co_await collector->done().wait_for(timeouts_.interrupt_grace)) {
      backend_->mark_broken(fmt::format("turn {} did not stop within {} of turn/interrupt", turn_id_,
                                        seconds_text(timeouts_.interrupt_grace)));
    }
    // What the turn did until now (its events, the tokens its model requests used, its id) is
    // real and counts: the token budget and the ledger must see it.
    agent::AgentTurnResult timed_out = collector->result();
    timed_out.status = agent::TurnStatus::timed_out;
    timed_out.error = agent::TurnError{
        .kind = agent::ErrorKind::timeout,
        .message = fmt::format("turn timed out after {} and was interrupted", seconds_text(options.timeout)),
        .cause = agent::FailureCause::timeout};
    timed_out.model = model_;
    timed_out.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_at);
    if (timed_out.turn_id.empty()) timed_out.turn_id = turn_id_;
    co_return timed_out;
  }
  const auto& settled = *collector->done().peek();
  if (!settled) co_return std::unexpected(settled.error());

  agent::AgentTurnResult result = collector->result();
  result.model = model_;
  result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_at);
  if (result.turn_id.empty()) result.turn_id = turn_id_;
  if (options.output_schema && result.status == agent::TurnStatus::completed && !result.error) {
    auto parsed = nlohmann::json::parse(result.assistant_text, nullptr, false);
    if (parsed.is_discarded()) {
      result.error = agent::TurnError{agent::ErrorKind::invalid_output,
                                      "the final message is not valid JSON although an output schema was given"};
    } else {
      result.structured_output = std::move(parsed);
    }
  }
  co_return result;
}

asio::awaitable<void> CodexAgentRunner::send_interrupt() {
  auto self = shared_from_this();
  if (interrupt_sent_ || turn_id_.empty()) co_return;
  interrupt_sent_ = true;
  CallOptions call;
  call.timeout = timeouts_.interrupt_call;
  call.max_overload_retries = 2;
  const std::string method = "turn/interrupt";
  const json params = {{"threadId", thread_id_}, {"turnId", turn_id_}};
  co_await backend_->rpc().call(method, params, call);
}

asio::awaitable<void> CodexAgentRunner::interrupt() {
  if (!running_) co_return;
  interrupt_requested_ = true;
  co_await send_interrupt();  // no-op until the turn id is known; turn() sends it then
}

}  // namespace diary::codex
