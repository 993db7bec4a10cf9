// Parsing of human durations ("90s", "10m", "1h", "1500ms") used by flags and spec files. A unit is
// required ("10" is refused: seconds or minutes?); the range is 1ms to 8760h. Pure functions.
#pragma once

#include <chrono>
#include <expected>
#include <string>
#include <string_view>

namespace diary::util {

// The duration `text` names, or a one-line reason it names none (naming the units or the range).
std::expected<std::chrono::milliseconds, std::string> parse_duration(std::string_view text);

}  // namespace diary::util
