// Placeholder until the offline extractor lands (branch `reader`): every call fails clearly.
#include "generate/offline/offline_extractor.h"

namespace diary::generate::offline {

agent::Result<nlohmann::json> offline_chain(const workspace::DayWorkspace&, std::string_view, const workspace::SessionEntry&,
                                            const workspace::TurnSpan&) {
  return agent::fail(agent::ErrorKind::invalid_output, "the offline extractor is not built yet");
}

agent::Result<std::vector<nlohmann::json>> offline_work_items(const workspace::DayWorkspace&, std::string_view,
                                                              const artifacts::ProjectChains&,
                                                              const std::vector<artifacts::TurnRef>&, int) {
  return agent::fail(agent::ErrorKind::invalid_output, "the offline extractor is not built yet");
}

}  // namespace diary::generate::offline
