#include "util/terminal_text.h"

#include <utf8proc.h>

namespace diary::util {

namespace {

constexpr utf8proc_int32_t replacement = 0xFFFD;

// The next code point of `text` at `i` (advancing `i`); invalid bytes read as U+FFFD, one each.
utf8proc_int32_t next_code_point(std::string_view text, std::size_t& i) {
  utf8proc_int32_t code = 0;
  const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                                  static_cast<utf8proc_ssize_t>(text.size() - i), &code);
  if (n <= 0) {
    ++i;
    return replacement;
  }
  i += static_cast<std::size_t>(n);
  return code;
}

void append(std::string& out, utf8proc_int32_t code) {
  utf8proc_uint8_t buffer[4];
  const auto n = utf8proc_encode_char(code, buffer);
  out.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(n));
}

// Skips the rest of an escape sequence whose ESC was just read (ECMA-48: CSI ends at a final
// byte 0x40-0x7E; OSC, DCS, SOS, PM and APC end at BEL or ST; others are ESC + one byte).
void skip_escape(std::string_view text, std::size_t& i) {
  if (i >= text.size()) return;
  const char kind = text[i++];
  if (kind == '[') {
    while (i < text.size()) {
      const auto c = static_cast<unsigned char>(text[i++]);
      if (c >= 0x40 && c <= 0x7E) return;
    }
    return;
  }
  if (kind == ']' || kind == 'P' || kind == 'X' || kind == '^' || kind == '_') {
    while (i < text.size()) {
      const char c = text[i++];
      if (c == '\a') return;
      if (c == '\x1b' && i < text.size() && text[i] == '\\') {
        ++i;
        return;
      }
    }
  }
}

bool is_bidi_control(utf8proc_int32_t code) {
  return (code >= 0x202A && code <= 0x202E) || (code >= 0x2066 && code <= 0x2069) || code == 0x200E || code == 0x200F ||
         code == 0x061C;
}

int width_of(utf8proc_int32_t code) { return utf8proc_charwidth(code); }

}  // namespace

std::string terminal_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto code = next_code_point(text, i);
    if (code == 0x1B) {
      skip_escape(text, i);
    } else if (code == '\n' || code == '\r' || code == '\t') {
      out += ' ';
    } else if (code < 0x20 || code == 0x7F || (code >= 0x80 && code < 0xA0) || is_bidi_control(code)) {
      continue;  // other controls: dropped
    } else {
      append(out, code);
    }
  }
  return out;
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) width += static_cast<std::size_t>(std::max(width_of(next_code_point(text, i)), 0));
  return width;
}

std::string fit_width(std::string_view text, std::size_t width) {
  std::string clean = terminal_line(text);
  if (display_width(clean) <= width) return clean;
  if (width == 0) return {};
  const std::size_t room = width - 1;  // "…" takes one column
  std::string out;
  std::size_t used = 0;
  for (std::size_t i = 0; i < clean.size();) {
    const std::size_t start = i;
    const auto code = next_code_point(clean, i);
    const auto w = static_cast<std::size_t>(std::max(width_of(code), 0));
    if (used + w > room) break;
    used += w;
    out.append(clean, start, i - start);
  }
  return out + "\u2026";
}

std::string pad_to_width(std::string_view text, std::size_t width, Align align) {
  const std::size_t have = display_width(text);
  const std::string padding(have < width ? width - have : 0, ' ');
  return align == Align::left ? std::string(text) + padding : padding + std::string(text);
}

}  // namespace diary::util
