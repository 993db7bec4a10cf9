#include "generate/daily/confidence_rollup.h"

#include "generate/artifacts/vocabulary.h"
#include "generate/prepare/json_fields.h"

namespace diary::generate::daily {

using nlohmann::json;
using prepare::field;

namespace {

struct Tally {
  int sum = 0;
  int count = 0;

  void add(const json* holder) {
    if (holder == nullptr) return;
    auto value = prepare::string_field(*holder, "confidence");
    const int rank = value ? artifacts::confidence_rank(*value) : 0;
    if (rank == 0) return;
    sum += rank;
    ++count;
  }
  void add_each(const json* holder, std::string_view key) {
    const json* entries = holder ? field(*holder, key) : nullptr;
    if (entries == nullptr || !entries->is_array()) return;
    for (const auto& entry : *entries) add(&entry);
  }
};

}  // namespace

std::optional<std::string> overall_confidence(const json& report) {
  Tally tally;
  if (const json* projects = field(report, "projects"); projects && projects->is_array())
    for (const auto& project : *projects) {
      const json* items = field(project, "work_items");
      if (items == nullptr || !items->is_array()) continue;
      for (const auto& item : *items) {
        if (prepare::string_field(item, "kind") != std::optional<std::string_view>("material_work_item")) continue;
        tally.add(&item);
        tally.add_each(&item, "outcomes");
      }
    }
  const json* engagement = field(report, "engagement_assessment");
  if (engagement) tally.add(field(*engagement, "overall_reading"));
  tally.add_each(engagement, "observations");
  const json* learning = field(report, "team_learning");
  if (learning) tally.add(field(*learning, "takeaways"));
  tally.add_each(learning, "patterns");
  if (tally.count == 0) return std::nullopt;
  // Integer comparisons: mean >= 2.5 <=> 2*sum >= 5*count, exactly at the threshold too.
  if (2 * tally.sum >= 5 * tally.count) return "high";
  if (2 * tally.sum >= 3 * tally.count) return "medium";
  return "low";
}

}  // namespace diary::generate::daily
