// Tolerant, typed reading of an artifact the renderer did not write (daily-report.json, evidence
// cards). Missing or null fields read as "not recorded" (empty string, nullptr, false) so the
// report can say so in fixed words; a field of the wrong type is recorded as a problem with its
// JSON-pointer path and reading goes on, so one error message can list what is wrong. Never
// throws. One reader per document; not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/error.h"

namespace diary::generate::render {

class FieldReader {
 public:
  explicit FieldReader(std::string document) : document_(std::move(document)) {}

  // The string at object[key]; "" when missing or null; a problem when another type.
  std::string string(const nlohmann::json& object, std::string_view key, const std::string& path);
  // The object / array at object[key]; nullptr when missing or null; a problem when another type.
  const nlohmann::json* object(const nlohmann::json& parent, std::string_view key, const std::string& path);
  const nlohmann::json* array(const nlohmann::json& parent, std::string_view key, const std::string& path);
  // true only for a JSON true; a problem when present and neither bool nor null.
  bool boolean(const nlohmann::json& object, std::string_view key, const std::string& path);
  // Every element of object[key] (an array of strings); problems for non-strings.
  std::vector<std::string> strings(const nlohmann::json& object, std::string_view key, const std::string& path);

  // Records that `value` at `path` should have been `expected` ("an object").
  void wrong_type(const std::string& path, std::string_view expected, const nlohmann::json& value);
  // Records any other problem ("/a/0 must name session_ref and turn_ref").
  void problem(std::string message) { problems_.push_back(std::move(message)); }

  bool ok() const { return problems_.empty(); }
  // invalid_input: "<document>: /a/0/b must be a string, not number; …" (at most 5 listed).
  agent::Error error() const;

 private:
  const nlohmann::json* member(const nlohmann::json& parent, std::string_view key) const;

  std::string document_;
  std::vector<std::string> problems_;
};

// "/a" + "/" + key, for building pointers as the reader descends.
inline std::string child_path(const std::string& path, std::string_view key) {
  std::string out = path;
  out += '/';
  out += key;
  return out;
}
inline std::string child_path(const std::string& path, std::size_t index) { return child_path(path, std::to_string(index)); }

}  // namespace diary::generate::render
