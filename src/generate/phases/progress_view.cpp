#include "generate/phases/progress_view.h"
#include "util/duration.h"
#include "util/terminal_text.h"

#include <fmt/format.h>

namespace diary::generate::phases {

namespace {

constexpr const char* phase_order[] = {"evidence", "project", "daily", "render"};

}  // namespace

GenerateProgressView::GenerateProgressView(std::map<std::string, int> totals, Options options)
    : options_(std::move(options)), started_(options_.now()) {
  for (const auto& [phase, total] : totals) phases_[phase].total = total;
}

void GenerateProgressView::on_event(const ProgressEvent& event) {
  if (options_.mode == Mode::quiet) return;
  auto& counts = phases_[event.phase];
  switch (event.kind) {
    case ProgressEvent::Kind::task_start: ++counts.running; break;
    case ProgressEvent::Kind::task_done:
      --counts.running;
      if (event.status == "ok") ++counts.done;
      else if (event.status == "degraded") ++counts.degraded;
      else ++counts.failed;
      break;
    default: break;
  }
  if (options_.mode == Mode::log) {
    std::string line;
    const std::string label = event.label.empty() ? event.task_id : event.label;
    switch (event.kind) {
      case ProgressEvent::Kind::task_start: line = fmt::format("{}: start {}", event.phase, label); break;
      case ProgressEvent::Kind::task_done:
        line = fmt::format("{}: done {} [{}]{}", event.phase, label, event.status,
                           event.detail.empty() ? std::string() : " " + event.detail);
        break;
      case ProgressEvent::Kind::turn_committed: line = fmt::format("{}: committed {}", event.phase, label); break;
      case ProgressEvent::Kind::note: line = event.detail; break;
    }
    options_.write(util::terminal_line(line) + "\n");
    return;
  }
  if (event.kind == ProgressEvent::Kind::note) last_note_ = util::terminal_line(event.detail);
  redraw();
}

std::vector<std::string> GenerateProgressView::frame() const {
  std::vector<std::string> lines;
  for (const char* phase : phase_order) {
    auto found = phases_.find(phase);
    if (found == phases_.end() || found->second.total == 0) continue;
    const Counts& c = found->second;
    std::string line = fmt::format("  {:<9} {:>3}/{:<3} done", phase, c.done + c.degraded, c.total);
    if (c.running > 0) line += fmt::format("  {} running", c.running);
    if (c.degraded > 0) line += fmt::format("  {} offline-filled", c.degraded);
    if (c.failed > 0) line += fmt::format("  {} failed", c.failed);
    lines.push_back(line);
  }
  lines.push_back(fmt::format(
      "  elapsed {}{}", util::format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(options_.now() - started_)),
      last_note_.empty() ? std::string() : "  " + last_note_));
  return lines;
}

void GenerateProgressView::redraw() {
  std::string out;
  if (drawn_lines_ > 0) out += fmt::format("\033[{}F", drawn_lines_);  // back to the block's first line
  const auto lines = frame();
  for (const auto& line : lines) out += "\033[2K" + line + "\n";
  drawn_lines_ = lines.size();
  options_.write(out);
}

void GenerateProgressView::tick() {
  if (options_.mode == Mode::live) redraw();
}

void GenerateProgressView::finish() {
  if (options_.mode == Mode::live && drawn_lines_ > 0) redraw();
}

}  // namespace diary::generate::phases
