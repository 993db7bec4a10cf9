#include "util/duration.h"

#include <algorithm>
#include <charconv>
#include <string>

#include <fmt/format.h>

namespace diary::util {

namespace {

constexpr std::int64_t max_ms = std::int64_t{365} * 24 * 3'600'000;  // 8760h: longer is surely a typo
const std::string units_hint = "(a whole number and a unit: ms, s, m or h, e.g. 90s, 10m, 1h)";
const std::string range_hint = "(at least 1ms, at most 8760h (365 days))";

}  // namespace

std::expected<std::chrono::milliseconds, std::string> parse_duration(std::string_view text) {
  const std::string quoted = "'" + std::string(text) + "'";
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (end == text.data() || (ec != std::errc{} && ec != std::errc::result_out_of_range))
    return std::unexpected("invalid duration " + quoted + " " + units_hint);
  const std::string_view unit(end, text.data() + text.size() - end);
  std::int64_t factor_ms = 0;
  if (unit == "ms") factor_ms = 1;
  else if (unit == "s") factor_ms = 1000;
  else if (unit == "m") factor_ms = 60'000;
  else if (unit == "h") factor_ms = 3'600'000;
  else if (unit.empty()) return std::unexpected("invalid duration " + quoted + ": a duration needs a unit " + units_hint);
  else return std::unexpected("invalid duration " + quoted + " " + units_hint);
  if (value < 0) return std::unexpected("invalid duration " + quoted + " " + units_hint);
  if (ec == std::errc::result_out_of_range || value > max_ms / factor_ms)
    return std::unexpected("invalid duration " + quoted + ": too long " + range_hint);
  if (value == 0) return std::unexpected("invalid duration " + quoted + ": too short " + range_hint);
  return std::chrono::milliseconds(value * factor_ms);
}

std::string format_duration(std::chrono::milliseconds duration) {
  const std::int64_t ms = std::max<std::int64_t>(duration.count(), 0);
  if (ms < 1000) return fmt::format("{}ms", ms);
  if (ms < 60'000) {
    std::string text = fmt::format("{:.1f}", static_cast<double>(ms) / 1000.0);
    if (text.ends_with(".0")) text.resize(text.size() - 2);
    return text + "s";
  }
  const std::int64_t seconds = ms / 1000;
  const auto pair = [](std::int64_t big, char big_unit, std::int64_t small, char small_unit) {
    return small == 0 ? fmt::format("{}{}", big, big_unit) : fmt::format("{}{} {}{}", big, big_unit, small, small_unit);
  };
  if (seconds < 3600) return pair(seconds / 60, 'm', seconds % 60, 's');
  return pair(seconds / 3600, 'h', (seconds % 3600) / 60, 'm');
}

}  // namespace diary::util
