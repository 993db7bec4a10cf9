// The prompt templates of the generate passes (src/generate/prompts/*.md, compiled into the
// binary) and the one function that fills them: `{{name}}` takes a value given by the caller,
// `{{vocab:<list>}}` the prompt list of a controlled vocabulary (artifacts/vocabulary.h), so
// prompts and validators share one source. `diary prompts show NAME` prints them. Pure;
// thread-safe.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "agent/error.h"

namespace diary::generate::phases {

struct PromptTemplate {
  std::string_view name;  // file name without .md, e.g. "evidence-extractor"
  std::string_view text;
};

std::span<const PromptTemplate> prompt_templates();  // sorted by name
const PromptTemplate* find_prompt_template(std::string_view name);

using PromptValues = std::map<std::string, std::string, std::less<>>;

// invalid_input naming the placeholder when a value or vocabulary is missing (a template bug:
// tests render every template).
agent::Result<std::string> render_prompt(std::string_view name, const PromptValues& values);

// The version recorded with artifacts made by this template's pass (artifacts/versions.h).
std::string_view prompt_version(std::string_view name);

}  // namespace diary::generate::phases
