#include "generate/render/escape.h"

#include <cstdint>

namespace diary::generate::render {

namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at `i`, or 0 (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF).
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  const std::uint8_t lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  std::uint8_t low = 0x80, high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return length;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

// One line of Markdown text (no newlines inside), escaped so that it is literal wherever it
// starts a block: inline markup characters get a backslash, HTML-significant ones become
// entities, and a line-leading list, heading or setext marker is neutralized.
// True for the bytes escape_markdown_line changes wherever they are.
constexpr bool markdown_special(char c) {
  switch (c) {
    case '&':
    case '<':
    case '>':
    case '\\':
    case '`':
    case '*':
    case '_':
    case '[':
    case ']':
    case '(':
    case ')':
    case '!':
    case '#':
    case '|':
    case '~': return true;
    default: return false;
  }
}

void escape_markdown_line(std::string_view line, std::string& out) {
  std::size_t start = 0;
  while (start < line.size() && line[start] == ' ') ++start;
  out.append(line.substr(0, start));
  if (start == line.size()) return;
  // A line-leading list, heading or setext marker: "-", "+", "=", or "1." / "1)" (")" is
  // escaped below anyway).
  std::size_t i = start;
  const char lead = line[start];
  if (lead == '-' || lead == '+' || lead == '=') {
    out += '\\';
    out += lead;
    ++i;
  } else {
    std::size_t digits = start;
    while (digits < line.size() && digits - start < 9 && line[digits] >= '0' && line[digits] <= '9') ++digits;
    if (digits > start && digits < line.size() && line[digits] == '.') {
      out.append(line.substr(start, digits - start));
      out += "\\.";
      i = digits + 1;
    }
  }
  std::size_t run = i;  // start of the pending run of unchanged bytes
  for (; i < line.size(); ++i) {
    const char c = line[i];
    if (!markdown_special(c)) continue;
    out.append(line.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += '\\'; out += c;
    }
  }
  out.append(line.substr(run));
}

std::string collapse_whitespace(std::string_view text) {
  const bool already = !text.empty() && !is_space(text.front()) && !is_space(text.back()) &&
                       text.find_first_of("\n\t") == std::string_view::npos && text.find("  ") == std::string_view::npos;
  if (already || text.empty()) return std::string(text);
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (const char c : text) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

}  // namespace

std::string clean_text(std::string_view text) {
  // Printable ASCII, tabs and newlines need no care: find the first byte that might.
  std::size_t clean = 0;
  while (clean < text.size()) {
    const auto byte = static_cast<std::uint8_t>(text[clean]);
    if ((byte < 0x20 && byte != '\n' && byte != '\t') || byte >= 0x7F) break;
    ++clean;
  }
  if (clean == text.size()) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  out.append(text.substr(0, clean));
  for (std::size_t i = clean; i < text.size();) {
    const char c = text[i];
    const auto byte = static_cast<std::uint8_t>(c);
    if (byte < 0x80) {
      if (c == '\r') {
        out += '\n';
        i += (i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
        continue;
      }
      out += (byte < 0x20 && c != '\n' && c != '\t') || byte == 0x7F ? ' ' : c;
      ++i;
      continue;
    }
    const std::size_t length = utf8_length(text, i);
    if (length == 0) {
      out += replacement;
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

std::string markdown_inline(std::string_view text) {
  const std::string line = collapse_whitespace(clean_text(text));
  std::string out;
  out.reserve(line.size() + line.size() / 8 + 8);
  escape_markdown_line(line, out);
  return out;
}

std::vector<std::string> markdown_quote_lines(std::string_view text) {
  const std::string cleaned = clean_text(text);
  std::vector<std::string_view> raw_lines;
  std::string_view rest = cleaned;
  while (true) {
    const std::size_t newline = rest.find('\n');
    raw_lines.push_back(rest.substr(0, newline));
    if (newline == std::string_view::npos) break;
    rest.remove_prefix(newline + 1);
  }
  // Blank lines at either end carry nothing but would make empty quote lines.
  const auto blank = [](std::string_view line) { return line.find_first_not_of(" \t") == std::string_view::npos; };
  std::size_t first = 0, last = raw_lines.size();
  while (first < last && blank(raw_lines[first])) ++first;
  while (last > first && blank(raw_lines[last - 1])) --last;
  std::vector<std::string> lines;
  for (std::size_t i = first; i < last; ++i) {
    std::string line;
    for (const char c : raw_lines[i]) line += c == '\t' ? ' ' : c;
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::string out = line.empty() ? ">" : "> ";
    escape_markdown_line(line, out);
    lines.push_back(std::move(out));
  }
  if (lines.empty()) lines.emplace_back(">");
  return lines;
}

std::string html_text(std::string_view text) {
  const std::string cleaned = clean_text(text);
  std::string out;
  out.reserve(cleaned.size() + cleaned.size() / 8 + 8);
  std::size_t run = 0;
  for (std::size_t i = 0; i < cleaned.size(); ++i) {
    const char* entity = nullptr;
    switch (cleaned[i]) {
      case '&': entity = "&amp;"; break;
      case '<': entity = "&lt;"; break;
      case '>': entity = "&gt;"; break;
      case '"': entity = "&quot;"; break;
      case '\'': entity = "&#39;"; break;
      default: continue;
    }
    out.append(cleaned, run, i - run);
    out += entity;
    run = i + 1;
  }
  out.append(cleaned, run);
  return out;
}

std::string html_inline(std::string_view text) { return html_text(collapse_whitespace(clean_text(text))); }

std::string anchor_slug(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_dash = false;
  for (const char raw : text) {
    char c = raw;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!allowed) {
      pending_dash = true;
      continue;
    }
    if (pending_dash) out += '-';
    pending_dash = false;
    out += c;
  }
  const auto first = out.find_first_not_of('-');
  if (first == std::string::npos) return {};
  const auto last = out.find_last_not_of('-');
  return out.substr(first, last - first + 1);
}

std::string evidence_anchor(std::string_view project_key, std::string_view session_ref, std::string_view turn_ref) {
  std::string raw = "evidence-";
  raw.append(project_key).append("-").append(session_ref).append("-").append(turn_ref);
  return anchor_slug(raw);
}

}  // namespace diary::generate::render
