// The demo agent's reading of `read_session_lines` pages: the records of every page in order,
// with a record that came as fragments ({line, record_format, offset, total_chars, content})
// put back together, and where to continue (next_cursor of the last page). Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace diary::test::demo {

struct PagesRead {
  std::vector<nlohmann::json> records;  // whole records, in page order
  nlohmann::json next_cursor;           // of the last page; null when the range is done
  std::string problem;                  // a page or fragment that makes no sense; empty if fine
};

// `pages` are the parsed results of consecutive calls, oldest first.
PagesRead assemble_pages(const std::vector<nlohmann::json>& pages);

}  // namespace diary::test::demo
