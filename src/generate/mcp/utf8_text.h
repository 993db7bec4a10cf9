// UTF-8 helpers for the session reader: repair invalid bytes (session lines are untrusted and
// nlohmann refuses to dump invalid UTF-8), count and index Unicode characters (fragment offsets
// and cursors are in characters), and cut text on character boundaries (payload trimming).
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace diary::generate::mcp {

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
bool is_valid_utf8(std::string_view text);

// `text` with every maximal invalid subsequence replaced by U+FFFD (as WHATWG decoders and
// Python's errors="replace" do); valid text comes back unchanged.
std::string repair_utf8(std::string_view text);

// Number of characters of valid UTF-8 `text` (bytes that are not continuation bytes).
std::size_t char_count(std::string_view text);

// Byte offset of the character with index `chars` in valid UTF-8 `text` (text.size() when
// `chars` >= char_count(text)).
std::size_t byte_offset_of_char(std::string_view text, std::size_t chars);

// The longest prefix of at most `max_bytes` bytes that ends on a character boundary.
std::string_view utf8_head(std::string_view text, std::size_t max_bytes);

// The longest suffix of at most `max_bytes` bytes that starts on a character boundary.
std::string_view utf8_tail(std::string_view text, std::size_t max_bytes);

}  // namespace diary::generate::mcp
