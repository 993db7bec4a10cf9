#include "generate/daily/offline_parts.h"

#include <algorithm>

#include "generate/prepare/json_fields.h"

namespace diary::generate::daily {

using nlohmann::json;
using prepare::string_field;

namespace {

bool names_slot(const json& part, const SlotRef& slot) {
  using Text = std::optional<std::string_view>;
  if (string_field(part, "task") != Text("daily") || string_field(part, "slot") != Text(slot_key(slot.kind))) return false;
  return slot.kind != SlotKind::project_summary || string_field(part, "project_key") == Text(slot.project_key);
}

json& parts_of(json& report) {
  json& parts = report["offline_parts"];
  if (!parts.is_array()) parts = json::array();
  return parts;
}

}  // namespace

std::optional<json> find_offline_part(const json& report, const SlotRef& slot) {
  const json* parts = prepare::field(report, "offline_parts");
  if (parts == nullptr || !parts->is_array()) return std::nullopt;
  for (const auto& part : *parts)
    if (names_slot(part, slot)) return part;
  return std::nullopt;
}

void restore_offline_part(json& report, const SlotRef& slot, json part) {
  json& parts = parts_of(report);
  auto existing = std::find_if(parts.begin(), parts.end(), [&](const json& p) { return names_slot(p, slot); });
  if (existing != parts.end()) *existing = std::move(part);
  else parts.push_back(std::move(part));
}

void put_offline_part(json& report, const SlotRef& slot, std::string_view reason) {
  json part = {{"task", "daily"}, {"slot", slot_key(slot.kind)}, {"reason", reason}};
  if (slot.kind == SlotKind::project_summary) part["project_key"] = slot.project_key;
  restore_offline_part(report, slot, std::move(part));
}

void remove_offline_part(json& report, const SlotRef& slot) {
  json& parts = parts_of(report);
  parts.erase(std::remove_if(parts.begin(), parts.end(), [&](const json& p) { return names_slot(p, slot); }), parts.end());
}

}  // namespace diary::generate::daily
