#include "generate/policy/glob_match.h"

#include <vector>

namespace diary::generate {

namespace {

std::vector<std::string_view> segments(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find('/', start);
    const auto piece = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!piece.empty() && piece != ".") out.push_back(piece);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

// `*` and `?` inside one segment, iterative with backtracking to the last `*`.
bool segment_match(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool match_from(const std::vector<std::string_view>& pattern, std::size_t pi, const std::vector<std::string_view>& path,
                std::size_t si) {
  if (pi == pattern.size()) return si == path.size();
  if (pattern[pi] == "**") {
    for (std::size_t skip = si; skip <= path.size(); ++skip)
      if (match_from(pattern, pi + 1, path, skip)) return true;
    return false;
  }
  if (si == path.size() || !segment_match(pattern[pi], path[si])) return false;
  return match_from(pattern, pi + 1, path, si + 1);
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) { return match_from(segments(pattern), 0, segments(path), 0); }

}  // namespace diary::generate
