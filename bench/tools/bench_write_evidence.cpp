// bench/tools: how long write_evidence takes to judge one call, split into its parts:
//   validate    artifacts::validate_chain alone (the rules, no I/O)
//   hash        turn_inputs_sha256 (reads the turn's lines from the session copy)
//   rejected    a whole tool call that is rejected as a duplicate under the lock: workspace load,
//               validation, hash, lock, card read, commit_chain; nothing written
//   accepted    a whole accepted call (adds the atomic write: temp file, fsync, rename)
// for a small turn (4 short lines) and a large one (200 lines of 4 KiB). Target: one call's
// validation (everything but the write) < 1 ms.
// usage: bench_write_evidence SCRATCH_DIR [iterations]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>

#include <time.h>

#include <nlohmann/json.hpp>

#include "generate/artifacts/evidence_card.h"
#include "generate/artifacts/turn_inputs.h"
#include "generate/mcp/write_evidence_tool.h"
#include "generate/workspace/day_workspace.h"
#include "support/workspace_fixture.h"

namespace {

using nlohmann::json;
using namespace diary;

const std::string pk = "alpha-0123456789ab";

json chain_for(const std::string& turn_ref, std::size_t first, std::size_t last) {
  auto cite = [](std::size_t a, std::size_t b) {
    return json::array({{{"lines", std::to_string(a) + "-" + std::to_string(b)}}});
  };
  return {{"turn_ref", turn_ref},
          {"trigger",
           {{"type", "explicit_user_message"},
            {"summary", "The user asked for a change."},
            {"quoted_messages", json::array({{{"text", "Add a --verbose flag"}, {"citations", cite(first, first)}}})},
            {"citations", cite(first, first)}}},
          {"agent_reactions", json::array({{{"summary", "The agent edited the code."}, {"citations", cite(first + 1, last)}},
                                           {{"summary", "The agent ran the tests."}, {"citations", cite(last - 1, last)}}})},
          {"outcomes",
           json::array({{{"category", "code_outcome"}, {"summary", "The flag exists."}, {"citations", cite(last, last)}},
                        {{"category", "validation_outcome"}, {"summary", "Tests pass."}, {"citations", cite(last - 1, last)}}})},
          {"observed_checks",
           json::array({{{"type", "test_output"}, {"summary", "ctest passed."}, {"citations", cite(last - 1, last - 1)}}})},
          {"terminal_state", {{"type", "material_result"}, {"summary", "Done."}, {"citations", cite(last, last)}}},
          {"materiality", "material"}};
}

// Wall and CPU time per call, in microseconds. The CPU figure is what a loaded machine (the
// bench host is shared) cannot inflate; the wall figure includes waiting for the disk.
struct PerCall {
  double wall = 0;
  double cpu = 0;
};

double cpu_micros() {
  timespec now{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

PerCall micros_per_call(std::size_t iterations, const std::function<void()>& body) {
  body();  // warm up
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = cpu_micros();
  for (std::size_t i = 0; i < iterations; ++i) body();
  const std::chrono::duration<double, std::micro> elapsed = std::chrono::steady_clock::now() - start;
  const double n = static_cast<double>(iterations);
  return {elapsed.count() / n, (cpu_micros() - cpu_start) / n};
}

void run(const std::filesystem::path& root, const std::string& slug, const std::string& label, std::size_t lines_per_turn,
         std::size_t line_bytes, std::size_t iterations) {
  test::FixtureDay day;
  test::FixtureSession session{.session_ref = "S0001"};
  const std::string filler(line_bytes, 'x');
  for (std::size_t turn = 0; turn < 2; ++turn) {
    session.lines.push_back(test::codex_user_line("Add a --verbose flag"));
    for (std::size_t i = 1; i < lines_per_turn; ++i) session.lines.push_back(test::codex_assistant_line(filler));
    char ref[8];
    std::snprintf(ref, sizeof ref, "T%04zu", turn + 1);
    session.turns.push_back({ref, turn * lines_per_turn + 1, (turn + 1) * lines_per_turn});
  }
  day.projects = {test::FixtureProject{pk, "alpha", {session}}};
  std::filesystem::remove_all(root / slug);
  const auto workspace = test::write_fixture_workspace(root / slug, day);
  auto loaded = generate::workspace::DayWorkspace::load(workspace);
  if (!loaded) {
    std::fprintf(stderr, "%s\n", loaded.error().message.c_str());
    std::exit(1);
  }
  const auto& entry = *loaded->find_session(pk, "S0001");
  const json chain = chain_for("T0001", 1, lines_per_turn);
  const json args = {{"project_key", pk}, {"session_ref", "S0001"}, {"evidence_chain", chain}};
  const auto tool = generate::mcp::write_evidence_tool();
  const generate::mcp::ToolContext context{workspace};

  const PerCall validate = micros_per_call(iterations, [&] {
    if (!generate::artifacts::validate_chain(chain, *loaded, pk, "S0001", nullptr).empty()) std::abort();
  });
  const PerCall hash = micros_per_call(iterations, [&] {
    if (!generate::artifacts::turn_inputs_sha256(*loaded, pk, entry, entry.turns[0])) std::abort();
  });
  if (tool.call(context, args).value("status", "") != "appended") std::abort();
  const PerCall rejected = micros_per_call(iterations, [&] {
    if (tool.call(context, args).value("status", "") != "invalid") std::abort();
  });
  const std::size_t writes = std::min<std::size_t>(iterations, 200);
  const auto card = loaded->evidence_card(pk, "S0001");
  const PerCall accepted = micros_per_call(writes, [&] {
    std::filesystem::remove(card);
    if (tool.call(context, args).value("status", "") != "appended") std::abort();
  });
  std::printf("%s\n", label.c_str());
  for (const auto& [name, figure] :
       {std::pair{"validate_chain", validate}, std::pair{"turn hash", hash},
        std::pair{"rejected call (all but the write)", rejected}, std::pair{"accepted call", accepted}})
    std::printf("  %-34s wall %9.1f us   cpu %9.1f us\n", name, figure.wall, figure.cpu);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s SCRATCH_DIR [iterations]\n", argv[0]);
    return 2;
  }
  const std::filesystem::path root = argv[1];
  const std::size_t iterations = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 2000;
  run(root, "small", "small turn (4 lines, ~200 B each)", 4, 100, iterations);
  run(root, "large", "large turn (200 lines, 4 KiB each)", 200, 4096, iterations);
  return 0;
}
