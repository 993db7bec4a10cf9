// Parsing of human durations ("90s", "10m", "1h", "1500ms") used by flags and spec files.
#pragma once

#include <chrono>
#include <expected>
#include <string>
#include <string_view>

namespace diary::util {

// The duration `text` names, or a one-line reason it names none.
std::expected<std::chrono::milliseconds, std::string> parse_duration(std::string_view text);

}  // namespace diary::util
