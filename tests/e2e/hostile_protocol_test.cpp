// Hostile app-servers, as processes (issue 10 items 3 and 7, issue 11 item 3): `diary exec`,
// `job run` and `doctor` against the scripted fake app-server (tests/support/fake_app_server,
// README.md) answering `"result": 42`, sending notifications with members of the wrong type, a
// codex whose `--version` hangs, a codex that is not logged in, a CODEX_HOME below /tmp. Each
// run has a deadline; a wrong shape must be a clear protocol failure (exit 3, naming the JSON
// path), never a raw library exception, a dead reader or a hang.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "spawned_process.h"
#include "support/scratch_dir.h"

namespace diary::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

class hostile_protocol : public ::testing::Test {
 protected:
  struct Finished {
    std::optional<int> exit_code;  // nullopt: still running at the deadline (then killed)
    std::string out;
    std::string err;
    std::chrono::milliseconds elapsed{0};
  };

  void SetUp() override {
    fs::create_directories(home_);
    fs::create_directories(codex_home_);
    fs::create_directories(workdir_);
  }

  // This process's environment with a private HOME and CODEX_HOME, and the fake's mode.
  std::vector<std::string> environment(const std::string& mode) const {
    std::vector<std::string> env;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
      const std::string_view text(*entry);
      const std::string name(text.substr(0, text.find('=')));
      if (name == "CODEX_HOME" || name == "HOME" || name == "DIARY_CODEX_BIN" || name.starts_with("FAKE_APP_SERVER")) continue;
      env.emplace_back(text);
    }
    env.push_back("HOME=" + home_.string());
    env.push_back("CODEX_HOME=" + codex_home_.string());
    env.push_back("FAKE_APP_SERVER_MODE=" + mode);
    return env;
  }

  Finished run_diary(std::vector<std::string> args, const std::string& mode = "normal",
                     std::chrono::milliseconds timeout = 30s) const {
    std::vector<std::string> argv{DIARY_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    SpawnedProcess process(argv, workdir_, environment(mode));
    Finished finished;
    finished.exit_code = process.wait(timeout);
    finished.out = process.out();
    finished.err = process.err();
    finished.elapsed = process.elapsed();
    return finished;
  }

  std::vector<std::string> exec_args(const std::string& prompt, const std::string& timeout = "20s") const {
    return {"exec", "--codex-bin", codex_bin_, "--timeout", timeout, prompt};
  }

  fs::path write_job(const std::string& prompt) const {
    const fs::path spec = scratch_ / "job.toml";
    write_file(spec, "name = \"hostile\"\nworkdir = \"work\"\nturn_timeout = \"20s\"\nprompt = '''\n" + prompt +
                         "\n'''\n\n[[artifact]]\npath = \"OUT.md\"\n");
    return spec;
  }

  // <workdir>/.diary/runs/<run>/result.json of the only run.
  std::optional<json> job_result() const {
    const fs::path runs = workdir_ / ".diary" / "runs";
    std::error_code ec;
    for (const auto& run : fs::directory_iterator(runs, ec)) {
      const fs::path result = run.path() / "result.json";
      if (!fs::exists(result)) return std::nullopt;
      json parsed = json::parse(read_file(result), nullptr, false);
      if (parsed.is_discarded()) return std::nullopt;
      return parsed;
    }
    return std::nullopt;
  }

  // A codex whose `--version` never returns; everything else is the fake app-server.
  std::string hanging_version_codex() const {
    const fs::path script = scratch_ / "codex-hanging-version";
    write_file(script, std::string("#!/bin/sh\nif [ \"$1\" = --version ]; then exec sleep 600; fi\nexec ") +
                           DIARY_FAKE_APP_SERVER + " \"$@\"\n");
    ::chmod(script.c_str(), 0755);
    return script.string();
  }

  static std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
    return n;
  }

  ScratchDir scratch_;
  fs::path home_ = scratch_ / "home";
  fs::path codex_home_ = scratch_ / "home" / ".codex";
  fs::path workdir_ = scratch_ / "work";
  std::string codex_bin_ = DIARY_FAKE_APP_SERVER;
};

// --- wrong-shaped answers to requests: exit 3 with the JSON path, never a library exception ---

TEST_F(hostile_protocol, ExecWithANumberAsTheInitializeAnswerExitsThreeNamingThePath) {
  const auto run = run_diary(exec_args("hello"), "wrong-result:initialize");
  ASSERT_TRUE(run.exit_code) << "diary exec hung\n" << run.err;
  EXPECT_EQ(*run.exit_code, 3) << run.err;
  EXPECT_EQ(run.err.find("json.exception"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("initialize"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("result: expected object"), std::string::npos) << run.err;
}

TEST_F(hostile_protocol, ExecWithANumberAsTheThreadStartAnswerExitsThree) {
  const auto run = run_diary(exec_args("hello"), "wrong-result:thread/start");
  ASSERT_TRUE(run.exit_code) << "diary exec hung\n" << run.err;
  EXPECT_EQ(*run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("thread/start"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("result: expected object"), std::string::npos) << run.err;
}

TEST_F(hostile_protocol, ExecWithANumberAsTheTurnStartAnswerExitsThree) {
  const auto run = run_diary(exec_args("hello"), "wrong-result:turn/start");
  ASSERT_TRUE(run.exit_code) << "diary exec hung\n" << run.err;
  EXPECT_EQ(*run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("turn/start"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("result: expected object"), std::string::npos) << run.err;
  EXPECT_LT(run.elapsed, 15s) << "the wrong answer must fail the request at once";
}

TEST_F(hostile_protocol, JobRunWithANumberAsTheTurnStartAnswerIsBlockedAndWritesItsResult) {
  const auto spec = write_job("write OUT.md");
  const auto run = run_diary({"job", "run", spec.string(), "--codex-bin", codex_bin_}, "wrong-result:turn/start", 60s);
  ASSERT_TRUE(run.exit_code) << "diary job run hung\n" << run.err;
  EXPECT_EQ(*run.exit_code, 3) << run.err;
  EXPECT_EQ(run.err.find("json.exception"), std::string::npos) << run.err;
  const auto result = job_result();
  ASSERT_TRUE(result) << "the job ledger has no result.json\n" << run.err;
  EXPECT_EQ((*result)["status"], "blocked") << result->dump(2);
  // One attempt: another turn cannot help against a peer that speaks another protocol.
  EXPECT_EQ((*result)["turns"].size(), 1u) << result->dump(2);
}

// --- wrong-typed notifications: logged and skipped, the reader goes on ---

TEST_F(hostile_protocol, ExecSurvivesNotificationsWithWrongTypesAndCompletesTheTurn) {
  const auto run = run_diary(exec_args("hi BAD_NOTIFY", "10s"), "normal", 30s);
  ASSERT_TRUE(run.exit_code) << "diary exec hung\n" << run.err;
  EXPECT_EQ(*run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.out, "echo: hi BAD_NOTIFY\n") << run.err;
  EXPECT_LT(run.elapsed, 8s) << "a dead reader lets the turn run into its timeout\n" << run.err;
  // Each malformed notification is named with the path of its mismatch.
  EXPECT_NE(run.err.find("params.item.text: expected string"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("json.exception"), std::string::npos) << run.err;
}

TEST_F(hostile_protocol, ExecFailsATurnWhoseCompletionHasTheWrongShapeAtOnce) {
  const auto run = run_diary(exec_args("hi BAD_COMPLETED", "20s"), "normal", 40s);
  ASSERT_TRUE(run.exit_code) << "diary exec hung\n" << run.err;
  EXPECT_EQ(*run.exit_code, 3) << run.out << run.err;
  EXPECT_NE(run.err.find("params.turn.status: expected string"), std::string::npos) << run.err;
  EXPECT_LT(run.elapsed, 10s) << "the turn must not wait for its timeout\n" << run.err;
}

// --- doctor: no `codex --version`, auth and CODEX_HOME are real checks ---

TEST_F(hostile_protocol, DoctorTakesTheVersionFromTheHandshakeNotFromAHangingVersionCommand) {
  const auto run = run_diary({"doctor", "--codex-bin", hanging_version_codex()}, "normal", 20s);
  ASSERT_TRUE(run.exit_code) << "diary doctor hung on `codex --version`\n" << run.out << run.err;
  EXPECT_EQ(*run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("0.169.0 (the tested version)"), std::string::npos) << run.out;
}

TEST_F(hostile_protocol, DoctorIsBlockedWhenCodexIsNotLoggedIn) {
  const auto run = run_diary({"doctor", "--codex-bin", codex_bin_}, "not-logged-in", 20s);
  ASSERT_TRUE(run.exit_code) << run.out << run.err;
  EXPECT_EQ(*run.exit_code, 3) << run.out << run.err;
  EXPECT_NE(run.out.find("codex login"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("diary can drive codex here"), std::string::npos) << run.out;
}

TEST_F(hostile_protocol, DoctorIsBlockedWhenTheAuthCheckGetsNoAnswer) {
  const auto run = run_diary({"doctor", "--codex-bin", codex_bin_, "--json"}, "auth-no-answer", 45s);
  ASSERT_TRUE(run.exit_code) << run.out << run.err;
  EXPECT_EQ(*run.exit_code, 3) << run.out << run.err;
  const json report = json::parse(run.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << run.out;
  EXPECT_EQ(report["ok"], false);
}

// Nothing blocks the event loop any more: Ctrl-C while doctor waits for codex ends it at once.
TEST_F(hostile_protocol, DoctorStopsOnSigintWhileWaitingForCodex) {
  std::vector<std::string> argv{DIARY_BIN, "doctor", "--codex-bin", codex_bin_};
  SpawnedProcess process(argv, workdir_, environment("auth-no-answer"));
  std::this_thread::sleep_for(1s);  // handshake done, account/read pending (10 s deadline)
  process.signal(SIGINT);
  const auto exit_code = process.wait(5s);
  ASSERT_TRUE(exit_code) << "diary doctor ignored SIGINT\n" << process.out() << process.err();
  EXPECT_EQ(*exit_code, 130) << process.out() << process.err();
  EXPECT_LT(process.elapsed(), 4s) << process.out() << process.err();
}

TEST_F(hostile_protocol, DoctorAcceptsAProviderThatNeedsNoOpenaiLogin) {
  const auto run = run_diary({"doctor", "--codex-bin", codex_bin_}, "no-openai-auth", 20s);
  ASSERT_TRUE(run.exit_code) << run.out << run.err;
  EXPECT_EQ(*run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("not needed by the configured model provider"), std::string::npos) << run.out;
}

TEST_F(hostile_protocol, DoctorWithAWrongShapedAccountAnswerIsBlockedNamingThePath) {
  const auto run = run_diary({"doctor", "--codex-bin", codex_bin_}, "wrong-result:account/read", 20s);
  ASSERT_TRUE(run.exit_code) << run.out << run.err;
  EXPECT_EQ(*run.exit_code, 3) << run.out << run.err;
  EXPECT_NE(run.out.find("result: expected object"), std::string::npos) << run.out;
}

class hostile_protocol_tmp_home : public hostile_protocol {
 protected:
  void SetUp() override {
    hostile_protocol::SetUp();
    char pattern[] = "/tmp/diary-hostile-home-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    tmp_root_ = pattern;
    codex_home_ = tmp_root_ / ".codex";
    fs::create_directories(codex_home_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(tmp_root_, ec);
  }
  fs::path tmp_root_;
};

TEST_F(hostile_protocol_tmp_home, DoctorReportsACodexHomeBelowTmp) {
  const auto run = run_diary({"doctor", "--codex-bin", codex_bin_, "--json"}, "normal", 20s);
  ASSERT_TRUE(run.exit_code) << run.out << run.err;
  EXPECT_EQ(*run.exit_code, 3) << run.out << run.err;
  const json report = json::parse(run.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << run.out;
  EXPECT_EQ(report["ok"], false);
  ASSERT_TRUE(report["codex_home_problem"].is_string()) << report.dump(2);
  EXPECT_NE(report["codex_home_problem"].get<std::string>().find("/tmp"), std::string::npos) << report.dump(2);
}

TEST_F(hostile_protocol_tmp_home, ExecWarnsOnceAboutACodexHomeBelowTmp) {
  const auto run = run_diary(exec_args("hello"), "normal", 30s);
  ASSERT_TRUE(run.exit_code) << run.err;
  EXPECT_EQ(*run.exit_code, 0) << run.err;
  EXPECT_EQ(count(run.err, "below /tmp"), 1u) << run.err;
}

TEST_F(hostile_protocol_tmp_home, JobRunWarnsOnceAboutACodexHomeBelowTmp) {
  const auto spec = write_job("write OUT.md");
  const auto run = run_diary({"job", "run", spec.string(), "--codex-bin", codex_bin_, "--max-no-progress", "1"}, "normal", 60s);
  ASSERT_TRUE(run.exit_code) << run.err;
  EXPECT_EQ(count(run.err, "below /tmp"), 1u) << run.err;
}

TEST_F(hostile_protocol_tmp_home, BatchRunWarnsOnceAboutACodexHomeBelowTmp) {
  const fs::path batch = workdir_ / "batch.toml";
  write_file(batch,
             "concurrency = 2\n[defaults]\nturn_timeout = \"20s\"\nmax_no_progress = 1\n"
             "[[job]]\nname = \"a\"\nprompt = \"one\"\n[[job.artifact]]\npath = \"a.txt\"\n"
             "[[job]]\nname = \"b\"\nprompt = \"two\"\n[[job.artifact]]\npath = \"b.txt\"\n");
  const auto run = run_diary({"batch", "run", batch.string(), "--codex-bin", codex_bin_}, "normal", 60s);
  ASSERT_TRUE(run.exit_code) << run.err;
  EXPECT_EQ(count(run.err, "below /tmp"), 1u) << run.err;
}

}  // namespace
}  // namespace diary::test
