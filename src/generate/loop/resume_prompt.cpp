#include "generate/loop/resume_prompt.h"

namespace diary::generate {

std::string_view to_string(ResumeKind kind) { return kind == ResumeKind::repair ? "repair" : "resume"; }

ResumeKind resume_kind(const LoopCheck& check) {
  const bool only_output = check.artifacts.complete() && check.turn_problems.empty() && !check.output_problems.empty();
  return only_output ? ResumeKind::repair : ResumeKind::resume;
}

std::string build_resume_prompt(const LoopCheck& check, const ResumePromptInput& input) {
  std::string prompt;
  if (resume_kind(check) == ResumeKind::repair) {
    prompt =
        "Your final message must be a single JSON value valid against the requested output schema, "
        "but it failed validation:\n";
    for (const auto& violation : check.output_problems) prompt += "- " + to_string(violation) + "\n";
    prompt += "Reply again with only the corrected JSON.";
  } else {
    prompt = "The task is not finished yet. These checks still fail (verified from disk):\n";
    for (const auto& artifact : check.artifacts.artifacts)
      for (const auto& problem : artifact.problems) prompt += "- " + artifact.path + ": " + problem + "\n";
    for (const auto& problem : check.turn_problems) prompt += "- " + problem + "\n";
    for (const auto& violation : check.output_problems)
      prompt += "- final message (must be JSON valid against the output schema): " + to_string(violation) + "\n";
    prompt += "Continue the task and fix every item above. Only what is on disk counts.";
  }
  if (input.restate_original) prompt += "\n\nThe task:\n" + std::string(input.original_prompt);
  if (input.extra && !input.extra->empty()) prompt += "\n\n" + *input.extra;
  return prompt;
}

}  // namespace diary::generate
