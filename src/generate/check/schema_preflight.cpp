#include "generate/check/schema_preflight.h"

#include <map>
#include <set>
#include <utility>

namespace diary::generate {

namespace {

using nlohmann::json;
using Pointer = json::json_pointer;

// Keywords whose values are data, never schemas.
const std::set<std::string, std::less<>> value_keywords = {"enum", "const", "default", "examples"};
// Keywords whose values map names to schemas (the names are not keywords).
const std::set<std::string, std::less<>> schema_map_keywords = {"properties", "patternProperties", "definitions", "dependencies"};

agent::Result<void> invalid(const std::string& message) { return agent::fail(agent::ErrorKind::invalid_input, message); }

std::string shown(const Pointer& pointer) { return "#" + pointer.to_string(); }

// Calls `visit(schema, pointer)` for every place of `node` that may be a schema (also the values
// of unknown keywords: a $ref may point there), children first. `node` nests at most
// max_schema_depth levels (checked before), so the recursion is bounded.
template <class Json, class Visit>
void walk_schemas(Json& node, const Pointer& at, Visit& visit) {
  if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) walk_schemas(node[i], at / i, visit);
    return;
  }
  if (!node.is_object()) return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (value_keywords.contains(it.key())) continue;
    if (schema_map_keywords.contains(it.key()) && it->is_object()) {
      for (auto entry = it->begin(); entry != it->end(); ++entry) walk_schemas(*entry, at / it.key() / entry.key(), visit);
      continue;
    }
    walk_schemas(*it, at / it.key(), visit);
  }
  visit(node, at);
}

std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() + 0 && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// The `$ref` graph restricted to edges that apply another schema to the SAME value: a cycle of
// them is endless recursion in valijson, whatever the instance.
class RefGraph {
 public:
  explicit RefGraph(const json& document) : document_(document) {
    auto index = [&](const json& node, const Pointer& at) {
      if (!node.is_object()) return;
      schemas_.push_back(at);
      if (auto id = node.find("$id"); id != node.end() && id->is_string()) ids_.emplace(id->get<std::string>(), at);
    };
    walk_schemas(document, Pointer(), index);
  }

  agent::Result<void> check() {
    for (const auto& schema : schemas_) {
      std::vector<Pointer> chain;
      if (auto ok = visit(schema, chain); !ok) return ok;
    }
    return {};
  }

 private:
  std::optional<Pointer> resolve(const std::string& ref) const {
    const auto hash = ref.find('#');
    const std::string base = ref.substr(0, hash);
    const std::string fragment = hash == std::string::npos ? "" : percent_decoded(ref.substr(hash + 1));
    Pointer root;
    if (!base.empty()) {
      auto id = ids_.find(base);
      if (id == ids_.end()) return std::nullopt;  // remote, or relative to a base URI: valijson decides
      root = id->second;
    }
    if (!fragment.empty() && fragment.front() != '/') {  // a plain-name fragment: {"$id": "#name"}
      auto anchor = ids_.find("#" + fragment);
      if (anchor == ids_.end()) return std::nullopt;
      return anchor->second;
    }
    try {
      Pointer target = root / Pointer(fragment);
      if (!document_.contains(target)) return std::nullopt;
      return target;
    } catch (const json::exception&) {
      return std::nullopt;  // not a valid JSON pointer: valijson reports it
    }
  }

  // The schemas applied to the same value as the schema at `at`.
  std::vector<Pointer> in_place(const Pointer& at) const {
    std::vector<Pointer> out;
    const json* node = nullptr;
    try {
      node = &document_.at(at);
    } catch (const json::exception&) {
      return out;
    }
    if (!node->is_object()) return out;
    if (auto ref = node->find("$ref"); ref != node->end() && ref->is_string())
      if (auto target = resolve(ref->get<std::string>())) out.push_back(*target);
    for (const char* keyword : {"allOf", "anyOf", "oneOf"})
      if (auto list = node->find(keyword); list != node->end() && list->is_array())
        for (std::size_t i = 0; i < list->size(); ++i) out.push_back(at / keyword / i);
    for (const char* keyword : {"not", "if", "then", "else"})
      if (node->contains(keyword)) out.push_back(at / keyword);
    if (auto deps = node->find("dependencies"); deps != node->end() && deps->is_object())
      for (auto it = deps->begin(); it != deps->end(); ++it)
        if (it->is_object() || it->is_boolean()) out.push_back(at / "dependencies" / it.key());
    return out;
  }

  static std::string describe(const std::vector<Pointer>& chain, std::size_t from) {
    std::string out;
    for (std::size_t i = from; i < chain.size(); ++i) out += (out.empty() ? "" : " -> ") + shown(chain[i]);
    return out;
  }

  // Depth-first with colours; `height_` is the longest in-place chain below a finished schema.
  agent::Result<void> visit(const Pointer& at, std::vector<Pointer>& chain) {
    const std::string key = at.to_string();
    if (auto done = height_.find(key); done != height_.end()) {
      if (chain.size() + done->second > max_ref_chain) return too_long(chain, at);
      return {};
    }
    if (active_.contains(key)) {
      std::size_t from = 0;
      while (from < chain.size() && chain[from] != at) ++from;
      chain.push_back(at);
      return invalid("$ref cycle that never reaches a property or an item (validation would recurse for ever): " +
                     describe(chain, from));
    }
    chain.push_back(at);
    if (chain.size() > max_ref_chain) return too_long(chain, at);
    active_.insert(key);
    std::size_t height = 0;
    for (const auto& next : in_place(at)) {
      if (auto ok = visit(next, chain); !ok) return ok;
      height = std::max(height, height_[next.to_string()]);
    }
    active_.erase(key);
    chain.pop_back();
    height_[key] = height + 1;
    return {};
  }

  agent::Result<void> too_long(const std::vector<Pointer>& chain, const Pointer& at) const {
    return invalid("more than " + std::to_string(max_ref_chain) +
                   " schemas apply in turn to one value through $ref/allOf/anyOf/oneOf/not/if/then/else, from " +
                   shown(chain.empty() ? at : chain.front()));
  }

  const json& document_;
  std::vector<Pointer> schemas_;
  std::map<std::string, Pointer> ids_;
  std::set<std::string> active_;
  std::map<std::string, std::size_t> height_;
};

}  // namespace

bool nests_deeper_than(const json& value, std::size_t limit) {
  std::vector<std::pair<const json*, std::size_t>> pending{{&value, 1}};
  while (!pending.empty()) {
    auto [node, depth] = pending.back();
    pending.pop_back();
    if (!node->is_structured()) continue;
    if (depth > limit) return true;
    for (const auto& child : *node) pending.emplace_back(&child, depth + 1);
  }
  return false;
}

agent::Result<PreparedSchema> prepare_schema(const json& document) {
  if (nests_deeper_than(document, max_schema_depth))
    return agent::fail(agent::ErrorKind::invalid_input,
                       "the schema nests deeper than " + std::to_string(max_schema_depth) + " levels");
  std::optional<std::string> problem;
  auto bounds = [&](const json& node, const Pointer& at) {
    if (problem || !node.is_object()) return;
    for (const char* keyword : {"$ref", "$id"})
      if (auto it = node.find(keyword);
          it != node.end() && it->is_string() && it->get_ref<const std::string&>().size() > max_ref_length)
        problem = shown(at / keyword) + ": longer than " + std::to_string(max_ref_length) + " characters";
  };
  walk_schemas(document, Pointer(), bounds);
  if (problem) return agent::fail(agent::ErrorKind::invalid_input, *problem);
  RefGraph graph(document);
  if (auto ok = graph.check(); !ok) return std::unexpected(ok.error());

  PreparedSchema prepared;
  prepared.document = document;
  auto rename = [&](json& node, const Pointer&) {
    if (!node.is_object()) return;
    if (auto it = node.find("pattern"); it != node.end() && it->is_string()) {
      prepared.patterns.push_back(it->get<std::string>());
      node[std::string(bounded_pattern_keyword)] = std::move(*it);
      node.erase("pattern");
    }
    if (auto it = node.find("format"); it != node.end() && it->is_string()) {
      node[std::string(bounded_format_keyword)] = std::move(*it);
      node.erase("format");
    }
    if (auto it = node.find("patternProperties"); it != node.end() && it->is_object()) {
      prepared.has_pattern_properties = true;
      for (auto entry = it->begin(); entry != it->end(); ++entry) prepared.patterns.push_back(entry.key());
    }
  };
  walk_schemas(prepared.document, Pointer(), rename);
  return prepared;
}

agent::Result<json> bind_pattern_properties(const json& prepared, const json& instance, const NameMatcher& matches) {
  std::set<std::string> names;
  std::vector<const json*> pending{&instance};
  while (!pending.empty()) {
    const json* node = pending.back();
    pending.pop_back();
    if (node->is_object())
      for (auto it = node->begin(); it != node->end(); ++it) names.insert(it.key());
    if (node->is_structured())
      for (const auto& child : *node) pending.push_back(&child);
  }

  json bound = prepared;
  std::optional<std::string> failure;
  auto bind = [&](json& node, const Pointer&) {
    if (failure || !node.is_object()) return;
    auto it = node.find("patternProperties");
    if (it == node.end() || !it->is_object()) return;
    json pattern_properties = std::move(*it);
    node.erase("patternProperties");
    json applied = json::array();
    std::set<std::string> matched_names;
    for (auto entry = pattern_properties.begin(); entry != pattern_properties.end(); ++entry) {
      json properties = json::object();
      for (const auto& name : names) {
        bool matched = false;
        if (auto error = matches(entry.key(), name, matched)) {
          failure = *error;
          return;
        }
        if (!matched) continue;
        properties[name] = *entry;
        matched_names.insert(name);
      }
      if (!properties.empty()) applied.push_back({{"properties", std::move(properties)}});
    }
    if (matched_names.empty()) return;
    json& own = node["properties"];
    if (!own.is_object()) own = json::object();
    for (const auto& name : matched_names)
      if (!own.contains(name)) own[name] = true;
    json& all_of = node["allOf"];
    if (!all_of.is_array()) all_of = json::array();
    for (auto& entry : applied) all_of.push_back(std::move(entry));
  };
  walk_schemas(bound, Pointer(), bind);
  if (failure) return agent::fail(agent::ErrorKind::invalid_input, *failure);
  return bound;
}

}  // namespace diary::generate
