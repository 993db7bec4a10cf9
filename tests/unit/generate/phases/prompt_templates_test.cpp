#include "generate/phases/prompt_templates.h"

#include <gtest/gtest.h>

#include "generate/artifacts/vocabulary.h"

namespace diary::generate::phases {
namespace {

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

TEST(PromptTemplates, EveryPassHasItsTemplatesCompiledIn) {
  for (const char* name :
       {"evidence-extractor", "evidence-input", "evidence-resume", "project-synthesizer", "project-input", "project-resume",
        "project-summary", "report-title", "engagement", "team-learning", "daily-input", "daily-resume", "language-norm"})
    EXPECT_NE(find_prompt_template(name), nullptr) << name;
  EXPECT_EQ(find_prompt_template("nope"), nullptr);
}

TEST(PromptTemplates, VocabulariesComeFromTheListsTheValidatorsUse) {
  auto text = render_prompt("evidence-extractor", {});
  ASSERT_TRUE(text) << text.error().message;
  for (const auto& value : artifacts::trigger_types().values()) EXPECT_TRUE(contains(*text, "`" + value + "`")) << value;
  for (const auto& value : artifacts::terminal_types().values()) EXPECT_TRUE(contains(*text, "`" + value + "`")) << value;
  EXPECT_FALSE(contains(*text, "{{"));
  // The list nests under its bullet: every term line is indented like the placeholder.
  EXPECT_TRUE(contains(*text, "\n  - `explicit_user_message`: "));
}

TEST(PromptTemplates, EveryInstructionSaysTranscriptsAreUntrustedData) {
  for (const char* name :
       {"evidence-extractor", "project-synthesizer", "project-summary", "report-title", "engagement", "team-learning"}) {
    auto text = render_prompt(name, {});
    ASSERT_TRUE(text) << name << ": " << text.error().message;
    EXPECT_TRUE(contains(*text, "untrusted source material")) << name;
    EXPECT_TRUE(contains(*text, "\"status\":\"invalid\"")) << name;
  }
  auto evidence = render_prompt("evidence-extractor", {});
  EXPECT_TRUE(contains(*evidence, "only through the `read_session_lines` tool"));
}

TEST(PromptTemplates, AMissingValueIsAnErrorNamingThePlaceholder) {
  auto text = render_prompt("evidence-resume", {{"session_ref", "S0001"}});
  ASSERT_FALSE(text);
  EXPECT_TRUE(contains(text.error().message, "{{turn_ref}}")) << text.error().message;
}

TEST(PromptTemplates, ValuesAreInsertedVerbatimAndNotReexpanded) {
  auto text = render_prompt("language-norm", {{"language", "{{language}} zh-Hans"}});
  ASSERT_TRUE(text);
  EXPECT_TRUE(contains(*text, "`{{language}} zh-Hans`"));
}

}  // namespace
}  // namespace diary::generate::phases
