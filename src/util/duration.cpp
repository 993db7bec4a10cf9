#include "util/duration.h"

#include <charconv>
#include <string>

namespace diary::util {

std::expected<std::chrono::milliseconds, std::string> parse_duration(std::string_view text) {
  auto bad = [&] {
    return std::unexpected("invalid duration '" + std::string(text) + "' (expected e.g. 90s, 10m, 1h)");
  };
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end == text.data() || value <= 0) return bad();
  std::string_view unit(end, text.data() + text.size() - end);
  std::int64_t factor_ms = 0;
  if (unit == "ms") factor_ms = 1;
  else if (unit == "s" || unit.empty()) factor_ms = 1000;
  else if (unit == "m") factor_ms = 60'000;
  else if (unit == "h") factor_ms = 3'600'000;
  else return bad();
  if (value > std::int64_t{24} * 3'600'000 * 365 / factor_ms) return bad();
  return std::chrono::milliseconds(value * factor_ms);
}

}  // namespace diary::util
