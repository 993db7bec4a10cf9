#include "generate/render/json_fields.h"

namespace diary::generate::render {

using nlohmann::json;

const json* FieldReader::member(const json& parent, std::string_view key) const {
  if (!parent.is_object()) return nullptr;
  const auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return nullptr;
  return &*it;
}

void FieldReader::wrong_type(const std::string& path, std::string_view expected, const json& value) {
  problems_.push_back((path.empty() ? std::string("the document") : path) + " must be " + std::string(expected) + ", not " +
                      value.type_name());
}

std::string FieldReader::string(const json& object, std::string_view key, const std::string& path) {
  const json* value = member(object, key);
  if (!value) return {};
  if (!value->is_string()) {
    wrong_type(child_path(path, key), "a string", *value);
    return {};
  }
  return value->get<std::string>();
}

const json* FieldReader::object(const json& parent, std::string_view key, const std::string& path) {
  const json* value = member(parent, key);
  if (!value) return nullptr;
  if (!value->is_object()) {
    wrong_type(child_path(path, key), "an object", *value);
    return nullptr;
  }
  return value;
}

const json* FieldReader::array(const json& parent, std::string_view key, const std::string& path) {
  const json* value = member(parent, key);
  if (!value) return nullptr;
  if (!value->is_array()) {
    wrong_type(child_path(path, key), "an array", *value);
    return nullptr;
  }
  return value;
}

bool FieldReader::boolean(const json& object, std::string_view key, const std::string& path) {
  const json* value = member(object, key);
  if (!value) return false;
  if (!value->is_boolean()) {
    wrong_type(child_path(path, key), "true or false", *value);
    return false;
  }
  return value->get<bool>();
}

std::vector<std::string> FieldReader::strings(const json& object, std::string_view key, const std::string& path) {
  std::vector<std::string> out;
  const json* values = array(object, key, path);
  if (!values) return out;
  const std::string base = child_path(path, key);
  for (std::size_t i = 0; i < values->size(); ++i) {
    const json& value = (*values)[i];
    if (value.is_null()) continue;
    if (!value.is_string()) {
      wrong_type(child_path(base, i), "a string", value);
      continue;
    }
    out.push_back(value.get<std::string>());
  }
  return out;
}

agent::Error FieldReader::error() const {
  constexpr std::size_t shown = 5;
  std::string message = document_ + ": ";
  for (std::size_t i = 0; i < problems_.size() && i < shown; ++i) {
    if (i > 0) message += "; ";
    message += problems_[i];
  }
  if (problems_.size() > shown) message += "; and " + std::to_string(problems_.size() - shown) + " more";
  return agent::Error{agent::ErrorKind::invalid_input, message};
}

}  // namespace diary::generate::render
