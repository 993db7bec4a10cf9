#include "generate/daily/slot_store.h"

#include <atomic>
#include <latch>
#include <thread>

#include <gtest/gtest.h>

#include "support/filled_daily_report.h"

namespace diary::generate::daily {
namespace {

using nlohmann::json;
using namespace testing;

// The daily passes run in parallel, each in its own process: every write is a locked
// read-modify-write, so no pass loses another's slot.
TEST(SlotStore, ParallelWritersOfDifferentSlotsLoseNothing) {
  test::ScratchDir dir;
  auto day = test::write_daily_day(dir.path());
  build(day.workspace);
  const auto index = load_index(day.workspace);
  const std::vector<std::pair<SlotRef, json>> writes = {
      {{SlotKind::project_summary, test::alpha_key}, cited("alpha", {alpha_t1()})},
      {{SlotKind::project_summary, test::beta_key}, cited("beta", {beta_t1()})},
      {{SlotKind::engagement, {}}, engagement_slot({alpha_t2()})},
      {{SlotKind::team_learning, {}}, team_learning_slot({beta_t1()})},
  };
  const std::string skeleton = test::read_file(day.workspace / "daily-report.json");
  // Every round starts from the empty skeleton and releases the four writers at once: a write
  // based on a stale read would drop another writer's slot in that very round.
  for (int round = 0; round < 25; ++round) {
    test::write_file(day.workspace / "daily-report.json", skeleton);
    std::latch start(static_cast<std::ptrdiff_t>(writes.size()));
    std::atomic<int> failures = 0;
    std::vector<std::thread> writers;
    for (const auto& write : writes)
      writers.emplace_back([&] {
        start.arrive_and_wait();
        auto stored = store_slot(index.workspace(), write.first, write.second);
        if (!stored || !stored->empty()) ++failures;
      });
    for (auto& writer : writers) writer.join();
    ASSERT_EQ(failures, 0);
    const json report = read_report(day.workspace);
    ASSERT_EQ(report["projects"][0]["summary"], writes[0].second) << "round " << round;
    ASSERT_EQ(report["projects"][1]["summary"], writes[1].second) << "round " << round;
    ASSERT_EQ(report["engagement_assessment"], writes[2].second) << "round " << round;
    ASSERT_EQ(report["team_learning"], writes[3].second) << "round " << round;
  }
}

TEST(SlotStore, AnOfflineWriteIsMarkedAndListedAndAModelWriteClearsIt) {
  test::ScratchDir dir;
  auto day = test::write_daily_day(dir.path());
  build(day.workspace);
  const auto index = load_index(day.workspace);
  const SlotRef slot{SlotKind::report_title, {}};
  ASSERT_TRUE(store_slot(index.workspace(), slot, cited("Needs a model", {alpha_t1()}), "no login"));
  json report = read_report(day.workspace);
  EXPECT_EQ(report["report_title"]["source"], "offline");
  EXPECT_EQ(report["offline_parts"], json::array({{{"task", "daily"}, {"slot", "report_title"}, {"reason", "no login"}}}));
  // a second offline write replaces the entry instead of adding one
  ASSERT_TRUE(store_slot(index.workspace(), slot, cited("Needs a model", {alpha_t1()}), "still no login"));
  EXPECT_EQ(read_report(day.workspace)["offline_parts"].size(), 1u);
  ASSERT_TRUE(store_slot(index.workspace(), slot, cited("Verbose flag shipped", {alpha_t1()})));
  report = read_report(day.workspace);
  EXPECT_EQ(report["report_title"], cited("Verbose flag shipped", {alpha_t1()}));
  EXPECT_EQ(report["offline_parts"], json::array());
}

}  // namespace
}  // namespace diary::generate::daily
