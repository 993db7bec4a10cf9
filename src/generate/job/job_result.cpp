#include "generate/job/job_result.h"
#include "util/duration.h"
#include "util/terminal_text.h"

#include <fmt/format.h>

namespace diary::generate {

nlohmann::json to_json(const JobResult& result) {
  nlohmann::json turns = nlohmann::json::array();
  for (const auto& turn : result.turns) turns.push_back(to_json(turn));
  nlohmann::json artifacts = nlohmann::json::array();
  for (const auto& artifact : result.checks.artifacts.artifacts) artifacts.push_back(to_json(artifact));
  nlohmann::json output_problems = nlohmann::json::array();
  for (const auto& violation : result.checks.output_problems) output_problems.push_back(to_string(violation));
  nlohmann::json error = nullptr;
  if (result.error) error = {{"kind", agent::to_string(result.error->kind)}, {"message", result.error->message}};
  return {{"name", result.name},
          {"status", to_string(result.status)},
          {"attempts", result.attempts()},
          {"turns", std::move(turns)},
          {"artifacts", std::move(artifacts)},
          {"final_message", result.final_message},
          {"structured_output", result.structured_output ? *result.structured_output : nlohmann::json()},
          {"usage", agent::to_json(result.usage)},
          {"run_id", result.run_id},
          {"ledger", result.ledger.string()},
          {"duration_ms", result.duration.count()},
          {"reason", result.reason},
          {"error", std::move(error)},
          {"output_problems", std::move(output_problems)},
          {"turn_problems", result.checks.turn_problems},
          {"conversation",
           result.conversation_id.empty()
               ? nlohmann::json()
               : nlohmann::json{{"id", result.conversation_id},
                                {"continued_from_run",
                                 result.continued_from.empty() ? nlohmann::json() : nlohmann::json(result.continued_from)}}}};
}

std::string format_job_summary(const JobResult& result) {
  std::string out = fmt::format("{}: {} ({} turn{}, {})\n", result.name, to_string(result.status), result.attempts(),
                                result.attempts() == 1 ? "" : "s", util::format_duration(result.duration));
  if (!result.reason.empty()) out += "  " + result.reason + "\n";
  if (!result.continued_from.empty())
    out += fmt::format("  continued conversation {} of run {}\n", result.conversation_id, result.continued_from);
  for (const auto& artifact : result.checks.artifacts.artifacts) {
    out += "  " + util::pad_to_width(artifact.ok ? "ok" : "FAIL", 4) + "  " + util::terminal_line(artifact.path) + "\n";
    for (const auto& problem : artifact.problems) out += "          " + problem + "\n";
  }
  for (const auto& problem : result.checks.turn_problems) out += "  FAIL  " + problem + "\n";
  if (!result.checks.output_problems.empty()) {
    out += "  FAIL  final message (output schema)\n";
    for (const auto& violation : result.checks.output_problems) out += "          " + to_string(violation) + "\n";
  }
  if (result.error && result.status != RunStatus::complete)
    out += fmt::format("  last error: {}: {}\n", agent::to_string(result.error->kind), result.error->message);
  out += fmt::format("  tokens: {} (input {}, cached {}, output {})\n", tokens_used(result.usage), result.usage.input_tokens,
                     result.usage.cached_input_tokens, result.usage.output_tokens);
  if (!result.ledger.empty()) out += "  ledger: " + result.ledger.string() + "\n";
  return out;
}

}  // namespace diary::generate
