#include "codex/codex_agent_runner.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "codex/codex_args.h"
#include "codex/turn_collector.h"
#include "util/duration.h"

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

}  // namespace

CodexAgentRunner::CodexAgentRunner(std::shared_ptr<CodexBackend> backend, agent::AgentConfig config, RunnerTimeouts timeouts)
    : backend_(std::move(backend)), config_(std::move(config)), timeouts_(timeouts) {}

CodexAgentRunner::~CodexAgentRunner() {
  if (!thread_id_.empty()) backend_->forget_thread(thread_id_);
}

asio::awaitable<agent::Result<protocol::ThreadStartResponse>> CodexAgentRunner::open_thread(agent::ConversationStart& start) {
  CallOptions call;
  call.timeout = timeouts_.thread_start;
  if (config_.resume_conversation) {
    const std::string& wanted = *config_.resume_conversation;
    const std::string method = "thread/resume";
    const json params = thread_resume_params(config_, wanted);
    auto resumed = co_await backend_->rpc().call_as<protocol::ThreadStartResponse>(method, params, call);
    if (resumed && resumed->thread_id != wanted)
      co_return agent::fail(agent::ErrorKind::protocol,
                            fmt::format("thread/resume of {} answered with thread {}", wanted, resumed->thread_id));
    if (resumed) {
      start.resumed = true;
      co_return resumed;
    }
    // codex refused this thread ("no rollout found for thread id ..."): its history is gone or
    // lives in another CODEX_HOME. A dead or silent backend is not a refusal: that fails.
    if (resumed.error().kind != agent::ErrorKind::rpc) co_return std::unexpected(resumed.error());
    start.resume_failed = resumed.error().message;
  }
  const std::string method = "thread/start";
  const json params = thread_start_params(config_);
  co_return co_await backend_->rpc().call_as<protocol::ThreadStartResponse>(method, params, call);
}

asio::awaitable<agent::Result<agent::ConversationStart>> CodexAgentRunner::start_conversation() {
  auto self = shared_from_this();
  if (conversation_) co_return *conversation_;
  if (opening_) co_return agent::fail(agent::ErrorKind::busy, "the conversation is already being started");
  if (const auto& broken = backend_->unusable()) co_return std::unexpected(*broken);
  opening_ = true;
  OnExit reset{[this] { opening_ = false; }};
  agent::ConversationStart start;
  auto opened = co_await open_thread(start);
  if (!opened) co_return std::unexpected(opened.error());
  if (opened->thread_id.empty()) co_return agent::fail(agent::ErrorKind::protocol, "codex answered without a thread id");
  thread_id_ = opened->thread_id;
  // codex resolves the model: ours, a -c model=... override, or its configured default.
  if (opened->model) model_ = *opened->model;
  // Approval decisions are reported into whichever turn is running when they happen.
  event_forwarder_ = std::make_shared<std::function<void(agent::AgentTurnEvent)>>();
  std::weak_ptr<std::function<void(agent::AgentTurnEvent)>> forward = event_forwarder_;
  backend_->register_thread(thread_id_, ThreadHooks{config_.approval_handler, [forward](agent::AgentTurnEvent event) {
                                                      if (auto f = forward.lock(); f && *f) (*f)(std::move(event));
                                                    }});
  start.id = thread_id_;
  start.location = opened->rollout_path.value_or("");
  conversation_ = start;
  co_return start;
}

asio::awaitable<agent::Result<agent::AgentTurnResult>> CodexAgentRunner::turn(std::string prompt, agent::TurnOptions options) {
  auto self = shared_from_this();
  if (running_)
    co_return agent::fail(agent::ErrorKind::busy,
                          "a turn is already running on this runner; use another runner for concurrent work");
  if (const auto& broken = backend_->unusable()) co_return std::unexpected(*broken);
  running_ = true;
  interrupt_requested_ = false;
  ++turn_generation_;
  turn_id_.clear();
  OnExit reset{[this] {
    running_ = false;
    turn_id_.clear();
    collector_.reset();
  }};
  const auto started_at = Clock::now();
  const auto deadline = AsyncSlot<int>::deadline_after(options.timeout);

  if (auto thread = co_await start_conversation(); !thread) co_return std::unexpected(thread.error());
  if (interrupt_requested_)  // stopped while thread/start ran: never start the turn
    co_return agent::fail(agent::ErrorKind::cancelled, "interrupted before the turn started");

  std::weak_ptr<CodexBackend> weak_backend = backend_;
  auto collector = std::make_shared<TurnCollector>(backend_->executor(), options.on_event, [weak_backend](std::string_view what) {
    if (auto backend = weak_backend.lock()) backend->rpc().report_malformed(what);
  });
  collector_ = collector;
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
  auto started = co_await backend_->rpc().call_as<protocol::TurnStartResponse>(method, params, call);
  if (collector->done().ready() && !collector->done().peek()->has_value())  // given up by interrupt()
    co_return std::unexpected(collector->done().peek()->error());
  if (!started) {
    if (started.error().kind == agent::ErrorKind::timeout)
      co_return agent::fail(agent::ErrorKind::timeout,
                            "turn/start was not answered within " + util::format_duration(options.timeout));
    co_return std::unexpected(started.error());
  }
  turn_id_ = started->turn_id;
  if (turn_id_.empty()) co_return agent::fail(agent::ErrorKind::protocol, "turn/start answered without a turn id");
  backend_->router().bind_turn(thread_id_, turn_id_);
  if (interrupt_requested_) co_await send_interrupt();  // interrupt() re-sends it until the turn ends

  if (options.model) model_ = *options.model;  // an override holds from this turn on
  if (!co_await collector->done().wait_until(deadline)) {
    if (!co_await interrupt_until_settled(timeouts_.interrupt_grace)) {
      backend_->mark_broken(fmt::format("turn {} did not stop within {} of turn/interrupt", turn_id_,
                                        util::format_duration(timeouts_.interrupt_grace)));
    }
    // What the turn did until now (its events, the tokens its model requests used, its id) is
    // real and counts: the token budget and the ledger must see it.
    agent::AgentTurnResult timed_out = collector->result();
    timed_out.status = agent::TurnStatus::timed_out;
    timed_out.error = agent::TurnError{
        .kind = agent::ErrorKind::timeout,
        .message = fmt::format("turn timed out after {} and was interrupted", util::format_duration(options.timeout)),
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

bool CodexAgentRunner::settled() const { return !running_ || (collector_ && collector_->done().ready()); }

asio::awaitable<void> CodexAgentRunner::send_interrupt() {
  auto self = shared_from_this();
  if (turn_id_.empty() || settled()) co_return;
  CallOptions call;
  // Not longer than the re-send interval: an unanswered interrupt is simply sent again.
  call.timeout = std::min(timeouts_.interrupt_call, timeouts_.interrupt_resend);
  call.max_overload_retries = 0;
  const std::string method = "turn/interrupt";
  const json params = {{"threadId", thread_id_}, {"turnId", turn_id_}};
  co_await backend_->rpc().call(method, params, call);
}

asio::awaitable<bool> CodexAgentRunner::interrupt_until_settled(std::chrono::milliseconds bound) {
  auto self = shared_from_this();
  const std::uint64_t generation = turn_generation_;
  const auto give_up = Clock::now() + bound;
  asio::steady_timer pause(backend_->executor());
  // codex answers a turn/interrupt that arrives before it runs the turn (between the turn/start
  // answer and turn/started) and then ignores it: send it again until the turn really ends.
  while (generation == turn_generation_ && !settled() && Clock::now() < give_up) {
    co_await send_interrupt();
    if (generation != turn_generation_ || settled()) break;
    pause.expires_after(std::min<Clock::duration>(timeouts_.interrupt_resend, give_up - Clock::now()));
    boost::system::error_code ignored;
    co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  co_return generation != turn_generation_ || settled();
}

asio::awaitable<void> CodexAgentRunner::interrupt() {
  auto self = shared_from_this();
  if (!running_ || interrupt_requested_) co_return;
  interrupt_requested_ = true;
  const std::uint64_t generation = turn_generation_;
  if (co_await interrupt_until_settled(timeouts_.stop_bound) || generation != turn_generation_) co_return;
  // codex never confirmed: end the turn here, so the stop keeps its bound; mark_broken kills the
  // app-server (it may still run this turn), which ends every other turn on it too.
  const std::string why =
      fmt::format("the turn did not end within {} of turn/interrupt", util::format_duration(timeouts_.stop_bound));
  backend_->mark_broken(turn_id_.empty() ? why : fmt::format("turn {}: {}", turn_id_, why));
  if (collector_) collector_->fail(agent::Error{agent::ErrorKind::cancelled, "interrupted: " + why});
}

}  // namespace diary::codex
