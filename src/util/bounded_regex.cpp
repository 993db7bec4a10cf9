#include "util/bounded_regex.h"

#include <algorithm>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace diary::util {

namespace {

using Clock = std::chrono::steady_clock;

// The callout that bounds the whole search in time: PCRE2's own limits count per start
// position, so a search such as `[a-z]*[0-9]` over megabytes of letters (every start position
// scans to the end) would otherwise run for hours within them. It sits at the start of the
// pattern, so it runs once per start position the matcher tries.
constexpr std::string_view time_callout = "(?C255)";
constexpr int time_callout_number = 255;

// The clock is read every `stride` start positions. A fixed stride overshot the limit by that many
// start positions, and one start position can cost milliseconds (`[a-z]*[0-9]` over megabytes in
// the interpreter: a 200 ms limit took 30 s at stride 256). So the stride adapts: it doubles while
// reads come less than 100 us apart (cheap start positions, where reading the clock each time
// would cost more than the search) and falls back to 1 as soon as they are further apart.
struct SearchClock {
  Clock::time_point deadline;
  Clock::time_point last_read = Clock::now();
  bool expired = false;
  std::uint32_t calls = 0;
  std::uint32_t stride = 1;
};

constexpr std::uint32_t max_clock_stride = 256;
constexpr auto cheap_interval = std::chrono::microseconds(100);

int check_time(pcre2_callout_block* block, void* data) {
  if (block->callout_number != time_callout_number) return 0;
  auto* clock = static_cast<SearchClock*>(data);
  if (++clock->calls < clock->stride) return 0;
  clock->calls = 0;
  const auto now = Clock::now();
  if (now >= clock->deadline) {
    clock->expired = true;
    return PCRE2_ERROR_CALLOUT;
  }
  if (now - clock->last_read < cheap_interval) clock->stride = std::min(clock->stride * 2, max_clock_stride);
  else clock->stride = 1;
  clock->last_read = now;
  return 0;
}

std::string error_text(int code) {
  PCRE2_UCHAR buffer[256];
  if (pcre2_get_error_message(code, buffer, sizeof buffer) < 0) return "error " + std::to_string(code);
  return reinterpret_cast<const char*>(buffer);
}

// Leading `(*VERB)` items (`(*UTF)`, `(*CRLF)`, `(*LIMIT_MATCH=n)`, ...) must stay first.
std::size_t leading_verbs_end(std::string_view pattern) {
  std::size_t at = 0;
  while (pattern.substr(at).starts_with("(*")) {
    const auto close = pattern.find(')', at);
    if (close == std::string_view::npos) break;
    at = close + 1;
  }
  return at;
}

// 1234567 -> "1,234,567". Built by appending: GCC 12 at -O2 warns (-Wrestrict, a false positive)
// on std::string::insert here.
std::string thousands(std::uint64_t value) {
  const std::string digits = std::to_string(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

struct BoundedRegex::Compiled {
  std::string pattern;
  RegexLimits limits;
  std::size_t inserted_at = 0;  // where time_callout went (error offsets are reported without it)
  pcre2_code* code = nullptr;
  bool jit = false;

  ~Compiled() { pcre2_code_free(code); }
};

std::string shown_pattern(std::string_view pattern) {
  constexpr std::size_t max_shown = 120;
  if (pattern.size() <= max_shown) return "/" + std::string(pattern) + "/";
  return "/" + std::string(pattern.substr(0, max_shown / 2)) + "…" + std::string(pattern.substr(pattern.size() - max_shown / 2)) +
         "/ (" + std::to_string(pattern.size()) + " characters)";
}

std::expected<BoundedRegex, std::string> BoundedRegex::compile(std::string_view pattern, RegexDialect dialect,
                                                               RegexLimits limits) {
  auto compiled = std::make_shared<Compiled>();
  compiled->pattern = std::string(pattern);
  compiled->limits = limits;
  compiled->inserted_at = leading_verbs_end(pattern);
  std::string source(pattern.substr(0, compiled->inserted_at));
  source += time_callout;
  source += pattern.substr(compiled->inserted_at);

  // UTF-8 with invalid sequences tolerated in subjects (artifacts are arbitrary bytes); \C is
  // refused because it could split a character.
  std::uint32_t options = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C;
  if (dialect == RegexDialect::multiline) options |= PCRE2_MULTILINE;
  else options |= PCRE2_DOLLAR_ENDONLY | PCRE2_ALT_BSUX;

  int error = 0;
  PCRE2_SIZE offset = 0;
  compiled->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source.data()), source.size(), options, &error, &offset, nullptr);
  if (compiled->code == nullptr) {
    if (offset >= compiled->inserted_at + time_callout.size()) offset -= time_callout.size();
    else if (offset > compiled->inserted_at) offset = compiled->inserted_at;
    return std::unexpected("invalid regex " + shown_pattern(pattern) + ": " + error_text(error) + " at offset " +
                           std::to_string(offset));
  }
  // Without JIT support (or for a pattern it cannot compile) pcre2_match interprets: slower, as bounded.
  if (limits.jit_stack_kib > 0) compiled->jit = pcre2_jit_compile(compiled->code, PCRE2_JIT_COMPLETE) == 0;
  return BoundedRegex(std::move(compiled));
}

const std::string& BoundedRegex::pattern() const { return compiled_->pattern; }
const RegexLimits& BoundedRegex::limits() const { return compiled_->limits; }

std::expected<bool, std::string> BoundedRegex::search(std::string_view subject) const {
  const RegexLimits& limits = compiled_->limits;
  std::unique_ptr<pcre2_match_context, decltype(&pcre2_match_context_free)> context(pcre2_match_context_create(nullptr),
                                                                                    pcre2_match_context_free);
  std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> data(pcre2_match_data_create(1, nullptr),
                                                                           pcre2_match_data_free);
  if (!context || !data) return std::unexpected("regex " + shown_pattern(compiled_->pattern) + ": out of memory");
  pcre2_set_match_limit(context.get(), limits.match_limit);
  pcre2_set_depth_limit(context.get(), limits.depth_limit);
  pcre2_set_heap_limit(context.get(), limits.heap_limit_kib);
  SearchClock clock{Clock::now() + limits.time_limit};
  pcre2_set_callout(context.get(), check_time, &clock);

  auto match = [&](std::uint32_t options) {
    return pcre2_match(compiled_->code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, options, data.get(),
                       context.get());
  };
  int rc = PCRE2_ERROR_JIT_STACKLIMIT;
  if (compiled_->jit) {
    // One JIT stack per thread, reserved once (pages are only touched when a match needs them).
    thread_local std::unique_ptr<pcre2_jit_stack, decltype(&pcre2_jit_stack_free)> stack(nullptr, pcre2_jit_stack_free);
    thread_local std::uint32_t stack_kib = 0;
    if (!stack || stack_kib != limits.jit_stack_kib) {
      stack.reset(pcre2_jit_stack_create(32 * 1024, static_cast<PCRE2_SIZE>(limits.jit_stack_kib) * 1024, nullptr));
      stack_kib = limits.jit_stack_kib;
    }
    if (stack) {
      pcre2_jit_stack_assign(context.get(), nullptr, stack.get());
      rc = match(0);
    }
  }
  // The interpreter keeps its backtracking frames on the heap, bounded by the depth and heap limits.
  if (rc == PCRE2_ERROR_JIT_STACKLIMIT && !clock.expired) rc = match(PCRE2_NO_JIT);
  if (rc >= 0) return true;
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  const std::string shown =
      "regex " + shown_pattern(compiled_->pattern) + " gave up on " + thousands(subject.size()) + " byte(s): ";
  if (rc == PCRE2_ERROR_CALLOUT && clock.expired)
    return std::unexpected(shown + "it hit the time limit (" + std::to_string(limits.time_limit.count()) + " ms)");
  if (rc == PCRE2_ERROR_MATCHLIMIT)
    return std::unexpected(shown + "it hit the match limit (" + thousands(limits.match_limit) +
                           " backtracking steps); make it less ambiguous, e.g. no nested quantifiers");
  if (rc == PCRE2_ERROR_DEPTHLIMIT)
    return std::unexpected(shown + "it hit the depth limit (" + thousands(limits.depth_limit) + " nested backtracking points)");
  if (rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_NOMEMORY)
    return std::unexpected(shown + "it hit the heap limit (" + std::to_string(limits.heap_limit_kib / 1024) +
                           " MiB); a repeated group such as (.|\\n)* needs memory per repetition, [\\s\\S]* does not");
  return std::unexpected(shown + error_text(rc));
}

}  // namespace diary::util
