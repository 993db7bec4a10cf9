// Tolerant field access for untrusted session records: a missing field or one of the wrong
// type reads as absent instead of throwing. Header-only; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace diary::generate::prepare {

inline const nlohmann::json* field(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

inline std::optional<std::string_view> string_field(const nlohmann::json& object, std::string_view key) {
  const auto* value = field(object, key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string_view(value->get_ref<const std::string&>());
}

// A string field as a string, "" when missing or not a string.
inline std::string string_or_empty(const nlohmann::json& object, std::string_view key) {
  return std::string(string_field(object, key).value_or(""));
}

inline bool true_field(const nlohmann::json& object, std::string_view key) {
  const auto* value = field(object, key);
  return value != nullptr && value->is_boolean() && value->get<bool>();
}

// Sets `slot` once, from the first non-empty string seen.
inline void remember(std::optional<std::string>& slot, std::optional<std::string_view> value) {
  if (!slot && value && !value->empty()) slot = std::string(*value);
}

}  // namespace diary::generate::prepare
