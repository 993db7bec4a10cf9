// The task `project:<pk>` (phase_tasks.h): one conversation with `write_work_item` until every
// indexed turn of the project is covered exactly once; progress = fewer uncovered turns. Runs on
// whatever the project's evidence tasks produced; turns the model leaves uncovered are filled by
// the offline extractor (degraded).
#include <algorithm>

#include <fmt/format.h>

#include "generate/artifacts/artifact_store.h"
#include "generate/artifacts/project_synthesis.h"
#include "generate/offline/work_items.h"
#include "generate/phases/agent_pass.h"
#include "generate/phases/cpu_work.h"
#include "generate/phases/phase_tasks.h"
#include "generate/phases/prerequisites.h"
#include "generate/phases/prompt_templates.h"
#include "generate/prepare/json_fields.h"

namespace diary::generate::phases {

namespace asio = boost::asio;
using artifacts::TurnRef;
using nlohmann::json;
using workspace::DayWorkspace;

namespace {

using prepare::string_or_empty;  // artifact fields read defensively

std::vector<TurnRef> turns_to_do(const artifacts::ProjectSynthesisState& state, bool offline_run) {
  std::vector<TurnRef> todo = state.uncovered_turns;
  if (!offline_run) todo.insert(todo.end(), state.offline_turns.begin(), state.offline_turns.end());
  std::sort(todo.begin(), todo.end());
  return todo;
}

// The chains the model still has to cover, pasted per session (citations and quotes dropped:
// the synthesizer groups, it does not cite lines).
std::string chain_paste(const artifacts::ProjectChains& chains, const std::vector<TurnRef>& todo) {
  std::string out;
  std::string session;
  std::vector<std::string> blocks;
  std::map<std::string, std::vector<std::string>> by_session;
  for (const auto& turn : todo) {
    const auto* committed = chains.find(turn.session_ref, turn.turn_ref);
    std::string block = fmt::format("**{}/{}**", turn.session_ref, turn.turn_ref);
    if (!committed) {
      block += " [no evidence chain]\n";
    } else {
      const json& chain = committed->chain;
      block += fmt::format(" [{}]\n", string_or_empty(chain, "materiality"));
      block += "trigger: " + string_or_empty(chain.value("trigger", json::object()), "summary") + "\n";
      std::string reaction;
      for (const auto& r : chain.value("agent_reactions", json::array()))
        reaction += (reaction.empty() ? "" : " ") + string_or_empty(r, "summary");
      if (!reaction.empty()) block += "reaction: " + reaction + "\n";
      const json outcomes = chain.value("outcomes", json::array());
      if (outcomes.is_array() && !outcomes.empty()) {
        block += "outcomes:\n";
        for (const auto& o : outcomes)
          block += fmt::format("- {}: {}\n", string_or_empty(o, "category"), string_or_empty(o, "summary"));
      }
      const json terminal = chain.value("terminal_state", json::object());
      block += fmt::format("terminal: {}: {}\n", string_or_empty(terminal, "type"), string_or_empty(terminal, "summary"));
    }
    by_session[turn.session_ref].push_back(block);
  }
  for (const auto& [sref, list] : by_session) {
    out += fmt::format("#### Session {} ({} turn(s))\n\n", sref, list.size());
    for (const auto& block : list) out += block + "\n";
  }
  if (out.empty()) out = "(No extracted evidence chains for this project.)\n";
  return out;
}

json project_assignment(const workspace::ProjectEntry& project, const artifacts::ProjectChains& chains,
                        const artifacts::ProjectSynthesisState& state, const std::vector<TurnRef>& todo) {
  json committed = json::array();
  for (const auto& item : state.kept_items) {
    if (string_or_empty(item, "source") == "offline") continue;
    committed.push_back({{"work_item_ref", string_or_empty(item, "work_item_ref")},
                         {"covered_turns", item.value("covered_turns", json::array())}});
  }
  json turns = json::array();
  for (const auto& turn : todo) {
    const auto* chain = chains.find(turn.session_ref, turn.turn_ref);
    json entry = {{"session_ref", turn.session_ref}, {"turn_ref", turn.turn_ref}, {"has_chain", chain != nullptr}};
    if (chain) {
      entry["materiality"] = string_or_empty(chain->chain, "materiality");
      entry["trigger_summary"] = string_or_empty(chain->chain.value("trigger", json::object()), "summary");
      entry["terminal_type"] = string_or_empty(chain->chain.value("terminal_state", json::object()), "type");
      json outcomes = json::array();
      for (const auto& o : chain->chain.value("outcomes", json::array()))
        outcomes.push_back({{"category", string_or_empty(o, "category")}, {"summary", string_or_empty(o, "summary")}});
      entry["outcomes"] = outcomes;
    }
    turns.push_back(entry);
  }
  return {{"pass", "project"},
          {"project_key", project.project_key},
          {"project_label", project.project_label},
          {"committed_work_items", committed},
          {"turns", turns}};
}

std::string committed_list(const artifacts::ProjectSynthesisState& state) {
  std::string out;
  for (const auto& item : state.kept_items) {
    if (string_or_empty(item, "source") == "offline") continue;
    std::string turns;
    for (const auto& t : item.value("covered_turns", json::array()))
      turns += (turns.empty() ? "" : ", ") + string_or_empty(t, "session_ref") + "/" + string_or_empty(t, "turn_ref");
    out += fmt::format("- {}: {}\n", string_or_empty(item, "work_item_ref"), turns);
  }
  if (out.empty()) return "";
  return "### Committed Work Items\n\n" + out + "\n";
}

// Offline work items for exactly the turns no item covers, committed like the tool does.
agent::Result<int> commit_offline_items(const DayWorkspace& day, const workspace::ProjectEntry& project) {
  const auto chains = artifacts::committed_project_chains(day, project.project_key);
  const auto state = artifacts::inspect_project_synthesis(day, project.project_key);
  if (state.uncovered_turns.empty()) return 0;
  std::vector<json> cards;
  for (const auto& session : project.sessions) {
    auto stored = artifacts::read_stored_json(day.evidence_card(project.project_key, session.session_ref));
    if (stored.value) cards.push_back(*stored.value);
  }
  const json items = offline::offline_work_items(day, project.project_key, cards, state.kept_items);
  // Every item in one locked read-modify-write, the synthesis judged once: all or nothing.
  artifacts::Problems problems;
  int committed = 0;
  auto written = artifacts::update_json_locked(day.project_synthesis(project.project_key),
                                               [&](const artifacts::StoredJson& current) -> std::optional<json> {
                                                 auto commit = artifacts::commit_work_items(current, items, day, project, chains);
                                                 if (!commit.problems.empty()) {
                                                   problems = commit.problems;
                                                   return std::nullopt;
                                                 }
                                                 committed = static_cast<int>(items.size());
                                                 return commit.envelope;
                                               });
  if (!written) return std::unexpected(written.error());
  if (!problems.empty())
    return agent::fail(agent::ErrorKind::invalid_output,
                       fmt::format("an offline work item of {} is invalid: {} {}", project.project_key, problems.front().path,
                                   problems.front().message));
  return committed;
}

std::vector<std::string> describe_turns(const std::vector<TurnRef>& turns, const artifacts::ProjectChains& chains) {
  std::vector<std::string> lines;
  for (const auto& turn : turns)
    lines.push_back(fmt::format("`{}/{}` — {}", turn.session_ref, turn.turn_ref,
                                chains.find(turn.session_ref, turn.turn_ref) ? "has an evidence chain" : "no evidence chain"));
  return lines;
}

}  // namespace

asio::awaitable<TaskOutcome> run_project_task(const PipelineContext& context, std::string pk) {
  auto loaded = context.load_day();
  if (!loaded) co_return TaskOutcome{.status = TaskStatus::failed, .errors = {loaded.error().message}};
  const std::shared_ptr<const DayWorkspace> shared_day = *loaded;  // kept alive across co_awaits
  const DayWorkspace& day = *shared_day;
  const workspace::ProjectEntry* project = day.find_project(pk);
  if (!project)
    co_return TaskOutcome{.status = TaskStatus::failed,
                          .errors = {"generation task is not present in the prepared workspace: project:" + pk}};
  std::vector<std::filesystem::path> needed{day.root() / "metadata.json", day.project_dir(pk) / "project.json",
                                            day.project_dir(pk) / "sessions.index.jsonl"};
  for (const auto& session : project->sessions) needed.push_back(day.evidence_card(pk, session.session_ref));
  if (auto missing = missing_prerequisite(day.root(), needed))
    co_return TaskOutcome{.status = TaskStatus::failed, .errors = {*missing}};

  if (project->turn_count() == 0) {
    auto written = artifacts::write_empty_synthesis(day, pk);
    if (!written) co_return TaskOutcome{.status = TaskStatus::failed, .errors = {written.error().message}};
    co_return TaskOutcome{.skipped = true};
  }
  auto state = artifacts::inspect_project_synthesis(day, pk);
  if (state.needs_repair()) {
    context.log("decision",
                {{"task", "project:" + pk},
                 {"what", "synthesis_repaired"},
                 {"details", {{"status", static_cast<int>(state.status)}, {"dropped_items", state.dropped_items.size()}}}});
    if (auto repaired = artifacts::repair_project_synthesis(day, pk); !repaired)
      co_return TaskOutcome{.status = TaskStatus::failed, .errors = {repaired.error().message}};
    state = artifacts::inspect_project_synthesis(day, pk);
  }
  const auto todo = turns_to_do(state, context.offline());
  if (todo.empty()) co_return TaskOutcome{.skipped = true};

  TaskOutcome outcome;
  bool fallback = context.offline();
  if (!context.offline()) {
    const auto chains = artifacts::committed_project_chains(day, pk);
    const json assignment = project_assignment(*project, chains, state, todo);
    AgentPassSpec spec;
    spec.task_id = "project:" + pk;
    spec.pass = "project";
    spec.instructions = "project-synthesizer";
    spec.tools = {"write_work_item"};
    auto prompt = render_prompt("project-input", {{"project_key", pk},
                                                  {"project_label", project->project_label},
                                                  {"committed_items", committed_list(state)},
                                                  {"chains", chain_paste(chains, todo)},
                                                  {"assignment", assignment.dump(2)}});
    spec.prompt = prompt ? *prompt : prompt.error().message;
    const DayWorkspace* workspace = &day;
    spec.missing = [workspace, pk]() -> std::vector<std::string> {
      const auto now = artifacts::inspect_project_synthesis(*workspace, pk);
      std::vector<std::string> missing;
      for (const auto& turn : turns_to_do(now, false)) missing.push_back(turn.session_ref + "/" + turn.turn_ref);
      if (now.status != artifacts::ProjectSynthesisState::Status::valid && missing.empty())
        missing.push_back("the synthesis is not valid");
      return missing;
    };
    spec.resume = [workspace, pk, project](const std::vector<std::string>&, const json& last_errors) {
      const auto now = artifacts::inspect_project_synthesis(*workspace, pk);
      const auto chains_now = artifacts::committed_project_chains(*workspace, pk);
      const auto remaining = turns_to_do(now, false);
      std::string uncovered;
      for (const auto& line : describe_turns(remaining, chains_now)) uncovered += "- " + line + "\n";
      json again = project_assignment(*project, chains_now, now, remaining);
      again["last_errors"] = last_errors;
      auto text = render_prompt("project-resume", {{"project_key", pk},
                                                   {"uncovered", uncovered},
                                                   {"last_errors", describe_errors(last_errors)},
                                                   {"assignment", again.dump(2)}});
      return text ? *text : text.error().message;
    };
    auto pass = co_await run_agent_pass(context, std::move(spec));
    outcome.usage = pass.loop.usage;
    outcome.turns = static_cast<int>(pass.loop.turns.size());
    if (!pass.complete()) {
      outcome.errors.push_back(pass.loop.reason.empty() ? "the model left turns uncovered" : pass.loop.reason);
      if (pass.loop.status == RunStatus::interrupted)
        co_return TaskOutcome{
            .status = TaskStatus::interrupted, .errors = outcome.errors, .usage = outcome.usage, .turns = outcome.turns};
      fallback = true;
    }
  }
  if (fallback) {
    auto work = [shared_day, project] { return commit_offline_items(*shared_day, *project); };
    auto on_pool = run_cpu_work(context.cpu_pool, std::move(work));  // inline unless --offline
    auto filled = co_await std::move(on_pool);
    if (!filled) outcome.errors.push_back(filled.error().message);
  }
  const auto final_state = artifacts::inspect_project_synthesis(day, pk);
  if (!final_state.complete()) outcome.status = TaskStatus::failed;
  else if (fallback && !context.offline()) outcome.status = TaskStatus::degraded;
  else outcome.status = TaskStatus::ok;
  if (auto missing = missing_output(day.root(), {day.project_synthesis(pk)}); missing && outcome.status != TaskStatus::failed) {
    outcome.status = TaskStatus::failed;
    outcome.errors.push_back(*missing);
  }
  co_return outcome;
}

}  // namespace diary::generate::phases
