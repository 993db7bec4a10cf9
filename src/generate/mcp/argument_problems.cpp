#include "generate/mcp/argument_problems.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace diary::generate::mcp {

namespace {

using nlohmann::json;

// valijson's wording (validation_visitor.hpp), matched exactly so a rewording there falls back
// to its own message instead of a wrong one.
constexpr std::string_view missing_prefix = "Missing required property '";
constexpr std::string_view unknown_prefix =
    "Object contains a property that could not be validated using 'properties' or 'additionalProperties' "
    "constraints: '";
constexpr std::string_view name_suffix = "'.";
constexpr std::string_view enum_message = "Failed to match against any enum values.";
constexpr std::string_view type_message = "Value type not permitted by 'type' constraint.";
constexpr std::string_view const_message = "Failed to match expected value set by 'const' constraint.";
constexpr std::string_view pattern_message = "Failed to match regex specified by 'pattern' constraint.";

// Reported by valijson on the parent of every failing child: noise once the child is reported.
bool is_wrapper(std::string_view message) {
  for (std::string_view prefix : {"Failed to validate against schema associated with property name '",
                                  "Failed to validate against schema associated with pattern '", "Failed to validate item #",
                                  "Failed to validate against additional properties schema"})
    if (message.starts_with(prefix)) return true;
  return false;
}

std::optional<std::string> quoted_name(std::string_view message, std::string_view prefix) {
  if (!message.starts_with(prefix) || !message.ends_with(name_suffix)) return std::nullopt;
  message.remove_prefix(prefix.size());
  message.remove_suffix(name_suffix.size());
  return std::string(message);
}

std::string child_pointer(const std::string& parent, const std::string& name) {
  std::string pointer = parent + '/';
  for (char c : name) {
    if (c == '~') pointer += "~0";
    else if (c == '/') pointer += "~1";
    else pointer += c;
  }
  return pointer;
}

std::vector<std::string> pointer_tokens(std::string_view pointer) {
  std::vector<std::string> tokens;
  while (!pointer.empty()) {
    pointer.remove_prefix(1);  // the '/'
    const auto end = std::min(pointer.find('/'), pointer.size());
    std::string token;
    for (std::size_t i = 0; i < end; ++i) {
      if (pointer[i] == '~' && i + 1 < end) {
        token += pointer[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        token += pointer[i];
      }
    }
    tokens.push_back(std::move(token));
    pointer.remove_prefix(end);
  }
  return tokens;
}

// Follows local "$ref"s ("#/definitions/x"); nullptr for a ref that leads nowhere.
const json* resolve(const json& root, const json* node) {
  for (int hops = 0; node != nullptr && hops < 16; ++hops) {
    if (!node->is_object()) return node;
    auto ref = node->find("$ref");
    if (ref == node->end() || !ref->is_string()) return node;
    const std::string target = ref->get<std::string>();
    if (!target.starts_with('#')) return nullptr;
    try {
      const json::json_pointer pointer(target.substr(1));
      node = root.contains(pointer) ? &root.at(pointer) : nullptr;
    } catch (const json::exception&) {
      return nullptr;
    }
  }
  return nullptr;
}

// The schema that governs the instance at `pointer`, walking properties / items /
// additionalProperties; nullptr where the walk meets anything else (allOf, patterns, ...).
const json* subschema_at(const json& root, const std::string& pointer) {
  const json* node = resolve(root, &root);
  for (const std::string& token : pointer_tokens(pointer)) {
    if (node == nullptr || !node->is_object()) return nullptr;
    const json* next = nullptr;
    if (auto properties = node->find("properties"); properties != node->end() && properties->is_object()) {
      if (auto it = properties->find(token); it != properties->end()) next = &*it;
    }
    if (next == nullptr) {
      if (auto items = node->find("items"); items != node->end() && items->is_object()) next = &*items;
    }
    if (next == nullptr) {
      if (auto extra = node->find("additionalProperties"); extra != node->end() && extra->is_object()) next = &*extra;
    }
    node = resolve(root, next);
  }
  return node;
}

std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string joined_values(const json& values) {
  std::vector<std::string> parts;
  for (const auto& value : values) parts.push_back(dump(value));
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string with_article(const std::string& type) {
  if (type == "null") return "null";
  const bool vowel = !type.empty() && std::string_view("aeiou").find(type[0]) != std::string_view::npos;
  return (vowel ? "an " : "a ") + type;
}

std::string type_of(const json& value) {
  if (value.is_number_integer() || value.is_number_unsigned()) return "integer";
  if (value.is_number()) return "number";
  return value.type_name();  // "string", "boolean", "object", "array", "null"
}

// The problem for one violation, worded from the schema at that place when it can be read.
artifacts::Problem describe(const SchemaViolation& violation, const json& schema, const json& arguments, std::string_view tool) {
  const std::string generic_hint = fmt::format("send arguments that match the inputSchema of {} in tools/list", tool);
  const json* here = subschema_at(schema, violation.pointer);
  auto hint_or_description = [&](std::string fallback) {
    if (here != nullptr && here->is_object()) {
      if (auto description = here->find("description"); description != here->end() && description->is_string())
        return fmt::format("{} ({})", fallback, description->get<std::string>());
    }
    return fallback;
  };

  if (auto name = quoted_name(violation.message, missing_prefix))
    return {child_pointer(violation.pointer, *name), fmt::format("missing required property \"{}\"", *name),
            fmt::format("add \"{}\"", *name)};

  if (auto name = quoted_name(violation.message, unknown_prefix)) {
    std::string hint = fmt::format("remove \"{}\"", *name);
    if (here != nullptr && here->is_object()) {
      if (auto properties = here->find("properties"); properties != here->end() && properties->is_object()) {
        std::vector<std::string> allowed;
        for (const auto& [key, value] : properties->items()) allowed.push_back(key);
        if (!allowed.empty()) hint += fmt::format("; allowed here: {}", fmt::join(allowed, ", "));
      }
    }
    return {child_pointer(violation.pointer, *name), fmt::format("\"{}\" is not an accepted property", *name), hint};
  }

  const bool readable = here != nullptr && here->is_object();
  if (violation.message == enum_message && readable && here->contains("enum") && (*here)["enum"].is_array())
    return {violation.pointer, "is not one of the allowed values", fmt::format("use one of: {}", joined_values((*here)["enum"]))};

  if (violation.message == const_message && readable && here->contains("const"))
    return {violation.pointer, fmt::format("must be {}", dump((*here)["const"])), fmt::format("use {}", dump((*here)["const"]))};

  if (violation.message == type_message && readable && here->contains("type")) {
    const json& type = (*here)["type"];
    std::vector<std::string> types;
    if (type.is_string()) types.push_back(with_article(type.get<std::string>()));
    if (type.is_array())
      for (const auto& each : type)
        if (each.is_string()) types.push_back(with_article(each.get<std::string>()));
    if (!types.empty()) {
      std::string got;
      try {
        const json::json_pointer pointer(violation.pointer);
        if (arguments.contains(pointer)) got = with_article(type_of(arguments.at(pointer)));
      } catch (const json::exception&) {}
      const std::string expected = fmt::format("{}", fmt::join(types, " or "));
      return {violation.pointer, fmt::format("must be {}", expected),
              got.empty() ? hint_or_description(fmt::format("send {}", expected))
                          : hint_or_description(fmt::format("send {} instead of {}", expected, got))};
    }
  }

  if (violation.message == pattern_message && readable && here->contains("pattern") && (*here)["pattern"].is_string())
    return {violation.pointer, fmt::format("does not match the pattern {}", (*here)["pattern"].get<std::string>()),
            hint_or_description("write it in that form")};

  return {violation.pointer, violation.message, hint_or_description(generic_hint)};
}

}  // namespace

artifacts::Problems argument_problems(const JsonSchema& schema, const json& arguments, std::string_view tool) {
  const std::vector<SchemaViolation> violations = schema.validate(arguments);
  const bool has_cause = std::any_of(violations.begin(), violations.end(), [](const auto& v) { return !is_wrapper(v.message); });
  artifacts::Problems problems;
  for (const auto& violation : violations) {
    if (has_cause && is_wrapper(violation.message)) continue;
    artifacts::Problem problem = describe(violation, schema.document(), arguments, tool);
    const bool seen = std::any_of(problems.begin(), problems.end(), [&](const artifacts::Problem& p) {
      return p.path == problem.path && p.message == problem.message;
    });
    if (!seen) problems.push_back(std::move(problem));
  }
  return problems;
}

}  // namespace diary::generate::mcp
