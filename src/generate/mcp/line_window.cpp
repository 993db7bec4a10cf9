#include "generate/mcp/line_window.h"

#include "generate/prepare/line_reader.h"

namespace diary::generate::mcp {

agent::Result<std::size_t> visit_lines(const std::filesystem::path& file, std::size_t first, std::size_t last,
                                       std::size_t count_to, std::size_t max_line_bytes,
                                       const std::function<bool(const VisitedLine&)>& visit) {
  // Mapped lines stay valid for the reader's lifetime, so neighbours are plain views.
  auto reader = prepare::LineReader::open(file, max_line_bytes, prepare::LineAccess::mapped);
  if (!reader) return std::unexpected(reader.error());
  struct Held {
    std::size_t number = 0;
    std::string_view text;
    bool truncated = false;
  };
  std::optional<Held> previous, pending;  // line n-1 and line n, offered once n+1 is known
  bool visiting = first >= 1 && first <= last;
  std::size_t total = 0;
  auto offer = [&](std::optional<std::string_view> next) {
    if (!pending) return;
    VisitedLine line{pending->number, pending->text, pending->truncated, {}};
    if (previous && previous->number + 1 == pending->number) line.neighbours.previous = previous->text;
    line.neighbours.next = next;
    if (!visit(line)) visiting = false;
    previous = pending;
    pending.reset();
  };
  while (true) {
    auto next = reader->next();
    if (!next) return std::unexpected(next.error());
    if (!*next) break;
    const std::size_t number = ++total;
    const Held line{number, (*next)->text, (*next)->truncated};
    if (visiting && number + 1 == first) previous = line;
    if (visiting && number >= first) {
      offer(line.text);
      if (!visiting || number > last) visiting = false;
      else pending = line;
    }
    if (!visiting && number >= count_to) break;
  }
  if (visiting) offer(std::nullopt);
  return total;
}

}  // namespace diary::generate::mcp
