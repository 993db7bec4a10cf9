// Versions that go into the artifacts' inputs_sha256, so an artifact made by an older prompt (or
// from different transcript bytes) is recognised as stale and redone. Bump a version whenever
// the prompt template of that pass changes meaningfully.
#pragma once

#include <string_view>

namespace diary::generate::artifacts {

inline constexpr std::string_view evidence_prompt_version = "evidence-v1";
inline constexpr std::string_view project_prompt_version = "project-v1";
inline constexpr std::string_view daily_prompt_version = "daily-v1";

}  // namespace diary::generate::artifacts
