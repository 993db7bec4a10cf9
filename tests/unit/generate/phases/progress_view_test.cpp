#include "generate/phases/progress_view.h"

#include <gtest/gtest.h>

namespace diary::generate::phases {
namespace {

using Kind = ProgressEvent::Kind;

TEST(ProgressView, LogLinesNameTheTaskAndItsStatusButNoTranscriptText) {
  std::string out;
  GenerateProgressView view({{"evidence", 2}},
                            {.mode = GenerateProgressView::Mode::log, .write = [&](std::string_view text) { out += text; }});
  view.on_event({.kind = Kind::task_start, .phase = "evidence", .task_id = "evidence:pk:S0001", .label = "pk/S0001"});
  view.on_event(
      {.kind = Kind::task_done, .phase = "evidence", .task_id = "evidence:pk:S0001", .label = "pk/S0001", .status = "ok"});
  view.on_event({.kind = Kind::task_done,
                 .phase = "evidence",
                 .task_id = "evidence:pk:S0002",
                 .label = "pk/S0002",
                 .status = "failed",
                 .detail = "S0002/T0001: gave up"});
  EXPECT_EQ(out,
            "evidence: start pk/S0001\n"
            "evidence: done pk/S0001 [ok]\n"
            "evidence: done pk/S0002 [failed] S0002/T0001: gave up\n");
}

TEST(ProgressView, QuietPrintsNothing) {
  std::string out;
  GenerateProgressView view({{"evidence", 1}},
                            {.mode = GenerateProgressView::Mode::quiet, .write = [&](std::string_view text) { out += text; }});
  view.on_event({.kind = Kind::task_start, .phase = "evidence", .label = "pk/S0001"});
  view.tick();
  view.finish();
  EXPECT_TRUE(out.empty());
}

TEST(ProgressView, TheLiveBlockCountsPerPhaseAndRedrawsInPlace) {
  std::string out;
  auto now = GenerateProgressView::Clock::time_point{};
  GenerateProgressView view({{"evidence", 3}, {"project", 1}, {"daily", 1}, {"render", 1}},
                            {.mode = GenerateProgressView::Mode::live,
                             .write = [&](std::string_view text) { out += text; },
                             .now = [&] { return now; }});
  view.on_event({.kind = Kind::task_start, .phase = "evidence"});
  view.on_event({.kind = Kind::task_start, .phase = "evidence"});
  view.on_event({.kind = Kind::task_done, .phase = "evidence", .status = "ok"});
  view.on_event({.kind = Kind::task_done, .phase = "evidence", .status = "failed"});
  now += std::chrono::seconds(75);
  const auto frame = view.frame();
  ASSERT_EQ(frame.size(), 5u);
  EXPECT_EQ(frame[0], "  evidence    1/3   done  1 failed");
  EXPECT_EQ(frame[1], "  project     0/1   done");
  EXPECT_EQ(frame[4], "  elapsed 1m 15s");
  out.clear();
  view.tick();
  EXPECT_EQ(out.rfind("\033[5F", 0), 0u);  // back up over the five lines drawn before
}

}  // namespace
}  // namespace diary::generate::phases
