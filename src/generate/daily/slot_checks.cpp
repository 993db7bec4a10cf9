#include "generate/daily/slot_checks.h"

#include <algorithm>
#include <initializer_list>

#include <fmt/format.h>

#include "generate/artifacts/vocabulary.h"
#include "generate/daily/title_rules.h"
#include "generate/prepare/json_fields.h"

namespace diary::generate::daily {

using artifacts::Problems;
using nlohmann::json;

namespace {

class SlotChecker {
 public:
  SlotChecker(const CitationIndex& index, std::string_view own_project, CitationCheck mode)
      : index_(index), own_project_(own_project), mode_(mode) {}

  // `object` at `path` must be an object holding only `allowed` keys.
  bool object(const json& value, const std::string& path, std::initializer_list<std::string_view> allowed) {
    if (!value.is_object()) {
      add(path, fmt::format("{} must be an object", display(path)), "write the slot through its tool");
      return false;
    }
    for (const auto& [key, _] : value.items())
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        add(child_path(path, key), fmt::format("{} is not a field of this slot", child_path(path, key)),
            "remove the field; write only the documented fields");
    return true;
  }

  void text(const json& object, std::string_view key, const std::string& path) {
    non_blank(prepare::field(object, key), child_path(path, key));
  }

  void non_blank(const json* value, const std::string& at) {
    if (value == nullptr || !value->is_string() ||
        value->get_ref<const std::string&>().find_first_not_of(" \t\r\n") == std::string::npos)
      add(at, fmt::format("{} must be a non-empty string", at), "provide a concise non-empty text");
  }

  void controlled(const json& object, std::string_view key, const artifacts::Vocabulary& vocabulary, const std::string& path) {
    const json* value = prepare::field(object, key);
    const std::string at = child_path(path, key);
    if (value == nullptr || !value->is_string() || !vocabulary.contains(value->get_ref<const std::string&>()))
      add(at, fmt::format("{} must be a controlled {} value", at, vocabulary.name),
          fmt::format("use a controlled value such as {}", vocabulary.hint_list()));
  }

  void citations(const json& object, const std::string& path) {
    const json* value = prepare::field(object, "citations");
    const std::string at = child_path(path, "citations");
    if (value == nullptr || !value->is_array() || value->empty()) {
      add(at, fmt::format("{} must cite at least one turn", at), "cite at least one committed turn from citable_turns");
      return;
    }
    if (mode_ == CitationCheck::count_only) return;
    for (std::size_t i = 0; i < value->size(); ++i)
      if (auto problem = index_.check_stored((*value)[i], own_project_, child_path(at, i)))
        problems_.push_back(std::move(*problem));
  }

  void limits(const json& object, const std::string& path) {
    const json* value = prepare::field(object, "limits");
    const std::string at = child_path(path, "limits");
    if (value == nullptr || !value->is_array()) {
      add(at, fmt::format("{} must be an array of strings", at), "list what the evidence cannot show, or []");
      return;
    }
    for (std::size_t i = 0; i < value->size(); ++i) non_blank(&(*value)[i], child_path(at, i));
  }

  void source(const json& object, const std::string& path) {
    const json* value = prepare::field(object, "source");
    if (value != nullptr && *value != "offline")
      add(child_path(path, "source"), fmt::format("{} may only be \"offline\"", child_path(path, "source")),
          "leave source out; only the offline fallback sets it");
  }

  void add(const std::string& path, std::string message, std::string hint) {
    problems_.push_back({path, std::move(message), std::move(hint)});
  }
  Problems take() { return std::move(problems_); }

 private:
  static std::string display(const std::string& path) { return path.empty() ? "the slot" : path; }

  const CitationIndex& index_;
  std::string_view own_project_;
  CitationCheck mode_;
  Problems problems_;
};

void check_cited_text(SlotChecker& check, const json& value, const std::string& path) {
  if (!check.object(value, path, {"text", "citations", "source"})) return;
  check.text(value, "text", path);
  check.citations(value, path);
  check.source(value, path);
}

void check_lead(SlotChecker& check, const json& object, std::string_view key, const std::string& path) {
  const std::string at = child_path(path, key);
  const json* lead = prepare::field(object, key);
  if (!check.object(lead ? *lead : json(nullptr), at, {"text", "citations", "confidence"})) return;
  check.text(*lead, "text", at);
  check.citations(*lead, at);
  check.controlled(*lead, "confidence", artifacts::confidence_levels(), at);
}

// observations / patterns: an array of cited claims with the given string fields.
template <class EachEntry>
void check_entries(SlotChecker& check, const json& object, std::string_view key, const std::string& path, EachEntry each) {
  const json* entries = prepare::field(object, key);
  const std::string at = child_path(path, key);
  if (entries == nullptr || !entries->is_array()) {
    check.add(at, fmt::format("{} must be an array", at), "write [] when there is nothing to say");
    return;
  }
  for (std::size_t i = 0; i < entries->size(); ++i) each((*entries)[i], child_path(at, i));
}

void check_engagement(SlotChecker& check, const json& value, const std::string& path) {
  if (!check.object(value, path, {"overall_reading", "observations", "limits", "source"})) return;
  check_lead(check, value, "overall_reading", path);
  check_entries(check, value, "observations", path, [&](const json& entry, const std::string& at) {
    if (!check.object(entry, at, {"dimension", "statement", "citations", "confidence"})) return;
    check.controlled(entry, "dimension", artifacts::engagement_dimensions(), at);
    check.text(entry, "statement", at);
    check.citations(entry, at);
    check.controlled(entry, "confidence", artifacts::confidence_levels(), at);
  });
  check.limits(value, path);
  check.source(value, path);
}

void check_team_learning(SlotChecker& check, const json& value, const std::string& path) {
  if (!check.object(value, path, {"takeaways", "patterns", "limits", "source"})) return;
  check_lead(check, value, "takeaways", path);
  check_entries(check, value, "patterns", path, [&](const json& entry, const std::string& at) {
    if (!check.object(entry, at, {"kind", "statement", "rationale", "recurrence", "citations", "confidence"})) return;
    check.controlled(entry, "kind", artifacts::pattern_kinds(), at);
    for (std::string_view key : {"statement", "rationale", "recurrence"}) check.text(entry, key, at);
    check.citations(entry, at);
    check.controlled(entry, "confidence", artifacts::confidence_levels(), at);
  });
  check.limits(value, path);
  check.source(value, path);
}

}  // namespace

Problems check_slot(SlotKind kind, const json& value, const CitationIndex& index, std::string_view own_project,
                    const std::string& path, CitationCheck mode) {
  SlotChecker check(index, own_project, mode);
  switch (kind) {
    case SlotKind::project_summary: check_cited_text(check, value, path); break;
    case SlotKind::report_title:
      check_cited_text(check, value, path);
      if (auto text = prepare::string_field(value, "text"))
        for (auto& problem : title_problems(*text, child_path(path, "text")))
          check.add(problem.path, std::move(problem.message), std::move(problem.hint));
      break;
    case SlotKind::engagement: check_engagement(check, value, path); break;
    case SlotKind::team_learning: check_team_learning(check, value, path); break;
  }
  return check.take();
}

}  // namespace diary::generate::daily
