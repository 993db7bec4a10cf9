// report.html in a real browser: headless Chromium (Debian package `chromium`, installed by
// scripts/setup.sh; DIARY_TEST_CHROMIUM overrides the binary) loads the page rendered by
// render_report from the fixture workspaces and
//   - takes a screenshot (light and dark) that must be a real, non-trivial PNG,
//   - dumps the DOM as the browser parsed it: every href="#x" must name an element id, no
//     <script> element may exist, and every <details> we wrote must still be one element
//     (an injected "</details>" would change the count),
//   - logs to stderr with --enable-logging: no console message at all may appear (the page has
//     no scripts, and its CSP would report any blocked load or inline script there).
// DNS is mapped to nothing, so even Chromium's own background requests go nowhere. Every run
// has a deadline; a fresh --user-data-dir and HOME per run. Keep the screenshots with
// DIARY_KEEP_SCRATCH=1.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include "spawned_process.h"
#include "unit/generate/render/render_fixtures.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using diary::test::count_of;

constexpr auto chromium_deadline = 90s;

fs::path chromium_binary() {
  const char* override_path = std::getenv("DIARY_TEST_CHROMIUM");
  return override_path && *override_path ? fs::path(override_path) : fs::path("/usr/bin/chromium");
}

struct BrowserRun {
  int exit_code = -1;
  std::string out, err;
};

class RenderChromium : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(chromium_binary())) << chromium_binary()
                                               << " is missing: install the Debian package chromium (scripts/setup.sh) "
                                                  "or point DIARY_TEST_CHROMIUM at a Chromium";
  }

  // Renders fixture `scenario` through render_report into a scratch copy; the report.html path.
  fs::path render(const std::string& scenario) {
    const fs::path root = scratch_ / ("ws-" + scenario);
    fs::copy(diary::test::render_fixture_dir(scenario) / "workspace", root, fs::copy_options::recursive);
    auto day = diary::generate::workspace::DayWorkspace::load(root);
    EXPECT_TRUE(day) << (day ? "" : day.error().message);
    auto paths = diary::generate::render::render_report(*day);
    EXPECT_TRUE(paths) << (paths ? "" : paths.error().message);
    return paths ? paths->html : fs::path();
  }

  BrowserRun run(const fs::path& html, const std::vector<std::string>& extra) {
    const fs::path profile = scratch_ / ("profile-" + std::to_string(runs_++));
    fs::create_directories(profile / "home");
    std::vector<std::string> args{chromium_binary().string(),
                                  "--headless",
                                  "--no-sandbox",
                                  "--disable-gpu",
                                  "--disable-quic",
                                  "--no-first-run",
                                  "--disable-background-networking",
                                  "--disable-component-update",
                                  "--disable-sync",
                                  "--disable-extensions",
                                  "--host-resolver-rules=MAP * ~NOTFOUND",
                                  "--hide-scrollbars",
                                  "--enable-logging=stderr",
                                  "--v=0",
                                  "--user-data-dir=" + (profile / "data").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("file://" + html.string());
    const std::vector<std::string> env{"PATH=/usr/bin:/bin", "HOME=" + (profile / "home").string(),
                                       "XDG_CONFIG_HOME=" + (profile / "home" / ".config").string(),
                                       "XDG_CACHE_HOME=" + (profile / "home" / ".cache").string()};
    diary::test::SpawnedProcess browser(args, scratch_.path(), env);
    const auto code = browser.wait(std::chrono::duration_cast<std::chrono::milliseconds>(chromium_deadline));
    EXPECT_TRUE(code.has_value()) << "chromium did not finish within " << chromium_deadline.count() << " s";
    return BrowserRun{code.value_or(-1), browser.out(), browser.err()};
  }

  // Lines Chromium logs for the page's console (CSP violations land there too).
  static std::vector<std::string> console_lines(const std::string& err) {
    std::vector<std::string> lines;
    std::istringstream in(err);
    for (std::string line; std::getline(in, line);)
      if (line.find(":CONSOLE") != std::string::npos || line.find("Content Security Policy") != std::string::npos)
        lines.push_back(line);
    return lines;
  }

  // Width and height from a PNG's IHDR; {0,0} when it is not a PNG.
  static std::pair<std::uint32_t, std::uint32_t> png_size(const std::string& bytes) {
    if (bytes.size() < 24 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 || bytes.compare(12, 4, "IHDR") != 0) return {0, 0};
    const auto be32 = [&](std::size_t at) {
      return (std::uint32_t(std::uint8_t(bytes[at])) << 24) | (std::uint32_t(std::uint8_t(bytes[at + 1])) << 16) |
             (std::uint32_t(std::uint8_t(bytes[at + 2])) << 8) | std::uint32_t(std::uint8_t(bytes[at + 3]));
    };
    return {be32(16), be32(20)};
  }

  diary::test::ScratchDir scratch_;
  int runs_ = 0;
};

TEST_F(RenderChromium, ScreenshotsAreRealPictures) {
  const fs::path html = render("full");
  ASSERT_FALSE(html.empty());
  std::string light;
  for (const bool dark : {false, true}) {
    const fs::path png = scratch_ / (dark ? "full-dark.png" : "full-light.png");
    std::vector<std::string> extra{"--window-size=1280,1800", "--screenshot=" + png.string()};
    if (dark) extra.push_back("--force-dark-mode");
    const auto result = run(html, extra);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    ASSERT_TRUE(fs::exists(png)) << result.err;
    const std::string bytes = diary::test::read_file(png);
    EXPECT_EQ(png_size(bytes), std::make_pair(1280u, 1800u));
    // A blank or nearly blank page compresses to a few KiB; this one carries text and colour.
    EXPECT_GT(bytes.size(), 60u * 1024) << png;
    EXPECT_EQ(console_lines(result.err), std::vector<std::string>{});
    if (!dark) light = bytes;
    else EXPECT_NE(bytes, light) << "prefers-color-scheme: dark changes nothing";
  }
}

// Pages of a PDF Chromium printed: its "/Type /Page" objects (not "/Type /Pages").
std::size_t pdf_pages(const std::string& pdf) {
  std::size_t pages = 0;
  const std::string needle = "/Type /Page";
  for (auto at = pdf.find(needle); at != std::string::npos; at = pdf.find(needle, at + needle.size()))
    if (at + needle.size() >= pdf.size() || pdf[at + needle.size()] != 's') ++pages;
  return pages;
}

TEST_F(RenderChromium, PrintingShowsEveryCollapsedBlock) {
  const fs::path html = render("full");
  // The same page with every <details> open: printing ours must show as much.
  std::string source = diary::test::read_file(html);
  const fs::path opened = scratch_ / "all-open.html";
  diary::test::write_file(opened, std::regex_replace(source, std::regex("<details( |>)"), "<details open$1"));
  std::vector<std::size_t> pages;
  for (const auto& page : {html, opened}) {
    const fs::path pdf = scratch_ / (page.stem().string() + ".pdf");
    const auto result = run(page, {"--no-pdf-header-footer", "--print-to-pdf=" + pdf.string()});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    ASSERT_TRUE(fs::exists(pdf)) << result.err;
    const std::string bytes = diary::test::read_file(pdf);
    EXPECT_TRUE(bytes.starts_with("%PDF-"));
    pages.push_back(pdf_pages(bytes));
  }
  EXPECT_GT(pages[0], 1u);
  EXPECT_EQ(pages[0], pages[1]) << "the print layout hides collapsed content";
}

class RenderChromiumDom : public RenderChromium, public ::testing::WithParamInterface<std::string> {};

TEST_P(RenderChromiumDom, EveryCitationResolvesInTheParsedPage) {
  const fs::path html = render(GetParam());
  ASSERT_FALSE(html.empty());
  const std::string source = diary::test::read_file(html);
  const auto result = run(html, {"--dump-dom"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const std::string& dom = result.out;
  ASSERT_NE(dom.find("</html>"), std::string::npos) << "no DOM dumped:\n" << result.err;

  const auto hrefs = diary::test::html_hrefs(dom);
  const auto ids = diary::test::element_ids(dom);
  EXPECT_FALSE(hrefs.empty());
  EXPECT_EQ(diary::test::unresolved_targets(hrefs, ids), std::vector<std::string>{});
  EXPECT_EQ(diary::test::duplicates(ids), std::vector<std::string>{});
  for (const auto& href : hrefs) EXPECT_TRUE(href.starts_with("#")) << "off-page link " << href;
  // The browser sees exactly the elements we wrote: the same ids, the same <details>, no script.
  EXPECT_EQ(ids, diary::test::element_ids(source));
  EXPECT_EQ(count_of(dom, "<details"), count_of(source, "<details"));
  EXPECT_EQ(dom.find("<script"), std::string::npos);
  EXPECT_EQ(dom.find("<img"), std::string::npos);
  EXPECT_EQ(console_lines(result.err), std::vector<std::string>{});
}

INSTANTIATE_TEST_SUITE_P(Fixture, RenderChromiumDom, ::testing::ValuesIn(diary::test::render_scenarios()),
                         [](const auto& info) { return info.param; });

}  // namespace
