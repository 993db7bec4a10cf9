// Test helpers for the write tools: the shape of a rejected answer, and the tools' published
// input schemas (every object node closed with additionalProperties:false and listing its
// required fields, every free text minLength 1). Header-only.
#pragma once

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace diary::test {

// {"status":"invalid"} whose first error is at `path` and names a fix.
inline void expect_invalid(const nlohmann::json& result, const std::string& path) {
  ASSERT_EQ(result["status"], "invalid") << result.dump(2);
  ASSERT_FALSE(result["errors"].empty());
  EXPECT_EQ(result["errors"][0]["path"], path) << result.dump(2);
  EXPECT_FALSE(result["errors"][0]["hint"].get<std::string>().empty());
}

// Every object node of a schema is closed and lists its required fields; every free text has
// minLength 1. Walks the schema positions (properties, items), not the property maps.
inline void expect_closed_schema(const nlohmann::json& node, const std::string& where) {
  ASSERT_TRUE(node.is_object()) << where;
  const std::string type = node.contains("type") && node["type"].is_string() ? node["type"].get<std::string>() : "";
  if (type == "object") {
    EXPECT_EQ(node.value("additionalProperties", true), false) << where;
    ASSERT_TRUE(node.contains("required")) << where;
    for (const auto& name : node["required"]) EXPECT_TRUE(node["properties"].contains(name)) << where << " " << name;
    for (const auto& [name, property] : node["properties"].items()) expect_closed_schema(property, where + "/properties/" + name);
  }
  if (type == "array") expect_closed_schema(node["items"], where + "/items");
  if (type == "string" && !node.contains("enum") && !node.contains("pattern")) {
    EXPECT_EQ(node.value("minLength", 0), 1) << where;
  }
}

}  // namespace diary::test
