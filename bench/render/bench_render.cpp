// bench/render: renders a synthetic day of N material work items (default 1,000), one turn
// each, spread over 20 projects, with realistic text lengths, an evidence card per session and
// full engagement / team-learning slots. Writes the workspace under <dir>, then times
//   load     DayWorkspace::load (metadata + indexes),
//   render   render_report end to end (daily-report.json + every card read and parsed, both
//            documents rendered, both written atomically with fsync),
//   memory   render_documents alone (best of 5),
// and prints the document sizes. Usage: bench_render <dir> [items]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/atomic_file.h"
#include "generate/artifacts/artifact_store.h"
#include "generate/render/render_report.h"
#include "util/text_file.h"
#include "generate/workspace/day_workspace.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace diary::generate;

std::string words(std::size_t count, std::size_t seed) {
  static const char* vocabulary[] = {"the",   "parser", "test", "agent",   "build",   "fixed", "report", "session", "turn",
                                     "cache", "lock",   "file", "changed", "checked", "user",  "asked",  "flag",    "output"};
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i) out += ' ';
    out += vocabulary[(seed * 7 + i * 13) % std::size(vocabulary)];
  }
  return out;
}

json citation(const std::string& pk, const std::string& sref, std::size_t line) {
  return {{"project_key", pk}, {"session_ref", sref}, {"turn_ref", "T0001"}, {"lines", fmt::format("{}-{}", line, line + 9)}};
}

void write(const fs::path& path, const std::string& text) {
  if (auto written = diary::util::write_file_atomically(path, text); !written) {
    std::fprintf(stderr, "bench_render: %s\n", written.error().c_str());
    std::exit(1);
  }
}

void generate(const fs::path& root, std::size_t items) {
  fs::remove_all(root);
  write(root / "metadata.json",
        json{{"schema_version", 1},
             {"report_date", "2026-11-30"},
             {"timezone", "UTC"},
             {"status", "final"},
             {"prepared_at", "2026-12-01T00:00:00Z"},
             {"report_window_local", {{"start", "2026-11-30T00:00:00+00:00"}, {"end", "2026-12-01T00:00:00+00:00"}}},
             {"report_window_utc", {{"start", "2026-11-30T00:00:00Z"}, {"end", "2026-12-01T00:00:00Z"}}}}
            .dump(2));
  constexpr std::size_t projects = 20;
  json report_projects = json::array();
  json all_citations = json::array();
  for (std::size_t p = 0; p < projects; ++p) {
    const std::string pk = fmt::format("project-{:02}-{:012x}", p, p * 7919);
    write(root / "projects" / pk / "project.json",
          json{{"schema_version", 1}, {"project_key", pk}, {"project_label", fmt::format("project {}", p)}}.dump(2));
    std::string index;
    json work_items = json::array(), messages = json::array();
    for (std::size_t i = p; i < items; i += projects) {
      const std::string sref = fmt::format("S{:04}", i / projects + 1);
      index += json{{"session_ref", sref},
                    {"source", "codex"},
                    {"source_session_id", sref},
                    {"session_path", "sessions/codex/" + sref + ".jsonl"},
                    {"target_start_line", 1},
                    {"target_end_line", 10},
                    {"turns", {{{"turn_ref", "T0001"}, {"turn_start_line", 1}, {"turn_end_line", 10}}}}}
                   .dump() +
               "\n";
      const json quote = words(40, i);
      const json chain = {
          {"turn_ref", "T0001"},
          {"trigger",
           {{"type", "explicit_user_message"},
            {"summary", words(18, i)},
            {"quoted_messages", {{{"text", quote}, {"citations", {{{"lines", "1-1"}}}}}}},
            {"citations", {{{"lines", "1-1"}}}}}},
          {"agent_reactions", {{{"summary", words(20, i + 1)}, {"citations", {{{"lines", "2-9"}}}}}}},
          {"outcomes", {{{"category", "code_outcome"}, {"summary", words(16, i + 2)}, {"citations", {{{"lines", "2-9"}}}}}}},
          {"observed_checks", {{{"type", "test_output"}, {"summary", words(12, i + 3)}, {"citations", {{{"lines", "10-10"}}}}}}},
          {"terminal_state", {{"type", "material_result"}, {"summary", words(10, i + 4)}, {"citations", {{{"lines", "10-10"}}}}}},
          {"materiality", "material"}};
      write(root / "projects" / pk / "evidence" / (sref + ".json"),
            json{{"schema_version", 1}, {"project_key", pk}, {"session_ref", sref}, {"evidence_chains", {chain}}}.dump(2));
      const json cite = citation(pk, sref, 1);
      if (all_citations.size() < 200) all_citations.push_back(cite);
      work_items.push_back({{"work_item_ref", fmt::format("W{:04}", work_items.size() + 1)},
                            {"title", words(8, i)},
                            {"kind", "material_work_item"},
                            {"disposition", "completed"},
                            {"confidence", "medium"},
                            {"covered_turns", {{{"session_ref", sref}, {"turn_ref", "T0001"}}}},
                            {"trigger_summary", words(18, i)},
                            {"agent_reaction_summary", words(24, i + 1)},
                            {"outcomes",
                             {{{"what_changed", words(16, i + 2)}, {"confidence", "medium"}, {"citations", {cite}}},
                              {{"what_changed", words(12, i + 5)}, {"confidence", "high"}, {"citations", {cite}}}}},
                            {"terminal_states", {{{"summary", words(10, i + 4)}, {"citations", {cite}}}}},
                            {"limits", {words(14, i + 6)}}});
      messages.push_back({{"session_ref", sref}, {"turn_ref", "T0001"}, {"messages", {quote}}});
    }
    write(root / "projects" / pk / "sessions.index.jsonl", index);
    report_projects.push_back(
        {{"project_key", pk},
         {"project_label", fmt::format("project {}", p)},
         {"summary", {{"text", words(40, p)}, {"citations", json::array({work_items[0]["outcomes"][0]["citations"][0]})}}},
         {"work_items", work_items},
         {"source_user_messages", messages}});
  }
  json observations = json::array(), patterns = json::array();
  for (std::size_t k = 0; k < 40; ++k) {
    const json cites = json::array({all_citations[k], all_citations[k + 40]});
    observations.push_back({{"dimension", std::vector<std::string>{"direction", "review", "correction", "recovery"}[k % 4]},
                            {"statement", words(22, k)},
                            {"citations", cites},
                            {"confidence", "medium"}});
    patterns.push_back({{"kind", std::vector<std::string>{"promote", "avoid", "reuse"}[k % 3]},
                        {"statement", words(14, k)},
                        {"rationale", words(20, k + 1)},
                        {"recurrence", "3 turns"},
                        {"citations", cites},
                        {"confidence", "low"}});
  }
  const json report = {
      {"schema_version", 1},
      {"report_date", "2026-11-30"},
      {"status", "final"},
      {"window", {{"start", "2026-11-30T00:00:00+00:00"}, {"end", "2026-12-01T00:00:00+00:00"}, {"timezone", "UTC"}}},
      {"generated_by", {{"model", "bench"}, {"provider", "synthetic"}, {"offline", false}}},
      {"report_title", {{"text", "A synthetic day of a thousand work items"}, {"citations", {all_citations[0]}}}},
      {"overall_confidence", "medium"},
      {"projects", report_projects},
      {"engagement_assessment",
       {{"overall_reading", {{"text", words(40, 1)}, {"citations", all_citations}, {"confidence", "medium"}}},
        {"observations", observations},
        {"limits", {words(12, 2)}}}},
      {"team_learning",
       {{"takeaways", {{"text", words(40, 3)}, {"citations", all_citations}, {"confidence", "medium"}}},
        {"patterns", patterns},
        {"limits", json::array()}}},
      {"offline_parts", json::array()}};
  write(root / "daily-report.json", artifacts::artifact_text(report));
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_render <dir> [items]\n");
    return 2;
  }
  const fs::path root = argv[1];
  const std::size_t items = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1000;
  generate(root, items);
  std::printf("input: %zu work items, %zu KiB daily-report.json\n", items,
              static_cast<std::size_t>(fs::file_size(root / "daily-report.json") / 1024));

  auto start = std::chrono::steady_clock::now();
  auto day = workspace::DayWorkspace::load(root);
  const double load = seconds_since(start);
  if (!day) {
    std::fprintf(stderr, "bench_render: %s\n", day.error().message.c_str());
    return 1;
  }
  std::vector<double> end_to_end;
  for (int run = 0; run < 5; ++run) {
    start = std::chrono::steady_clock::now();
    auto paths = render::render_report(*day);
    end_to_end.push_back(seconds_since(start));
    if (!paths) {
      std::fprintf(stderr, "bench_render: %s\n", paths.error().message.c_str());
      return 1;
    }
  }
  const auto report = json::parse(diary::util::read_text_file(root / "daily-report.json").value_or("{}"), nullptr, false);
  const auto evidence = render::evidence_from_workspace(*day);
  std::vector<double> memory;
  std::size_t md_bytes = 0, html_bytes = 0;
  for (int run = 0; run < 5; ++run) {
    start = std::chrono::steady_clock::now();
    auto documents = render::render_documents(report, evidence);
    memory.push_back(seconds_since(start));
    md_bytes = documents->markdown.size();
    html_bytes = documents->html.size();
  }
  std::sort(end_to_end.begin(), end_to_end.end());
  std::sort(memory.begin(), memory.end());
  std::printf("load workspace: %.3f s\n", load);
  std::printf(
      "render_report end to end (read report + %zu cards, render, write both): best %.3f s, median %.3f s, worst %.3f s\n", items,
      end_to_end.front(), end_to_end[2], end_to_end.back());
  std::printf("render_documents in memory: best %.3f s, median %.3f s\n", memory.front(), memory[2]);
  std::printf("output: report.md %.1f MiB, report.html %.1f MiB\n", md_bytes / 1048576.0, html_bytes / 1048576.0);
  return 0;
}
