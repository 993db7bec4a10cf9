#include "generate/render/report_sections.h"

#include "generate/artifacts/vocabulary.h"
#include "generate/render/fixed_text.h"

namespace diary::generate::render {

namespace {

std::string capitalized(std::string_view value) {
  std::string out(value);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

template <class T, class KeyOf>
std::vector<Group<T>> group_by(const std::vector<T>& items, const artifacts::Vocabulary& vocabulary, KeyOf key_of) {
  std::vector<Group<T>> groups;
  for (const auto& term : vocabulary.terms) {
    Group<T> group{std::string(term.value), capitalized(term.value), {}};
    for (const auto& item : items)
      if (key_of(item) == term.value) group.members.push_back(&item);
    if (!group.members.empty()) groups.push_back(std::move(group));
  }
  Group<T> other{"", "Other", {}};
  for (const auto& item : items)
    if (!vocabulary.contains(key_of(item))) other.members.push_back(&item);
  if (!other.members.empty()) groups.push_back(std::move(other));
  return groups;
}

}  // namespace

std::vector<Group<ObservationView>> group_observations(const EngagementView& engagement) {
  return group_by(engagement.observations, artifacts::engagement_dimensions(),
                  [](const ObservationView& observation) -> const std::string& { return observation.dimension; });
}

std::vector<Group<PatternView>> group_patterns(const TeamLearningView& learning) {
  return group_by(learning.patterns, artifacts::pattern_kinds(),
                  [](const PatternView& pattern) -> const std::string& { return pattern.kind; });
}

JudgmentSection engagement_section(const ReportView& view) {
  JudgmentSection out{engagement_section_id, text::engagement_heading, text::no_engagement, text::no_overall_reading,
                      text::engagement_limit};
  if (const auto& slot = view.engagement) {
    out.present = slot->overall_reading || !slot->observations.empty();
    out.offline = slot->offline;
    out.lead = slot->overall_reading ? &*slot->overall_reading : nullptr;
    out.limits = slot->limits;
  }
  return out;
}

JudgmentSection team_learning_section(const ReportView& view) {
  JudgmentSection out{team_learning_section_id, text::team_learning_heading, text::no_team_learning, text::no_takeaways,
                      text::team_learning_limit};
  if (const auto& slot = view.team_learning) {
    out.present = slot->takeaways || !slot->patterns.empty();
    out.offline = slot->offline;
    out.lead = slot->takeaways ? &*slot->takeaways : nullptr;
    out.limits = slot->limits;
  }
  return out;
}

std::string generated_by_text(const ReportView& view) {
  if (!view.generated_by) return text::not_recorded;
  const GeneratedBy& by = *view.generated_by;
  if (by.offline) return "no model, offline";
  std::string out = by.model.empty() ? "model not recorded" : by.model;
  if (!by.provider.empty()) out += " · " + by.provider;
  return out;
}

}  // namespace diary::generate::render
