#include "generate/daily/title_rules.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace diary::generate::daily {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool has_iso_date(std::string_view text) {
  constexpr std::string_view shape = "dddd-dd-dd";
  if (text.size() < shape.size()) return false;
  for (std::size_t start = 0; start + shape.size() <= text.size(); ++start) {
    bool match = true;
    for (std::size_t i = 0; i < shape.size() && match; ++i)
      match = shape[i] == 'd' ? is_digit(text[start + i]) : text[start + i] == '-';
    if (match) return true;
  }
  return false;
}

// ASCII-lowercased, whitespace runs collapsed, trimmed, trailing punctuation dropped: so that
// "Daily Report." and " daily  report " count as the label they are.
std::string normalized(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  while (!out.empty() && std::string_view(".!:;-").find(out.back()) != std::string_view::npos) out.pop_back();
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool is_generic(std::string_view text) {
  static constexpr std::array labels{
      std::string_view("prompt diary report"), std::string_view("diary report"), std::string_view("daily report"),
      std::string_view("work report"),         std::string_view("work log"),     std::string_view("updates")};
  const std::string folded = normalized(text);
  return std::find(labels.begin(), labels.end(), folded) != labels.end() ||
         folded.find("prompt diary report") != std::string::npos;
}

}  // namespace

std::size_t code_point_count(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

artifacts::Problems title_problems(std::string_view text, const std::string& path) {
  artifacts::Problems problems;
  if (text.find_first_of("\r\n") != std::string_view::npos)
    problems.push_back({path, fmt::format("{} must be a single line", path), "write the title as one line"});
  if (const auto count = code_point_count(text); count > max_title_chars)
    problems.push_back({path, fmt::format("{} must be at most {} characters (it has {})", path, max_title_chars, count),
                        "shorten the title to one short headline"});
  if (has_iso_date(text))
    problems.push_back(
        {path, fmt::format("{} must not contain a date", path), "leave the date out; the report shows it next to the title"});
  if (is_generic(text))
    problems.push_back({path, fmt::format("{} must not be a generic label", path),
                        "name what the day's work achieved, grounded in the cited turns"});
  return problems;
}

}  // namespace diary::generate::daily
