// A counting semaphore for coroutines on one single-threaded executor: bounds how many
// conversations (or tasks) of one kind run at once. Waiters are woken in FIFO order. Not
// thread-safe (one executor, like the agent port).
#pragma once

#include <deque>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

namespace diary::generate::phases {

class AsyncSemaphore {
 public:
  AsyncSemaphore(boost::asio::any_io_executor executor, int count) : executor_(std::move(executor)), free_(count) {}

  // Waits for a unit; release() it when done (or hold a Permit).
  boost::asio::awaitable<void> acquire();
  void release();

  class Permit {
   public:
    explicit Permit(AsyncSemaphore& owner) : owner_(&owner) {}
    Permit(Permit&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
    Permit& operator=(Permit&&) = delete;
    ~Permit() {
      if (owner_) owner_->release();
    }

   private:
    AsyncSemaphore* owner_;
  };

  // acquire() and a Permit that releases on scope exit.
  boost::asio::awaitable<Permit> permit();

  int available() const { return free_; }

 private:
  boost::asio::any_io_executor executor_;
  int free_;
  struct Waiter {
    boost::asio::steady_timer timer;
    bool granted = false;
  };
  std::deque<std::shared_ptr<Waiter>> waiters_;
};

}  // namespace diary::generate::phases
