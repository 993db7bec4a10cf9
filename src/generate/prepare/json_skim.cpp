#include "generate/prepare/json_skim.h"

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace diary::generate::prepare {

namespace {

constexpr int max_depth = 512;

class Skimmer {
 public:
  Skimmer(std::string_view text, std::span<const SkimPath> paths, std::span<SkimValue> out)
      : p_(text.data()), end_(text.data() + text.size()), paths_(paths), out_(out) {}

  bool run() {
    std::uint32_t all = paths_.size() >= 32 ? ~0u : ((1u << paths_.size()) - 1);
    skip_space();
    if (!value(all, 0, 0)) return false;
    skip_space();
    return p_ == end_;
  }

 private:
  void skip_space() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  // `candidates`: paths whose first `depth` keys match where we are. A value at the end of such
  // a path is recorded.
  bool value(std::uint32_t candidates, std::size_t depth, int nesting) {
    if (p_ >= end_) return false;
    const char* start = p_;
    SkimValue::Kind kind;
    switch (*p_) {
      case '{':
        if (nesting >= max_depth || !object(candidates, depth, nesting + 1)) return false;
        kind = SkimValue::Kind::object;
        break;
      case '[':
        if (nesting >= max_depth || !array(nesting + 1)) return false;
        kind = SkimValue::Kind::array;
        break;
      case '"':
        if (!string()) return false;
        kind = SkimValue::Kind::string;
        break;
      case 't':
        if (!literal("true")) return false;
        kind = SkimValue::Kind::boolean_true;
        break;
      case 'f':
        if (!literal("false")) return false;
        kind = SkimValue::Kind::boolean_false;
        break;
      case 'n':
        if (!literal("null")) return false;
        kind = SkimValue::Kind::null;
        break;
      default:
        if (!number()) return false;
        kind = SkimValue::Kind::number;
        break;
    }
    if (candidates != 0) record(candidates, depth, kind, std::string_view(start, static_cast<std::size_t>(p_ - start)));
    return true;
  }

  void record(std::uint32_t candidates, std::size_t depth, SkimValue::Kind kind, std::string_view raw) {
    for (std::size_t i = 0; i < paths_.size(); ++i)
      if ((candidates >> i & 1u) && paths_[i].depth == depth && !out_[i].present()) out_[i] = SkimValue{kind, raw};
  }

  bool object(std::uint32_t candidates, std::size_t depth, int nesting) {
    ++p_;  // '{'
    skip_space();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    while (true) {
      skip_space();
      if (p_ >= end_ || *p_ != '"') return false;
      const char* key_start = p_ + 1;
      if (!string()) return false;
      const std::string_view key(key_start, static_cast<std::size_t>(p_ - 1 - key_start));
      std::uint32_t next = 0;
      if (candidates != 0 && depth < 3)
        for (std::size_t i = 0; i < paths_.size(); ++i)
          if ((candidates >> i & 1u) && paths_[i].depth > depth && paths_[i].keys[depth] == key) next |= 1u << i;
      skip_space();
      if (p_ >= end_ || *p_ != ':') return false;
      ++p_;
      skip_space();
      if (!value(next, depth + 1, nesting)) return false;
      skip_space();
      if (p_ >= end_) return false;
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ == '}') {
        ++p_;
        return true;
      }
      return false;
    }
  }

  bool array(int nesting) {
    ++p_;  // '['
    skip_space();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    while (true) {
      skip_space();
      if (!value(0, 0, nesting)) return false;
      skip_space();
      if (p_ >= end_) return false;
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ == ']') {
        ++p_;
        return true;
      }
      return false;
    }
  }

  static bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

  // Leaves p_ just after the closing quote.
  bool string() {
    ++p_;  // opening quote
    while (true) {
      skip_plain_string_bytes();
      if (p_ >= end_) return false;
      const unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c < 0x20) return false;
      // c == '\\'
      if (end_ - p_ < 2) return false;
      switch (p_[1]) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't': p_ += 2; break;
        case 'u':
          if (end_ - p_ < 6 || !is_hex(p_[2]) || !is_hex(p_[3]) || !is_hex(p_[4]) || !is_hex(p_[5])) return false;
          p_ += 6;
          break;
        default: return false;
      }
    }
  }

  // Advances over bytes that need no attention inside a string: not '"', not '\\', >= 0x20.
  void skip_plain_string_bytes() {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i control_max = _mm_set1_epi8(0x1f);
    while (end_ - p_ >= 16) {
      const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_));
      // A byte is a control character when max(byte, 0x1f) == 0x1f (unsigned).
      const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)),
                                           _mm_cmpeq_epi8(_mm_max_epu8(chunk, control_max), control_max));
      const int mask = _mm_movemask_epi8(special);
      if (mask != 0) {
        p_ += __builtin_ctz(static_cast<unsigned>(mask));
        return;
      }
      p_ += 16;
    }
#endif
    while (p_ < end_) {
      const unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"' || c == '\\' || c < 0x20) return;
      ++p_;
    }
  }

  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size()) != 0) return false;
    p_ += word.size();
    return true;
  }

  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  bool number() {
    if (p_ < end_ && *p_ == '-') ++p_;
    if (p_ >= end_) return false;
    if (*p_ == '0') {
      ++p_;
    } else if (*p_ >= '1' && *p_ <= '9') {
      while (p_ < end_ && is_digit(*p_)) ++p_;
    } else {
      return false;
    }
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (p_ >= end_ || !is_digit(*p_)) return false;
      while (p_ < end_ && is_digit(*p_)) ++p_;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ >= end_ || !is_digit(*p_)) return false;
      while (p_ < end_ && is_digit(*p_)) ++p_;
    }
    return true;
  }

  const char* p_;
  const char* end_;
  std::span<const SkimPath> paths_;
  std::span<SkimValue> out_;
};

}  // namespace

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Four hex digits at text[at..at+4), or -1.
long hex4(std::string_view text, std::size_t at) {
  if (at + 4 > text.size()) return -1;
  long value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const int digit = hex_value(text[at + i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

void append_utf8(std::string& out, unsigned long code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

}  // namespace

// Decoded by hand: tool outputs are large and full of \n, and a parser builds its token one
// character at a time. Runs without a backslash are copied whole. \u escapes follow RFC 8259 (a
// surrogate pair is one character; a lone surrogate is a bad escape, as nlohmann treats it).
std::optional<std::string> SkimValue::string() const {
  if (kind != Kind::string) return std::nullopt;
  const std::string_view inner = raw.substr(1, raw.size() - 2);
  std::string out;
  out.reserve(inner.size());
  for (std::size_t at = 0; at < inner.size();) {
    const std::size_t escape = inner.find('\\', at);
    out.append(inner.substr(at, escape == std::string_view::npos ? std::string_view::npos : escape - at));
    if (escape == std::string_view::npos) break;
    if (escape + 1 >= inner.size()) return std::nullopt;
    at = escape + 2;
    switch (inner[escape + 1]) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        long code = hex4(inner, at);
        if (code < 0) return std::nullopt;
        at += 4;
        if (code >= 0xDC00 && code <= 0xDFFF) return std::nullopt;  // a trailing surrogate first
        if (code >= 0xD800 && code <= 0xDBFF) {
          if (at + 6 > inner.size() || inner[at] != '\\' || inner[at + 1] != 'u') return std::nullopt;
          const long low = hex4(inner, at + 2);
          if (low < 0xDC00 || low > 0xDFFF) return std::nullopt;
          at += 6;
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(out, static_cast<unsigned long>(code));
        break;
      }
      default: return std::nullopt;
    }
  }
  return out;
}

bool SkimValue::equals(std::string_view literal) const {
  return kind == Kind::string && raw.size() == literal.size() + 2 && raw.substr(1, literal.size()) == literal;
}

bool skim_json(std::string_view text, std::span<const SkimPath> paths, std::span<SkimValue> out) {
  if (paths.size() > 16 || out.size() < paths.size()) return false;
  for (std::size_t i = 0; i < paths.size(); ++i) out[i] = SkimValue{};
  return Skimmer(text, paths, out).run();
}

}  // namespace diary::generate::prepare
