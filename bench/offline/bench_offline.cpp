// bench/offline: the offline extractor over a whole prepared workspace, as `diary generate
// --offline` runs it: every session's evidence card (one pass per session) on N worker threads,
// then every project's work items. With --per-turn each turn is extracted on its own (one pass
// up to the turn per turn, the graceful-degradation path). Prints what was made and the wall
// time; run it under /usr/bin/time -v for CPU and memory.
//
// usage: bench_offline WORKSPACE [THREADS] [--per-turn]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "generate/offline/evidence_chain.h"
#include "generate/offline/work_items.h"
#include "generate/prepare/parallel_for.h"
#include "generate/workspace/day_workspace.h"

int main(int argc, char** argv) {
  using namespace diary::generate;
  using nlohmann::json;
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_offline WORKSPACE [THREADS] [--per-turn]\n");
    return 2;
  }
  const unsigned threads = argc > 2 && argv[2][0] != '-' ? static_cast<unsigned>(std::stoi(argv[2])) : 2;
  const bool per_turn = argc > 2 && std::strcmp(argv[argc - 1], "--per-turn") == 0;
  const auto start = std::chrono::steady_clock::now();
  auto day = workspace::DayWorkspace::load(argv[1]);
  if (!day) {
    std::fprintf(stderr, "%s\n", day.error().message.c_str());
    return 1;
  }
  struct Job {
    const workspace::ProjectEntry* project;
    const workspace::SessionEntry* session;
  };
  std::vector<Job> jobs;
  for (const auto& project : day->projects())
    for (const auto& session : project.sessions) jobs.push_back({&project, &session});
  std::vector<json> cards(jobs.size());
  std::atomic<std::size_t> failures{0}, chains{0};
  prepare::parallel_for(jobs.size(), threads, [&](std::size_t i) {
    const auto& [project, session] = jobs[i];
    if (!per_turn) {
      auto card = offline::offline_evidence_card(*day, project->project_key, *session);
      if (!card) {
        ++failures;
        return;
      }
      chains += (*card)["evidence_chains"].size();
      cards[i] = std::move(*card);
      return;
    }
    json kept = json::array();
    for (const auto& turn : session->turns) {
      auto chain = offline::offline_chain(*day, project->project_key, *session, turn);
      if (!chain) ++failures;
      else if (!chain->is_null()) kept.push_back(std::move(*chain));
    }
    chains += kept.size();
    cards[i] = json{{"session_ref", session->session_ref}, {"evidence_chains", std::move(kept)}};
  });
  const auto extracted = std::chrono::steady_clock::now();
  std::size_t items = 0, material = 0, next = 0;
  for (const auto& project : day->projects()) {
    std::vector<json> project_cards(cards.begin() + static_cast<long>(next),
                                    cards.begin() + static_cast<long>(next + project.sessions.size()));
    next += project.sessions.size();
    const json made = offline::offline_work_items(*day, project.project_key, project_cards);
    items += made.size();
    for (const auto& item : made) material += item["kind"] == "material_work_item";
  }
  const auto done = std::chrono::steady_clock::now();
  auto seconds = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  std::printf(
      "%s, %u threads: %zu projects, %zu sessions, %zu turns -> %zu chains (%zu read errors), %zu work items "
      "(%zu material); extraction %.2f s, work items %.3f s, total %.2f s\n",
      per_turn ? "per turn" : "per session", threads, day->projects().size(), jobs.size(), day->turn_count(), chains.load(),
      failures.load(), items, material, seconds(start, extracted), seconds(extracted, done), seconds(start, done));
  return failures == 0 ? 0 : 1;
}
