#include "generate/artifacts/field_checks.h"

#include <algorithm>

#include <fmt/format.h>

#include "generate/prepare/json_fields.h"

namespace diary::generate::artifacts {

using nlohmann::json;

std::string pointer(std::string_view base, std::string_view key) {
  std::string out(base);
  out += '/';
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string pointer(std::string_view base, std::size_t index) { return fmt::format("{}/{}", base, index); }

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; });
}

Problems header_problems(const json& value, std::string_view what, std::initializer_list<ExpectedText> texts, FieldNames lists,
                         std::string_view redo) {
  Problems problems;
  if (!value.is_object()) {
    problems.push_back({"", fmt::format("{} is not a JSON object", what), std::string(redo)});
    return problems;
  }
  auto version = value.find("schema_version");
  if (version == value.end() || !version->is_number_integer() || version->get<long long>() != schema_version)
    problems.push_back({"/schema_version", fmt::format("schema_version must be {}", schema_version), std::string(redo)});
  for (const auto& [key, expected] : texts)
    if (prepare::string_field(value, key) != expected)
      problems.push_back({pointer("", key), fmt::format("{} must be {}", key, expected), std::string(redo)});
  for (auto key : lists) {
    auto list = value.find(key);
    if (list == value.end() || !list->is_array())
      problems.push_back({pointer("", key), fmt::format("{} must be a list", key), std::string(redo)});
  }
  return problems;
}

std::string excerpt(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  return std::string(text.substr(0, cut)) + "…";
}

namespace {

std::string joined(FieldNames names) {
  std::string out;
  for (auto name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

// The display name of a pointer in messages: the whole value is "the call".
std::string shown(std::string_view at) { return at.empty() ? std::string("the value") : std::string(at); }

}  // namespace

void FieldChecks::add(std::string path, std::string message, std::string hint) {
  problems_.push_back(Problem{std::move(path), std::move(message), std::move(hint)});
}

bool FieldChecks::object_shape(const json& value, std::string_view at, std::string_view what, FieldNames allowed) {
  if (!value.is_object()) {
    add(std::string(at), fmt::format("{} must be a JSON object", shown(at)),
        fmt::format("send {} as an object with the fields {}", what, joined(allowed)));
    return false;
  }
  bool ok = true;
  for (const auto& [key, ignored] : value.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    add(pointer(at, key), fmt::format("{} is not a field of {}", excerpt(pointer(at, key), 120), what),
        fmt::format("remove it; {} has only the fields {}", what, joined(allowed)));
    ok = false;
  }
  return ok;
}

const json* FieldChecks::member(const json& object, std::string_view at, std::string_view key, Need need) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it != object.end()) return &*it;
  if (need == Need::required)
    add(pointer(at, key), fmt::format("{} is required", pointer(at, key)),
        fmt::format("add the field \"{}\" (see the tool's input schema)", key));
  return nullptr;
}

const json* FieldChecks::object(const json& parent, std::string_view at, std::string_view key, FieldNames allowed, Need need) {
  const json* value = member(parent, at, key, need);
  if (value == nullptr) return nullptr;
  const std::string path = pointer(at, key);
  if (!value->is_object()) {
    add(path, fmt::format("{} must be a JSON object", path),
        fmt::format("send {} as an object with the fields {}", key, joined(allowed)));
    return nullptr;
  }
  object_shape(*value, path, key, allowed);
  return value;
}

const json* FieldChecks::array(const json& parent, std::string_view at, std::string_view key, Need need) {
  const json* value = member(parent, at, key, need);
  if (value == nullptr) return nullptr;
  if (!value->is_array()) {
    add(pointer(at, key), fmt::format("{} must be a JSON array", pointer(at, key)),
        fmt::format("send {} as a list ([] when there is nothing to list)", key));
    return nullptr;
  }
  return value;
}

bool FieldChecks::text_value(const json& value, std::string_view at, std::string_view hint) {
  if (value.is_string() && !is_blank(value.get_ref<const std::string&>())) return true;
  add(std::string(at), fmt::format("{} must be a non-empty string", shown(at)), std::string(hint));
  return false;
}

const json* FieldChecks::text(const json& parent, std::string_view at, std::string_view key, std::string_view hint, Need need) {
  const json* value = member(parent, at, key, need);
  if (value == nullptr) return nullptr;
  return text_value(*value, pointer(at, key), hint) ? value : nullptr;
}

const json* FieldChecks::term(const json& parent, std::string_view at, std::string_view key, const Vocabulary& vocabulary,
                              Need need) {
  const json* value = member(parent, at, key, need);
  if (value == nullptr) return nullptr;
  if (value->is_string() && vocabulary.contains(value->get_ref<const std::string&>())) return value;
  add(pointer(at, key), fmt::format("{} must be a controlled {} value", pointer(at, key), vocabulary.name),
      fmt::format("use a controlled value such as {}", vocabulary.hint_list()));
  return nullptr;
}

}  // namespace diary::generate::artifacts
