// Defaults that must work as the README says (issue 11, "Defaults and schemas"): `diary exec`
// writes files without extra flags, shows its defaults, validates its output schema and the
// answer against it, and refuses durations without a unit. The built diary as a process, the
// real pinned codex against the in-test mock model; every run has a deadline.
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_support.h"
#include "unit/generate/prepare/fixture_install.h"

namespace diary::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class hostile_defaults : public CodexE2eTest {
 protected:
  // `exec --cwd <workdir>` with the backend flags and nothing else: the defaults under test.
  std::vector<std::string> exec_args(const std::string& prompt, const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args{"exec", "--cwd", env_.workdir().string()};
    const auto backend = backend_flags();
    args.insert(args.end(), backend.begin(), backend.end());
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(prompt);
    return args;
  }
};

// The README's example: `diary exec --cwd repo 'Write …'` must write the file (11.4).
TEST_F(hostile_defaults, ExecWritesFilesWithoutSandboxFlags) {
  const auto run = run_diary(exec_args("RUN: echo written > by-default.txt\nANSWER: done"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ASSERT_TRUE(fs::exists(env_.workdir() / "by-default.txt")) << "the default sandbox wrote nothing\n" << run.err;
  EXPECT_EQ(read_file(env_.workdir() / "by-default.txt"), "written\n");
}

// The option entries of a CLI11 help text: "--name TYPE..." and its continuation lines.
std::vector<std::string> option_entries(const std::string& help) {
  std::vector<std::string> entries;
  std::istringstream lines(help);
  bool in_options = false;
  for (std::string line; std::getline(lines, line);) {
    if (line == "Options:") in_options = true;
    else if (!line.empty() && line[0] != ' ') in_options = false;
    if (!in_options) continue;
    if (line.starts_with("  -")) entries.push_back(line);
    else if (line.starts_with("        ") && !entries.empty()) entries.back() += " " + line;
  }
  return entries;
}

// Every option that takes a value shows its default in --help: "=value", or "default" in its
// text where the default depends on the environment or the spec (11.4).
TEST_F(hostile_defaults, HelpShowsEveryDefault) {
  const std::vector<std::vector<std::string>> commands = {{"exec"},
                                                          {"job", "run"},
                                                          {"batch", "run"},
                                                          {"generate"},
                                                          {"generate", "evidence"},
                                                          {"generate", "project"},
                                                          {"generate", "daily"},
                                                          {"generate", "render"},
                                                          {"prepare"},
                                                          {"list"},
                                                          {"inspect"},
                                                          {"doctor"},
                                                          {"mcp", "serve"},
                                                          {"prompts", "show"}};
  for (auto args : commands) {
    args.push_back("--help");
    const auto run = run_diary(args, 20s);
    ASSERT_EQ(run.exit_code, 0) << ::testing::PrintToString(args) << run.err;
    for (const auto& entry : option_entries(run.out)) {
      const auto name_end = entry.find_first_of(" ", 2);
      const std::string rest = entry.substr(name_end);
      const bool takes_value = rest.starts_with(" TEXT") || rest.starts_with(" INT") || rest.starts_with(" UINT");
      if (!takes_value) continue;
      const bool shows = rest.find('=') != std::string::npos || rest.find("default") != std::string::npos ||
                         rest.find("REQUIRED") != std::string::npos;
      EXPECT_TRUE(shows) << ::testing::PrintToString(args) << ": no default shown in\n" << entry;
    }
  }
  const auto exec = run_diary({"exec", "--help"}, 20s);
  for (const std::string shown : {"=workspace-write", "=never", "=600s"})
    EXPECT_NE(exec.out.find(shown), std::string::npos) << shown << "\n" << exec.out;
}

// A schema that is not a schema is bad input: exit 2 before any turn (11.5).
TEST_F(hostile_defaults, ExecRefusesAnInvalidOutputSchema) {
  write_file(scratch_ / "bad-schema.json", R"({"type":"objekt","required":5})");
  const auto run =
      run_diary(exec_args("ANSWER_JSON: {\"v\": 1}", {"--output-schema", (scratch_ / "bad-schema.json").string()}), 30s);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("bad-schema.json"), std::string::npos) << run.err;
  EXPECT_EQ(model_.request_count(), 0u);
}

// An answer that does not match the schema is a failure with the violations (11.5).
TEST_F(hostile_defaults, ExecAnswerNotMatchingTheSchemaExitsOneWithViolations) {
  const json schema = {{"type", "object"}, {"required", {"v"}}, {"properties", {{"v", {{"type", "integer"}}}}}};
  write_file(scratch_ / "schema.json", schema.dump());
  const std::vector<std::string> schema_flags{"--output-schema", (scratch_ / "schema.json").string()};

  const auto plain = run_diary(exec_args("ANSWER_JSON: {\"w\": 1}", schema_flags));
  EXPECT_EQ(plain.exit_code, 1) << plain.err;
  EXPECT_NE(plain.err.find("does not match"), std::string::npos) << plain.err;
  EXPECT_NE(plain.err.find("$: "), std::string::npos) << "no violation shown: " << plain.err;

  auto with_json = schema_flags;
  with_json.push_back("--json");
  const auto run = run_diary(exec_args("ANSWER_JSON: {\"w\": 1}", with_json));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const json out = json::parse(run.out, nullptr, false);
  ASSERT_FALSE(out.is_discarded()) << run.out;
  EXPECT_EQ(out["status"], "invalid_output");
  ASSERT_TRUE(out["violations"].is_array()) << out.dump();
  ASSERT_FALSE(out["violations"].empty()) << out.dump();
  EXPECT_EQ(out["violations"][0]["path"], "$") << out.dump();
  EXPECT_NE(out["violations"][0]["message"].get<std::string>().find("v"), std::string::npos) << out.dump();

  const auto good = run_diary(exec_args("ANSWER_JSON: {\"v\": 7}", with_json));
  EXPECT_EQ(good.exit_code, 0) << good.err;
  const json ok = json::parse(good.out, nullptr, false);
  ASSERT_FALSE(ok.is_discarded()) << good.out;
  EXPECT_EQ(ok["structured_output"], (json{{"v", 7}}));
  EXPECT_TRUE(ok["violations"].is_array() && ok["violations"].empty()) << ok.dump();
}

// "10" is not a duration; too large names the range (11.7).
TEST_F(hostile_defaults, DurationsNeedAUnitAndNameTheirRange) {
  const auto unitless = run_diary(exec_args("ANSWER: x", {"--timeout", "10"}), 20s);
  EXPECT_EQ(unitless.exit_code, 2) << unitless.err;
  EXPECT_NE(unitless.err.find("unit"), std::string::npos) << unitless.err;

  const auto huge = run_diary(exec_args("ANSWER: x", {"--timeout", "99999999h"}), 20s);
  EXPECT_EQ(huge.exit_code, 2) << huge.err;
  EXPECT_NE(huge.err.find("at most"), std::string::npos) << huge.err;
  EXPECT_EQ(model_.request_count(), 0u);
}

// A session whose working directory carries ESC sequences (a window-title OSC, a screen clear)
// and a bidi override: `diary prepare`, `list` and `inspect` show its project without them
// (10.14; prepare's project label already drops them, this guards the whole path).
TEST_F(hostile_defaults, SessionTextReachesTheTerminalWithoutControlBytes) {
  const fs::path sources = scratch_ / "sources";
  install_fixture("codex/beta", sources / "codex", scratch_ / "fx");
  const fs::path session = only_session_in(sources / "codex");
  const std::string evil = "be\\u001b]0;pwned\\u0007\\u001b[2J\\u202eta";
  write_file(session, replace_all(read_file(session), "/projects/beta", "/projects/" + evil));
  fs::create_directories(sources / "claude");
  const fs::path reports = scratch_ / "reports";
  auto environment = env_.process_environment();
  environment.push_back("DIARY_CODEX_SESSIONS=" + (sources / "codex").string());
  environment.push_back("DIARY_CLAUDE_PROJECTS=" + (sources / "claude").string());
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), DIARY_BIN);
    SpawnedProcess process(args, env_.workdir(), environment);
    Finished finished;
    finished.exit_code = process.wait(30s);
    finished.out = process.out();
    finished.err = process.err();
    return finished;
  };
  const auto prepared = run({"prepare", "--date", "2026-11-20", "--timezone", "UTC", "--reports-root", reports.string()});
  ASSERT_EQ(prepared.exit_code, 0) << prepared.err;
  const auto inspected = run({"inspect", "--date", "2026-11-20", "--timezone", "UTC", "--reports-root", reports.string()});
  const auto listed = run({"list", "--reports-root", reports.string()});
  for (const auto* shown : {&prepared, &inspected, &listed}) {
    EXPECT_EQ(shown->exit_code, 0) << shown->err;
    for (const std::string& text : {shown->out, shown->err}) {
      EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
      EXPECT_EQ(text.find('\a'), std::string::npos) << text;
      EXPECT_EQ(text.find("\u202e"), std::string::npos) << text;
    }
  }
  EXPECT_NE(inspected.out.find("(be-0-pwned-2J-ta)"), std::string::npos) << inspected.out;  // inert text stays
}

}  // namespace
}  // namespace diary::test
