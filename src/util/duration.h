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

// The one human form of a duration in messages, progress and summaries: "250ms", "1.5s", "42s",
// "1m 15s", "10m", "2h 5m". Negative durations show as "0ms".
std::string format_duration(std::chrono::milliseconds duration);

}  // namespace diary::util
