#include "generate/check/json_schema.h"

#include <cctype>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>

// valijson reports schema errors by throwing, or by abort() without this switch. This is the only
// translation unit that includes valijson, and the exceptions never leave it.
#define VALIJSON_USE_EXCEPTIONS 1
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "util/text_file.h"

namespace diary::generate {

namespace {

bool is_identifier(const std::string& key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key[0]))) return false;
  for (char c : key)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

std::string quoted_key(const std::string& key) {
  std::string out = "['";
  for (char c : key) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "']";
}

// One RFC 6901 reference token: '~' and '/' escaped.
void append_pointer_token(std::string& pointer, const std::string& token) {
  pointer += '/';
  for (char c : token) {
    if (c == '~') pointer += "~0";
    else if (c == '/') pointer += "~1";
    else pointer += c;
  }
}

struct InstancePlace {
  std::string path;     // JSONPath
  std::string pointer;  // JSON pointer
};

// valijson's context is {"<root>", "[key]", "[3]", ...}: the same bracket form for object keys
// and array indexes. Walking the instance alongside tells which one each step is (the JSON
// pointer does not care: both are plain tokens).
InstancePlace instance_place(const std::vector<std::string>& context, const nlohmann::json& instance) {
  InstancePlace place{"$", ""};
  std::string& path = place.path;
  const nlohmann::json* node = &instance;
  for (std::size_t i = 1; i < context.size(); ++i) {
    const std::string& step = context[i];
    if (step.size() < 2 || step.front() != '[' || step.back() != ']') {
      node = nullptr;
      path += quoted_key(step);
      append_pointer_token(place.pointer, step);
      continue;
    }
    std::string key = step.substr(1, step.size() - 2);
    append_pointer_token(place.pointer, key);
    if (node != nullptr && node->is_array()) {
      std::size_t index = 0;
      try {
        index = std::stoul(key);
      } catch (const std::exception&) {
        node = nullptr;
        path += quoted_key(key);
        continue;
      }
      path += "[" + key + "]";
      node = index < node->size() ? &(*node)[index] : nullptr;
      continue;
    }
    path += is_identifier(key) ? "." + key : quoted_key(key);
    if (node != nullptr && node->is_object() && node->contains(key)) node = &(*node)[key];
    else node = nullptr;
  }
  return place;
}

}  // namespace

std::string to_string(const SchemaViolation& violation) {
  return violation.path + ": " + violation.message;
}

// A valijson::Validator keeps the std::regex of every "pattern" it has compiled. Compiling them
// again on every call was most of a tool call's validation time, so one validator lives as long
// as the schema; the lock keeps validate() safe from several threads.
struct JsonSchema::ValidatorCache {
  std::mutex mutex;
  valijson::Validator validator;
};

JsonSchema::JsonSchema(nlohmann::json document, std::unique_ptr<valijson::Schema> schema)
    : document_(std::move(document)), schema_(std::move(schema)), cache_(std::make_unique<ValidatorCache>()) {}
JsonSchema::JsonSchema(JsonSchema&&) noexcept = default;
JsonSchema& JsonSchema::operator=(JsonSchema&&) noexcept = default;
JsonSchema::~JsonSchema() = default;

agent::Result<JsonSchema> JsonSchema::compile(nlohmann::json document) {
  if (!document.is_object() && !document.is_boolean())
    return agent::fail(agent::ErrorKind::invalid_input, "a JSON schema must be an object or a boolean");
  auto schema = std::make_unique<valijson::Schema>();
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(document);
    parser.populateSchema(adapter, *schema);
  } catch (const std::exception& e) {
    return agent::fail(agent::ErrorKind::invalid_input, std::string("invalid JSON schema: ") + e.what());
  }
  return JsonSchema(std::move(document), std::move(schema));
}

agent::Result<JsonSchema> JsonSchema::load(const std::filesystem::path& path) {
  auto text = util::read_text_file(path);
  if (!text) return agent::fail(agent::ErrorKind::invalid_input, "cannot read schema file " + path.string());
  nlohmann::json document = nlohmann::json::parse(*text, nullptr, false);
  if (document.is_discarded())
    return agent::fail(agent::ErrorKind::invalid_input, "schema file " + path.string() + " is not valid JSON");
  auto schema = compile(std::move(document));
  if (!schema)
    return agent::fail(agent::ErrorKind::invalid_input, "schema file " + path.string() + ": " + schema.error().message);
  return schema;
}

std::vector<SchemaViolation> JsonSchema::validate(const nlohmann::json& instance) const {
  std::vector<SchemaViolation> violations;
  try {
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(instance);
    std::unique_lock lock(cache_->mutex);
    if (cache_->validator.validate(*schema_, target, &results)) return violations;
    lock.unlock();
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      InstancePlace place = instance_place(error.context, instance);
      violations.push_back({std::move(place.path), error.description, std::move(place.pointer)});
    }
    if (violations.empty()) violations.push_back({"$", "does not match the schema"});
  } catch (const std::exception& e) {
    // e.g. a "pattern" that std::regex cannot compile: the instance cannot be shown valid.
    violations.push_back({"$", std::string("schema could not be applied: ") + e.what()});
  }
  return violations;
}

std::vector<SchemaViolation> validate_json_text(const JsonSchema& schema, const std::string& text,
                                                nlohmann::json* parsed) {
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return {{"$", std::string("not valid JSON (") + e.what() + ")"}};
  }
  auto violations = schema.validate(value);
  if (parsed != nullptr) *parsed = std::move(value);
  return violations;
}

}  // namespace diary::generate
