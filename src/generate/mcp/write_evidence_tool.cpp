#include "generate/mcp/write_evidence_tool.h"

#include <fmt/format.h>

#include "generate/artifacts/artifact_store.h"
#include "generate/artifacts/evidence_card.h"
#include "generate/artifacts/field_checks.h"
#include "generate/artifacts/turn_inputs.h"
#include "generate/mcp/write_tool_support.h"

namespace diary::generate::mcp {

namespace {

using nlohmann::json;
namespace art = diary::generate::artifacts;

constexpr std::string_view description =
    "Commit the evidence chain of the ONE turn you were assigned to the session's evidence card. "
    "Send project_key and session_ref from the assignment and evidence_chain with turn_ref = the assigned turn. "
    "Cite transcript lines as {\"lines\":\"a-b\"} (1-based, inclusive, numbered as read_session_lines numbers them); "
    "every cited span must lie inside the assigned turn (turn_start_line..turn_end_line). "
    "trigger: what started the turn, with the user's own words verbatim in quoted_messages; "
    "agent_reactions: what the agent did; outcomes: what changed (in a material chain an outcome must cite lines of "
    "the agent's work, not only the request); observed_checks: checks visible in the transcript; terminal_state: how "
    "the turn ended (material_result needs at least one outcome); materiality: material, minor or none. "
    "Empty lists are fine where nothing applies. Do not send inputs_sha256 or source: diary sets them. "
    "Accepted: {\"status\":\"appended\",\"project_key\",\"session_ref\",\"turn_ref\",\"missing_turns\":[turns of this "
    "session still without a chain]}: your work is done, stop. "
    "Rejected: {\"status\":\"invalid\",\"errors\":[{\"path\",\"message\",\"hint\"}]} (paths are JSON pointers into your "
    "arguments): nothing was written; fix every error and call again.";

json citations_schema() {
  json lines = {{"type", "string"},
                {"pattern", "^[0-9]+-[0-9]+$"},
                {"description", "inclusive 1-based line span \"start-end\" inside the assigned turn, e.g. \"12-14\""}};
  return array_schema(object_schema({{"lines", lines}}, {"lines"}), "the transcript lines that show it");
}

// {<kind_key>?, summary, citations}
json entry_schema(std::string_view kind_key, const art::Vocabulary* vocabulary, std::string_view what) {
  json properties = {{"summary", text_schema(what)}, {"citations", citations_schema()}};
  if (vocabulary == nullptr) return object_schema(std::move(properties), {"summary", "citations"});
  properties[std::string(kind_key)] = term_schema(*vocabulary);
  return object_schema(std::move(properties), {kind_key, "summary", "citations"});
}

json input_schema() {
  json quote = object_schema({{"text", text_schema("the user's words, verbatim")}, {"citations", citations_schema()}},
                             {"text", "citations"});
  json trigger = object_schema({{"type", term_schema(art::trigger_types())},
                                {"summary", text_schema("what started the turn")},
                                {"quoted_messages", array_schema(quote, "the user's own messages that started it")},
                                {"citations", citations_schema()}},
                               {"type", "summary", "quoted_messages", "citations"});
  json chain = object_schema(
      {{"turn_ref", text_schema("the assigned turn, e.g. T0002")},
       {"trigger", trigger},
       {"agent_reactions", array_schema(entry_schema("", nullptr, "what the agent did"))},
       {"outcomes", array_schema(entry_schema("category", &art::outcome_categories(), "what changed"))},
       {"observed_checks", array_schema(entry_schema("type", &art::check_types(), "what was checked and what it showed"))},
       {"terminal_state", entry_schema("type", &art::terminal_types(), "how the turn ended")},
       {"materiality", term_schema(art::materiality_levels())}},
      {"turn_ref", "trigger", "agent_reactions", "outcomes", "observed_checks", "terminal_state", "materiality"});
  return object_schema({{"project_key", text_schema("the project_key of the assignment")},
                        {"session_ref", text_schema("the session_ref of the assignment, e.g. S0001")},
                        {"evidence_chain", chain}},
                       {"project_key", "session_ref", "evidence_chain"});
}

json call(const ToolContext& context, const json& arguments) {
  auto day = load_call_workspace(context);
  if (!day) return art::invalid_result({day.error()});

  art::Problems problems;
  art::FieldChecks checks(problems);
  checks.object_shape(arguments, "", "the arguments", {"project_key", "session_ref", "evidence_chain"});
  if (!arguments.is_object()) return art::invalid_result(problems);
  const json* project_key = checks.text(arguments, "", "project_key", "use the project_key of the assignment");
  const json* session_ref = checks.text(arguments, "", "session_ref", "use the session_ref of the assignment");
  const json* given = checks.member(arguments, "", "evidence_chain", art::FieldChecks::Need::required);
  if (project_key == nullptr || session_ref == nullptr || given == nullptr) return art::invalid_result(problems);
  const std::string pk = project_key->get<std::string>();
  const std::string sref = session_ref->get<std::string>();

  // Fields only diary sets: rejected here, then left out so that they are reported once.
  json chain = *given;
  for (const char* key : {"inputs_sha256", "source"}) {
    if (!chain.is_object() || !chain.contains(key)) continue;
    checks.add(art::pointer("/evidence_chain", key), fmt::format("/evidence_chain/{} is set by diary, not by the call", key),
               fmt::format("remove {} from evidence_chain", key));
    chain.erase(key);
  }
  const art::Problems content = art::validate_chain(chain, *day, pk, sref, nullptr);
  problems.insert(problems.end(), content.begin(), content.end());
  if (!problems.empty()) return art::invalid_result(problems);

  // Valid on its own: the chain names a turn of a known session.
  const workspace::SessionEntry& session = *day->find_session(pk, sref);
  const workspace::TurnSpan& turn = *session.find_turn(chain["turn_ref"].get<std::string>());
  auto hash = art::turn_inputs_sha256(*day, pk, session, turn);
  if (!hash)
    return art::invalid_result({{"", "the session copy cannot be read: " + hash.error().message,
                                 "this is not a problem of your arguments: stop and report it"}});

  art::ChainCommit commit;
  auto written =
      art::update_json_locked(day->evidence_card(pk, sref), [&](const art::StoredJson& current) -> std::optional<json> {
        commit = art::commit_chain(current, chain, *hash, *day, pk, session);
        if (!commit.problems.empty()) return std::nullopt;
        return std::move(commit.card);
      });
  if (!written) return commit_failed(written.error());
  if (!commit.problems.empty()) return art::invalid_result(commit.problems);
  return {{"status", "appended"},
          {"project_key", pk},
          {"session_ref", sref},
          {"turn_ref", turn.turn_ref},
          {"missing_turns", commit.missing_turns}};
}

}  // namespace

McpTool write_evidence_tool() { return McpTool{"write_evidence", std::string(description), input_schema(), call}; }

}  // namespace diary::generate::mcp
