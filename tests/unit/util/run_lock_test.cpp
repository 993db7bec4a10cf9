// RunLock: one holder at a time, the loser learns the holder's pid, the lock goes with its holder.
#include "util/run_lock.h"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace diary::util {
namespace {

TEST(RunLock, TheSecondClaimFailsNamingTheHolderUntilTheFirstIsReleased) {
  test::ScratchDir scratch;
  const auto path = scratch / "locks" / "job-x.lock";
  {
    auto first = RunLock::try_acquire(path);
    ASSERT_TRUE(first.has_value()) << first.error().message;
    auto second = RunLock::try_acquire(path);
    ASSERT_FALSE(second.has_value());
    EXPECT_FALSE(second.error().io_error);
    ASSERT_TRUE(second.error().holder.has_value());
    EXPECT_EQ(*second.error().holder, ::getpid());
    EXPECT_EQ(second.error().message, "held by pid " + std::to_string(::getpid()));
  }
  EXPECT_TRUE(RunLock::try_acquire(path).has_value()) << "a released lock must be free again";
}

TEST(RunLock, AKilledHolderLeavesNoStaleLock) {
  test::ScratchDir scratch;
  const auto path = scratch / "job.lock";
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t holder = ::fork();
  ASSERT_GE(holder, 0);
  if (holder == 0) {
    auto lock = RunLock::try_acquire(path);
    const char ok = lock ? '1' : '0';
    [[maybe_unused]] auto n = ::write(ready[1], &ok, 1);
    ::pause();
    ::_exit(0);
  }
  char ok = 0;
  ASSERT_EQ(::read(ready[0], &ok, 1), 1);
  ASSERT_EQ(ok, '1');
  auto busy = RunLock::try_acquire(path);
  ASSERT_FALSE(busy.has_value());
  EXPECT_EQ(busy.error().holder, holder);
  ::kill(holder, SIGKILL);
  int status = 0;
  ::waitpid(holder, &status, 0);
  EXPECT_TRUE(RunLock::try_acquire(path).has_value());
  ::close(ready[0]);
  ::close(ready[1]);
}

TEST(RunLock, AnUncreatableLockIsAnIoError) {
  auto lock = RunLock::try_acquire("/proc/diary-no-such-dir/x.lock");
  ASSERT_FALSE(lock.has_value());
  EXPECT_TRUE(lock.error().io_error);
}

}  // namespace
}  // namespace diary::util
