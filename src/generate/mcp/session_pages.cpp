#include "generate/mcp/session_pages.h"

#include <utility>

#include <fmt/format.h>

#include "generate/mcp/session_compaction.h"
#include "generate/mcp/utf8_text.h"
#include "generate/mcp/line_window.h"

namespace diary::generate::mcp {

namespace {

using nlohmann::json;

std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

artifacts::Problem cursor_problem(std::string path, std::string message) {
  return {std::move(path), std::move(message), cursor_hint};
}

// Packs records into one page. Sizes are those of dump() of the final page, so the budget is
// exact: the page overhead with the widest cursor it could end with, plus every record's text
// and the commas between them.
class PageBuilder {
 public:
  PageBuilder(const PageRequest& request, std::size_t end_line) : request_(request) {
    const std::string widest_cursor = fmt::format(R"({{"line":{},"offset":{}}})", end_line, std::size_t(-1));
    overhead_ = dump(json{{"next_cursor", nullptr}, {"records", json::array()}}).size() - 4 + widest_cursor.size();
  }

  bool done() const { return done_ || problem_.has_value(); }
  const std::optional<artifacts::Problem>& problem() const { return problem_; }

  // Offers line `line` to the page; done() turns true once the page is full.
  void add(std::size_t line, std::string_view raw, const Neighbours& neighbours, bool truncated_line) {
    const bool resumes_here = request_.cursor && static_cast<std::size_t>(request_.cursor->line) == line;
    const std::size_t offset = resumes_here ? static_cast<std::size_t>(request_.cursor->offset) : 0;
    json record;
    std::string text;  // what fragments slice: the record's JSON text or the raw line
    if (request_.mode == ReadMode::compact) {
      auto compact = compact_record(raw, line, request_.source, neighbours);
      if (!compact) {
        if (offset > 0)
          problem_ =
              cursor_problem("/cursor/offset", fmt::format("line {} has no compact record (metadata lines are omitted), so the "
                                                           "cursor offset must be 0",
                                                           line));
        return;
      }
      if (truncated_line) compact->unavailable.push_back("line over 256 MiB, cut");
      record = to_json(*compact);
      text = dump(record);
    } else {
      text = repair_utf8(raw);
      record = {{"line", line}, {"raw_line", text}};
      if (truncated_line) record["truncated"] = true;
    }
    if (offset > 0) {
      const std::size_t total = char_count(text);
      if (offset >= total) {
        problem_ = cursor_problem("/cursor/offset", fmt::format("cursor offset {} is past the end of line {}'s "
                                                                "record ({} characters)",
                                                                offset, line, total));
        return;
      }
      add_fragments(line, text, offset);
      return;
    }
    const std::string serialized = request_.mode == ReadMode::compact ? text : dump(record);
    if (fits(serialized.size())) {
      take(std::move(record), serialized.size());
      return;
    }
    if (records_.empty()) {
      add_fragments(line, text, 0);
      return;
    }
    finish_at(line, 0);
  }

  json page() const {
    json cursor = next_cursor_ ? json{{"line", next_cursor_->first}, {"offset", next_cursor_->second}} : json(nullptr);
    return json{{"next_cursor", std::move(cursor)}, {"records", records_}};
  }

 private:
  bool fits(std::size_t bytes) const {
    const std::size_t separator = records_.empty() ? 0 : 1;
    return overhead_ + used_ + separator + bytes <= max_page_bytes;
  }

  void take(json record, std::size_t bytes) {
    used_ += bytes + (records_.empty() ? 0 : 1);
    records_.push_back(std::move(record));
  }

  void finish_at(std::size_t line, std::size_t offset) {
    next_cursor_ = {line, offset};
    done_ = true;
  }

  json fragment(std::size_t line, std::size_t offset, std::size_t total, std::string content) const {
    return json{{"line", line},
                {"record_format", request_.mode == ReadMode::compact ? "compact_json" : "raw_line"},
                {"offset", offset},
                {"total_chars", total},
                {"content", std::move(content)}};
  }

  // The fragment of `text` starting at character `offset` that fills the rest of the page: the
  // longest slice whose escaped JSON size fits, counted character by character.
  void add_fragments(std::size_t line, std::string_view text, std::size_t offset) {
    const std::size_t total = char_count(text);
    const std::size_t begin = byte_offset_of_char(text, offset);
    const std::size_t shell = dump(fragment(line, offset, total, "")).size();
    const std::size_t separator = records_.empty() ? 0 : 1;
    const std::size_t fixed = overhead_ + used_ + separator + shell;
    const std::size_t room = fixed < max_page_bytes ? max_page_bytes - fixed : 0;
    std::size_t at = begin, escaped = 0, chars = 0;
    while (at < text.size()) {
      std::size_t next = at + 1;
      while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) ++next;
      const std::size_t size = escaped_size(text.substr(at, next - at));
      // An empty page always takes at least one character.
      if (escaped + size > room && !(chars == 0 && records_.empty())) break;
      escaped += size;
      at = next;
      ++chars;
    }
    if (chars == 0) return finish_at(line, offset);
    take(fragment(line, offset, total, std::string(text.substr(begin, at - begin))), shell + escaped);
    if (offset + chars < total) finish_at(line, offset + chars);
  }

  // Bytes one character takes inside a JSON string as dump() writes it (UTF-8 kept, control
  // characters escaped).
  static std::size_t escaped_size(std::string_view character) {
    const auto lead = static_cast<unsigned char>(character.front());
    if (character.size() > 1) return character.size();
    switch (lead) {
      case '"':
      case '\\':
      case '\b':
      case '\t':
      case '\n':
      case '\f':
      case '\r': return 2;
      default: return lead < 0x20 ? 6 : 1;
    }
  }

  const PageRequest& request_;
  std::size_t overhead_ = 0;
  std::size_t used_ = 0;
  json records_ = json::array();
  std::optional<std::pair<std::size_t, std::size_t>> next_cursor_;
  bool done_ = false;
  std::optional<artifacts::Problem> problem_;
};

}  // namespace

agent::Result<PageOutcome> read_session_page(const std::filesystem::path& file, const PageRequest& request) {
  auto problem = [](std::string path, std::string message, const char* hint) -> agent::Result<PageOutcome> {
    return PageOutcome{artifacts::Problem{std::move(path), std::move(message), hint}, json()};
  };
  if (request.start_line < 1) return problem("/start_line", "start_line must be at least 1 (lines are 1-based)", range_hint);
  if (request.end_line < request.start_line)
    return problem("/end_line", fmt::format("end_line {} is before start_line {}", request.end_line, request.start_line),
                   range_hint);
  const auto start = static_cast<std::size_t>(request.start_line);
  const auto end = static_cast<std::size_t>(request.end_line);

  // A cursor outside the range is reported after the end-of-file checks, as the reference does;
  // the page is then not built at all.
  std::optional<artifacts::Problem> cursor_error;
  if (request.cursor) {
    const auto& cursor = *request.cursor;
    if (cursor.line < request.start_line || cursor.line > request.end_line)
      cursor_error = cursor_problem("/cursor/line",
                                    fmt::format("cursor line {} is outside the requested range {}-{}", cursor.line, start, end));
    else if (cursor.offset < 0) cursor_error = cursor_problem("/cursor/offset", "cursor offset must not be negative");
  }
  const bool serve = !cursor_error;
  const std::size_t first = serve && request.cursor ? static_cast<std::size_t>(request.cursor->line) : start;

  PageBuilder builder(request, end);
  auto total = visit_lines(file, first, serve ? end : 0, end, session_line_cap, [&](const VisitedLine& line) {
    builder.add(line.number, line.text, line.neighbours, line.truncated);
    return !builder.done();
  });
  if (!total) return std::unexpected(total.error());

  if (*total < start)
    return problem("/start_line", fmt::format("start_line {} is past the end of the session ({} lines)", start, *total),
                   range_hint);
  if (*total < end)
    return problem("/end_line", fmt::format("end_line {} is past the end of the session ({} lines)", end, *total), range_hint);
  if (cursor_error) return PageOutcome{std::move(cursor_error), json()};
  if (builder.problem()) return PageOutcome{builder.problem(), json()};
  return PageOutcome{std::nullopt, builder.page()};
}

}  // namespace diary::generate::mcp
