// render_report on disk: both documents written atomically next to daily-report.json, and on
// any failure neither left behind (an older pair is removed too, since it would describe an
// earlier daily-report.json).
#include "generate/render/render_report.h"

#include <gtest/gtest.h>

#include "unit/generate/render/render_fixtures.h"

namespace {

namespace fs = std::filesystem;
using namespace diary::generate::render;
using diary::agent::ErrorKind;
using diary::generate::workspace::DayWorkspace;
using diary::test::read_file;
using diary::test::write_file;

struct Workspace {
  diary::test::ScratchDir scratch;
  fs::path root = scratch / "workspace";

  explicit Workspace(const std::string& scenario = "full") {
    fs::copy(diary::test::render_fixture_dir(scenario) / "workspace", root, fs::copy_options::recursive);
  }
  DayWorkspace day() const {
    auto loaded = DayWorkspace::load(root);
    EXPECT_TRUE(loaded) << (loaded ? "" : loaded.error().message);
    return std::move(*loaded);
  }
  void write_stale_pair() const {
    write_file(root / "report.md", "# stale\n");
    write_file(root / "report.html", "<p>stale</p>\n");
  }
  std::vector<std::string> leftovers() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(root))
      if (entry.path().filename().string().find(".tmp") != std::string::npos) names.push_back(entry.path().filename().string());
    return names;
  }
};

TEST(RenderReport, WritesBothDocumentsNextToTheDailyReport) {
  Workspace ws;
  ws.write_stale_pair();
  const auto paths = render_report(ws.day());
  ASSERT_TRUE(paths) << paths.error().message;
  EXPECT_EQ(paths->markdown, fs::absolute(ws.root) / "report.md");
  EXPECT_EQ(paths->html, fs::absolute(ws.root) / "report.html");
  const auto expected = diary::test::render_fixture("full");
  EXPECT_EQ(read_file(paths->markdown), expected.markdown);
  EXPECT_EQ(read_file(paths->html), expected.html);
  EXPECT_EQ(ws.leftovers(), std::vector<std::string>{});
}

TEST(RenderReport, AMissingDailyReportRemovesAStalePair) {
  Workspace ws;
  ws.write_stale_pair();
  fs::remove(ws.root / "daily-report.json");
  const auto paths = render_report(ws.day());
  ASSERT_FALSE(paths);
  EXPECT_EQ(paths.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(paths.error().message.find("daily-report.json: No such file or directory"), std::string::npos);
  EXPECT_FALSE(fs::exists(ws.root / "report.md"));
  EXPECT_FALSE(fs::exists(ws.root / "report.html"));
}

TEST(RenderReport, AnUnparseableOrWrongTypedReportFailsCleanly) {
  for (const std::string text : {"{\"projects\": [", "{\"projects\": \"none\"}"}) {
    Workspace ws;
    ws.write_stale_pair();
    write_file(ws.root / "daily-report.json", text);
    const auto paths = render_report(ws.day());
    ASSERT_FALSE(paths) << text;
    EXPECT_EQ(paths.error().kind, ErrorKind::invalid_input);
    EXPECT_FALSE(fs::exists(ws.root / "report.md")) << text;
    EXPECT_FALSE(fs::exists(ws.root / "report.html")) << text;
    EXPECT_EQ(read_file(ws.root / "daily-report.json"), text) << "the input is never touched";
  }
}

TEST(RenderReport, AFailedWriteLeavesNeitherFile) {
  Workspace ws;
  // report.html is a non-empty folder: the rename onto it fails after report.md was written.
  write_file(ws.root / "report.html" / "occupied", "x");
  const auto paths = render_report(ws.day());
  ASSERT_FALSE(paths);
  EXPECT_EQ(paths.error().kind, ErrorKind::io);
  EXPECT_FALSE(fs::exists(ws.root / "report.md"));
  EXPECT_EQ(ws.leftovers(), std::vector<std::string>{});
}

TEST(RenderReport, AMissingCardIsNotedNotFatal) {
  Workspace ws;
  fs::remove(ws.root / "projects" / "notes-site-9a8b7c6d5e4f" / "evidence" / "S0001.json");
  const auto paths = render_report(ws.day());
  ASSERT_TRUE(paths) << paths.error().message;
  const auto markdown = read_file(paths->markdown);
  EXPECT_NE(
      markdown.find("<details id=\"evidence-notes-site-9a8b7c6d5e4f-s0001-t0001\"><summary>S0001/T0001 · lines 1-20</summary>\n\n"
                    "- No evidence card was written for this session."),
      std::string::npos);
}

TEST(RenderReport, AnUnparseableCardIsNotedNotFatal) {
  Workspace ws;
  write_file(ws.root / "projects" / "notes-site-9a8b7c6d5e4f" / "evidence" / "S0001.json", "{ not json");
  const auto paths = render_report(ws.day());
  ASSERT_TRUE(paths) << paths.error().message;
  EXPECT_NE(read_file(paths->html).find("The evidence card of this session is not a JSON object."), std::string::npos);
}

}  // namespace
