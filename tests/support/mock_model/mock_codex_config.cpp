#include "support/mock_model/mock_codex_config.h"

namespace diary::test {

std::vector<std::string> mock_provider_overrides(int port, const std::string& model) {
  // No retries: a scripted failure must surface at once instead of after codex's backoff.
  const std::string provider = "model_providers.mock={name=\"mock\",base_url=\"http://127.0.0.1:" + std::to_string(port) +
                               "/v1\",wire_api=\"responses\",requires_openai_auth=false,request_max_retries=0,"
                               "stream_max_retries=0,supports_websockets=false}";
  return {
      "model_provider=\"mock\"", provider,
      "model=\"" + model + "\"", "check_for_update_on_startup=false",
      "analytics.enabled=false", "feedback.enabled=false",
      "web_search=\"disabled\"", "features.plugins=false",
      "features.apps=false",     "features.memories=false",
  };
}

}  // namespace diary::test
