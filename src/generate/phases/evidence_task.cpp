#include "generate/phases/evidence_task.h"

#include <algorithm>

#include <fmt/format.h>

#include "generate/artifacts/artifact_store.h"
#include "generate/artifacts/evidence_card.h"
#include "generate/artifacts/turn_inputs.h"
#include "generate/offline/evidence_chain.h"
#include "generate/phases/agent_pass.h"
#include "generate/phases/cpu_work.h"
#include "generate/phases/prerequisites.h"
#include "generate/phases/prompt_templates.h"
#include "generate/phases/when_all.h"

namespace diary::generate::phases {

namespace asio = boost::asio;
using nlohmann::json;
using workspace::DayWorkspace;

namespace {

struct TurnResult {
  bool committed = false;  // by the model
  bool offline = false;    // filled by the offline extractor
  bool gap = false;        // nothing could be extracted (the project covers it as a gap)
  std::string error;       // why the model did not make it (or why nothing could)
  agent::TokenUsage usage;
  int turns = 0;
};

json assignment_for(const std::string& pk, const workspace::SessionEntry& session, std::size_t index) {
  const auto& turn = session.turns[index];
  json previous = nullptr;
  if (index > 0) {
    const auto& before = session.turns[index - 1];
    previous = {{"turn_ref", before.turn_ref}, {"turn_start_line", before.start_line}, {"turn_end_line", before.end_line}};
  }
  return {{"pass", "evidence"},
          {"project_key", pk},
          {"session_ref", session.session_ref},
          {"turn_ref", turn.turn_ref},
          {"turn_start_line", turn.start_line},
          {"turn_end_line", turn.end_line},
          {"previous_turn", previous}};
}

// Is this turn's chain still to be made (by the model, in a model run)?
bool turn_missing(const DayWorkspace& day, const std::string& pk, const std::string& sref, const std::string& turn_ref,
                  bool offline_counts) {
  const auto state = artifacts::inspect_evidence_card(day, pk, sref);
  if (std::find(state.missing_turns.begin(), state.missing_turns.end(), turn_ref) != state.missing_turns.end()) return true;
  if (!offline_counts && std::find(state.offline_turns.begin(), state.offline_turns.end(), turn_ref) != state.offline_turns.end())
    return true;
  return false;
}

// Commits the offline extractor's chain for one turn (under the card's lock, like the tool).
agent::Result<void> commit_offline_chain(const DayWorkspace& day, const std::string& pk, const workspace::SessionEntry& session,
                                         const workspace::TurnSpan& turn) {
  auto chain = offline::offline_chain(day, pk, session, turn);
  if (!chain) return std::unexpected(chain.error());
  if (chain->is_null())
    return agent::fail(
        agent::ErrorKind::invalid_input,
        fmt::format("{}/{}: nothing to extract (no readable prompt): an evidence gap", session.session_ref, turn.turn_ref));
  auto hash = artifacts::turn_inputs_sha256(day, pk, session, turn);
  if (!hash) return std::unexpected(hash.error());
  artifacts::Problems problems;
  auto written = artifacts::update_json_locked(day.evidence_card(pk, session.session_ref),
                                               [&](const artifacts::StoredJson& current) -> std::optional<json> {
                                                 auto commit = artifacts::commit_chain(current, *chain, *hash, day, pk, session);
                                                 if (!commit.problems.empty()) {
                                                   problems = commit.problems;
                                                   return std::nullopt;
                                                 }
                                                 return commit.card;
                                               });
  if (!written) return std::unexpected(written.error());
  if (!problems.empty())
    return agent::fail(agent::ErrorKind::invalid_output,
                       fmt::format("the offline chain for {}/{} is invalid: {} {}", session.session_ref, turn.turn_ref,
                                   problems.front().path, problems.front().message));
  return {};
}

// --offline: every turn in `todo` from one pass over the session, committed in one locked write.
agent::Result<void> commit_offline_session(const DayWorkspace& day, const std::string& pk, const workspace::SessionEntry& session,
                                           const std::vector<std::string>& todo) {
  auto chains = offline::offline_chains(day, pk, session);
  if (!chains) return std::unexpected(chains.error());
  auto hashes = artifacts::session_turn_hashes(day, pk, session);
  if (!hashes) return std::unexpected(hashes.error());
  std::string problem;
  auto written = artifacts::update_json_locked(
      day.evidence_card(pk, session.session_ref), [&](const artifacts::StoredJson& current) -> std::optional<json> {
        artifacts::StoredJson card = current;
        bool changed = false;
        for (std::size_t i = 0; i < session.turns.size() && i < chains->size(); ++i) {
          if ((*chains)[i].is_null()) continue;
          if (std::find(todo.begin(), todo.end(), session.turns[i].turn_ref) == todo.end()) continue;
          auto commit = artifacts::commit_chain(card, (*chains)[i], (*hashes)[i], day, pk, session);
          if (!commit.problems.empty()) {
            problem = fmt::format("the offline chain for {}/{} is invalid: {} {}", session.session_ref, session.turns[i].turn_ref,
                                  commit.problems.front().path, commit.problems.front().message);
            return std::nullopt;
          }
          card.exists = true;
          card.value = std::move(commit.card);
          changed = true;
        }
        if (!changed) return std::nullopt;
        return card.value;
      });
  if (!written) return std::unexpected(written.error());
  if (!problem.empty()) return agent::fail(agent::ErrorKind::invalid_output, problem);
  return {};
}

// The card as it stands, repaired when a chain (or the whole file) must go: the state to work
// from, and the decision to log. Plain function: the offline path runs it on the CPU pool.
struct CardCheck {
  artifacts::EvidenceCardState state;
  std::optional<json> decision;  // what the repair dropped, for the ledger
  std::string error;
};

CardCheck check_card(const DayWorkspace& day, const std::string& pk, const std::string& sref) {
  CardCheck check;
  check.state = artifacts::inspect_evidence_card(day, pk, sref);
  if (!check.state.needs_repair()) return check;
  json dropped = json::array();
  for (const auto& chain : check.state.dropped_chains)
    dropped.push_back({{"turn_ref", chain.turn_ref},
                       {"stale", chain.stale},
                       {"problem", chain.problems.empty() ? "" : chain.problems.front().message}});
  check.decision =
      json{{"task", "evidence:" + pk + ":" + sref},
           {"what", check.state.status == artifacts::EvidenceCardState::Status::unparsable ? "card_removed" : "chains_dropped"},
           {"details", {{"dropped", dropped}}}};
  if (auto repaired = artifacts::repair_evidence_card(day, pk, sref); !repaired) {
    check.error = repaired.error().message;
    return check;
  }
  check.state = artifacts::inspect_evidence_card(day, pk, sref);
  return check;
}

asio::awaitable<TurnResult> extract_turn(const PipelineContext& context, const DayWorkspace& day, std::string pk,
                                         const workspace::SessionEntry& session, std::size_t index) {
  const auto& turn = session.turns[index];
  const std::string label = fmt::format("{}/{}", session.session_ref, turn.turn_ref);
  TurnResult result;
  if (!context.offline()) {
    auto permit = co_await context.evidence_conversations->permit();
    if (context.stop.stop_requested()) {
      result.error = "stopped on request";
      co_return result;
    }
    const json assignment = assignment_for(pk, session, index);
    const std::string project_label = day.find_project(pk)->project_label;
    AgentPassSpec spec;
    spec.task_id = fmt::format("evidence:{}:{}", pk, session.session_ref);
    spec.pass = "evidence";
    spec.instructions = "evidence-extractor";
    spec.tools = {"read_session_lines", "write_evidence"};
    spec.prompt = evidence_prompt(assignment, project_label, session.source);
    const std::string sref = session.session_ref, turn_ref = turn.turn_ref;
    const DayWorkspace* workspace = &day;
    spec.missing = [workspace, pk, sref, turn_ref]() -> std::vector<std::string> {
      if (!turn_missing(*workspace, pk, sref, turn_ref, false)) return {};
      return {fmt::format("{}/{} has no committed evidence chain", sref, turn_ref)};
    };
    spec.resume = [assignment](const std::vector<std::string>&, const json& last_errors) {
      return evidence_resume_prompt(assignment, last_errors);
    };
    auto pass = co_await run_agent_pass(context, std::move(spec));
    result.usage = pass.loop.usage;
    result.turns = static_cast<int>(pass.loop.turns.size());
    if (pass.complete()) {
      result.committed = true;
      context.report({.kind = ProgressEvent::Kind::turn_committed,
                      .phase = "evidence",
                      .task_id = "evidence:" + pk + ":" + session.session_ref,
                      .label = pk + "/" + label,
                      .detail = turn.turn_ref});
      co_return result;
    }
    result.error = fmt::format("{}: {}", label, pass.loop.reason.empty() ? "the model made no chain" : pass.loop.reason);
    if (pass.loop.status == RunStatus::interrupted) co_return result;  // the next run continues
  }
  // The model could not (or was not asked to): the offline extractor fills the turn.
  auto filled = commit_offline_chain(day, pk, session, turn);
  if (filled) {
    result.offline = true;
  } else if (filled.error().kind == agent::ErrorKind::invalid_input) {
    result.gap = true;
    if (!result.error.empty()) result.error += "; ";
    result.error += filled.error().message;
  } else {
    if (!result.error.empty()) result.error += "; ";
    result.error += filled.error().message;
  }
  co_return result;
}

}  // namespace

std::string evidence_prompt(const json& assignment, const std::string& project_label, const std::string& source) {
  std::string previous;
  if (assignment["previous_turn"].is_object())
    previous = fmt::format("- Previous turn (context only, never cite it): {}, lines {}-{}\n",
                           assignment["previous_turn"]["turn_ref"].get<std::string>(),
                           assignment["previous_turn"]["turn_start_line"].get<std::size_t>(),
                           assignment["previous_turn"]["turn_end_line"].get<std::size_t>());
  auto text =
      render_prompt("evidence-input", {{"project_key", assignment["project_key"].get<std::string>()},
                                       {"project_label", project_label},
                                       {"session_ref", assignment["session_ref"].get<std::string>()},
                                       {"source", source},
                                       {"turn_ref", assignment["turn_ref"].get<std::string>()},
                                       {"turn_start_line", std::to_string(assignment["turn_start_line"].get<std::size_t>())},
                                       {"turn_end_line", std::to_string(assignment["turn_end_line"].get<std::size_t>())},
                                       {"previous_turn_line", previous},
                                       {"assignment", assignment.dump(2)}});
  return text ? *text : text.error().message;
}

std::string evidence_resume_prompt(const json& assignment, const json& last_errors) {
  json with_errors = assignment;
  with_errors["last_errors"] = last_errors;
  auto text =
      render_prompt("evidence-resume", {{"session_ref", assignment["session_ref"].get<std::string>()},
                                        {"turn_ref", assignment["turn_ref"].get<std::string>()},
                                        {"turn_start_line", std::to_string(assignment["turn_start_line"].get<std::size_t>())},
                                        {"turn_end_line", std::to_string(assignment["turn_end_line"].get<std::size_t>())},
                                        {"last_errors", describe_errors(last_errors)},
                                        {"assignment", with_errors.dump(2)}});
  return text ? *text : text.error().message;
}

asio::awaitable<TaskOutcome> run_evidence_task(const PipelineContext& context, std::string pk, std::string sref) {
  TaskOutcome outcome;
  auto loaded = context.load_day();
  if (!loaded) co_return TaskOutcome{.status = TaskStatus::failed, .errors = {loaded.error().message}};
  const std::shared_ptr<const DayWorkspace> shared_day = *loaded;  // kept alive across co_awaits
  const DayWorkspace& day = *shared_day;
  const workspace::SessionEntry* session = day.find_session(pk, sref);
  if (!session)
    co_return TaskOutcome{
        .status = TaskStatus::failed,
        .errors = {fmt::format("generation task is not present in the prepared workspace: evidence:{}:{}", pk, sref)}};
  const auto project_dir = day.project_dir(pk);
  if (auto missing = missing_prerequisite(day.root(), {day.root() / "metadata.json", project_dir / "project.json",
                                                       project_dir / "sessions.index.jsonl", day.session_file(pk, *session)}))
    co_return TaskOutcome{.status = TaskStatus::failed, .errors = {*missing}};

  if (session->turns.empty()) {
    auto written = artifacts::write_empty_card(day, pk, sref);
    if (!written) co_return TaskOutcome{.status = TaskStatus::failed, .errors = {written.error().message}};
    co_return TaskOutcome{.skipped = true};
  }

  if (context.offline()) {
    // Inspect, repair, extract and commit on the CPU pool: one pass for the chains and one for
    // the hashes of the whole session, one locked write — what makes --offline fast on a day of
    // thousands of sessions. Turns with nothing to extract stay evidence gaps: the project
    // covers them as such.
    auto work = [shared_day, pk, sref, session]() -> std::pair<CardCheck, std::string> {
      CardCheck check = check_card(*shared_day, pk, sref);
      if (!check.error.empty() || check.state.missing_turns.empty()) return {std::move(check), ""};
      auto filled = commit_offline_session(*shared_day, pk, *session, check.state.missing_turns);
      return {std::move(check), filled ? "" : filled.error().message};
    };
    auto on_pool = run_cpu_work(context.cpu_pool, std::move(work));
    auto [check, error] = co_await std::move(on_pool);
    if (check.decision) context.log("decision", *check.decision);
    if (!check.error.empty()) co_return TaskOutcome{.status = TaskStatus::failed, .errors = {check.error}};
    if (check.state.missing_turns.empty()) co_return TaskOutcome{.skipped = true};
    if (!error.empty()) co_return TaskOutcome{.status = TaskStatus::failed, .errors = {error}};
    co_return TaskOutcome{};
  }

  CardCheck check = check_card(day, pk, sref);
  if (check.decision) context.log("decision", *check.decision);
  if (!check.error.empty()) co_return TaskOutcome{.status = TaskStatus::failed, .errors = {check.error}};
  const auto& state = check.state;
  std::vector<std::string> todo = state.missing_turns;
  todo.insert(todo.end(), state.offline_turns.begin(), state.offline_turns.end());
  if (todo.empty()) co_return TaskOutcome{.skipped = true};

  std::vector<asio::awaitable<TurnResult>> work;
  for (std::size_t i = 0; i < session->turns.size(); ++i)
    if (std::find(todo.begin(), todo.end(), session->turns[i].turn_ref) != todo.end())
      work.push_back(extract_turn(context, day, pk, *session, i));
  auto results = co_await when_all(std::move(work));

  bool any_offline = false, only_gaps = true;
  for (const auto& result : results) {
    if (!result.committed && !result.offline && !result.gap) only_gaps = false;
    outcome.usage += result.usage;
    outcome.turns += result.turns;
    any_offline = any_offline || result.offline;
    if (!result.error.empty()) outcome.errors.push_back(result.error);
  }
  const auto final_state = artifacts::inspect_evidence_card(day, pk, sref);
  if (context.stop.stop_requested() && !final_state.complete()) outcome.status = TaskStatus::interrupted;
  // A turn nothing can be extracted from is an evidence gap, not a failure: the project
  // synthesis covers it with an evidence_gap_item.
  else if (!final_state.complete())
    outcome.status = !only_gaps ? TaskStatus::failed : (context.offline() ? TaskStatus::ok : TaskStatus::degraded);
  else if (any_offline && !context.offline()) outcome.status = TaskStatus::degraded;
  else outcome.status = TaskStatus::ok;
  if (outcome.status == TaskStatus::ok && context.offline()) outcome.errors.clear();
  co_return outcome;
}

}  // namespace diary::generate::phases
