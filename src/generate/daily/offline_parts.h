// The report's offline_parts list ([ours]) as far as the judgment slots go: one entry
// {task:"daily", slot, project_key?, reason} per slot filled without a model, added by the
// offline fallback, carried over when such a slot is kept, removed when a model writes the slot.
// Pure functions on the report value; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "generate/daily/report_slots.h"

namespace diary::generate::daily {

std::optional<nlohmann::json> find_offline_part(const nlohmann::json& report, const SlotRef& slot);
// Replaces the slot's entry (or appends it): with a carried-over `part`, or a new one.
void restore_offline_part(nlohmann::json& report, const SlotRef& slot, nlohmann::json part);
void put_offline_part(nlohmann::json& report, const SlotRef& slot, std::string_view reason);
void remove_offline_part(nlohmann::json& report, const SlotRef& slot);

}  // namespace diary::generate::daily
