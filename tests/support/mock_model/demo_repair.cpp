#include "support/mock_model/demo_repair.h"

#include <algorithm>
#include <optional>
#include <set>

#include "support/mock_model/demo_conversation.h"

namespace diary::test::demo {

namespace {

using nlohmann::json;

// The citation an error path points into: the path of the citations array and the index in it.
struct CitationAt {
  std::vector<std::string> array_path;
  std::size_t index = 0;
};

std::optional<CitationAt> citation_at(const std::vector<std::string>& tokens) {
  for (std::size_t i = tokens.size(); i >= 2; --i) {
    if (tokens[i - 2] != "citations") continue;
    auto index = parse_index(tokens[i - 1]);
    if (!index) return std::nullopt;
    return CitationAt{{tokens.begin(), tokens.begin() + static_cast<long>(i - 1)}, *index};
  }
  return std::nullopt;
}

json* walk(json& root, const std::vector<std::string>& tokens) {
  json* node = &root;
  for (const auto& token : tokens) {
    if (node->is_object()) {
      auto it = node->find(token);
      if (it == node->end()) return nullptr;
      node = &*it;
    } else if (node->is_array()) {
      auto index = parse_index(token);
      if (!index || *index >= node->size()) return nullptr;
      node = &(*node)[*index];
    } else {
      return nullptr;
    }
  }
  return node;
}

}  // namespace

std::vector<std::string> pointer_tokens(const std::string& pointer) {
  std::vector<std::string> tokens;
  std::size_t pos = pointer.starts_with('/') ? 1 : 0;
  if (pointer.empty()) return tokens;
  while (true) {
    const auto slash = pointer.find('/', pos);
    std::string token = pointer.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
    for (std::size_t at; (at = token.find("~1")) != std::string::npos;) token.replace(at, 2, "/");
    for (std::size_t at; (at = token.find("~0")) != std::string::npos;) token.replace(at, 2, "~");
    tokens.push_back(std::move(token));
    if (slash == std::string::npos) break;
    pos = slash + 1;
  }
  return tokens;
}

Repair drop_rejected_citations(json arguments, const json& errors, const json& fallback) {
  Repair repair;
  // Collect first, remove afterwards from the back, so indexes of one array stay valid.
  std::set<std::pair<std::vector<std::string>, std::size_t>> doomed;
  static const json none = json::array();
  for (const auto& error : errors.is_array() ? errors : none) {
    auto at = citation_at(pointer_tokens(text_field(error, "path")));
    json* list = at ? walk(arguments, at->array_path) : nullptr;
    if (list == nullptr || !list->is_array() || at->index >= list->size()) {
      repair.unhandled.push_back(text_field(error, "message").empty() ? error.dump() : text_field(error, "message"));
      continue;
    }
    doomed.insert({at->array_path, at->index});
  }
  for (auto it = doomed.rbegin(); it != doomed.rend(); ++it) {
    json* list = walk(arguments, it->first);
    list->erase(it->second);
    repair.changed = true;
    if (list->empty() && !fallback.is_null()) list->push_back(fallback);
  }
  repair.arguments = std::move(arguments);
  return repair;
}

}  // namespace diary::test::demo
