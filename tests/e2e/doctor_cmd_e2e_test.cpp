// `diary doctor` as a process against the real pinned codex: a working set-up reports the
// version, the pin and the CODEX_HOME the app-server itself reported (exit 0); a missing or
// broken codex binary is exit 3. No model calls are made.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_support.h"

namespace diary::test {
namespace {

using nlohmann::json;

class doctor_cmd_e2e : public CodexE2eTest {
 protected:
  std::vector<std::string> doctor_args(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args{"doctor"};
    const auto backend = backend_flags();
    args.insert(args.end(), backend.begin(), backend.end());
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  // The doctor flags with --codex-bin replaced.
  std::vector<std::string> with_codex_bin(const std::string& binary, const std::vector<std::string>& extra = {}) const {
    auto args = doctor_args(extra);
    const auto bin = std::find(args.begin(), args.end(), std::string(DIARY_TEST_CODEX_BIN));
    *bin = binary;
    return args;
  }
};

TEST_F(doctor_cmd_e2e, HealthySetupReportsVersionAndCodexHome) {
  const auto run = run_diary(doctor_args());
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("0.169.0 (the tested version)"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find(DIARY_TEST_CODEX_BIN), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("codex home   " + env_.codex_home().string()), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("app-server   ok"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("diary can drive codex here."), std::string::npos) << run.out;
  EXPECT_EQ(model_.request_count(), 0u);
  RecordProperty("doctor_ms", std::to_string(run.elapsed.count()));
}

TEST_F(doctor_cmd_e2e, JsonReportParses) {
  const auto run = run_diary(doctor_args({"--json"}));
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const json report = json::parse(run.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << run.out;
  EXPECT_EQ(report["ok"], true);
  EXPECT_EQ(report["version"], "0.169.0");
  EXPECT_EQ(report["pinned_version"], "0.169.0");
  EXPECT_EQ(report["binary"], DIARY_TEST_CODEX_BIN);
  EXPECT_EQ(report["codex_home"], env_.codex_home().string());
  EXPECT_EQ(report["app_server"]["ok"], true);
  EXPECT_TRUE(report["app_server"]["user_agent"].get<std::string>().starts_with("diary/")) << report.dump();
  // The mock provider needs no OpenAI login, and codex says so.
  EXPECT_EQ(report["auth"], "not needed by the configured model provider");
  EXPECT_TRUE(report["bubblewrap"].is_boolean());
}

// Several runs: diary's write of `initialize` races the child's exit, and once it died of
// SIGPIPE (exit 141) instead of reporting the failed handshake.
TEST_F(doctor_cmd_e2e, BrokenCodexBinaryExitsThree) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    const auto run = run_diary(with_codex_bin("/bin/false"), 60s);
    ASSERT_EQ(run.exit_code, 3) << "attempt " << attempt << "\n" << run.out << run.err;
    EXPECT_NE(run.out.find("app-server   FAILED"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("exit status 1"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("diary cannot drive codex here"), std::string::npos) << run.out;
  }
}

TEST_F(doctor_cmd_e2e, MissingCodexBinaryExitsThree) {
  const auto run = run_diary(with_codex_bin((scratch_ / "no-such-codex").string(), {"--json"}), 30s);
  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  const json report = json::parse(run.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << run.out;
  EXPECT_EQ(report["ok"], false);
  EXPECT_TRUE(report["binary"].is_null());
  EXPECT_NE(report["error"].get<std::string>().find("no-such-codex"), std::string::npos) << report.dump();
}

}  // namespace
}  // namespace diary::test
