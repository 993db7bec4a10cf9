#include "generate/prepare/json_skim.h"

#include <random>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using namespace diary::generate::prepare;

bool valid(std::string_view text) {
  SkimValue none[1];
  return skim_json(text, {}, std::span<SkimValue>(none, 0));
}

TEST(JsonSkim, AcceptsWhatNlohmannAccepts) {
  for (auto text :
       {R"({})", R"([])", R"("")", "0", "-0.5e+10", "1E3", "true", "false", "null",
        R"( {"a" : [1, 2.5, "x\n\u00e9\"", {}], "b":null} )", R"({"k":"\\\/\b\f\n\r\t"})", R"([[[[]]]])", "\t\r\n[ ]\n"}) {
    EXPECT_TRUE(nlohmann::json::accept(text)) << text;
    EXPECT_TRUE(valid(text)) << text;
  }
}

TEST(JsonSkim, RejectsWhatNlohmannRejects) {
  for (auto text : {"",         " ",       "{",        "}",       R"({"a"})",    R"({"a":})", R"({"a":1,})",  R"([1,])",
                    R"([1 2])", "01",      "1.",       ".5",      "-",           "1e",        "+1",           "tru",
                    "nul",      R"("abc)", "\"a\tb\"", R"("\x")", R"("\u12G4")", R"({a:1})",  R"({"a":1} x)", R"({"a":1}{"b":2})",
                    "[\"trunc"}) {
    EXPECT_FALSE(nlohmann::json::accept(text)) << text;
    EXPECT_FALSE(valid(text)) << text;
  }
}

TEST(JsonSkim, RejectsExcessiveNesting) {
  EXPECT_TRUE(valid(std::string(500, '[') + std::string(500, ']')));
  EXPECT_FALSE(valid(std::string(600, '[') + std::string(600, ']')));
}

// Random documents and random single-byte corruptions of them: skim and nlohmann agree.
TEST(JsonSkim, AgreesWithNlohmannOnMutatedDocuments) {
  std::mt19937 random(7);
  const std::string alphabet = "{}[]\":,\\ntfaelsu0123456789.-+eE \t";
  int checked = 0;
  for (int round = 0; round < 3000; ++round) {
    nlohmann::json doc = {{"timestamp", "2026-05-12T10:00:00.000Z"},
                          {"type", round % 2 ? "response_item" : "event_msg"},
                          {"payload",
                           {{"type", "message"},
                            {"n", round * 1.5},
                            {"list", {1, "two\n\"three\"", nullptr, true}},
                            {"text", std::string(static_cast<std::size_t>(round % 40), 'x')}}}};
    std::string text = doc.dump();
    if (round % 3 != 0) {
      std::size_t at = random() % text.size();
      text[at] = alphabet[random() % alphabet.size()];
    }
    EXPECT_EQ(valid(text), nlohmann::json::accept(text)) << text;
    ++checked;
  }
  EXPECT_EQ(checked, 3000);
}

TEST(JsonSkim, ExtractsValuesByPath) {
  const std::string line =
      R"({"timestamp":"2026-05-12T10:00:00Z","type":"event_msg","payload":{"list":[{"type":"no"}],"type":"item_completed",)"
      R"("item":{"type":"UserMessage","content":[{"type":"text","text":"hi"}]},"n":-2.5e3,"flag":true}})";
  static constexpr SkimPath paths[] = {{{}, 0},
                                       {{"type"}, 1},
                                       {{"payload", "type"}, 2},
                                       {{"payload", "item", "type"}, 3},
                                       {{"payload", "n"}, 2},
                                       {{"payload", "flag"}, 2},
                                       {{"payload", "missing"}, 2},
                                       {{"payload", "item"}, 2}};
  SkimValue out[std::size(paths)];
  ASSERT_TRUE(skim_json(line, paths, out));
  EXPECT_EQ(out[0].kind, SkimValue::Kind::object);
  EXPECT_TRUE(out[1].equals("event_msg"));
  EXPECT_EQ(out[2].string(), "item_completed");  // not the "type" inside the list
  EXPECT_TRUE(out[3].equals("UserMessage"));
  EXPECT_EQ(out[4].raw, "-2.5e3");
  EXPECT_TRUE(out[5].is_true());
  EXPECT_FALSE(out[6].present());
  EXPECT_EQ(out[7].kind, SkimValue::Kind::object);
  EXPECT_TRUE(out[7].raw.starts_with("{\"type\":\"UserMessage\""));
}

TEST(JsonSkim, DecodesEscapedStrings) {
  static constexpr SkimPath paths[] = {{{"t"}, 1}};
  SkimValue out[1];
  ASSERT_TRUE(skim_json(R"({"t":"a\"b\u00e9"})", paths, out));
  EXPECT_EQ(out[0].string(), "a\"b\xc3\xa9");
  EXPECT_FALSE(out[0].equals("a\"b"));
}

// The hand-written decoder agrees with a JSON parser on every escape, and rejects what it rejects.
TEST(JsonSkim, DecodesEveryEscapeLikeAParser) {
  static constexpr SkimPath paths[] = {{{"t"}, 1}};
  SkimValue out[1];
  for (const std::string value : {R"("plain")", R"("")", R"("\"\\\/\b\f\n\r\t")", R"("\u0041\u00e9\u20ac\ud83d\ude00")",
                                  R"("\u0000 nul")", R"("tail\\")", R"("\uD834\uDD1E mixed case")"}) {
    const std::string document = "{\"t\":" + value + "}";  // out[0] views into it
    ASSERT_TRUE(skim_json(document, paths, out)) << value;
    EXPECT_EQ(out[0].string(), nlohmann::json::parse(value).get<std::string>()) << value;
  }
  for (const std::string bad : {R"("\ud83d alone")", R"("\ude00 first")", R"("\ud83d\u0041")"}) {
    const std::string document = "{\"t\":" + bad + "}";
    ASSERT_TRUE(skim_json(document, paths, out)) << bad;  // the grammar allows them
    EXPECT_FALSE(out[0].string().has_value()) << bad;
    EXPECT_TRUE(nlohmann::json::parse(bad, nullptr, false).is_discarded()) << bad;
  }
}

}  // namespace
