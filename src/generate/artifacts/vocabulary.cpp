#include "generate/artifacts/vocabulary.h"

#include <algorithm>
#include <array>

namespace diary::generate::artifacts {

namespace {

constexpr std::array trigger_terms{
    Term{"explicit_user_message", "the user asked for this work in their own words"},
    Term{"implicit_context", "the work follows from context the user set up earlier, not a new request"},
    Term{"user_correction", "the user corrected or redirected the agent's earlier work"},
    Term{"user_approval", "the user approved a plan or result (a terse \"go\" counts)"},
    Term{"resume_or_continue", "the user asked to resume or continue interrupted or earlier work"},
};
constexpr std::array outcome_terms{
    Term{"code_outcome", "source code was changed"},
    Term{"document_outcome", "a document or text artifact was written or changed"},
    Term{"decision_outcome", "a decision was reached or recorded"},
    Term{"validation_outcome", "something was tested, checked or verified"},
    Term{"process_outcome", "a workflow or prompt was improved, a reusable checklist made"},
    Term{"research_outcome", "something was investigated and the findings stated"},
    Term{"blocker_outcome", "a problem was identified but not solved, or the next action clarified"},
    Term{"other", "none of the above (the summary names the category it should have)"},
};
constexpr std::array check_terms{
    Term{"command_output", "the output or exit code of a command"},
    Term{"test_output", "the result of a test run"},
    Term{"artifact_inspection", "a file or artifact was opened and inspected"},
    Term{"user_feedback", "the user said whether it worked"},
    Term{"other", "any other observed check"},
};
constexpr std::array terminal_terms{
    Term{"material_result", "the turn ended with a material result (needs at least one outcome)"},
    Term{"no_material", "the turn ended without material change"},
    Term{"blocked", "the work could not proceed"},
    Term{"interrupted", "the turn was interrupted or aborted"},
    Term{"failed", "the attempt failed"},
    Term{"clarification_only", "the turn only clarified or asked questions"},
    Term{"evidence_gap", "the transcript does not show how the turn ended"},
    Term{"other", "any other ending"},
};
constexpr std::array materiality_terms{
    Term{"material", "the turn changed or decided something that matters"},
    Term{"minor", "small or routine activity"},
    Term{"none", "nothing of substance happened"},
};
constexpr std::array confidence_terms{
    Term{"high", "the evidence shows it directly"},
    Term{"medium", "the evidence supports it with some inference"},
    Term{"low", "weakly supported or largely inferred"},
};
constexpr std::array work_item_terms{
    Term{"material_work_item", "a line of work with a material trigger, reaction and outcome or ending"},
    Term{"no_material_work_item", "low-value or trivial turns swept together"},
    Term{"evidence_gap_item", "turns that have no evidence chain"},
    Term{"excluded_with_reason", "turns deliberately left out (needs a reason)"},
};
constexpr std::array dimension_terms{
    Term{"direction", "how the person set goals and scope"},
    Term{"review", "how the person checked plans and results"},
    Term{"correction", "how the person corrected the agent"},
    Term{"recovery", "how failures were recovered from"},
};
constexpr std::array pattern_terms{
    Term{"promote", "a pattern worth doing more"},
    Term{"avoid", "a pattern that cost attention without converging"},
    Term{"reuse", "a prompt, check or workflow worth reusing"},
};
constexpr std::array disposition_terms{
    Term{"completed", "an outcome or material result was reached"},
    Term{"blocked", "the work is blocked"},
    Term{"interrupted", "the work was interrupted"},
    Term{"failed", "the work failed"},
    Term{"clarification", "only clarification happened"},
};

const Vocabulary trigger_vocabulary{"trigger type", trigger_terms};
const Vocabulary outcome_vocabulary{"outcome category", outcome_terms};
const Vocabulary check_vocabulary{"observed check type", check_terms};
const Vocabulary terminal_vocabulary{"terminal state type", terminal_terms};
const Vocabulary materiality_vocabulary{"materiality", materiality_terms};
const Vocabulary confidence_vocabulary{"confidence", confidence_terms};
const Vocabulary work_item_vocabulary{"work item kind", work_item_terms};
const Vocabulary dimension_vocabulary{"engagement dimension", dimension_terms};
const Vocabulary pattern_vocabulary{"pattern kind", pattern_terms};
const Vocabulary disposition_vocabulary{"disposition", disposition_terms};

}  // namespace

bool Vocabulary::contains(std::string_view value) const {
  return std::any_of(terms.begin(), terms.end(), [&](const Term& term) { return term.value == value; });
}

std::vector<std::string> Vocabulary::values() const {
  std::vector<std::string> out;
  for (const auto& term : terms) out.emplace_back(term.value);
  return out;
}

nlohmann::json Vocabulary::enum_schema() const { return {{"type", "string"}, {"enum", values()}}; }

std::string Vocabulary::prompt_list() const {
  std::string out;
  for (const auto& term : terms) {
    out += "- `";
    out += term.value;
    out += "`: ";
    out += term.description;
    out += ".\n";
  }
  return out;
}

std::string Vocabulary::hint_list() const {
  auto sorted = values();
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (const auto& value : sorted) {
    if (!out.empty()) out += ", ";
    out += value;
  }
  return out;
}

const Vocabulary& trigger_types() { return trigger_vocabulary; }
const Vocabulary& outcome_categories() { return outcome_vocabulary; }
const Vocabulary& check_types() { return check_vocabulary; }
const Vocabulary& terminal_types() { return terminal_vocabulary; }
const Vocabulary& materiality_levels() { return materiality_vocabulary; }
const Vocabulary& confidence_levels() { return confidence_vocabulary; }
const Vocabulary& work_item_kinds() { return work_item_vocabulary; }
const Vocabulary& engagement_dimensions() { return dimension_vocabulary; }
const Vocabulary& pattern_kinds() { return pattern_vocabulary; }
const Vocabulary& dispositions() { return disposition_vocabulary; }

const Vocabulary* find_vocabulary(std::string_view name) {
  struct Named {
    std::string_view name;
    const Vocabulary* vocabulary;
  };
  static const std::array named{
      Named{"trigger_types", &trigger_vocabulary},
      Named{"outcome_categories", &outcome_vocabulary},
      Named{"check_types", &check_vocabulary},
      Named{"terminal_types", &terminal_vocabulary},
      Named{"materiality_levels", &materiality_vocabulary},
      Named{"confidence_levels", &confidence_vocabulary},
      Named{"work_item_kinds", &work_item_vocabulary},
      Named{"engagement_dimensions", &dimension_vocabulary},
      Named{"pattern_kinds", &pattern_vocabulary},
      Named{"dispositions", &disposition_vocabulary},
  };
  for (const auto& entry : named)
    if (entry.name == name) return entry.vocabulary;
  return nullptr;
}

int confidence_rank(std::string_view confidence) {
  if (confidence == "high") return 3;
  if (confidence == "medium") return 2;
  if (confidence == "low") return 1;
  return 0;
}

}  // namespace diary::generate::artifacts
