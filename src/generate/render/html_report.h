// report.html: one self-contained page (inline CSS, no scripts, no external requests; a CSP
// meta tag forbids both even if something slipped through) with the same content as report.md:
// a header with status, window and confidence badges, a table of contents, project sections
// with disposition and confidence chips, citations as in-page links to collapsible evidence.
// Everything from the report or a card is HTML-escaped (escape.h). Pure; thread-safe.
#pragma once

#include <string>

#include "generate/render/report_view.h"

namespace diary::generate::render {

std::string render_html(const ReportView& view);

}  // namespace diary::generate::render
