// Transport + router throughput: a CodexBackend on the fake app-server in `flood:N` mode, which
// writes N small notifications as fast as it can after the handshake. Reports notifications per
// second of wall time and per second of diary's own CPU time. Then one turn whose single item
// carries a 64 MiB line (BIGLINE), timed end to end.
// Usage: bench_transport FAKE_APP_SERVER [N]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "codex/codex_session_factory.h"

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

double cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

asio::awaitable<void> pause(std::chrono::milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  co_await timer.async_wait(asio::use_awaitable);
}

asio::awaitable<int> run(std::string fake, long count) {
  auto executor = co_await asio::this_coro::executor;
  diary::codex::BackendStartOptions flood;
  flood.binary = fake;
  flood.options.env["FAKE_APP_SERVER_MODE"] = "flood:" + std::to_string(count);
  const double cpu_before = cpu_seconds();
  const auto started = Clock::now();
  auto backend = co_await diary::codex::CodexBackend::start(executor, flood);
  if (!backend) {
    std::fprintf(stderr, "error: %s\n", backend.error().message.c_str());
    co_return 1;
  }
  // The fake ends the flood with one more notification (fake/floodDone).
  while ((*backend)->rpc().stats().notifications < static_cast<std::uint64_t>(count) + 1 && Clock::now() - started < 120s)
    co_await pause(1ms);
  const double wall = std::chrono::duration<double>(Clock::now() - started).count();
  const double cpu = cpu_seconds() - cpu_before;
  const auto received = (*backend)->rpc().stats().notifications;
  std::printf("flood: %llu notifications in %.3f s wall (%.0f/s), diary CPU %.3f s (%.0f/s per core)\n",
              static_cast<unsigned long long>(received), wall, received / wall, cpu, received / cpu);
  co_await (*backend)->shutdown();

  diary::codex::CodexFactoryOptions options;
  options.codex_binary = fake;
  auto factory = diary::codex::make_codex_session_factory(executor, options);
  const diary::agent::AgentConfig config;
  auto runner = co_await factory->create_runner(config);
  const std::string prompt = "BIGLINE:67108864";
  diary::agent::TurnOptions turn_options;
  turn_options.timeout = 60s;
  const auto big_started = Clock::now();
  const double big_cpu_before = cpu_seconds();
  auto result = co_await (*runner)->turn(prompt, turn_options);
  const double big_wall = std::chrono::duration<double>(Clock::now() - big_started).count();
  std::printf("bigline: 64 MiB item %s in %.3f s wall, diary CPU %.3f s\n", result && result->ok() ? "ok" : "FAILED", big_wall,
              cpu_seconds() - big_cpu_before);
  co_await factory->shutdown();
  co_return result && result->ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_transport FAKE_APP_SERVER [N]\n");
    return 2;
  }
  long count = argc > 2 ? std::stol(argv[2]) : 500000;
  asio::io_context io;
  int code = 1;
  asio::co_spawn(io, run(argv[1], count), [&](std::exception_ptr, int result) { code = result; });
  io.run();
  return code;
}
