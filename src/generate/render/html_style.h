// The inline stylesheet of report.html: system fonts only (no web fonts, nothing fetched),
// light and dark palettes through prefers-color-scheme, a sticky table of contents on wide
// screens, and a print layout that opens every collapsed block. Constant data; thread-safe.
#pragma once

#include <string_view>

namespace diary::generate::render {

std::string_view report_stylesheet();

}  // namespace diary::generate::render
