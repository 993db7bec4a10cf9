// Turns from a stream of classified records: a turn runs from its trigger line to just before
// the scaffolding of the next trigger (or to the end of the file). A Codex prompt and its
// event echo (same text, within 100 ms, no other trigger between) make one trigger.
// Source-neutral and sans-io; one builder per session; not thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "generate/prepare/session_record.h"
#include "generate/prepare/timestamp.h"

namespace diary::generate::prepare {

struct TurnSpan {
  std::size_t start_line = 0;  // 1-based, inclusive: the trigger
  std::size_t end_line = 0;    // 1-based, inclusive
  std::optional<Instant> trigger_time;
  friend bool operator==(const TurnSpan&, const TurnSpan&) = default;
};

class TurnBuilder {
 public:
  // Lines must arrive in order, each once. `time` is the record's own timestamp, if any.
  void add(std::size_t line, const RecordClass& record, std::optional<Instant> time);
  std::vector<TurnSpan> finish(std::size_t total_lines);

 private:
  bool is_echo_of_last(const RecordClass& record, std::optional<Instant> time) const;

  std::vector<TurnSpan> turns_;
  std::optional<std::size_t> scaffold_run_start_;
  // The last trigger, while it may still absorb its echo.
  struct LastTrigger {
    std::string text;
    TriggerChannel channel;
    std::optional<Instant> time;
  };
  std::optional<LastTrigger> last_trigger_;
};

}  // namespace diary::generate::prepare
