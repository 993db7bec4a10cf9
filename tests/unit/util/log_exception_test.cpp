// The completion handler for background coroutines: an exception is described (never dropped)
// and the owner's cleanup runs; a normal end does nothing.
#include "util/log_exception.h"

#include <stdexcept>

#include <gtest/gtest.h>

namespace diary::util {
namespace {

TEST(LogException, DescribesTheExceptionAndRunsTheCleanup) {
  const auto error = std::make_exception_ptr(std::runtime_error("reader broke"));
  EXPECT_EQ(describe_exception("the codex reader", error), "diary: internal error in the codex reader: reader broke");
  EXPECT_EQ(describe_exception("x", std::make_exception_ptr(42)), "diary: internal error in x: unknown exception");

  int cleanups = 0;
  auto handler = log_exception("the test", [&](std::exception_ptr) { ++cleanups; });
  handler(nullptr);  // the coroutine finished normally
  EXPECT_EQ(cleanups, 0);
  testing::internal::CaptureStderr();
  handler(error);
  const std::string logged = testing::internal::GetCapturedStderr();
  EXPECT_EQ(cleanups, 1);
  EXPECT_EQ(logged, "diary: internal error in the test: reader broke\n");
}

}  // namespace
}  // namespace diary::util
