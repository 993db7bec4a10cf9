// What the four daily write tools (project summary, title, engagement, team learning) share:
// the JSON Schema pieces they publish (generated from the vocabularies) and one call path —
// load the citation index, resolve every citation the agent sent to a committed turn, check the
// slot rules, then replace the slot under the report's flock. A rejected call changes nothing
// on disk. Stateless; a call may run on any thread.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "generate/daily/report_slots.h"
#include "generate/mcp/tool.h"

namespace diary::generate::mcp::daily_schema {

// {"type":"string","minLength":1}
nlohmann::json text();
// A citation: {session_ref, turn_ref} (optional project_key) for a project summary;
// {project_key, session_ref, turn_ref} for the cross-project passes.
nlohmann::json citations(bool cross_project);
// {text, citations} (the summary, the title).
nlohmann::json cited_text(bool cross_project);
// {text, citations, confidence} (engagement reading, team takeaways).
nlohmann::json cited_lead();
// A list of cited claims: each object has `extra_properties` (e.g. an enum field), the
// `text_fields` (non-empty strings), citations and confidence; all required.
nlohmann::json claims(const nlohmann::json& extra_properties, const std::vector<std::string>& text_fields);
// [string, ...]
nlohmann::json limits();
// {"type":"object","additionalProperties":false,"required":[every key],"properties":...}
nlohmann::json closed_object(nlohmann::json properties, std::vector<std::string> optional_keys = {});

}  // namespace diary::generate::mcp::daily_schema

namespace diary::generate::mcp {

// Runs a daily write: `value` is the slot as the agent sent it (found at `path` of the arguments,
// "" when the arguments are the slot); its citations are resolved in place. Returns
// {"status":"written"} or artifacts::invalid_result.
nlohmann::json write_daily_slot(const ToolContext& context, const daily::SlotRef& slot, nlohmann::json value,
                                const std::string& path);

}  // namespace diary::generate::mcp
