#include "directives.h"

#include <charconv>
#include <utility>

namespace diary::test::fake {

namespace {

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::optional<std::int64_t> parse_count(std::string_view digits) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size() || value < 0) return std::nullopt;
  return value;
}

void apply_token(std::string_view token, Directives& d) {
  static constexpr std::pair<std::string_view, bool Directives::*> flags[] = {
      {"HANG", &Directives::hang},
      {"HANG_NO_INTERRUPT", &Directives::hang_no_interrupt},
      {"CRASH", &Directives::crash},
      {"FAIL", &Directives::fail},
      {"FAIL_RETRY", &Directives::fail_retry},
      {"GARBAGE", &Directives::garbage},
      {"APPROVAL", &Directives::approval},
      {"FILE_APPROVAL", &Directives::file_approval},
      {"UNKNOWN_REQUEST", &Directives::unknown_request},
      {"STALE", &Directives::stale},
      {"EARLY", &Directives::early},
      {"BADJSON", &Directives::bad_json},
      {"NOTIFY_UNKNOWN", &Directives::notify_unknown},
      {"NOPHASE", &Directives::no_phase},
      {"NULLPHASE", &Directives::null_phase},
      {"TWO_MESSAGES", &Directives::two_messages},
      {"BAD_NOTIFY", &Directives::bad_notify},
      {"BAD_COMPLETED", &Directives::bad_completed},
      {"BAD_APPROVAL", &Directives::bad_approval},
  };
  static constexpr std::pair<std::string_view, std::optional<std::int64_t> Directives::*> counts[] = {
      {"FLOOD:", &Directives::flood},
      {"BIGLINE:", &Directives::big_line},
      {"OVERLOAD:", &Directives::overload},
      {"SLEEP_MS:", &Directives::sleep_ms},
  };
  for (auto [name, member] : flags)
    if (token == name) d.*member = true;
  for (auto [prefix, member] : counts)
    if (token.starts_with(prefix))
      if (auto n = parse_count(token.substr(prefix.size()))) d.*member = n;
}

}  // namespace

Directives parse_directives(std::string_view text) {
  Directives d;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    std::size_t start = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    if (i > start) apply_token(text.substr(start, i - start), d);
  }
  return d;
}

}  // namespace diary::test::fake
