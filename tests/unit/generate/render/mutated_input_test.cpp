// Property test over hostile shapes: the "full" fixture's report and cards with random nodes
// replaced by values of random types (deterministic seed). Rendering must never throw or crash;
// it either fails with invalid_input or produces documents whose HTML is sound and whose every
// link lands.
#include <random>

#include <gtest/gtest.h>

#include "generate/render/render_report.h"
#include "unit/generate/render/render_fixtures.h"

namespace {

using namespace diary::generate::render;
using nlohmann::json;

json random_value(std::mt19937& random) {
  switch (random() % 7) {
    case 0: return nullptr;
    case 1: return static_cast<int>(random() % 100) - 50;
    case 2: return random() % 2 == 0;
    case 3: return "</details><script>x</script>[l](http://x)\n# h";
    case 4: return json::array({"a", 1, nullptr});
    case 5: return json::object({{"text", 3}, {"citations", "x"}});
    default: return json::object();
  }
}

// Collects pointers to every node below `value` (not the root itself).
void nodes(json& value, std::vector<json*>& out) {
  if (!value.is_structured()) return;
  for (auto& child : value) {
    out.push_back(&child);
    nodes(child, out);
  }
}

void mutate(json& value, std::mt19937& random, int times) {
  for (int i = 0; i < times; ++i) {
    std::vector<json*> all;
    nodes(value, all);
    if (all.empty()) return;
    *all[random() % all.size()] = random_value(random);
  }
}

TEST(RenderMutatedInput, NeverThrowsAndNeverEmitsABrokenPage) {
  const auto day = diary::test::load_render_fixture("full");
  const json original = diary::test::read_json_file(day.daily_report());
  const auto original_evidence = evidence_from_workspace(day);
  std::mt19937 random(20261130);
  int rendered = 0, rejected = 0;
  for (int round = 0; round < 200; ++round) {
    json report = original;
    auto evidence = original_evidence;
    mutate(report, random, 1 + static_cast<int>(random() % 3));
    for (auto& project : evidence)
      for (auto& session : project.sessions)
        if (session.card && random() % 3 == 0) mutate(*session.card, random, 1);
    const auto result = render_documents(report, evidence);
    if (!result) {
      ++rejected;
      EXPECT_EQ(result.error().kind, diary::agent::ErrorKind::invalid_input);
      EXPECT_TRUE(result.error().message.starts_with("daily-report.json: ")) << result.error().message;
      continue;
    }
    ++rendered;
    EXPECT_EQ(diary::test::html_structure_problems(result->html), std::vector<std::string>{}) << "round " << round;
    EXPECT_EQ(diary::test::unresolved_targets(diary::test::html_hrefs(result->html), diary::test::element_ids(result->html)),
              std::vector<std::string>{})
        << "round " << round;
    EXPECT_EQ(diary::test::unresolved_targets(diary::test::markdown_link_targets(result->markdown),
                                              diary::test::element_ids(result->markdown)),
              std::vector<std::string>{})
        << "round " << round;
  }
  // Both paths were exercised.
  EXPECT_GT(rendered, 20);
  EXPECT_GT(rejected, 20);
}

}  // namespace
