// A per-job view of the batch's shared session factory, through the agent port only: it tells
// the batch when the job's turns start and when its backend died under it, and it turns that
// death (ErrorKind::process_exited) into ErrorKind::backend_broken, so the resume loop records
// the job as failed with the cause at once instead of retrying on a runner whose app-server is
// gone (the next job gets a new one). shutdown() is a no-op: the batch owns the backend.
// Single-threaded, like the port.
#pragma once

#include <functional>
#include <memory>

#include "agent/agent_runner.h"

namespace diary::generate {

struct TrackingHooks {
  std::function<void(int turn)> on_turn_start;               // 1-based turn of this job
  std::function<void(const agent::Error&)> on_backend_lost;  // the app-server died under a turn
  std::function<void()> on_runner_created;                   // a runner of this job was created
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
