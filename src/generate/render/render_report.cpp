#include "generate/render/render_report.h"

#include <system_error>

#include "generate/render/html_report.h"
#include "generate/render/markdown_report.h"
#include "generate/render/report_view.h"
#include "util/atomic_file.h"
#include "util/text_file.h"

namespace diary::generate::render {

using nlohmann::json;

namespace {

void remove_pair(const RenderedPaths& paths) {
  std::error_code ignored;
  std::filesystem::remove(paths.markdown, ignored);
  std::filesystem::remove(paths.html, ignored);
}

agent::Result<json> read_report(const std::filesystem::path& path) {
  const auto text = util::read_text_file(path);
  if (!text) return agent::fail(agent::ErrorKind::invalid_input, text.error());
  auto value = json::parse(*text, nullptr, false);
  if (value.is_discarded()) return agent::fail(agent::ErrorKind::invalid_input, path.string() + ": not valid JSON");
  return value;
}

}  // namespace

agent::Result<RenderedReport> render_documents(const json& report, const EvidenceInput& evidence) {
  auto view = build_report_view(report, evidence);
  if (!view) return std::unexpected(view.error());
  return RenderedReport{render_markdown(*view), render_html(*view)};
}

agent::Result<std::string> render_markdown(const json& report, const json& cards_by_project_session) {
  auto view = build_report_view(report, evidence_from_cards(cards_by_project_session));
  if (!view) return std::unexpected(view.error());
  return render_markdown(*view);
}

agent::Result<std::string> render_html(const json& report, const json& cards_by_project_session) {
  auto view = build_report_view(report, evidence_from_cards(cards_by_project_session));
  if (!view) return std::unexpected(view.error());
  return render_html(*view);
}

agent::Result<RenderedPaths> render_report(const workspace::DayWorkspace& day) {
  const RenderedPaths paths{day.report_markdown(), day.report_html()};
  const auto fail_clean = [&](agent::Error error) -> agent::Result<RenderedPaths> {
    remove_pair(paths);
    return std::unexpected(std::move(error));
  };
  auto report = read_report(day.daily_report());
  if (!report) return fail_clean(report.error());
  auto documents = render_documents(*report, evidence_from_workspace(day));
  if (!documents) return fail_clean(documents.error());
  // Both documents are complete on disk before either is committed: two renames, nothing else,
  // separate an old pair from a new one.
  const auto io = [&](std::string message) { return fail_clean(agent::Error{agent::ErrorKind::io, std::move(message)}); };
  auto markdown = util::AtomicFile::create(paths.markdown);
  if (!markdown) return io(markdown.error());
  auto html = util::AtomicFile::create(paths.html);
  if (!html) return io(html.error());
  for (auto [file, text] : {std::pair{&*markdown, &documents->markdown}, std::pair{&*html, &documents->html}})
    if (auto written = file->write(*text); !written) return io(written.error());
  if (auto committed = markdown->commit(); !committed) return io(committed.error());
  if (auto committed = html->commit(); !committed) return io(committed.error());
  return paths;
}

}  // namespace diary::generate::render
