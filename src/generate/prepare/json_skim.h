// A validating one-pass JSON scanner that picks out a handful of member values by key path
// (e.g. type, payload.type, payload.item.type) without building a document. Session files
// are mostly huge tool outputs nobody needs; skimming them is several times faster than a
// full parse, and only the few records that matter are parsed in full afterwards.
// Grammar: RFC 8259, except that string bytes are not checked to be valid UTF-8.
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace diary::generate::prepare {

// Up to three object keys from the root: {"payload", "item", "type"}.
struct SkimPath {
  std::array<std::string_view, 3> keys{};
  std::size_t depth = 0;
};

struct SkimValue {
  enum class Kind { absent, string, number, object, array, boolean_true, boolean_false, null };
  Kind kind = Kind::absent;
  std::string_view raw;  // the value's text; strings include their quotes

  bool present() const { return kind != Kind::absent; }
  bool is_true() const { return kind == Kind::boolean_true; }
  // The decoded string (escapes resolved; bytes are not checked for UTF-8, as skimming does not);
  // empty optional for non-strings or bad escapes.
  std::optional<std::string> string() const;
  // Equality with a plain (escape-free) literal, without decoding.
  bool equals(std::string_view literal) const;
};

// Validates `text` as exactly one JSON value (surrounding whitespace allowed) and fills
// out[i] with the value found at paths[i] (first occurrence; absent when missing). At most 16
// paths. Returns false for malformed text or nesting deeper than 512 levels.
bool skim_json(std::string_view text, std::span<const SkimPath> paths, std::span<SkimValue> out);

}  // namespace diary::generate::prepare
