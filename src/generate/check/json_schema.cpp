#include "generate/check/json_schema.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <stdexcept>

// valijson reports schema errors by throwing, or by abort() without this switch. This is the only
// translation unit that includes valijson, and the exceptions never leave it.
#define VALIJSON_USE_EXCEPTIONS 1
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "generate/check/schema_preflight.h"
#include "util/bounded_regex.h"
#include "util/text_file.h"

namespace diary::generate {

namespace {

// What valijson says for a `pattern` mismatch (mcp/argument_problems.cpp recognises it).
constexpr std::string_view pattern_mismatch = "Failed to match regex specified by 'pattern' constraint.";

using RegexMap = std::map<std::string, std::shared_ptr<const util::BoundedRegex>, std::less<>>;

// A search that hit a limit during one validate() call: reported whatever valijson concludes
// (inside "not" a failed search would otherwise turn into a pass).
struct LimitHit {
  std::vector<std::string> context;
  std::string message;
};
thread_local std::vector<LimitHit>* limit_hits = nullptr;

// `pattern`, checked with util::BoundedRegex instead of valijson's std::regex.
class BoundedPatternConstraint : public valijson::constraints::PolyConstraint {
 public:
  explicit BoundedPatternConstraint(std::shared_ptr<const util::BoundedRegex> regex) : regex_(std::move(regex)) {}

  bool validate(const valijson::adapters::Adapter& target, const std::vector<std::string>& context,
                valijson::ValidationResults* results) const override {
    if (!target.isString()) return true;
    auto found = regex_->search(target.asString());
    if (found && *found) return true;
    const std::string message = found ? std::string(pattern_mismatch) : found.error();
    if (!found && limit_hits != nullptr) limit_hits->push_back({context, message});
    if (results != nullptr) results->pushError(context, message);
    return false;
  }

 private:
  valijson::constraints::Constraint* cloneInto(void* memory) const override {
    return new (memory) BoundedPatternConstraint(*this);
  }
  std::size_t sizeOf() const override { return sizeof(BoundedPatternConstraint); }

  std::shared_ptr<const util::BoundedRegex> regex_;
};

class BoundedPatternBuilder : public valijson::ConstraintBuilder {
 public:
  explicit BoundedPatternBuilder(const RegexMap& regexes) : regexes_(regexes) {}
  valijson::constraints::Constraint* make(const valijson::adapters::Adapter& value) const override {
    std::string pattern;
    if (!value.getString(pattern)) throw std::runtime_error("\"pattern\" must be a string");
    auto it = regexes_.find(pattern);
    if (it == regexes_.end()) throw std::runtime_error("pattern " + util::shown_pattern(pattern) + " was not compiled");
    return new BoundedPatternConstraint(it->second);
  }

 private:
  const RegexMap& regexes_;
};

bool digits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return false;
  for (std::size_t i = at; i < at + count; ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  return true;
}

int number(std::string_view text, std::size_t at, std::size_t count) {
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

// valijson's "date": [0-9]+-MM-DD with its day-of-month rule (February up to 29). Returns the
// length parsed, 0 when it is not one.
std::size_t date_length(std::string_view text) {
  std::size_t year = 0;
  while (year < text.size() && text[year] >= '0' && text[year] <= '9') ++year;
  if (year == 0 || !(year + 6 <= text.size() && text[year] == '-' && digits(text, year + 1, 2) && text[year + 3] == '-' &&
                     digits(text, year + 4, 2)))
    return 0;
  const int month = number(text, year + 1, 2), day = number(text, year + 4, 2);
  if (month < 1 || month > 12 || day < 1 || day > 31) return 0;
  const int limit = month == 2 ? 29 : ((month <= 7) == (month % 2 == 1) ? 31 : 30);
  return day <= limit ? year + 6 : 0;
}

// valijson's "time": HH:MM:SS(.frac)?(Z|z|[+-|]HH:MM), to the end of `text`.
bool is_time(std::string_view text) {
  if (!(digits(text, 0, 2) && text.size() >= 8 && text[2] == ':' && digits(text, 3, 2) && text[5] == ':' && digits(text, 6, 2)))
    return false;
  if (number(text, 0, 2) > 23 || number(text, 3, 2) > 59 || number(text, 6, 2) > 60) return false;
  std::size_t at = 8;
  if (at < text.size() && text[at] == '.') {
    const std::size_t start = ++at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    if (at == start) return false;
  }
  const std::string_view zone = text.substr(at);
  if (zone == "Z" || zone == "z") return true;
  return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-' || zone[0] == '|') && digits(zone, 1, 2) && zone[3] == ':' &&
         digits(zone, 4, 2) && number(zone, 1, 2) <= 23 && number(zone, 4, 2) <= 59;
}

// `format`, with valijson's semantics (date, time, date-time; other formats always pass) in
// plain code instead of its std::regex.
class BoundedFormatConstraint : public valijson::constraints::PolyConstraint {
 public:
  explicit BoundedFormatConstraint(std::string format) : format_(std::move(format)) {}

  bool validate(const valijson::adapters::Adapter& target, const std::vector<std::string>& context,
                valijson::ValidationResults* results) const override {
    if (!target.isString()) return true;
    const std::string text = target.asString();
    bool ok = true;
    if (format_ == "date") ok = date_length(text) == text.size();
    else if (format_ == "time") ok = is_time(text);
    else if (format_ == "date-time") {
      const std::size_t date = date_length(text);
      ok = date > 0 && date < text.size() && (text[date] == 'T' || text[date] == 't') &&
           is_time(std::string_view(text).substr(date + 1));
    }
    if (!ok && results != nullptr) results->pushError(context, "String should be a valid " + format_);
    return ok;
  }

 private:
  valijson::constraints::Constraint* cloneInto(void* memory) const override {
    return new (memory) BoundedFormatConstraint(*this);
  }
  std::size_t sizeOf() const override { return sizeof(BoundedFormatConstraint); }

  std::string format_;
};

class BoundedFormatBuilder : public valijson::ConstraintBuilder {
 public:
  valijson::constraints::Constraint* make(const valijson::adapters::Adapter& value) const override {
    std::string format;
    if (!value.getString(format)) throw std::runtime_error("\"format\" must be a string");
    return new BoundedFormatConstraint(std::move(format));
  }
};

// Parses a prepared document (schema_preflight) with diary's bounded keywords.
std::unique_ptr<valijson::Schema> parse_prepared(const nlohmann::json& document, const RegexMap& regexes) {
  auto schema = std::make_unique<valijson::Schema>();
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  parser.addConstraintBuilder(std::string(bounded_pattern_keyword), new BoundedPatternBuilder(regexes));
  parser.addConstraintBuilder(std::string(bounded_format_keyword), new BoundedFormatBuilder());
  valijson::adapters::NlohmannJsonAdapter adapter(document);
  parser.populateSchema(adapter, *schema);
  return schema;
}

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

std::string to_string(const SchemaViolation& violation) { return violation.path + ": " + violation.message; }

// One validator lives as long as the schema (the lock keeps validate() safe from several
// threads), beside what schema_preflight made of the document and every pattern, compiled once
// as util::BoundedRegex (valijson's own std::regex never runs: see schema_preflight.h).
struct JsonSchema::ValidatorCache {
  std::mutex mutex;
  valijson::Validator validator;
  PreparedSchema prepared;  // what valijson parsed (patternProperties are bound per instance)
  RegexMap regexes;         // every pattern, compiled once
};

JsonSchema::JsonSchema(nlohmann::json document, std::unique_ptr<valijson::Schema> schema)
    : document_(std::move(document)), schema_(std::move(schema)), cache_(std::make_unique<ValidatorCache>()) {}
JsonSchema::JsonSchema(JsonSchema&&) noexcept = default;
JsonSchema& JsonSchema::operator=(JsonSchema&&) noexcept = default;
JsonSchema::~JsonSchema() = default;

agent::Result<JsonSchema> JsonSchema::compile(nlohmann::json document) {
  if (!document.is_object() && !document.is_boolean())
    return agent::fail(agent::ErrorKind::invalid_input, "a JSON schema must be an object or a boolean");
  auto prepared = prepare_schema(document);
  if (!prepared) return agent::fail(agent::ErrorKind::invalid_input, "invalid JSON schema: " + prepared.error().message);
  RegexMap regexes;
  for (const auto& pattern : prepared->patterns) {
    if (regexes.contains(pattern)) continue;
    auto regex = util::BoundedRegex::compile(pattern, util::RegexDialect::ecma);
    if (!regex) return agent::fail(agent::ErrorKind::invalid_input, "invalid JSON schema: " + regex.error());
    regexes.emplace(pattern, std::make_shared<const util::BoundedRegex>(std::move(*regex)));
  }
  std::unique_ptr<valijson::Schema> schema;
  try {
    // With patternProperties, what is parsed here (bound to no names) proves the rest compiles;
    // validate() binds them to each instance's names.
    nlohmann::json parsed = prepared->document;
    if (prepared->has_pattern_properties) {
      auto none = [](const std::string&, const std::string&, bool&) { return std::optional<std::string>(); };
      parsed = *bind_pattern_properties(prepared->document, nlohmann::json::object(), none);
    }
    schema = parse_prepared(parsed, regexes);
  } catch (const std::exception& e) {
    return agent::fail(agent::ErrorKind::invalid_input, std::string("invalid JSON schema: ") + e.what());
  }
  JsonSchema compiled(std::move(document), std::move(schema));
  compiled.cache_->prepared = std::move(*prepared);
  compiled.cache_->regexes = std::move(regexes);
  return compiled;
}

agent::Result<JsonSchema> JsonSchema::load(const std::filesystem::path& path) {
  auto text = util::read_text_file(path);
  if (!text) return agent::fail(agent::ErrorKind::invalid_input, "schema file: " + text.error());
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
  // valijson recurses per level of the instance.
  if (nests_deeper_than(instance, max_instance_depth))
    return {{"$", "nests deeper than " + std::to_string(max_instance_depth) + " levels", ""}};
  try {
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(instance);
    std::vector<LimitHit> hits;
    limit_hits = &hits;
    struct Reset {
      ~Reset() { limit_hits = nullptr; }
    } reset;
    bool valid = false;
    if (cache_->prepared.has_pattern_properties) {
      // Bound to this instance's names, parsed for this call only.
      const RegexMap& regexes = cache_->regexes;
      auto matcher = [&](const std::string& pattern, const std::string& name, bool& matched) -> std::optional<std::string> {
        auto found = regexes.at(pattern)->search(name);
        if (!found) return found.error();
        matched = *found;
        return std::nullopt;
      };
      auto bound = bind_pattern_properties(cache_->prepared.document, instance, matcher);
      if (!bound) return {{"$", "patternProperties could not be applied: " + bound.error().message, ""}};
      auto schema = parse_prepared(*bound, regexes);
      valijson::Validator validator;
      valid = validator.validate(*schema, target, &results);
    } else {
      std::unique_lock lock(cache_->mutex);
      valid = cache_->validator.validate(*schema_, target, &results);
    }
    // A search that gave up proves nothing: never valid, whatever valijson made of it.
    for (const auto& hit : hits) {
      InstancePlace place = instance_place(hit.context, instance);
      violations.push_back({std::move(place.path), hit.message, std::move(place.pointer)});
    }
    if (valid) return violations;
    violations.clear();
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      InstancePlace place = instance_place(error.context, instance);
      violations.push_back({std::move(place.path), error.description, std::move(place.pointer)});
    }
    for (const auto& hit : hits) {
      InstancePlace place = instance_place(hit.context, instance);
      SchemaViolation violation{std::move(place.path), hit.message, std::move(place.pointer)};
      if (std::find(violations.begin(), violations.end(), violation) == violations.end())
        violations.push_back(std::move(violation));
    }
    if (violations.empty()) violations.push_back({"$", "does not match the schema"});
  } catch (const std::exception& e) {
    violations.push_back({"$", std::string("schema could not be applied: ") + e.what()});
  }
  return violations;
}

std::vector<SchemaViolation> validate_json_text(const JsonSchema& schema, const std::string& text, nlohmann::json* parsed) {
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
