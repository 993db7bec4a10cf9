#include "generate/phases/async_semaphore.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace diary::generate::phases {

namespace asio = boost::asio;

asio::awaitable<void> AsyncSemaphore::acquire() {
  if (free_ > 0 && waiters_.empty()) {
    --free_;
    co_return;
  }
  auto waiter = std::make_shared<Waiter>(Waiter{asio::steady_timer(executor_, asio::steady_timer::time_point::max())});
  waiters_.push_back(waiter);
  while (!waiter->granted) {
    boost::system::error_code ignored;
    co_await waiter->timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

void AsyncSemaphore::release() {
  if (waiters_.empty()) {
    ++free_;
    return;
  }
  // Hand the unit straight to the oldest waiter, so a newcomer cannot overtake it.
  auto waiter = waiters_.front();
  waiters_.pop_front();
  waiter->granted = true;
  waiter->timer.cancel();
}

asio::awaitable<AsyncSemaphore::Permit> AsyncSemaphore::permit() {
  co_await acquire();
  co_return Permit(*this);
}

}  // namespace diary::generate::phases
