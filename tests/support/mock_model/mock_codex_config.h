// The codex `-c key=value` overrides that point codex at a MockModelServer on loopback and keep
// it offline and quiet (see "Hermetic runs" in the app-server spec). Each was checked against
// codex 0.169.0 with --strict-config. Pure function; thread-safe.
#pragma once

#include <string>
#include <vector>

namespace diary::test {

// Values only (no "-c"): e.g. `model_provider="mock"`. Pass each after a `-c` flag.
// `model` names the model codex asks for (the demo agent runs as "diary-demo-agent").
std::vector<std::string> mock_provider_overrides(int port, const std::string& model = "mock-model");

}  // namespace diary::test
