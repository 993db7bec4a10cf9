// BackendHealth: one death per backend however many jobs report it and whenever they do, and a
// second death within the window gives up.
#include "generate/batch/backend_health.h"

#include <gtest/gtest.h>

namespace diary::generate {
namespace {

using namespace std::chrono_literals;
using Verdict = BackendHealth::Verdict;

TEST(BackendHealth, AJobOfTheDeadBackendReportingAfterTheReplacementStartedIsTheSameDeath) {
  BackendHealth health(1min);
  const auto t0 = BackendHealth::Clock::now();
  health.started();  // backend 1; jobs A and B run on it
  const std::size_t a_and_b = health.starts();
  EXPECT_EQ(health.died(a_and_b, t0), Verdict::restart);  // A reports
  health.started();                                       // job C starts backend 2
  EXPECT_EQ(health.died(a_and_b, t0 + 10ms), Verdict::known) << "B's late report of backend 1 is no second death";
  EXPECT_EQ(health.deaths(), 1u);
  EXPECT_EQ(health.died(health.starts(), t0 + 20ms), Verdict::give_up) << "backend 2 died within the window";
  EXPECT_EQ(health.deaths(), 2u);
}

TEST(BackendHealth, DeathsApartMoreThanTheWindowRestart) {
  BackendHealth health(1s);
  const auto t0 = BackendHealth::Clock::now();
  health.started();
  EXPECT_EQ(health.died(health.starts(), t0), Verdict::restart);
  health.started();
  EXPECT_EQ(health.died(health.starts(), t0 + 2s), Verdict::restart);
}

TEST(BackendHealth, WithoutStartReportsTheFirstDeathCountsOnce) {
  BackendHealth health;
  EXPECT_EQ(health.died(0), Verdict::restart);
  EXPECT_EQ(health.died(0), Verdict::known);
  EXPECT_EQ(health.deaths(), 1u);
}

}  // namespace
}  // namespace diary::generate
