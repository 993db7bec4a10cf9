// Text from outside (the model, session files, codex) made safe and short for a terminal: the
// one helper for progress views, tables and event summaries. Control bytes go (an ESC sequence
// in a model's answer could move the cursor, retitle the window or rewrite the screen: a
// terminal-injection vector), invalid UTF-8 becomes U+FFFD, and text is cut by code points to
// a display width (wide CJK and emoji count 2, combining marks 0; utf8proc's tables). Pure
// functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace diary::util {

// One line: ESC sequences (CSI, OSC, DCS, ...) and other C0/C1 controls, DEL and bidi overrides
// removed; newlines and tabs become spaces; invalid UTF-8 becomes U+FFFD.
std::string terminal_line(std::string_view text);

// Columns `text` takes on a terminal (text assumed clean: see terminal_line).
std::size_t display_width(std::string_view text);

// terminal_line(text), cut to at most `width` columns; a cut ends in "…" (within the width).
std::string fit_width(std::string_view text, std::size_t width);

// `text` (clean) padded with spaces to `width` columns, on the right (left-aligned) or left.
enum class Align { left, right };
std::string pad_to_width(std::string_view text, std::size_t width, Align align = Align::left);

}  // namespace diary::util
