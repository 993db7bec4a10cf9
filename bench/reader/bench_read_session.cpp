// bench/reader: times `read_session_lines` pages on the first session of a prepared workspace
// (bench/reader/run.sh prepares one with a 64 MiB Codex session): the first page of a turn in the
// middle of the file and of the last turn, in compact and full mode, and a page of the file's very
// last line. Every call is the real tool call (workspace load, index lookup, scan, page), repeated;
// prints min / median / max wall time.
//
// usage: bench_read_session WORKSPACE [REPEATS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "generate/mcp/read_session_lines_tool.h"
#include "generate/workspace/day_workspace.h"

namespace {

using nlohmann::json;
using namespace diary::generate;

struct Case {
  std::string label;
  json arguments;
};

void time_case(const mcp::McpTool& tool, const mcp::ToolContext& context, const Case& c, int repeats) {
  std::vector<double> ms;
  std::size_t bytes = 0, records = 0;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    json result = tool.call(context, c.arguments);
    const auto stop = std::chrono::steady_clock::now();
    ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    if (!result.contains("records")) {
      std::fprintf(stderr, "%s: %s\n", c.label.c_str(), result.dump().c_str());
      return;
    }
    bytes = result.dump().size();
    records = result["records"].size();
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%-44s min %6.1f ms  median %6.1f ms  max %6.1f ms  (%zu records, %zu B page)\n", c.label.c_str(), ms.front(),
              ms[ms.size() / 2], ms.back(), records, bytes);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_read_session WORKSPACE [REPEATS]\n");
    return 2;
  }
  const int repeats = argc > 2 ? std::stoi(argv[2]) : 30;
  auto day = workspace::DayWorkspace::load(argv[1]);
  if (!day || day->projects().empty() || day->projects().front().sessions.empty()) {
    std::fprintf(stderr, "no session in %s\n", argv[1]);
    return 1;
  }
  const auto& project = day->projects().front();
  const auto& session = project.sessions.front();
  const auto file = day->session_file(project.project_key, session);
  std::size_t lines = 0;
  {
    std::FILE* in = std::fopen(file.c_str(), "rb");
    for (int c; (c = std::fgetc(in)) != EOF;) lines += c == '\n';
    std::fclose(in);
  }
  std::printf("session %s: %.1f MiB, %zu lines, %zu turns on the day\n", session.session_ref.c_str(),
              std::filesystem::file_size(file) / 1048576.0, lines, session.turns.size());
  const auto& middle = session.turns[session.turns.size() / 2];
  const auto& last = session.turns.back();
  auto args = [&](std::size_t start, std::size_t end, const char* mode) {
    return json{{"project_key", project.project_key},
                {"session_ref", session.session_ref},
                {"start_line", start},
                {"end_line", end},
                {"mode", mode}};
  };
  const std::vector<Case> cases = {
      {"middle turn " + std::to_string(middle.start_line) + "-" + std::to_string(middle.end_line) + ", compact",
       args(middle.start_line, middle.end_line, "compact")},
      {"middle turn, full", args(middle.start_line, middle.end_line, "full")},
      {"last turn " + std::to_string(last.start_line) + "-" + std::to_string(last.end_line) + ", compact",
       args(last.start_line, last.end_line, "compact")},
      {"last turn, full", args(last.start_line, last.end_line, "full")},
      {"last line " + std::to_string(lines) + ", compact", args(lines, lines, "compact")},
  };
  const mcp::McpTool tool = mcp::read_session_lines_tool();
  const mcp::ToolContext context{day->root()};
  for (const auto& c : cases) time_case(tool, context, c, repeats);
  return 0;
}
