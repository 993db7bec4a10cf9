// Glob matching for relative, '/'-separated paths: `*` and `?` within one segment, `**` as a
// whole segment for any number (also zero) of segments. Used by approval write rules.
#pragma once

#include <string_view>

namespace diary::generate {

// E.g. glob_match("docs/**", "docs/a/b.md") and glob_match("src/*.cpp", "src/x.cpp") are true;
// glob_match("docs/*", "docs/a/b.md") is false. A pattern "docs/**" also matches "docs".
bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace diary::generate
