// Per-call cost of `diary mcp serve`'s schema-first tools/call, sans-io (McpServer::on_line:
// parse + validate + tool + encode, and argument_problems: validation alone). Uses a tool shaped
// like write_evidence (nested objects, arrays, enums from the vocabularies, closed objects)
// with a no-op body, called with a valid evidence chain and with one carrying four mistakes.
// Then every tool diary_tools() registers, called with {"unknown_property":1} (rejected by
// the schema before the tool runs, so nothing touches the disk).
// Usage: bench_mcp_calls [ITERATIONS]   (default 2000)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "generate/artifacts/vocabulary.h"
#include "generate/mcp/argument_problems.h"
#include "generate/mcp/mcp_server.h"

namespace mcp = diary::generate::mcp;
namespace artifacts = diary::generate::artifacts;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

json closed(json properties, std::vector<std::string> required) {
  return {{"type", "object"},
          {"additionalProperties", false},
          {"properties", std::move(properties)},
          {"required", std::move(required)}};
}

json text() { return {{"type", "string"}, {"minLength", 1}}; }

json citations() {
  return {{"type", "array"},
          {"minItems", 1},
          {"items", closed({{"lines", {{"type", "string"}, {"pattern", "^[0-9]+-[0-9]+$"}}}}, {"lines"})}};
}

json summarized(const json& type_enum) {
  json properties = {{"summary", text()}, {"citations", citations()}};
  std::vector<std::string> required = {"summary", "citations"};
  if (!type_enum.is_null()) {
    properties["type"] = type_enum;
    required.push_back("type");
  }
  return closed(properties, required);
}

json evidence_schema() {
  json outcome = summarized(nullptr);
  outcome["properties"]["category"] = artifacts::outcome_categories().enum_schema();
  outcome["required"].push_back("category");
  json trigger = summarized(artifacts::trigger_types().enum_schema());
  trigger["properties"]["quoted_messages"] = {
      {"type", "array"}, {"items", closed({{"text", text()}, {"citations", citations()}}, {"text", "citations"})}};
  json chain = closed({{"turn_ref", {{"type", "string"}, {"pattern", "^T[0-9]{4}$"}}},
                       {"trigger", trigger},
                       {"agent_reactions", {{"type", "array"}, {"items", summarized(nullptr)}}},
                       {"outcomes", {{"type", "array"}, {"items", outcome}}},
                       {"observed_checks", {{"type", "array"}, {"items", summarized(artifacts::check_types().enum_schema())}}},
                       {"terminal_state", summarized(artifacts::terminal_types().enum_schema())},
                       {"materiality", artifacts::materiality_levels().enum_schema()}},
                      {"turn_ref", "trigger", "agent_reactions", "outcomes", "observed_checks", "terminal_state", "materiality"});
  return closed(
      {{"project_key", text()}, {"session_ref", {{"type", "string"}, {"pattern", "^S[0-9]{4}$"}}}, {"evidence_chain", chain}},
      {"project_key", "session_ref", "evidence_chain"});
}

json valid_arguments() {
  const json cite = json::array({{{"lines", "12-14"}}});
  return {{"project_key", "diary"},
          {"session_ref", "S0001"},
          {"evidence_chain",
           {{"turn_ref", "T0001"},
            {"trigger",
             {{"type", "explicit_user_message"},
              {"summary", "The user asked for the MCP server"},
              {"citations", cite},
              {"quoted_messages", json::array({{{"text", "write diary mcp serve"}, {"citations", cite}}})}}},
            {"agent_reactions", json::array({{{"summary", "Wrote the server and its tests"}, {"citations", cite}},
                                             {{"summary", "Ran the tests"}, {"citations", cite}}})},
            {"outcomes", json::array({{{"category", "code_outcome"}, {"summary", "mcp_server.cpp"}, {"citations", cite}}})},
            {"observed_checks", json::array({{{"type", "test_output"}, {"summary", "16 tests passed"}, {"citations", cite}}})},
            {"terminal_state", {{"type", "material_result"}, {"summary", "Done"}, {"citations", cite}}},
            {"materiality", "material"}}}};
}

json four_mistakes() {
  json arguments = valid_arguments();
  arguments["evidence_chain"]["materiality"] = "huge";                     // enum
  arguments["evidence_chain"]["trigger"]["citations"][0]["lines"] = "14";  // pattern
  arguments["evidence_chain"]["outcomes"][0].erase("summary");             // required
  arguments["evidence_chain"]["terminal_state"]["note"] = "x";             // closed object
  return arguments;
}

struct Stats {
  double mean_us, p50_us, p99_us, max_us;
};

template <typename F>
Stats measure(int iterations, F&& once) {
  for (int i = 0; i < std::min(iterations, 50); ++i) once();  // warm caches and allocators
  std::vector<double> us;
  us.reserve(iterations);
  for (int i = 0; i < iterations; ++i) {
    const auto start = Clock::now();
    once();
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  std::sort(us.begin(), us.end());
  double sum = 0;
  for (double u : us) sum += u;
  return {sum / us.size(), us[us.size() / 2], us[std::min(us.size() - 1, us.size() * 99 / 100)], us.back()};
}

void report(const char* what, const Stats& stats) {
  std::printf("%-62s mean %7.1f us  p50 %7.1f  p99 %7.1f  max %7.1f\n", what, stats.mean_us, stats.p50_us, stats.p99_us,
              stats.max_us);
}

std::string call_line(const std::string& tool, const json& arguments) {
  return json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "tools/call"}, {"params", {{"name", tool}, {"arguments", arguments}}}}
      .dump();
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 2000;
  mcp::McpTool evidence{"evidence_like", "write_evidence-shaped no-op", evidence_schema(),
                        [](const mcp::ToolContext&, const json&) {
                          return json{{"status", "appended"}};
                        }};
  auto schema = diary::generate::JsonSchema::compile(evidence.input_schema);
  if (!schema) {
    std::fprintf(stderr, "schema: %s\n", schema.error().message.c_str());
    return 1;
  }
  mcp::McpServer server(mcp::ToolContext{"/nonexistent"}, {evidence});

  const json valid = valid_arguments();
  const json invalid = four_mistakes();
  const std::string valid_line = call_line("evidence_like", valid);
  const std::string invalid_line = call_line("evidence_like", invalid);
  const auto problems = mcp::argument_problems(*schema, invalid, "evidence_like");
  if (!mcp::argument_problems(*schema, valid, "evidence_like").empty() || problems.size() != 4) {
    std::fprintf(stderr, "unexpected validation outcome: %zu problems for the invalid call\n", problems.size());
    return 1;
  }
  std::printf("iterations: %d; valid call %zu bytes, invalid call %zu bytes (4 problems)\n", iterations, valid_line.size(),
              invalid_line.size());
  report("validation only (argument_problems), valid evidence chain",
         measure(iterations, [&] { return mcp::argument_problems(*schema, valid, "evidence_like"); }));
  report("validation only (argument_problems), 4 mistakes",
         measure(iterations, [&] { return mcp::argument_problems(*schema, invalid, "evidence_like"); }));
  report("on_line tools/call (parse+validate+no-op+encode), valid",
         measure(iterations, [&] { return server.on_line(valid_line); }));
  report("on_line tools/call, 4 mistakes -> invalid result", measure(iterations, [&] { return server.on_line(invalid_line); }));

  const auto tools = mcp::diary_tools();
  mcp::McpServer real(mcp::ToolContext{"/nonexistent"}, mcp::diary_tools());
  for (const auto& tool : tools) {
    const std::string line = call_line(tool.name, {{"unknown_property", 1}});
    const std::string label = "on_line " + tool.name + " {unknown_property} -> invalid result";
    report(label.c_str(), measure(iterations, [&] { return real.on_line(line); }));
  }
  if (tools.empty()) std::printf("diary_tools(): no tools registered yet\n");
  return 0;
}
