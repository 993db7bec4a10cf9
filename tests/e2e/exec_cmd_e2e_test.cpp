// `diary exec` as a user runs it: the built diary executable as a process, driving the real
// pinned codex against an in-test mock model (-c overrides, CODEX_HOME in the environment).
// Answers, --json, exit codes (0, 1, 2, 3, 130) and no codex left behind after Ctrl-C.
#include <csignal>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_support.h"

namespace diary::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class exec_cmd_e2e : public CodexE2eTest {
 protected:
  // `exec` with the backend flags, the scratch workdir and sandbox, then `extra`, then PROMPT.
  std::vector<std::string> exec_args(const std::string& prompt, const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args{"exec",       "--cwd", env_.workdir().string(), "--sandbox", "workspace-write",
                                  "--approval", "never"};
    const auto backend = backend_flags();
    args.insert(args.end(), backend.begin(), backend.end());
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(prompt);
    return args;
  }
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

TEST_F(exec_cmd_e2e, PrintsTheAnswerAfterTheCommandWroteItsFile) {
  const auto run = run_diary(exec_args("RUN: echo from diary exec > exec.txt\nANSWER: exec wrote exec.txt"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "exec wrote exec.txt\n");
  EXPECT_EQ(run.err.find("error:"), std::string::npos) << run.err;
  ASSERT_TRUE(fs::exists(env_.workdir() / "exec.txt"));
  EXPECT_EQ(read_file(env_.workdir() / "exec.txt"), "from diary exec\n");
  EXPECT_EQ(model_.request_count(), 2u);
  RecordProperty("exec_ms", std::to_string(run.elapsed.count()));
}

TEST_F(exec_cmd_e2e, JsonPrintsTheWholeResult) {
  const auto run = run_diary(exec_args("RUN: echo json > json.txt\nANSWER: json mode", {"--json"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const json out = json::parse(run.out, nullptr, false);
  ASSERT_FALSE(out.is_discarded()) << run.out;
  EXPECT_EQ(out["status"], "completed");
  EXPECT_EQ(out["final_message"], "json mode");
  EXPECT_TRUE(out["error"].is_null());
  EXPECT_TRUE(out["structured_output"].is_null());
  EXPECT_FALSE(out["thread_id"].get<std::string>().empty());
  EXPECT_FALSE(out["turn_id"].get<std::string>().empty());
  // The mock model reports 120 input and 30 output tokens per response; the shell call and the
  // answer are two model requests of this one turn, and the turn's usage is their sum.
  ASSERT_EQ(model_.request_count(), 2u);
  EXPECT_EQ(out["usage"]["input_tokens"], 240) << out["usage"].dump();
  EXPECT_EQ(out["usage"]["output_tokens"], 60) << out["usage"].dump();
  EXPECT_EQ(out["usage"]["cached_input_tokens"], 0) << out["usage"].dump();
  EXPECT_EQ(out["usage"]["total_tokens"], 300) << out["usage"].dump();
  EXPECT_GE(out["duration_ms"].get<long>(), 0);
  bool saw_command = false;
  for (const auto& event : out["events"])
    if (event["kind"] == "command") {
      saw_command = true;
      EXPECT_EQ(event["metadata"]["exit_code"], 0) << event.dump();
    }
  EXPECT_TRUE(saw_command) << out["events"].dump();
  EXPECT_TRUE(fs::exists(env_.workdir() / "json.txt"));
}

TEST_F(exec_cmd_e2e, OutputSchemaFileGivesStructuredOutput) {
  const json schema = {
      {"type", "object"}, {"properties", {{"ok", {{"type", "boolean"}}}}}, {"required", {"ok"}}, {"additionalProperties", false}};
  write_file(scratch_ / "schema.json", schema.dump());
  const auto run =
      run_diary(exec_args("ANSWER_JSON: {\"ok\": true}", {"--json", "--output-schema", (scratch_ / "schema.json").string()}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const json out = json::parse(run.out, nullptr, false);
  ASSERT_FALSE(out.is_discarded()) << run.out;
  EXPECT_EQ(out["status"], "completed");
  EXPECT_EQ(out["structured_output"], (json{{"ok", true}}));
  ASSERT_EQ(model_.request_count(), 1u);
  EXPECT_EQ(model_.requests()[0].body["text"]["format"]["schema"], schema);
}

TEST_F(exec_cmd_e2e, BadInputExitsTwoWithOneErrorLine) {
  const std::vector<std::vector<std::string>> cases = {
      exec_args("ANSWER: x", {"--no-such-flag"}),
      exec_args("ANSWER: x", {"--timeout", "soon"}),
      exec_args("ANSWER: x", {"-c", "no-equals-sign"}),
      exec_args("   "),
  };
  for (const auto& args : cases) {
    const auto run = run_diary(args, 30s);
    const std::string shown = ::testing::PrintToString(args);
    EXPECT_EQ(run.exit_code, 2) << shown << "\n" << run.err;
    const auto lines = lines_of(run.err);
    ASSERT_EQ(lines.size(), 1u) << shown << "\n" << run.err;
    EXPECT_TRUE(lines[0].starts_with("error: ")) << lines[0];
    EXPECT_TRUE(run.out.empty()) << run.out;
  }
  EXPECT_EQ(model_.request_count(), 0u);
}

TEST_F(exec_cmd_e2e, MissingCodexExitsThreeAndSaysHowToInstallIt) {
  std::vector<std::string> args = exec_args("ANSWER: x");
  const auto bin = std::find(args.begin(), args.end(), std::string(DIARY_TEST_CODEX_BIN));
  ASSERT_NE(bin, args.end());
  *bin = (scratch_ / "no-such-codex").string();
  const auto run = run_diary(args, 30s);
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("no-such-codex"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("scripts/setup.sh"), std::string::npos) << "no install hint: " << run.err;
  EXPECT_NE(run.err.find("@openai/codex@0.169.0"), std::string::npos) << "no install hint: " << run.err;
  EXPECT_EQ(lines_of(run.err).size(), 1u) << run.err;
}

// A codex that exits at once: exit 3 with the handshake failure, never death by SIGPIPE.
TEST_F(exec_cmd_e2e, CodexThatExitsAtOnceIsBlocked) {
  std::vector<std::string> args = exec_args("ANSWER: x");
  *std::find(args.begin(), args.end(), std::string(DIARY_TEST_CODEX_BIN)) = "/bin/false";
  for (int attempt = 0; attempt < 8; ++attempt) {
    const auto run = run_diary(args, 30s);
    ASSERT_EQ(run.exit_code, 3) << "attempt " << attempt << "\n" << run.err;
    EXPECT_NE(run.err.find("error: codex app-server did not complete the handshake"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("exit status 1"), std::string::npos) << run.err;
  }
}

TEST_F(exec_cmd_e2e, TimeoutExitsOneWithStatusTimeout) {
  const auto run = run_diary(exec_args("HANG", {"--json", "--timeout", "2s"}));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const json out = json::parse(run.out, nullptr, false);
  ASSERT_FALSE(out.is_discarded()) << run.out;
  EXPECT_EQ(out["status"], "timeout");
  EXPECT_NE(out["error"].get<std::string>().find("timed out"), std::string::npos) << out.dump();
  EXPECT_LT(run.elapsed, 12s);
}

TEST_F(exec_cmd_e2e, SigintDuringAHangingTurnExits130AndLeavesNoCodex) {
  auto diary = start_diary(exec_args("HANG", {"--timeout", "120s"}));
  ASSERT_TRUE(model_.wait_for_requests(1, 30s)) << "the turn never reached the model; stderr: " << diary->err();
  // The app-server is diary's child (in its own process group).
  std::vector<ProcInfo> codex;
  for (const auto& child : children_of(diary->pid()))
    if (child.comm.starts_with("codex")) codex.push_back(child);
  ASSERT_EQ(codex.size(), 1u) << describe(children_of(diary->pid()));
  const pid_t codex_pid = codex[0].pid;

  const auto signalled = Clock::now();
  diary->signal(SIGINT);
  const auto code = diary->wait(15s);
  const auto reaction = since(signalled);
  ASSERT_TRUE(code.has_value()) << "diary ignored SIGINT; stderr: " << diary->err();
  EXPECT_EQ(*code, 130) << diary->err();
  EXPECT_LT(reaction, 5s);
  EXPECT_NE(diary->err().find("interrupt"), std::string::npos) << diary->err();
  EXPECT_TRUE(poll_until([&] { return process_gone(codex_pid) && process_group_gone(codex_pid); }, 3s))
      << "codex " << codex_pid << " outlived diary";
  RecordProperty("sigint_to_exit_ms", std::to_string(reaction.count()));
}

// Ctrl-C while codex runs a long shell command: the command goes too, not just codex.
TEST_F(exec_cmd_e2e, SigintDuringAShellCommandLeavesNoCommandBehind) {
  auto diary = start_diary(exec_args("RUN: sleep 37\nANSWER: too late", {"--timeout", "120s"}));
  const std::string marker = "CODEX_HOME=" + env_.codex_home().string();  // codex passes it on
  auto sleeping = [&] {
    for (const auto& process : processes_with_env(marker))
      if (process.comm == "sleep") return true;
    return false;
  };
  ASSERT_TRUE(poll_until(sleeping, 30s)) << "the command never started; stderr: " << diary->err();

  diary->signal(SIGINT);
  const auto code = diary->wait(15s);
  ASSERT_TRUE(code.has_value()) << "diary ignored SIGINT; stderr: " << diary->err();
  EXPECT_EQ(*code, 130) << diary->err();
  const auto left = leftover_codex(env_.codex_home(), 3s);
  EXPECT_TRUE(left.empty()) << "left behind: " << describe(left);
}

}  // namespace
}  // namespace diary::test
