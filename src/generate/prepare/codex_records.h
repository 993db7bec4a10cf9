// Classifies Codex rollout records ({timestamp, type, payload}) for turn detection and
// collects session facts from session_meta / turn_context. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "generate/prepare/session_record.h"

namespace diary::generate::prepare {

RecordClass classify_codex_record(const nlohmann::json& record, SessionFacts& facts);

}  // namespace diary::generate::prepare
