// Per-turn scripting of the fake app-server: upper-case tokens inside a turn's input text
// (see README.md for the contract). Pure parsing, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace diary::test::fake {

struct Directives {
  bool hang = false;                     // HANG
  bool hang_no_interrupt = false;        // HANG_NO_INTERRUPT
  bool crash = false;                    // CRASH
  bool fail = false;                     // FAIL
  bool fail_retry = false;               // FAIL_RETRY
  bool garbage = false;                  // GARBAGE
  bool approval = false;                 // APPROVAL
  bool file_approval = false;            // FILE_APPROVAL
  bool unknown_request = false;          // UNKNOWN_REQUEST
  bool stale = false;                    // STALE
  bool early = false;                    // EARLY
  bool bad_json = false;                 // BADJSON
  bool notify_unknown = false;           // NOTIFY_UNKNOWN
  bool no_phase = false;                 // NOPHASE
  bool null_phase = false;               // NULLPHASE
  bool two_messages = false;             // TWO_MESSAGES
  bool bad_notify = false;               // BAD_NOTIFY
  bool bad_completed = false;            // BAD_COMPLETED
  bool bad_approval = false;             // BAD_APPROVAL
  std::optional<std::int64_t> flood;     // FLOOD:N
  std::optional<std::int64_t> big_line;  // BIGLINE:N
  std::optional<std::int64_t> overload;  // OVERLOAD:N
  std::optional<std::int64_t> sleep_ms;  // SLEEP_MS:N
};

// Tokens are separated by ASCII whitespace; unknown tokens and malformed numbers are ignored.
Directives parse_directives(std::string_view text);

}  // namespace diary::test::fake
