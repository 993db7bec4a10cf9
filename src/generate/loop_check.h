// What the resume loop checks after every turn, all from disk or from the turn itself: the
// declared artifacts, the turn's own success (for work without artifacts) and the final
// message against the output schema. Plain values; the checks only read files.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/agent_turn.h"
#include "generate/artifact_check.h"
#include "generate/json_schema.h"

namespace diary::generate {

struct LoopCheck {
  ArtifactReport artifacts;
  std::vector<std::string> turn_problems;        // work without artifacts: the turn must succeed
  std::vector<SchemaViolation> output_problems;  // the final message against the output schema
  std::optional<nlohmann::json> structured_output;  // the final message, when it validated

  // Turn and output problems count one failing check each, artifacts count theirs.
  CheckTally tally() const;
  bool complete() const { return tally().failing_checks == 0; }
};

nlohmann::json to_json(const LoopCheck& check);

// What the checks are about.
struct CheckTargets {
  std::filesystem::path workdir;
  std::vector<ArtifactSpec> artifacts;
  std::shared_ptr<const JsonSchema> output_schema;
};

// Before any turn: artifacts from disk; work without artifacts and the output schema count as
// failing (nothing has run yet), so that the first turn's improvement shows as progress.
LoopCheck check_before_turns(const CheckTargets& targets);

// After a turn, whatever it returned (a result of any status, or an error).
LoopCheck check_after_turn(const CheckTargets& targets, const agent::Result<agent::AgentTurnResult>& turn);

}  // namespace diary::generate
