// overall_confidence of a daily report: the mean of high=3 / medium=2 / low=1 over every
// material work item and each of its outcomes, the engagement reading and its observations, the
// team-learning takeaways and its patterns. Mean >= 2.5 high, >= 1.5 medium, else low; nothing
// to average gives null. Values outside the vocabulary are not counted. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace diary::generate::daily {

std::optional<std::string> overall_confidence(const nlohmann::json& report);

}  // namespace diary::generate::daily
