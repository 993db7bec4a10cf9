// One reason an artifact, a chain or a tool call is rejected: a JSON-pointer path into the
// checked value, what is wrong, and a hint that names the fix. The MCP tools return these as
// {"status":"invalid","errors":[{path,message,hint}]}; resume prompts quote them. Value type.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace diary::generate::artifacts {

struct Problem {
  std::string path;  // JSON pointer, "" = the whole value
  std::string message;
  std::string hint;
  friend bool operator==(const Problem&, const Problem&) = default;
};

using Problems = std::vector<Problem>;

inline nlohmann::json to_json(const Problem& problem) {
  return {{"path", problem.path}, {"message", problem.message}, {"hint", problem.hint}};
}

// {"status":"invalid","errors":[...]}
inline nlohmann::json invalid_result(const Problems& problems) {
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& problem : problems) errors.push_back(to_json(problem));
  return {{"status", "invalid"}, {"errors", std::move(errors)}};
}

}  // namespace diary::generate::artifacts
