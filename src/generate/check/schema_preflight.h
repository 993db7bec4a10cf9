// What a JSON Schema document goes through before valijson sees it, so that no schema and no
// instance can crash or hang validation:
//  - bounds: nesting depth of schema and instance, length of `$ref`/`$id` strings (valijson
//    runs std::regex over them);
//  - `$ref` cycles that consume no input (`{"$ref":"#/definitions/a"}` inside "a" itself, or a
//    loop through allOf/anyOf/oneOf/not/if/then/else/dependencies) and over-long `$ref` chains,
//    which make valijson recurse until the stack overflows;
//  - the keywords valijson would run through std::regex: `pattern` and `format` are renamed to
//    diary's own keywords (checked with util::BoundedRegex / plain code by json_schema.cpp), and
//    `patternProperties` is bound to the names an instance actually has (see
//    bind_pattern_properties) right before that instance is validated.
// Pure functions on nlohmann::json; thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/error.h"

namespace diary::generate {

inline constexpr std::string_view bounded_pattern_keyword = "x-diary-bounded-pattern";
inline constexpr std::string_view bounded_format_keyword = "x-diary-bounded-format";

inline constexpr std::size_t max_schema_depth = 200;    // nested JSON levels of a schema document
inline constexpr std::size_t max_instance_depth = 500;  // nested JSON levels of a validated instance
inline constexpr std::size_t max_ref_length = 1024;     // characters of one `$ref` or `$id`
inline constexpr std::size_t max_ref_chain = 64;        // schemas applied in turn to one value

struct PreparedSchema {
  nlohmann::json document;              // what valijson parses
  bool has_pattern_properties = false;  // then validation binds them per instance
  std::vector<std::string> patterns;    // every `pattern` and `patternProperties` key (to compile once)
};

// Checks the bounds and the `$ref` graph, and renames the regex keywords. ErrorKind::invalid_input
// says what is wrong and where (a JSON pointer into the schema).
agent::Result<PreparedSchema> prepare_schema(const nlohmann::json& document);

// True when `value` nests deeper than `limit` levels (iterative: any depth is safe).
bool nests_deeper_than(const nlohmann::json& value, std::size_t limit);

// Whether `pattern` matches `name`, or an error message (a limit was hit).
using NameMatcher = std::function<std::optional<std::string>(const std::string& pattern, const std::string& name, bool& matched)>;

// `prepared` with every `patternProperties` replaced by what it means for `instance`: each
// object key k of the instance that matches pattern P gets `properties[k]` (true when absent, so
// `additionalProperties` still leaves it alone) and an `allOf` entry {"properties":{k: S_P}}.
// Exactly the draft-07 meaning for this instance, without valijson's std::regex. An error when
// a match hit a limit.
agent::Result<nlohmann::json> bind_pattern_properties(const nlohmann::json& prepared, const nlohmann::json& instance,
                                                      const NameMatcher& matches);

}  // namespace diary::generate
