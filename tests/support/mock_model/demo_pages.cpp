#include "support/mock_model/demo_pages.h"

#include "support/mock_model/demo_conversation.h"

namespace diary::test::demo {

namespace {

using nlohmann::json;

bool is_fragment(const json& record) { return record.is_object() && record.contains("record_format"); }

// Unicode characters in UTF-8 text (the fragment offsets count characters).
long long characters(const std::string& text) {
  long long count = 0;
  for (unsigned char byte : text)
    if ((byte & 0xC0) != 0x80) ++count;
  return count;
}

}  // namespace

PagesRead assemble_pages(const std::vector<json>& pages) {
  PagesRead read;
  // A record in pieces: its line, the text so far, how long it will be.
  struct Pending {
    long long line = -1;
    std::string format;
    std::string text;
    long long total = 0;
  };
  std::optional<Pending> pending;
  auto finish = [&]() {
    if (!pending) return;
    if (characters(pending->text) != pending->total) {
      read.problem = "the fragments of line " + std::to_string(pending->line) + " hold " +
                     std::to_string(characters(pending->text)) + " of " + std::to_string(pending->total) + " characters";
    } else if (pending->format == "raw_line") {
      read.records.push_back({{"line", pending->line}, {"raw_line", pending->text}});
    } else {
      json record = json::parse(pending->text, nullptr, false);
      if (record.is_discarded() || !record.is_object())
        read.problem = "the fragments of line " + std::to_string(pending->line) + " do not make a JSON record";
      else read.records.push_back(std::move(record));
    }
    pending.reset();
  };
  for (const auto& page : pages) {
    if (!page.is_object() || !page.contains("records")) {
      read.problem = "a read_session_lines answer is not a page of records";
      return read;
    }
    for (const auto& record : array_field(page, "records")) {
      if (!is_fragment(record)) {
        finish();
        read.records.push_back(record);
        continue;
      }
      const long long line = integer_field(record, "line", -1);
      const long long offset = integer_field(record, "offset", -1);
      if (pending && pending->line != line) finish();
      if (!pending) pending = Pending{line, text_field(record, "record_format"), {}, integer_field(record, "total_chars")};
      if (offset != characters(pending->text)) {
        read.problem = "a fragment of line " + std::to_string(line) + " starts at " + std::to_string(offset) + ", expected " +
                       std::to_string(characters(pending->text));
        return read;
      }
      pending->text += text_field(record, "content");
    }
    read.next_cursor = page.contains("next_cursor") ? page["next_cursor"] : json(nullptr);
  }
  // An unfinished record at the end is fine while a cursor says more is coming.
  if (read.next_cursor.is_null()) finish();
  return read;
}

}  // namespace diary::test::demo
