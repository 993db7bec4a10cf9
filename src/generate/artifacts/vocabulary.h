// The controlled vocabularies of the generate artifacts (spec/generate.md §3), in one place.
// Validators, the tool input schemas published by `diary mcp serve` and the prompt texts are all
// generated from these lists, so they cannot drift apart. Constant data; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace diary::generate::artifacts {

inline constexpr int schema_version = 1;

struct Term {
  std::string_view value;
  std::string_view description;  // one line for prompts
};

struct Vocabulary {
  std::string_view name;  // e.g. "trigger type", used in messages
  std::span<const Term> terms;

  bool contains(std::string_view value) const;
  std::vector<std::string> values() const;  // in declaration order
  nlohmann::json enum_schema() const;       // {"type":"string","enum":[...]}
  // "- `value`: description." lines, one per term, for prompt templates.
  std::string prompt_list() const;
  // "a, b, c" sorted, for hints.
  std::string hint_list() const;
};

const Vocabulary& trigger_types();
const Vocabulary& outcome_categories();
const Vocabulary& check_types();
const Vocabulary& terminal_types();
const Vocabulary& materiality_levels();
const Vocabulary& confidence_levels();
const Vocabulary& work_item_kinds();
const Vocabulary& engagement_dimensions();
const Vocabulary& pattern_kinds();
const Vocabulary& dispositions();

// Every vocabulary by the name used in prompt templates ({{vocab:trigger_types}}); nullptr if
// unknown.
const Vocabulary* find_vocabulary(std::string_view template_name);

// high=3, medium=2, low=1, anything else 0.
int confidence_rank(std::string_view confidence);

}  // namespace diary::generate::artifacts
