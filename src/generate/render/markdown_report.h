// report.md: the daily report as GitHub-flavoured Markdown with <details> blocks, in the
// spec's section order (spec/generate.md §6, reference §6). Every string from the report or a
// card goes through escape.h; every citation links to its appendix anchor or, when the turn
// has no appendix entry, is shown unlinked. Pure; thread-safe.
#pragma once

#include <string>

#include "generate/render/report_view.h"

namespace diary::generate::render {

std::string render_markdown(const ReportView& view);

}  // namespace diary::generate::render
