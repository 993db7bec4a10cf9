#include "generate/loop/loop_check.h"

namespace diary::generate {

namespace {

std::string turn_failure(const agent::Result<agent::AgentTurnResult>& turn) {
  if (!turn)
    return "the turn did not complete: " + std::string(agent::to_string(turn.error().kind)) + ": " + turn.error().message;
  if (turn->error) return "the turn " + std::string(agent::to_string(turn->status)) + ": " + turn->error->message;
  return "the turn ended " + std::string(agent::to_string(turn->status));
}

}  // namespace

CheckTally LoopCheck::tally() const {
  CheckTally tally = artifacts.tally;
  tally.failing_checks += static_cast<int>(work_missing.size());
  if (!turn_problems.empty()) ++tally.failing_checks;
  if (!output_problems.empty()) ++tally.failing_checks;
  return tally;
}

nlohmann::json to_json(const LoopCheck& check) {
  nlohmann::json out = to_json(check.artifacts);
  nlohmann::json output = nlohmann::json::array();
  for (const auto& violation : check.output_problems) output.push_back(to_string(violation));
  const CheckTally tally = check.tally();
  out["turn_problems"] = check.turn_problems;
  out["output_problems"] = std::move(output);
  if (!check.work_missing.empty()) out["work_missing"] = check.work_missing;
  out["failing_checks"] = tally.failing_checks;
  out["complete"] = check.complete();
  return out;
}

LoopCheck check_before_turns(const CheckTargets& targets) {
  LoopCheck check;
  check.artifacts = check_artifacts(targets.workdir, targets.artifacts);
  if (targets.work) check.work_missing = targets.work();
  if (!targets.checks_disk()) check.turn_problems.push_back("the prompt has not run yet");
  if (targets.output_schema) check.output_problems.push_back({"$", "no final message yet"});
  return check;
}

LoopCheck check_after_turn(const CheckTargets& targets, const agent::Result<agent::AgentTurnResult>& turn) {
  LoopCheck check;
  check.artifacts = check_artifacts(targets.workdir, targets.artifacts);
  if (targets.work) check.work_missing = targets.work();
  const bool turn_ok = turn && turn->ok();
  if (!targets.checks_disk() && !turn_ok) check.turn_problems.push_back(turn_failure(turn));
  if (targets.output_schema) {
    if (!turn_ok) {
      check.output_problems.push_back({"$", "no final message: " + turn_failure(turn)});
    } else if (turn->structured_output) {
      check.output_problems = targets.output_schema->validate(*turn->structured_output);
      if (check.output_problems.empty()) check.structured_output = turn->structured_output;
    } else {
      nlohmann::json parsed;
      check.output_problems = validate_json_text(*targets.output_schema, turn->assistant_text, &parsed);
      if (check.output_problems.empty()) check.structured_output = std::move(parsed);
    }
  }
  return check;
}

}  // namespace diary::generate
