// Who made a stored chain, work item or slot: diary's offline extractor marks its own with
// "source":"offline" (valid, but the model is asked to redo it on the next run); model-made
// entries carry no source. Header-only; thread-safe.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "generate/prepare/json_fields.h"

namespace diary::generate::artifacts {

inline constexpr std::string_view offline_source = "offline";

inline bool is_offline_made(const nlohmann::json& entry) { return prepare::string_field(entry, "source") == offline_source; }

}  // namespace diary::generate::artifacts
