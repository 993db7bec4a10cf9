// Field-by-field checks of untrusted JSON (tool calls from a model, artifact files an agent could
// have edited) that collect one Problem per fault instead of stopping at the first: wrong type,
// a required field missing, an unknown field, a blank text, a value outside a vocabulary. The
// validators of the evidence card and the project synthesis are written with it, so their
// messages and hints read the same. Never throws. Not thread-safe (one instance per check).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "generate/artifacts/problem.h"
#include "generate/artifacts/vocabulary.h"

namespace diary::generate::artifacts {

// JSON pointers (RFC 6901): `base` + "/" + the escaped key or the index.
std::string pointer(std::string_view base, std::string_view key);
std::string pointer(std::string_view base, std::size_t index);

// A text that holds nothing but whitespace.
bool is_blank(std::string_view text);

// A value quoted in a message: at most `max_bytes`, cut on a UTF-8 boundary and marked "…", so
// a hostile megabyte-long ref cannot bloat the answer.
std::string excerpt(std::string_view text, std::size_t max_bytes = 60);

using FieldNames = std::initializer_list<std::string_view>;

// The header of an artifact file (`what`: "the evidence card"): an object with schema_version 1,
// each `texts` field equal to its expected value and each `lists` field an array. One Problem
// per fault, all with the hint `redo` (what diary does about it).
struct ExpectedText {
  std::string_view key;
  std::string_view value;
};
Problems header_problems(const nlohmann::json& value, std::string_view what, std::initializer_list<ExpectedText> texts,
                         FieldNames lists, std::string_view redo);

class FieldChecks {
 public:
  enum class Need { required, optional };

  explicit FieldChecks(Problems& problems) : problems_(problems) {}

  void add(std::string path, std::string message, std::string hint);

  // `value` (at `at`) is an object holding only the `allowed` fields; reports the wrong type or
  // each unknown field. `what` names the object in messages ("evidence_chain").
  bool object_shape(const nlohmann::json& value, std::string_view at, std::string_view what, FieldNames allowed);

  // The field `key` of the object at `at`. Reports it when required and absent.
  const nlohmann::json* member(const nlohmann::json& object, std::string_view at, std::string_view key, Need need);

  // A nested object with only `allowed` fields; nullptr when absent or malformed (reported).
  const nlohmann::json* object(const nlohmann::json& parent, std::string_view at, std::string_view key, FieldNames allowed,
                               Need need = Need::required);
  // An array field; nullptr when absent or not an array (reported).
  const nlohmann::json* array(const nlohmann::json& parent, std::string_view at, std::string_view key,
                              Need need = Need::required);
  // The hint shared by every artifact's "summary" fields.
  static constexpr std::string_view summary_hint = "provide a concise non-empty summary";

  // A non-blank string field; nullptr when absent, blank or not a string (reported).
  const nlohmann::json* text(const nlohmann::json& parent, std::string_view at, std::string_view key, std::string_view hint,
                             Need need = Need::required);
  // A value that is itself a non-blank string (array elements such as limits[i]).
  bool text_value(const nlohmann::json& value, std::string_view at, std::string_view hint);
  // A string field from `vocabulary`; nullptr when absent or outside it (reported).
  const nlohmann::json* term(const nlohmann::json& parent, std::string_view at, std::string_view key,
                             const Vocabulary& vocabulary, Need need = Need::required);

 private:
  Problems& problems_;
};

}  // namespace diary::generate::artifacts
