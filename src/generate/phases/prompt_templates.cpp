#include "generate/phases/prompt_templates.h"

#include "generate/artifacts/versions.h"
#include "generate/artifacts/vocabulary.h"

namespace diary::generate::phases {

const PromptTemplate* find_prompt_template(std::string_view name) {
  for (const auto& entry : prompt_templates())
    if (entry.name == name) return &entry;
  return nullptr;
}

agent::Result<std::string> render_prompt(std::string_view name, const PromptValues& values) {
  const PromptTemplate* found = find_prompt_template(name);
  if (!found) return agent::fail(agent::ErrorKind::invalid_input, "no prompt template named " + std::string(name));
  const std::string_view text = found->text;
  std::string out;
  out.reserve(text.size() + 1024);
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    const std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    out.append(text.substr(pos, open - pos));
    const std::string_view key = text.substr(open + 2, close - open - 2);
    if (key.starts_with("vocab:")) {
      const auto* vocabulary = artifacts::find_vocabulary(key.substr(6));
      if (!vocabulary)
        return agent::fail(agent::ErrorKind::invalid_input,
                           std::string(name) + ": unknown vocabulary {{" + std::string(key) + "}}");
      std::string list = vocabulary->prompt_list();
      if (!list.empty() && list.back() == '\n') list.pop_back();
      // Indent the list like the placeholder line so it nests under its bullet.
      const std::size_t line_start = out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1;
      const std::string indent = out.substr(line_start);
      std::string indented;
      for (char c : list) {
        indented += c;
        if (c == '\n') indented += indent;
      }
      out += indented;
    } else {
      auto value = values.find(key);
      if (value == values.end())
        return agent::fail(agent::ErrorKind::invalid_input, std::string(name) + ": no value for {{" + std::string(key) + "}}");
      out += value->second;
    }
    pos = close + 2;
  }
  return out;
}

std::string_view prompt_version(std::string_view name) {
  if (name.starts_with("evidence")) return artifacts::evidence_prompt_version;
  if (name.starts_with("project-synth") || name == "project-input" || name == "project-resume")
    return artifacts::project_prompt_version;
  return artifacts::daily_prompt_version;
}

}  // namespace diary::generate::phases
