// The render task (spec/generate.md §1, §6): daily-report.json plus the evidence cards become
// report.md and report.html, without any agent. Both documents are rendered in memory first and
// only then written, each atomically (temp file + fsync + rename). When anything fails —
// unreadable or wrong-typed input, a write error — neither file is left behind: an older pair
// is removed too, since it describes an earlier daily-report.json and would pretend to be
// current. Thread-safe as long as no two renders target the same workspace at once.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "agent/error.h"
#include "generate/render/evidence_input.h"
#include "generate/workspace/day_workspace.h"

namespace diary::generate::render {

struct RenderedReport {
  std::string markdown;
  std::string html;
};

// Pure: both documents from a daily report and its evidence. invalid_input names every
// wrong-typed field of the report by JSON pointer.
agent::Result<RenderedReport> render_documents(const nlohmann::json& report, const EvidenceInput& evidence);

// Shorthands over {"<pk>": {"<S>": card}} (no index: the appendix shows the cards' chains).
agent::Result<std::string> render_markdown(const nlohmann::json& report, const nlohmann::json& cards_by_project_session);
agent::Result<std::string> render_html(const nlohmann::json& report, const nlohmann::json& cards_by_project_session);

struct RenderedPaths {
  std::filesystem::path markdown;
  std::filesystem::path html;
};

// Reads <ws>/daily-report.json and every indexed session's card, writes <ws>/report.md and
// <ws>/report.html. Errors: invalid_input (missing, unparseable or wrong-typed report), io.
agent::Result<RenderedPaths> render_report(const workspace::DayWorkspace& day);

}  // namespace diary::generate::render
