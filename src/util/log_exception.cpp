#include "util/log_exception.h"

#include <cstdio>

namespace diary::util {

std::string describe_exception(std::string_view what, std::exception_ptr error) {
  std::string message = "unknown exception";
  try {
    if (error) std::rethrow_exception(error);
  } catch (const std::exception& e) {
    message = e.what();
  } catch (...) {}
  return "diary: internal error in " + std::string(what) + ": " + message;
}

void LogException::operator()(std::exception_ptr error) const {
  if (!error) return;
  // stdio, not iostreams: this may run while a command is printing its own output.
  std::fprintf(stderr, "%s\n", describe_exception(what, error).c_str());
  if (on_failure) on_failure(error);
}

}  // namespace diary::util
