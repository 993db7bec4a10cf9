// What the resume loop checks after every turn, all from disk or from the turn itself: the
// declared artifacts, the turn's own success (for work without artifacts) and the final
// message against the output schema. Plain values; the checks only read files.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/agent_turn.h"
#include "generate/check/artifact_check.h"
#include "generate/check/json_schema.h"

namespace diary::generate {

struct LoopCheck {
  ArtifactReport artifacts;
  std::vector<std::string> turn_problems;           // work without artifacts: the turn must succeed
  std::vector<SchemaViolation> output_problems;     // the final message against the output schema
  std::optional<nlohmann::json> structured_output;  // the final message, when it validated
  std::vector<std::string> work_missing;            // a phase's own check: what is still missing, one each

  // Turn and output problems count one failing check each, artifacts and missing work count
  // theirs (so fewer missing turns is progress).
  CheckTally tally() const;
  bool complete() const { return tally().failing_checks == 0; }
};

nlohmann::json to_json(const LoopCheck& check);

// A phase's own completeness check, read from disk: one line per thing still missing (a turn
// without a chain, an uncovered turn, an unwritten slot); empty = complete. Generate phases use
// it instead of declared artifacts; the turn's own success then does not count.
using WorkCheck = std::function<std::vector<std::string>()>;

// What the checks are about.
struct CheckTargets {
  std::filesystem::path workdir;
  std::vector<ArtifactSpec> artifacts;
  std::shared_ptr<const JsonSchema> output_schema;
  WorkCheck work;

  // Whether the disk alone can say the work is done (then a complete check needs no turn).
  bool checks_disk() const { return !artifacts.empty() || static_cast<bool>(work); }
};

// Before any turn: artifacts from disk; work without artifacts and the output schema count as
// failing (nothing has run yet), so that the first turn's improvement shows as progress.
LoopCheck check_before_turns(const CheckTargets& targets);

// After a turn, whatever it returned (a result of any status, or an error).
LoopCheck check_after_turn(const CheckTargets& targets, const agent::Result<agent::AgentTurnResult>& turn);

}  // namespace diary::generate
