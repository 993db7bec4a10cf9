// Completion handlers for detached coroutines (`co_spawn(ex, work(), log_exception("what"))`):
// Asio's `detached` drops an exception silently, and with it the fact that the work stopped
// (a reader that dies leaves its turn to time out). This handler says so on stderr, once per
// failure, and calls an optional cleanup that lets the owner react (fail what waited on it).
// Only `void` coroutines (signature void(std::exception_ptr)). Thread-safe: no shared state.
#pragma once

#include <exception>
#include <functional>
#include <string>
#include <string_view>

namespace diary::util {

// "diary: internal error in <what>: <message>" for the exception a coroutine ended with.
std::string describe_exception(std::string_view what, std::exception_ptr error);

struct LogException {
  std::string what;
  std::function<void(std::exception_ptr)> on_failure;  // runs after the log line, if set
  void operator()(std::exception_ptr error) const;
};

inline LogException log_exception(std::string what, std::function<void(std::exception_ptr)> on_failure = {}) {
  return LogException{std::move(what), std::move(on_failure)};
}

}  // namespace diary::util
