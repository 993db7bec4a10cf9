#include "generate/offline/turn_records.h"

#include "generate/mcp/line_window.h"
#include "generate/mcp/session_pages.h"
#include "generate/prepare/json_skim.h"

namespace diary::generate::offline {

namespace {

// The working folder a record names: Codex session_meta / turn_context payload.cwd, a Claude
// Code record's cwd.
std::string cwd_of(std::string_view line) {
  static constexpr prepare::SkimPath paths[] = {{{"cwd"}, 1}, {{"payload", "cwd"}, 2}};
  prepare::SkimValue values[std::size(paths)];
  if (!prepare::skim_json(line, paths, values)) return {};
  for (const auto& value : values)
    if (auto text = value.string(); text && !text->empty()) return *text;
  return {};
}

}  // namespace

agent::Result<SessionRecords> read_turn_records(const std::filesystem::path& file, std::string_view source,
                                                const std::vector<workspace::TurnSpan>& turns) {
  SessionRecords out;
  for (const auto& turn : turns) out.turns.push_back({turn, {}});
  if (turns.empty()) return out;
  // The first line names the folder in both sources (session_meta; Claude's first records).
  auto first = mcp::visit_lines(file, 1, 1, 0, mcp::session_line_cap, [&](const mcp::VisitedLine& line) {
    out.cwd = cwd_of(line.text);
    return false;
  });
  if (!first) return std::unexpected(first.error());

  std::size_t current = 0;  // the turn the next lines may belong to
  auto walked = mcp::visit_lines(file, turns.front().start_line, turns.back().end_line, 0, mcp::session_line_cap,
                                 [&](const mcp::VisitedLine& line) {
                                   while (current < turns.size() && line.number > turns[current].end_line) ++current;
                                   if (current == turns.size()) return false;
                                   if (line.number < turns[current].start_line) return true;  // scaffolding between turns
                                   if (out.cwd.empty() && line.number == turns[current].start_line) out.cwd = cwd_of(line.text);
                                   if (auto record = mcp::compact_record(line.text, line.number, source, line.neighbours))
                                     out.turns[current].records.push_back(std::move(*record));
                                   return true;
                                 });
  if (!walked) return std::unexpected(walked.error());
  return out;
}

}  // namespace diary::generate::offline
