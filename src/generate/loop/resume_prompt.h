// The prompt sent after a turn that left work incomplete: built fresh each time from what the
// checks found still failing, so the model is told exactly what is missing (files, sizes,
// substrings, regexes, schema errors with JSON paths) rather than "try again". Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "generate/loop/loop_check.h"

namespace diary::generate {

enum class ResumeKind {
  resume,  // artifacts or the turn itself still failing
  repair,  // only the final message failed its output schema
};

std::string_view to_string(ResumeKind kind);

ResumeKind resume_kind(const LoopCheck& check);

struct ResumePromptInput {
  std::string_view original_prompt;
  // No turn has completed yet: the model may never have seen the task, so it is restated.
  bool restate_original = false;
  std::optional<std::string> extra;  // the spec's resume_prompt text
};

std::string build_resume_prompt(const LoopCheck& check, const ResumePromptInput& input);

}  // namespace diary::generate
