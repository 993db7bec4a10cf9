// What a report title may be: one line, at most 80 characters (code points), no ISO date
// (dddd-dd-dd anywhere), not a generic label ("daily report", "work log", "updates", ...).
// Plain string code, no std::regex. Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "generate/artifacts/problem.h"

namespace diary::generate::daily {

inline constexpr std::size_t max_title_chars = 80;

// Problems of `text` as a title, reported at `path` (the text's pointer).
artifacts::Problems title_problems(std::string_view text, const std::string& path);

// Number of UTF-8 code points (continuation bytes are not counted).
std::size_t code_point_count(std::string_view text);

}  // namespace diary::generate::daily
