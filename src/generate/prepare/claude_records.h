// Classifies Claude Code project session records (type user / assistant / system / summary /
// file-history-snapshot ...) for turn detection and collects session facts. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "generate/prepare/session_record.h"

namespace diary::generate::prepare {

RecordClass classify_claude_record(const nlohmann::json& record, SessionFacts& facts);

}  // namespace diary::generate::prepare
