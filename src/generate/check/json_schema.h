// JSON Schema (draft-07) validation for artifact checks and turn output schemas: a thin wrapper
// over valijson so that no schema logic is hand-written, bounded by schema_preflight (no $ref
// cycles, bounded depths) and util::BoundedRegex (`pattern`, `patternProperties`), so that no
// schema or instance crashes or hangs it. A compiled JsonSchema is immutable and may be shared
// (std::shared_ptr<const JsonSchema>); validate() may be called from several threads (calls
// share one validator under a lock, so they run one at a time).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/error.h"

namespace valijson {
class Schema;
}

namespace diary::generate {

// One reason why an instance is invalid. `path` is a JSONPath into the instance ("$",
// "$.items[0].name", "$['odd key']") so the model can be told exactly where to look; `pointer`
// is the same place as an RFC 6901 JSON pointer ("", "/items/0/name") for the results that
// speak JSON pointers (MCP tool calls, artifact problems).
struct SchemaViolation {
  std::string path;
  std::string message;
  std::string pointer;

  friend bool operator==(const SchemaViolation&, const SchemaViolation&) = default;
};

// "$.a[0]: message" — the one textual form used in problems, prompts and the ledger.
std::string to_string(const SchemaViolation& violation);

class JsonSchema {
 public:
  // Compiles a draft-07 schema document. Remote $ref (http://...) is not supported: diary runs
  // offline. Fails with ErrorKind::invalid_input describing what is wrong.
  static agent::Result<JsonSchema> compile(nlohmann::json document);

  // Reads and compiles a schema file; messages name the file.
  static agent::Result<JsonSchema> load(const std::filesystem::path& path);

  JsonSchema(JsonSchema&&) noexcept;
  JsonSchema& operator=(JsonSchema&&) noexcept;
  ~JsonSchema();

  // Empty when `instance` is valid. Every violation valijson reports is returned, innermost
  // first as valijson orders them.
  std::vector<SchemaViolation> validate(const nlohmann::json& instance) const;

  bool is_valid(const nlohmann::json& instance) const { return validate(instance).empty(); }

  // The schema document as given (e.g. for TurnOptions::output_schema).
  const nlohmann::json& document() const { return document_; }

 private:
  JsonSchema(nlohmann::json document, std::unique_ptr<valijson::Schema> schema);

  nlohmann::json document_;
  std::unique_ptr<valijson::Schema> schema_;
  struct ValidatorCache;
  std::unique_ptr<ValidatorCache> cache_;
};

// Parses `text` as JSON and validates it: a parse failure is one violation at "$".
std::vector<SchemaViolation> validate_json_text(const JsonSchema& schema, const std::string& text,
                                                nlohmann::json* parsed = nullptr);

}  // namespace diary::generate
