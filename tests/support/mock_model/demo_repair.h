// How the demo agent corrects a call that came back {"status":"invalid","errors":[{path,...}]}:
// like a careful model it reads each error's path (a JSON pointer into its own arguments) and
// removes the citation the error points into; a list left empty gets `fallback` instead. Errors
// it cannot act on are returned, so the caller can fall back or give up. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace diary::test::demo {

struct Repair {
  nlohmann::json arguments;            // the corrected arguments
  std::vector<std::string> unhandled;  // messages of the errors that point at no citation
  bool changed = false;
};

Repair drop_rejected_citations(nlohmann::json arguments, const nlohmann::json& errors, const nlohmann::json& fallback);

// A JSON pointer ("/a/0/b", "~1" and "~0" unescaped) as its tokens.
std::vector<std::string> pointer_tokens(const std::string& pointer);

}  // namespace diary::test::demo
