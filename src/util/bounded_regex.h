// Regular expressions with bounded time and memory, for every place where a user- or
// model-controlled string meets a pattern (artifact `matches`, JSON Schema `pattern`, ...).
// libstdc++'s std::regex recurses once per character and backtracks without bound: a 50 KB
// subject overflows the stack (SIGSEGV) and `^(a+)+$` on 41 bytes runs for ever. This wraps
// PCRE2 (pcre2-8) with a match limit, a stack limit for its JIT (the JIT is 10-25 times faster
// on large artifacts; when its stack is too small the search is redone by the interpreter, which
// has a depth limit and a heap limit instead) and a wall-clock limit for the whole search; a
// pattern is compiled once. A pattern that does not
// compile, or a search that hits a limit, is an error value naming the pattern and the limit:
// never a crash, a hang or an exception.
//
// Thread-safety: a compiled BoundedRegex is immutable; search() may run on several threads at
// once (each call has its own match data).
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <string_view>

namespace diary::util {

// The documented bounds (docs/jobs.md). Every search is bounded by all four.
struct RegexLimits {
  // Backtracking steps (pcre2 "match limit") from one start position.
  std::uint32_t match_limit = 10'000'000;
  // Nested backtracking points (pcre2 "depth limit"): a `(.|\n)*` over N bytes needs about N.
  std::uint32_t depth_limit = 10'000'000;
  // Memory for backtracking points, in KiB (pcre2 "heap limit").
  std::uint32_t heap_limit_kib = 256 * 1024;
  // Wall-clock time for the whole search (every start position together).
  std::chrono::milliseconds time_limit{3000};
  // Stack of the JIT-compiled matcher, in KiB; 0 = interpreter only.
  std::uint32_t jit_stack_kib = 8 * 1024;
};

enum class RegexDialect {
  // Artifact `matches`: ^ and $ match at every line, `.` does not match a newline.
  multiline,
  // JSON Schema `pattern` (ECMA-262 flavour): ^ and $ at the ends of the string only,
  // \uXXXX escapes.
  ecma,
};

class BoundedRegex {
 public:
  // Compiles `pattern` (UTF-8; subjects that are not valid UTF-8 still match byte-wise where
  // they are). The error says why, with the offset into the pattern.
  static std::expected<BoundedRegex, std::string> compile(std::string_view pattern, RegexDialect dialect,
                                                          RegexLimits limits = {});

  // Whether the pattern matches anywhere in `subject`; an error (naming the pattern and the
  // limit) when the search hit one of the limits.
  std::expected<bool, std::string> search(std::string_view subject) const;

  const std::string& pattern() const;
  const RegexLimits& limits() const;

 private:
  struct Compiled;
  explicit BoundedRegex(std::shared_ptr<const Compiled> compiled) : compiled_(std::move(compiled)) {}
  std::shared_ptr<const Compiled> compiled_;
};

// `/pattern/` for messages, shortened in the middle when it is long.
std::string shown_pattern(std::string_view pattern);

}  // namespace diary::util
