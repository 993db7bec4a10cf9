#include "generate/job/job_spec.h"

namespace diary::generate {

namespace {

template <class T>
nlohmann::json optional_json(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json optional_path(const std::optional<std::filesystem::path>& path) {
  return path ? nlohmann::json(path->string()) : nlohmann::json(nullptr);
}

}  // namespace

std::vector<std::string> config_override_keys(const std::vector<std::string>& overrides) {
  std::vector<std::string> keys;
  for (const auto& entry : overrides) keys.push_back(entry.substr(0, entry.find('=')));
  return keys;
}

nlohmann::json to_json(const JobSpec& spec) {
  nlohmann::json artifacts = nlohmann::json::array();
  for (const auto& artifact : spec.artifacts) {
    artifacts.push_back({{"path", artifact.path},
                         {"min_bytes", artifact.min_bytes},
                         {"contains", artifact.contains},
                         {"matches", optional_json(artifact.matches)},
                         {"json_schema", optional_path(artifact.json_schema_path)}});
  }
  return {{"spec", spec.spec_path.string()},
          {"name", spec.name},
          {"workdir", spec.workdir.string()},
          {"prompt", spec.prompt},
          {"prompt_file", optional_path(spec.prompt_file)},
          {"model", optional_json(spec.model)},
          {"model_provider", optional_json(spec.model_provider)},
          {"reasoning_effort", optional_json(spec.reasoning_effort)},
          {"sandbox", spec.sandbox},
          {"approval_policy", spec.approval_policy},
          {"developer_instructions", optional_json(spec.developer_instructions)},
          {"turn_timeout_ms", spec.turn_timeout.count()},
          {"max_no_progress", spec.max_no_progress},
          {"max_turns", spec.max_turns},
          {"output_schema", optional_path(spec.output_schema_path)},
          {"resume_prompt", optional_json(spec.resume_prompt)},
          {"max_tokens", optional_json(spec.max_tokens)},
          {"fallback_model", optional_json(spec.fallback_model)},
          {"artifacts", std::move(artifacts)},
          {"policy", to_json(spec.policy)},
          {"config_override_keys", config_override_keys(spec.config_overrides)}};
}

}  // namespace diary::generate
