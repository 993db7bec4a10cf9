// Parsing of human durations ("90s", "10m", "1h", "1500ms") used by flags and spec files.
#pragma once

#include <chrono>
#include <string_view>

#include "agent/error.h"

namespace diary::generate {

agent::Result<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace diary::generate
