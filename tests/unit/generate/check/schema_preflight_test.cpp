#include "generate/check/schema_preflight.h"

#include <gtest/gtest.h>

namespace diary::generate {
namespace {

using nlohmann::json;

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

std::string error_of(const json& schema) {
  auto prepared = prepare_schema(schema);
  return prepared ? std::string("<accepted>") : prepared.error().message;
}

TEST(SchemaPreflight, SelfReferenceIsACycle) {
  const std::string error = error_of(json::parse(R"({"$ref":"#/definitions/a","definitions":{"a":{"$ref":"#/definitions/a"}}})"));
  EXPECT_TRUE(contains(error, "$ref cycle")) << error;
  EXPECT_TRUE(contains(error, "#/definitions/a -> #/definitions/a")) << error;
}

TEST(SchemaPreflight, RootReferencingItselfIsACycle) {
  EXPECT_TRUE(contains(error_of(json::parse(R"({"$ref":"#"})")), "$ref cycle"));
  EXPECT_TRUE(contains(error_of(json::parse(R"({"allOf":[{"$ref":"#"}]})")), "$ref cycle"));
}

TEST(SchemaPreflight, CyclesThroughCombinatorsAreFound) {
  for (const char* text : {
           R"({"definitions":{"a":{"anyOf":[{"$ref":"#/definitions/b"}]},"b":{"not":{"$ref":"#/definitions/a"}}}})",
           R"({"definitions":{"a":{"if":{"$ref":"#/definitions/a"}}}})",
           R"({"definitions":{"a":{"dependencies":{"x":{"$ref":"#/definitions/a"}}}}})",
           R"({"definitions":{"a~b":{"oneOf":[{"$ref":"#/definitions/a~0b"}]}}})",
           R"({"definitions":{"a b":{"$ref":"#/definitions/a%20b"}}})",
           R"({"definitions":{"a":{"$id":"#anchor","$ref":"#anchor"}}})",
       }) {
    EXPECT_TRUE(contains(error_of(json::parse(text)), "$ref cycle")) << text;
  }
}

TEST(SchemaPreflight, RecursionThatConsumesInputIsFine) {
  for (
      const char* text : {
          R"({"properties":{"child":{"$ref":"#"}}})",
          R"({"items":{"$ref":"#"}})",
          R"({"definitions":{"node":{"type":"object","additionalProperties":{"$ref":"#/definitions/node"}}},"$ref":"#/definitions/node"})",
          R"({"definitions":{"a":{"$ref":"#/definitions/b"},"b":{"type":"string"}},"$ref":"#/definitions/a"})",
          R"({"$ref":"http://example.com/remote.json"})",
      }) {
    EXPECT_EQ(error_of(json::parse(text)), "<accepted>") << text;
  }
}

TEST(SchemaPreflight, LongRefChainsAreRefused) {
  json schema = {{"definitions", json::object()}};
  for (int i = 0; i < 100; ++i)
    schema["definitions"]["d" + std::to_string(i)] = {{"$ref", "#/definitions/d" + std::to_string(i + 1)}};
  schema["definitions"]["d100"] = {{"type", "string"}};
  schema["$ref"] = "#/definitions/d0";
  const std::string error = error_of(schema);
  EXPECT_TRUE(contains(error, "more than 64 schemas apply in turn")) << error;
}

TEST(SchemaPreflight, DepthAndRefLengthAreBounded) {
  json deep = json::object();
  json* at = &deep;
  for (int i = 0; i < 300; ++i) at = &((*at)["not"] = json::object());
  EXPECT_TRUE(contains(error_of(deep), "nests deeper than 200 levels"));
  EXPECT_TRUE(contains(error_of({{"$ref", "urn:x:" + std::string(5000, 'a')}}), "longer than 1024 characters"));
}

TEST(SchemaPreflight, RegexKeywordsAreRenamedOnlyWhereTheyAreKeywords) {
  const json schema = json::parse(R"({
    "properties": {"pattern": {"type": "string", "pattern": "^a$", "format": "date"}},
    "enum": [{"pattern": "kept"}],
    "patternProperties": {"^x": {"pattern": "^y$"}}
  })");
  auto prepared = prepare_schema(schema);
  ASSERT_TRUE(prepared) << prepared.error().message;
  const json& doc = prepared->document;
  EXPECT_TRUE(doc["properties"].contains("pattern"));  // a property name, not a keyword
  EXPECT_EQ(doc["properties"]["pattern"][std::string(bounded_pattern_keyword)], "^a$");
  EXPECT_EQ(doc["properties"]["pattern"][std::string(bounded_format_keyword)], "date");
  EXPECT_FALSE(doc["properties"]["pattern"].contains("pattern"));
  EXPECT_EQ(doc["enum"][0]["pattern"], "kept");  // data
  EXPECT_EQ(doc["patternProperties"]["^x"][std::string(bounded_pattern_keyword)], "^y$");
  EXPECT_TRUE(prepared->has_pattern_properties);
  EXPECT_EQ(prepared->patterns.size(), 3u);
}

TEST(SchemaPreflight, PatternPropertiesAreBoundToTheInstancesNames) {
  const json prepared = json::parse(R"({"properties":{"xa":{"type":"string"}},
                                        "patternProperties":{"^x":{"minLength":2}},"additionalProperties":false})");
  const json instance = json::parse(R"({"xa":"1","xb":"22","y":{"xc":0}})");
  auto starts_with_x = [](const std::string& pattern, const std::string& name, bool& matched) {
    EXPECT_EQ(pattern, "^x");
    matched = name.starts_with("x");
    return std::optional<std::string>();
  };
  auto bound = bind_pattern_properties(prepared, instance, starts_with_x);
  ASSERT_TRUE(bound) << bound.error().message;
  EXPECT_FALSE(bound->contains("patternProperties"));
  EXPECT_EQ((*bound)["properties"]["xa"], json({{"type", "string"}}));  // kept as it was
  EXPECT_EQ((*bound)["properties"]["xb"], true);
  EXPECT_EQ((*bound)["properties"]["xc"], true);
  EXPECT_FALSE((*bound)["properties"].contains("y"));
  EXPECT_EQ((*bound)["allOf"],
            json::parse(R"([{"properties":{"xa":{"minLength":2},"xb":{"minLength":2},"xc":{"minLength":2}}}])"));
}

TEST(SchemaPreflight, ALimitWhileBindingIsAnError) {
  const json prepared = json::parse(R"({"patternProperties":{"^x":{}}})");
  auto gave_up = [](const std::string&, const std::string&, bool&) { return std::optional<std::string>("hit the limit"); };
  auto bound = bind_pattern_properties(prepared, json::parse(R"({"a":1})"), gave_up);
  ASSERT_FALSE(bound);
  EXPECT_EQ(bound.error().message, "hit the limit");
}

TEST(NestsDeeperThan, CountsLevelsIteratively) {
  json value = json::array();
  json* at = &value;
  for (int i = 0; i < 100'000; ++i) at = &(*at).emplace_back(json::array());
  EXPECT_TRUE(nests_deeper_than(value, 500));
  EXPECT_FALSE(nests_deeper_than(json::parse("[[1],{\"a\":[2]}]"), 3));
  EXPECT_TRUE(nests_deeper_than(json::parse("[[1],{\"a\":[[2]]}]"), 3));
}

}  // namespace
}  // namespace diary::generate
