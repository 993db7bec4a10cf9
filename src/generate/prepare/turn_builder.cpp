#include "generate/prepare/turn_builder.h"

#include <chrono>
#include <string_view>

#include "generate/prepare/text_util.h"

namespace diary::generate::prepare {

namespace {

constexpr auto echo_window = std::chrono::milliseconds(100);

}  // namespace

bool TurnBuilder::is_echo_of_last(const RecordClass& record, std::optional<Instant> time) const {
  if (!last_trigger_ || last_trigger_->channel == record.channel) return false;
  if (!time || !last_trigger_->time) return false;
  const auto gap = *time > *last_trigger_->time ? *time - *last_trigger_->time : *last_trigger_->time - *time;
  return gap <= echo_window && trim_space(record.trigger_text) == trim_space(last_trigger_->text);
}

void TurnBuilder::add(std::size_t line, const RecordClass& record, std::optional<Instant> time) {
  switch (record.role) {
    case RecordRole::scaffold:
      if (!scaffold_run_start_) scaffold_run_start_ = line;
      return;
    case RecordRole::reaction: scaffold_run_start_.reset(); return;
    case RecordRole::trigger: break;
  }
  if (is_echo_of_last(record, time)) {
    // The echo is part of its prompt's turn; it cannot absorb a second echo.
    last_trigger_.reset();
    scaffold_run_start_.reset();
    return;
  }
  if (!turns_.empty()) turns_.back().end_line = (scaffold_run_start_ ? *scaffold_run_start_ : line) - 1;
  turns_.push_back(TurnSpan{line, line, time});
  last_trigger_ = LastTrigger{record.trigger_text, record.channel, time};
  scaffold_run_start_.reset();
}

std::vector<TurnSpan> TurnBuilder::finish(std::size_t total_lines) {
  // The last turn owns everything to the end of the file, trailing scaffolding included.
  if (!turns_.empty()) turns_.back().end_line = std::max(turns_.back().start_line, total_lines);
  return std::move(turns_);
}

}  // namespace diary::generate::prepare
