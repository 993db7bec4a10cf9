#include "generate/batch/batch_progress.h"
#include "util/terminal_text.h"

#include <gtest/gtest.h>

namespace diary::generate {
namespace {

using namespace std::chrono_literals;
using Clock = BatchProgressView::Clock;

BatchJobResult finished(std::size_t index, const std::string& name, RunStatus status, int turns,
                        std::chrono::milliseconds duration, std::string reason = {}) {
  JobResult job;
  job.name = name;
  job.status = status;
  job.turns.resize(static_cast<std::size_t>(turns));
  job.duration = duration;
  job.reason = std::move(reason);
  return BatchJobResult{.index = index, .name = name, .job = std::move(job)};
}

class BatchProgressTest : public ::testing::Test {
 protected:
  std::string written;
  int writes = 0;
  Clock::time_point now = Clock::time_point(1000s);

  BatchProgressView view(bool live, std::size_t width = 100, std::size_t max_rows = 20) {
    BatchProgressView::Options options;
    options.live = live;
    options.width = width;
    options.max_rows = max_rows;
    options.write = [this](std::string_view text) {
      written += text;
      ++writes;
    };
    options.now = [this] { return now; };
    return BatchProgressView({"alpha", "beta", "gamma"}, std::move(options));
  }
};

TEST_F(BatchProgressTest, PlainModeWritesOneLinePerEventWithTheJobName) {
  auto v = view(false);
  EXPECT_EQ(v.tick_interval(), 0ms);
  v.job_started(0);
  v.job_line(0, "turn 1 started (first)");
  v.job_turn(0, 1);
  v.tick();  // nothing to redraw in plain mode
  v.job_finished(0, finished(0, "alpha", RunStatus::complete, 1, 1500ms));
  v.job_started(1);
  v.job_finished(1, finished(1, "beta", RunStatus::incomplete, 3, 61s, "gave up after 3 consecutive turn(s) without progress"));
  v.batch_line("stopping: --fail-fast");
  v.finish();
  EXPECT_EQ(written,
            "diary: [alpha] started\n"
            "diary: [alpha] turn 1 started (first)\n"
            "diary: [alpha] complete (1 turn, 1.5s)\n"
            "diary: [beta] started\n"
            "diary: [beta] incomplete (3 turns, 1m 1s): gave up after 3 consecutive turn(s) without progress\n"
            "diary: stopping: --fail-fast\n");
  EXPECT_EQ(written.find('\x1b'), std::string::npos) << "no escapes outside a terminal";
}

TEST_F(BatchProgressTest, LiveFrameShowsRunningJobsAndTheTotalBar) {
  auto v = view(true);
  EXPECT_EQ(v.tick_interval(), 250ms);
  v.job_started(0);
  v.job_started(2);
  now += 12300ms;
  v.job_turn(0, 2);
  v.job_line(0, "turn 2: $ echo hi > b.txt");
  v.job_line(2, "checks: 2 failing, 1/3 artifacts ok");
  const auto frame = v.frame();
  ASSERT_EQ(frame.size(), 3u);
  EXPECT_EQ(frame[0], "  alpha  turn  2    12.3s  $ echo hi > b.txt");
  EXPECT_EQ(frame[1], "  gamma  turn  0    12.3s  checks: 2 failing, 1/3 artifacts ok");
  EXPECT_EQ(frame[2], "[........................] 0/3 done: 0 complete, 0 failed, 2 running, 1 pending  12.3s");

  v.job_finished(0, finished(0, "alpha", RunStatus::complete, 2, 12300ms));
  const auto after = v.frame();
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[1], "[########................] 1/3 done: 1 complete, 0 failed, 1 running, 1 pending  12.3s");
}

// The model's text reaches the view through event summaries: escape sequences in it must not
// reach the terminal (10.14); the view's own redraw sequences are the only ones written.
TEST_F(BatchProgressTest, ModelTextInALineIsShownWithoutControlBytes) {
  auto v = view(true);
  v.job_started(0);
  v.job_line(0, "turn 1: \x1b]0;pwned\x07\x1b[2Jclean\ttext");
  const auto frame = v.frame();
  ASSERT_FALSE(frame.empty());
  EXPECT_EQ(frame[0], "  alpha  turn  0      0ms  clean text");
}

TEST_F(BatchProgressTest, LiveRedrawReplacesThePreviousBlockInOneWrite) {
  auto v = view(true);
  v.job_started(0);  // no write: the next tick draws it
  EXPECT_EQ(writes, 0);
  v.tick();
  EXPECT_EQ(writes, 1);
  EXPECT_EQ(written.find("\x1b["), std::string::npos) << "nothing drawn before, nothing to erase";
  EXPECT_NE(written.find("  alpha  turn  0"), std::string::npos) << written;
  written.clear();

  v.job_finished(0, finished(0, "alpha", RunStatus::failed, 1, 2s, "the agent cannot continue"));
  EXPECT_EQ(writes, 2);
  // Up two rows (job + bar) and clear; the finished line stays above the new block (the bar).
  EXPECT_EQ(written.rfind("\x1b[2F\x1b[J", 0), 0u) << written;
  EXPECT_NE(written.find("[alpha] failed (1 turn, 2s): the agent cannot continue\n"), std::string::npos) << written;
  EXPECT_NE(written.find("1/3 done: 0 complete, 1 failed, 0 running, 2 pending"), std::string::npos) << written;
  written.clear();

  v.finish();
  EXPECT_EQ(written, "\x1b[1F\x1b[J") << "the live block is erased, nothing else";
  v.tick();
  EXPECT_EQ(written, "\x1b[1F\x1b[J") << "no redraw after finish";
}

TEST_F(BatchProgressTest, LiveLinesAreCutToTheTerminalWidthAndRowsAreCapped) {
  auto v = view(true, 40, 1);
  v.job_started(0);
  v.job_started(1);
  v.job_started(2);
  v.job_line(0, std::string(200, 'x'));
  const auto frame = v.frame();
  ASSERT_EQ(frame.size(), 3u);
  for (const auto& row : frame) EXPECT_LE(util::display_width(row), 39u) << row;  // columns, not bytes
  EXPECT_TRUE(frame[0].ends_with("\u2026")) << frame[0];
  EXPECT_EQ(frame[1], "  ... and 2 more running");
}

}  // namespace
}  // namespace diary::generate
