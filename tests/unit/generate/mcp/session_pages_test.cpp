#include "generate/mcp/session_pages.h"

#include <gtest/gtest.h>

#include "generate/mcp/session_compaction.h"
#include "generate/mcp/utf8_text.h"
#include "generate/prepare/session_scan.h"
#include "unit/generate/mcp/fixture_sessions.h"

namespace {

using namespace diary::generate::mcp;
using diary::test::ScratchDir;
using diary::test::write_file;
using nlohmann::json;
namespace fs = std::filesystem;

PageRequest request(long long start, long long end, ReadMode mode = ReadMode::compact,
                    std::optional<PageCursor> cursor = std::nullopt, std::string source = "codex") {
  return PageRequest{std::move(source), start, end, mode, cursor};
}

json page_of(const fs::path& file, const PageRequest& r) {
  auto outcome = read_session_page(file, r);
  EXPECT_TRUE(outcome.has_value()) << (outcome ? "" : outcome.error().message);
  if (!outcome) return json();
  EXPECT_FALSE(outcome->problem) << outcome->problem->path << ": " << outcome->problem->message;
  if (!outcome->page.is_null()) {
    EXPECT_LE(outcome->page.dump().size(), max_page_bytes);
  }
  return outcome->page;
}

diary::generate::artifacts::Problem problem_of(const fs::path& file, const PageRequest& r) {
  auto outcome = read_session_page(file, r);
  EXPECT_TRUE(outcome.has_value());
  if (!outcome || !outcome->problem) {
    ADD_FAILURE() << "expected a problem";
    return {};
  }
  return *outcome->problem;
}

// Follows next_cursor through the whole range; every page is checked against the budget.
std::vector<json> all_pages(const fs::path& file, PageRequest r) {
  std::vector<json> pages;
  for (int guard = 0; guard < 10000; ++guard) {
    json page = page_of(file, r);
    if (page.is_null()) break;
    pages.push_back(page);
    if (page["next_cursor"].is_null()) return pages;
    r.cursor = PageCursor{page["next_cursor"]["line"], page["next_cursor"]["offset"]};
  }
  ADD_FAILURE() << "next_cursor never became null";
  return pages;
}

// Rebuilds whole records from the pages: fragments are concatenated by line.
struct Rebuilt {
  std::vector<std::size_t> lines;
  std::map<std::size_t, std::string> fragment_text;  // line -> concatenated content
  std::vector<json> records;                         // whole records in order
};

Rebuilt rebuild(const std::vector<json>& pages) {
  Rebuilt out;
  std::map<std::size_t, std::size_t> next_offset;
  for (const auto& page : pages) {
    for (const auto& record : page["records"]) {
      const std::size_t line = record["line"];
      if (record.contains("content")) {
        EXPECT_EQ(record["offset"].get<std::size_t>(), next_offset[line]) << "fragments of line " << line << " in order";
        const std::string content = record["content"];
        out.fragment_text[line] += content;
        next_offset[line] += char_count(content);
        if (next_offset[line] == record["total_chars"].get<std::size_t>()) out.lines.push_back(line);
      } else {
        out.lines.push_back(line);
        out.records.push_back(record);
      }
    }
  }
  return out;
}

TEST(SessionPages, NumbersLinesExactlyAsPrepare) {
  ScratchDir scratch;
  // CRLF, a bare CR inside a line, empty lines, a final line without '\n'.
  const std::string body = "{\"a\":1}\r\n\n\nx\ry\n\n{\"b\":2}\nlast line";
  const auto file = scratch / "session.jsonl";
  write_file(file, body);
  auto scanned = diary::generate::prepare::scan_session_file(diary::generate::prepare::SessionSource::codex, file, {});
  ASSERT_TRUE(scanned);
  ASSERT_EQ(scanned->lines.total, 7u);
  json page = page_of(file, request(1, 7, ReadMode::full));
  const std::vector<std::string> expected = {"{\"a\":1}\r", "", "", "x\ry", "", "{\"b\":2}", "last line"};
  ASSERT_EQ(page["records"].size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(page["records"][i]["line"], i + 1);
    EXPECT_EQ(page["records"][i]["raw_line"], expected[i]);
  }
  EXPECT_TRUE(page["next_cursor"].is_null());
  EXPECT_EQ(problem_of(file, request(1, 8, ReadMode::full)).path, "/end_line");
  // A trailing '\n' ends the last line; it does not start another one.
  write_file(file, "one\ntwo\n");
  EXPECT_EQ(page_of(file, request(2, 2, ReadMode::full))["records"][0]["raw_line"], "two");
  EXPECT_EQ(problem_of(file, request(3, 3, ReadMode::full)).path, "/start_line");
}

TEST(SessionPages, InvalidUtf8IsReplacedInRawLines) {
  ScratchDir scratch;
  const auto file = scratch / "session.jsonl";
  write_file(file, "ok \xff\xfe end\n");
  json page = page_of(file, request(1, 1, ReadMode::full));
  EXPECT_EQ(page["records"][0]["raw_line"], "ok \xEF\xBF\xBD\xEF\xBF\xBD end");
}

// 400 assistant messages of ~1 KiB each: many pages, each packed close to the budget.
TEST(SessionPages, PagesStayWithinBudgetAndCoverTheRangeOnce) {
  ScratchDir scratch;
  std::string body;
  for (int i = 0; i < 400; ++i)
    body += diary::test::codex_assistant_line("answer " + std::to_string(i) + " " + std::string(1000, 'a')) + "\n";
  const auto file = scratch / "session.jsonl";
  write_file(file, body);
  for (auto mode : {ReadMode::compact, ReadMode::full}) {
    auto pages = all_pages(file, request(1, 400, mode));
    ASSERT_GT(pages.size(), 10u);
    for (std::size_t i = 0; i + 1 < pages.size(); ++i) {
      EXPECT_LE(pages[i].dump().size(), max_page_bytes);
      EXPECT_GT(pages[i].dump().size(), max_page_bytes - 1400) << "page " << i << " is not packed";
    }
    auto rebuilt = rebuild(pages);
    ASSERT_EQ(rebuilt.lines.size(), 400u);
    for (std::size_t i = 0; i < 400; ++i) EXPECT_EQ(rebuilt.lines[i], i + 1);
    EXPECT_TRUE(rebuilt.fragment_text.empty());  // every record fits a page whole
  }
}

// A 200 KiB prompt full of multi-byte characters and characters JSON escapes.
std::string big_text() {
  std::string text;
  const std::string pieces[] = {"é", "€", "😀", "\"", "\\", "\n", "\t", std::string("\x01", 1), "plain ", "日本語"};
  for (std::size_t i = 0; text.size() < 200 * 1024; ++i) text += pieces[(i * 7) % std::size(pieces)];
  return text;
}

TEST(SessionPages, HugeRecordRoundTripsThroughFragmentsInBothModes) {
  ScratchDir scratch;
  const std::string text = big_text();
  const std::string line = diary::test::codex_user_line(text);
  const auto file = scratch / "session.jsonl";
  write_file(
      file, diary::test::codex_assistant_line("before") + "\n" + line + "\n" + diary::test::codex_assistant_line("after") + "\n");

  // Compact: the fragments rebuild the record's JSON text.
  auto pages = all_pages(file, request(1, 3));
  ASSERT_GE(pages.size(), 7u);
  auto rebuilt = rebuild(pages);
  EXPECT_EQ(rebuilt.lines, (std::vector<std::size_t>{1, 2, 3}));
  ASSERT_TRUE(rebuilt.fragment_text.count(2));
  json record = json::parse(rebuilt.fragment_text[2]);
  EXPECT_EQ(record["text"], text);
  EXPECT_EQ(record, to_json(*compact_record(line, 2, codex_source)));
  EXPECT_EQ(pages.front()["records"].size(), 1u) << "the first page ends before the record that does not fit";
  EXPECT_EQ(pages.front()["next_cursor"], (json{{"line", 2}, {"offset", 0}}));
  EXPECT_EQ(pages.back()["records"].back()["line"], 3) << "the last fragment shares its page with the next record";
  for (const auto& page : pages) {
    for (const auto& r : page["records"]) {
      if (r.contains("content")) {
        EXPECT_EQ(r["record_format"], "compact_json");
      }
    }
    // A page that ends inside a record is full to within one escaped character and the width
    // reserved for the cursor's digits.
    if (!page["next_cursor"].is_null() && page["next_cursor"]["offset"] != 0) {
      EXPECT_GT(page.dump().size(), max_page_bytes - 32);
    }
  }

  // Full: the fragments rebuild the raw line byte for byte.
  auto raw_pages = all_pages(file, request(2, 2, ReadMode::full));
  auto raw = rebuild(raw_pages);
  EXPECT_EQ(raw.fragment_text[2], line);
  EXPECT_EQ(raw_pages.front()["records"][0]["record_format"], "raw_line");
  EXPECT_EQ(raw_pages.front()["records"][0]["total_chars"], char_count(line));
}

TEST(SessionPages, CursorMisuseIsRejected) {
  ScratchDir scratch;
  const auto file = scratch / "session.jsonl";
  write_file(file, diary::test::codex_user_line(big_text()) + "\n" + diary::test::codex_assistant_line("ok") + "\n" +
                       R"({"timestamp":"2026-11-30T10:00:06Z","type":"event_msg","payload":{"type":"token_count"}})" + "\n");
  auto outside = problem_of(file, request(1, 2, ReadMode::compact, PageCursor{3, 0}));
  EXPECT_EQ(outside.path, "/cursor/line");
  EXPECT_EQ(outside.hint, "reuse next_cursor with the same project, session, range, and mode");
  EXPECT_EQ(problem_of(file, request(2, 3, ReadMode::compact, PageCursor{1, 0})).path, "/cursor/line");
  EXPECT_EQ(problem_of(file, request(1, 2, ReadMode::compact, PageCursor{1, -1})).path, "/cursor/offset");
  auto past = problem_of(file, request(1, 2, ReadMode::compact, PageCursor{1, 10'000'000}));
  EXPECT_EQ(past.path, "/cursor/offset");
  EXPECT_NE(past.message.find("past the end"), std::string::npos);
  auto omitted = problem_of(file, request(1, 3, ReadMode::compact, PageCursor{3, 5}));
  EXPECT_EQ(omitted.path, "/cursor/offset");
  EXPECT_NE(omitted.message.find("no compact record"), std::string::npos);
  // A cursor at offset 0 of any line in the range is fine.
  EXPECT_EQ(page_of(file, request(1, 3, ReadMode::compact, PageCursor{2, 0}))["records"][0]["line"], 2);
}

TEST(SessionPages, ProblemsComeInTheReferenceOrder) {
  ScratchDir scratch;
  const auto file = scratch / "session.jsonl";
  write_file(file, "a\nb\nc\n");
  const PageCursor bad{9, -1};
  auto first = [&](long long start, long long end, std::optional<PageCursor> cursor = std::nullopt) {
    return problem_of(file, request(start, end, ReadMode::full, cursor));
  };
  EXPECT_EQ(first(0, -5, bad).path, "/start_line");  // start < 1 first
  EXPECT_EQ(first(0, 2).message, "start_line must be at least 1 (lines are 1-based)");
  EXPECT_EQ(first(3, 2, bad).path, "/end_line");  // then end < start
  EXPECT_EQ(first(3, 2).message, "end_line 2 is before start_line 3");
  auto start_past = first(4, 9, bad);  // then start past the end (end too)
  EXPECT_EQ(start_past.path, "/start_line");
  EXPECT_EQ(start_past.message, "start_line 4 is past the end of the session (3 lines)");
  EXPECT_EQ(start_past.hint, "request a 1-based line range contained by the session");
  auto end_past = first(2, 4, bad);  // then end past the end
  EXPECT_EQ(end_past.path, "/end_line");
  EXPECT_EQ(end_past.message, "end_line 4 is past the end of the session (3 lines)");
  EXPECT_EQ(first(2, 3, bad).path, "/cursor/line");  // the cursor last
  EXPECT_EQ(first(2, 3, PageCursor{2, -1}).path, "/cursor/offset");
}

TEST(SessionPages, EchoesAreRecognisedAcrossTheRangeEdges) {
  const auto file = diary::test::fixture_session_file("codex/alpha");
  // Line 9 echoes line 8 (before the range), line 15 echoes line 16 (after it).
  json echo = page_of(file, request(9, 9))["records"];
  EXPECT_EQ(
      echo,
      json::parse(R"([{"line":9,"kind":"duplicate","duplicate_of":8,"source_type":"event_msg:item_completed:UserMessage"}])"));
  json agent = page_of(file, request(15, 15))["records"];
  EXPECT_EQ(agent[0]["duplicate_of"], 16);
  // Pages of a fixture read as one range and line by line give the same records.
  json whole = page_of(file, request(1, 44))["records"];
  json one_by_one = json::array();
  for (long long line = 1; line <= 44; ++line) {
    const json page = page_of(file, request(line, line));
    for (const auto& r : page["records"]) one_by_one.push_back(r);
  }
  EXPECT_EQ(whole, one_by_one);
  EXPECT_EQ(whole.size(), 21u);  // 23 of the 44 lines are metadata
}

TEST(SessionPages, RangeOfOnlyMetadataIsEmptyAndComplete) {
  const auto file = diary::test::fixture_session_file("codex/alpha");
  json page = page_of(file, request(1, 7));
  EXPECT_EQ(page, json::parse(R"({"next_cursor":null,"records":[]})"));
}

TEST(SessionPages, ClaudeCodeSessionsUseTheirOwnInterpretation) {
  const auto file =
      diary::test::fixture_session_file("claude/projects/-fixture-projects-delta/5f0c6a8e-2d41-4c4b-9a57-0e3f1b2c3d4e.jsonl");
  json records = page_of(file, request(3, 8, ReadMode::compact, std::nullopt, "claude-code"))["records"];
  ASSERT_EQ(records.size(), 5u);  // 3 user, 4 assistant, 5 tool result, 6 assistant, 8 malformed
  EXPECT_EQ(records[0]["text"], "Add a health check endpoint to the server.");
  EXPECT_EQ(records[4]["kind"], "malformed");
}

}  // namespace
