// CPU-bound work of a task (the --offline extractor, hashing, committing) moved off the
// pipeline's one io thread onto a thread pool, so a day of thousands of sessions uses every
// core. The coroutine resumes on its own executor afterwards, so everything else a task does
// (ledger, progress, the task graph) stays on the io thread. `work` must only touch what is safe
// from another thread: the shared const DayWorkspace, artifact files (flock per file), the turn
// hash cache (locked).
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace diary::generate::phases {

// Runs `work()` on `pool` (inline when there is none) and returns its value.
template <class Work>
boost::asio::awaitable<std::invoke_result_t<Work&>> run_cpu_work(const std::shared_ptr<boost::asio::thread_pool>& pool,
                                                                 Work work) {
  using Value = std::invoke_result_t<Work&>;
  if (!pool) co_return work();
  // GCC 12 coroutine rule: the spawned coroutine is bound to a named local before co_await.
  auto on_pool = [work = std::move(work)]() mutable -> boost::asio::awaitable<Value> { co_return work(); };
  auto spawned = boost::asio::co_spawn(pool->get_executor(), std::move(on_pool), boost::asio::use_awaitable);
  co_return co_await std::move(spawned);
}

}  // namespace diary::generate::phases
