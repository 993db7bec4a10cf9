#include "generate/phases/task_graph.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>

#include "support/fake_agent.h"

namespace diary::generate::phases {
namespace {

namespace asio = boost::asio;

struct Journal {
  std::vector<std::string> events;
  int running = 0;
  std::map<std::string, int> peak;
};

asio::awaitable<TaskOutcome> sleeper(Journal& journal, std::string id, std::string kind, int ms, TaskStatus status) {
  journal.events.push_back("start " + id);
  journal.peak[kind] = std::max(journal.peak[kind], ++journal.running);
  asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(ms));
  co_await timer.async_wait(asio::use_awaitable);
  --journal.running;
  journal.events.push_back("end " + id);
  co_return TaskOutcome{.status = status};
}

TEST(TaskGraph, AProjectStartsAsSoonAsItsOwnSessionsFinishNotAtAPhaseBarrier) {
  asio::io_context io;
  Journal journal;
  std::vector<PipelineTask> tasks{
      {.id = "evidence:a:S0001",
       .kind = "evidence",
       .run = [&] { return sleeper(journal, "ea", "evidence", 5, TaskStatus::ok); }},
      {.id = "evidence:b:S0001",
       .kind = "evidence",
       .run = [&] { return sleeper(journal, "eb", "evidence", 80, TaskStatus::ok); }},
      {.id = "project:a",
       .kind = "project",
       .needs = {"evidence:a:S0001"},
       .run = [&] { return sleeper(journal, "pa", "project", 5, TaskStatus::ok); }},
      {.id = "project:b",
       .kind = "project",
       .needs = {"evidence:b:S0001"},
       .run = [&] { return sleeper(journal, "pb", "project", 5, TaskStatus::ok); }},
  };
  auto outcomes = test::run_awaitable(io, run_task_graph(tasks, {}, {}, {}));
  ASSERT_EQ(outcomes.size(), 4u);
  auto at = [&](const std::string& event) {
    return std::find(journal.events.begin(), journal.events.end(), event) - journal.events.begin();
  };
  EXPECT_LT(at("end pa"), at("end eb"));  // project a did not wait for session b
  EXPECT_GT(at("start pb"), at("end eb"));
}

TEST(TaskGraph, DependentsRunAfterAFailureAndLimitsHoldPerKind) {
  asio::io_context io;
  Journal journal;
  std::vector<PipelineTask> tasks;
  for (int i = 0; i < 6; ++i) {
    const std::string id = "evidence:p:S000" + std::to_string(i);
    tasks.push_back({.id = id, .kind = "evidence", .run = [&, id, i] {
                       return sleeper(journal, id, "evidence", 10, i == 0 ? TaskStatus::failed : TaskStatus::ok);
                     }});
  }
  std::vector<std::string> all;
  for (const auto& task : tasks) all.push_back(task.id);
  tasks.push_back({.id = "project:p", .kind = "project", .needs = all, .run = [&] {
                     return sleeper(journal, "project", "project", 1, TaskStatus::ok);
                   }});
  auto outcomes = test::run_awaitable(io, run_task_graph(tasks, {{"evidence", 2}}, {}, {}));
  EXPECT_EQ(journal.peak["evidence"], 2);
  EXPECT_EQ(outcomes["evidence:p:S0000"].status, TaskStatus::failed);
  EXPECT_EQ(outcomes["project:p"].status, TaskStatus::ok);  // ran on what the sessions produced
  EXPECT_EQ(journal.events.back(), "end project");
}

TEST(TaskGraph, AStopStartsNothingNewAndAnUnknownDependencyFailsItsTask) {
  asio::io_context io;
  Journal journal;
  std::stop_source stop;
  std::vector<PipelineTask> tasks{
      {.id = "a",
       .kind = "evidence",
       .run = [&]() -> asio::awaitable<TaskOutcome> {
         stop.request_stop();
         co_return TaskOutcome{};
       }},
      {.id = "b", .kind = "project", .needs = {"a"}, .run = [&] { return sleeper(journal, "b", "project", 1, TaskStatus::ok); }},
      {.id = "c",
       .kind = "project",
       .needs = {"zzz"},
       .run = [&] { return sleeper(journal, "c", "project", 1, TaskStatus::ok); }},
  };
  auto outcomes = test::run_awaitable(io, run_task_graph(tasks, {}, {}, stop.get_token()));
  EXPECT_EQ(outcomes["a"].status, TaskStatus::ok);
  EXPECT_EQ(outcomes["b"].status, TaskStatus::interrupted);
  EXPECT_EQ(outcomes["c"].status, TaskStatus::failed);
  EXPECT_TRUE(journal.events.empty());
}

TEST(TaskGraph, AnExceptionInATaskBecomesAFailedOutcomeNotACrash) {
  asio::io_context io;
  std::vector<PipelineTask> tasks{{.id = "boom", .kind = "daily", .run = []() -> asio::awaitable<TaskOutcome> {
                                     throw std::runtime_error("kaput");
                                     co_return TaskOutcome{};
                                   }}};
  auto outcomes = test::run_awaitable(io, run_task_graph(tasks, {}, {}, {}));
  EXPECT_EQ(outcomes["boom"].status, TaskStatus::failed);
  ASSERT_EQ(outcomes["boom"].errors.size(), 1u);
  EXPECT_NE(outcomes["boom"].errors[0].find("kaput"), std::string::npos);
}

}  // namespace
}  // namespace diary::generate::phases
