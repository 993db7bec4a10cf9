#include "support/codex_env.h"

#include <algorithm>
#include <string_view>

extern char** environ;

namespace diary::test {

namespace fs = std::filesystem;

const std::vector<std::string>& credential_variables() {
  static const std::vector<std::string> names = {"OPENAI_API_KEY", "CODEX_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID",
                                                 "OPENAI_PROJECT_ID"};
  return names;
}

CodexEnv::CodexEnv(const fs::path& root, std::vector<std::string> config_overrides)
    : codex_home_(root / "codex-home"),
      home_(root / "home"),
      workdir_(root / "work"),
      config_overrides_(std::move(config_overrides)) {
  fs::create_directories(codex_home_);
  fs::create_directories(home_);
  fs::create_directories(workdir_);
}

agent::AgentBackendOptions CodexEnv::backend_options() const {
  agent::AgentBackendOptions options;
  options.config_overrides = config_overrides_;
  options.env["CODEX_HOME"] = codex_home_.string();
  options.env["HOME"] = home_.string();
  options.env_remove = credential_variables();
  return options;
}

std::vector<std::string> CodexEnv::process_environment() const {
  const auto& removed = credential_variables();
  std::vector<std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::string name(text.substr(0, text.find('=')));
    if (name == "CODEX_HOME" || name == "DIARY_CODEX_BIN" || name == "HOME") continue;
    if (std::find(removed.begin(), removed.end(), name) != removed.end()) continue;
    env.emplace_back(text);
  }
  env.push_back("CODEX_HOME=" + codex_home_.string());
  env.push_back("HOME=" + home_.string());
  return env;
}

std::vector<std::string> CodexEnv::config_flags() const {
  std::vector<std::string> flags;
  for (const auto& value : config_overrides_) {
    flags.push_back("-c");
    flags.push_back(value);
  }
  return flags;
}

}  // namespace diary::test
