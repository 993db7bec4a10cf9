#include "generate/mcp/write_work_item_tool.h"

#include <fmt/format.h>

#include "generate/artifacts/artifact_store.h"
#include "generate/artifacts/field_checks.h"
#include "generate/artifacts/project_synthesis.h"
#include "generate/mcp/write_tool_support.h"

namespace diary::generate::mcp {

namespace {

using nlohmann::json;
namespace art = diary::generate::artifacts;

constexpr std::string_view description =
    "Commit one work item of the project synthesis. A work item groups the turns of one line of work (same goal, "
    "artifact, bug loop or decision; it may span sessions). Every indexed turn of the project must end up covered by "
    "exactly one work item. work_item_ref: W0001, W0002, ... unique. covered_turns: at least one "
    "{session_ref, turn_ref}, each not yet covered. kind: material_work_item needs trigger, agent_reaction and at least "
    "one outcome or terminal state; no_material_work_item sweeps trivial turns; evidence_gap_item covers only turns "
    "without an evidence chain, excluded_with_reason needs reason, and both carry no trigger or agent_reaction and "
    "empty outcomes and terminal_states; every other kind covers only turns with a chain. evidence_refs may name only "
    "covered turns that have a chain. Do not send source or source_user_messages: diary fills them. "
    "Accepted: {\"status\":\"appended\",\"work_item_ref\",\"uncovered_turns\":[{\"session_ref\",\"turn_ref\"}]}: "
    "cover those turns with further calls; stop when the list is empty. "
    "Rejected: {\"status\":\"invalid\",\"errors\":[{\"path\",\"message\",\"hint\"}]} (JSON pointers into your "
    "arguments): nothing was written; fix every error and call again.";

json turn_schema() {
  return object_schema({{"session_ref", text_schema("e.g. S0001")}, {"turn_ref", text_schema("e.g. T0001")}},
                       {"session_ref", "turn_ref"});
}

json refs_schema() { return array_schema(turn_schema(), "covered turns with an evidence chain that show it"); }

json input_schema() {
  json trigger = object_schema({{"summary", text_schema("what started the work")}, {"evidence_refs", refs_schema()}},
                               {"summary", "evidence_refs"});
  json reaction = object_schema(
      {{"summary", text_schema("what the agent did")}, {"main_actions", array_schema(text_schema("one action in a few words"))}},
      {"summary", "main_actions"});
  json outcome = object_schema({{"category", term_schema(art::outcome_categories())},
                                {"summary", text_schema("what changed")},
                                {"evidence_refs", refs_schema()},
                                {"confidence", term_schema(art::confidence_levels())}},
                               {"category", "summary", "evidence_refs", "confidence"});
  json terminal = object_schema({{"type", term_schema(art::terminal_types())},
                                 {"summary", text_schema("how the work ended")},
                                 {"evidence_refs", refs_schema()}},
                                {"type", "summary", "evidence_refs"});
  json work_ref = {{"type", "string"}, {"pattern", "^W[0-9]{4}$"}, {"description", "W0001, W0002, ... unique in the project"}};
  json item = object_schema(
      {{"work_item_ref", work_ref},
       {"kind", term_schema(art::work_item_kinds())},
       {"title", text_schema("a short descriptive title")},
       {"covered_turns", array_schema(turn_schema(), "the turns this item covers, each covered by no other item", 1)},
       {"trigger", trigger},
       {"agent_reaction", reaction},
       {"outcomes", array_schema(outcome)},
       {"terminal_states", array_schema(terminal)},
       {"limits", array_schema(text_schema("a limit of the evidence"))},
       {"reason", text_schema("why the turns are excluded (excluded_with_reason)")},
       {"confidence", term_schema(art::confidence_levels())}},
      {"work_item_ref", "kind", "title", "covered_turns", "outcomes", "terminal_states", "limits", "confidence"});
  return object_schema({{"project_key", text_schema("the project_key of the assignment")}, {"work_item", item}},
                       {"project_key", "work_item"});
}

json call(const ToolContext& context, const json& arguments) {
  auto day = load_call_workspace(context);
  if (!day) return art::invalid_result({day.error()});

  art::Problems problems;
  art::FieldChecks checks(problems);
  checks.object_shape(arguments, "", "the arguments", {"project_key", "work_item"});
  if (!arguments.is_object()) return art::invalid_result(problems);
  const json* project_key = checks.text(arguments, "", "project_key", "use the project_key of the assignment");
  const json* given = checks.member(arguments, "", "work_item", art::FieldChecks::Need::required);
  if (project_key == nullptr || given == nullptr) return art::invalid_result(problems);
  const std::string pk = project_key->get<std::string>();
  const workspace::ProjectEntry* project = day->find_project(pk);

  json item = *given;
  if (item.is_object() && item.contains("source")) {
    checks.add("/work_item/source", "/work_item/source is set by diary, not by the call", "remove source from work_item");
    item.erase("source");
  }
  const art::ProjectChains committed = art::committed_project_chains(*day, pk);
  const art::Problems content = art::validate_work_item(item, *day, pk, committed, nullptr);
  problems.insert(problems.end(), content.begin(), content.end());
  if (!problems.empty() || project == nullptr) return art::invalid_result(problems);

  art::WorkItemCommit commit;
  auto written = art::update_json_locked(day->project_synthesis(pk), [&](const art::StoredJson& current) -> std::optional<json> {
    commit = art::commit_work_item(current, item, *day, *project, committed);
    if (!commit.problems.empty()) return std::nullopt;
    return std::move(commit.envelope);
  });
  if (!written) return commit_failed(written.error());
  if (!commit.problems.empty()) return art::invalid_result(commit.problems);
  return {{"status", "appended"},
          {"work_item_ref", item["work_item_ref"]},
          {"uncovered_turns", art::to_json(commit.remaining_turns)}};
}

}  // namespace

McpTool write_work_item_tool() { return McpTool{"write_work_item", std::string(description), input_schema(), call}; }

}  // namespace diary::generate::mcp
