// A per-job view of the batch's shared session factory, through the agent port only: it tells
// the batch when the job's turns start and when its backend died under it. The batch answers
// whether the job may go on: then the death (ErrorKind::process_exited) reaches the resume loop
// as is, and the loop resumes the job's conversation on a new backend; when the batch gives up
// (a second death within its restart window) the death becomes ErrorKind::backend_broken, which
// ends the job with the cause at once. shutdown() is a no-op: the batch owns the backend.
// Single-threaded, like the port.
#pragma once

#include <functional>
#include <memory>

#include "agent/agent_runner.h"

namespace diary::generate {

struct TrackingHooks {
  std::function<void(int turn)> on_turn_start;  // 1-based turn of this job
  // The app-server died under a turn; true: the job may resume on a new one (empty: it may not).
  std::function<bool(const agent::Error&)> on_backend_lost;
  std::function<void()> on_runner_created;  // a runner of this job was created
};

class TrackedSessionFactory : public agent::AgentSessionFactory {
 public:
  TrackedSessionFactory(agent::AgentSessionFactory& shared, TrackingHooks hooks)
      : shared_(shared), hooks_(std::make_shared<TrackingHooks>(std::move(hooks))) {}

  boost::asio::awaitable<agent::Result<std::shared_ptr<agent::AgentRunner>>> create_runner(agent::AgentConfig config) override;
  boost::asio::awaitable<void> shutdown() override;

 private:
  agent::AgentSessionFactory& shared_;
  std::shared_ptr<TrackingHooks> hooks_;
};

}  // namespace diary::generate
