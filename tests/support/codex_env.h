// A hermetic codex set-up for e2e tests and demos: a throw-away CODEX_HOME, HOME and working
// directory under a ScratchDir (never /tmp: codex refuses its sandbox helpers there), an
// environment without API keys (the private HOME keeps the machine's login profile, e.g. a
// `pyenv rehash` in ~/.bashrc, out of codex's `bash -lc` commands, where it outlived codex), and the `-c` overrides that point codex at a loopback mock model. Free of
// codex types (diary_test_support links only diary_agent); plain value type, not thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "agent/agent_config.h"

namespace diary::test {

class CodexEnv {
 public:
  // Creates `<root>/codex-home` and `<root>/work`. `config_overrides` are codex `-c` values
  // (e.g. mock_provider_overrides(port)), applied in order.
  CodexEnv(const std::filesystem::path& root, std::vector<std::string> config_overrides);

  const std::filesystem::path& codex_home() const { return codex_home_; }
  const std::filesystem::path& workdir() const { return workdir_; }
  const std::vector<std::string>& config_overrides() const { return config_overrides_; }

  // For an in-process session factory: the overrides plus CODEX_HOME, keys removed.
  agent::AgentBackendOptions backend_options() const;
  // For a spawned process (diary, codex): the current environment without API keys, CODEX_HOME
  // and DIARY_CODEX_BIN (tests name the binary explicitly), plus ours, as KEY=VALUE.
  std::vector<std::string> process_environment() const;
  // {"-c", value, "-c", value, ...} for a command line.
  std::vector<std::string> config_flags() const;

 private:
  std::filesystem::path codex_home_;
  std::filesystem::path home_;
  std::filesystem::path workdir_;
  std::vector<std::string> config_overrides_;
};

// Environment variables a hermetic run must not inherit: real credentials.
const std::vector<std::string>& credential_variables();

}  // namespace diary::test
