// The bundled demo day (examples/sessions: real codex rollouts and hand-written Claude Code
// transcripts of 2026-11-24) is the input of the README's `diary generate` demo. These tests
// prepare it with prepare's library exactly as `diary prepare` would and pin what the demo
// relies on: three projects rooted at /home/demo/src/<name>, five sessions, ten turns that
// start with the person's own words, no mock-model directive left anywhere, and every record
// inside the working day. Regenerating the sessions (examples/sessions/make_sessions.sh) must
// keep these true.
#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "generate/prepare/line_reader.h"
#include "generate/prepare/prepare.h"
#include "generate/prepare/project_identity.h"
#include "generate/prepare/timestamp.h"
#include "generate/workspace/day_workspace.h"
#include "support/scratch_dir.h"

namespace {

using namespace diary::generate::prepare;
using diary::generate::workspace::DayWorkspace;
using diary::generate::workspace::ProjectEntry;
using diary::generate::workspace::SessionEntry;
using nlohmann::json;
namespace fs = std::filesystem;

const fs::path examples = fs::path(DIARY_TEST_SOURCE_DIR) / "examples" / "sessions";

// Every line of a session file, numbered as prepare numbers them (LineReader).
std::vector<std::string> lines_of(const fs::path& file) {
  std::vector<std::string> lines;
  auto reader = LineReader::open(file);
  if (!reader) {
    ADD_FAILURE() << reader.error().message;
    return lines;
  }
  for (;;) {
    auto line = reader->next();
    if (!line || !*line) break;
    lines.emplace_back((*line)->text);
  }
  return lines;
}

std::vector<fs::path> session_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(examples))
    if (entry.is_regular_file() && entry.path().extension() == ".jsonl") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void collect_strings(const json& value, std::vector<std::string>& out) {
  if (value.is_string()) out.push_back(value.get<std::string>());
  else if (value.is_array() || value.is_object())
    for (const auto& item : value) collect_strings(item, out);
}

// A line the mock model (tests/support/mock_model/directives.cpp) would act on.
bool is_directive(std::string line) {
  line.erase(0, line.find_first_not_of(" \t\r"));
  line.erase(line.find_last_not_of(" \t\r") + 1);
  if (line == "HANG") return true;
  static const std::vector<std::string> keys{"RUN",      "CALL",      "ANSWER",          "ANSWER_JSON",     "PHASE",
                                             "SLEEP_MS", "FAIL_HTTP", "FAIL_HTTP_MODEL", "RESPONSE_FAILED", "USAGE"};
  return std::any_of(keys.begin(), keys.end(), [&](const std::string& key) {
    return line.size() > key.size() && line.starts_with(key) && line[key.size()] == ':';
  });
}

// The prompt text of a trigger line: a codex user message or its echo, a Claude Code prompt.
std::string prompt_text(const std::string& line) {
  auto record = json::parse(line, nullptr, false);
  if (!record.is_object()) return {};
  const auto pick = [](const json& content) -> std::string {
    if (content.is_string()) return content.get<std::string>();
    if (content.is_array() && !content.empty() && content[0].contains("text")) return content[0]["text"];
    return {};
  };
  if (record.value("type", "") == "user") return pick(record["message"]["content"]);
  const json& payload = record["payload"];
  if (payload.value("type", "") == "message") return pick(payload["content"]);
  if (payload.value("type", "") == "item_completed") return pick(payload["item"]["content"]);
  return {};
}

class ExampleSessions : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new diary::test::ScratchDir();
    PrepareRequest request;
    const auto now = *parse_timestamp("2026-12-01T12:00:00Z");
    request.target = *resolve_report_target({"2026-11-24", false, "UTC"}, now);
    request.reports_root = *scratch_ / "reports";
    request.sources = {{SessionSource::codex, examples / "codex"}, {SessionSource::claude_code, examples / "claude"}};
    request.scan.excluded_originators = {"diary"};
    request.threads = 2;
    request.now = now;
    auto outcome = prepare_workspace(request);
    ASSERT_TRUE(outcome) << outcome.error().message;
    outcome_ = new PrepareOutcome(*outcome);
    auto loaded = DayWorkspace::load(outcome->workspace);
    ASSERT_TRUE(loaded) << loaded.error().message;
    workspace_ = new DayWorkspace(std::move(*loaded));
  }
  static void TearDownTestSuite() {
    delete workspace_;
    delete outcome_;
    delete scratch_;
  }
  void SetUp() override { ASSERT_NE(workspace_, nullptr) << "the example day did not prepare"; }

  static const ProjectEntry* project(const std::string& label) {
    for (const auto& p : workspace_->projects())
      if (p.project_label == label) return &p;
    return nullptr;
  }

  static inline diary::test::ScratchDir* scratch_ = nullptr;
  static inline PrepareOutcome* outcome_ = nullptr;
  static inline DayWorkspace* workspace_ = nullptr;
};

TEST_F(ExampleSessions, PreparesThreeProjectsFiveSessionsTenTurns) {
  EXPECT_EQ(outcome_->projects, 3u);
  EXPECT_EQ(outcome_->sessions, 5u);
  EXPECT_EQ(outcome_->turns, 10u);
  EXPECT_EQ(outcome_->status, "final");

  // label -> the (source, turn count) of its sessions in index order.
  const std::map<std::string, std::vector<std::pair<std::string, std::size_t>>> expected{
      {"dotfiles", {{"claude-code", 1}}},
      {"handbook", {{"claude-code", 2}, {"codex", 2}}},
      {"todo-cli", {{"codex", 3}, {"codex", 2}}},
  };
  std::map<std::string, std::vector<std::pair<std::string, std::size_t>>> actual;
  for (const auto& p : workspace_->projects())
    for (const auto& s : p.sessions) actual[p.project_label].emplace_back(s.source, s.turns.size());
  EXPECT_EQ(actual, expected);
}

TEST_F(ExampleSessions, ProjectsAreRootedInTheDemoHome) {
  for (const std::string label : {"dotfiles", "handbook", "todo-cli"}) {
    const auto* p = project(label);
    ASSERT_NE(p, nullptr) << label;
    EXPECT_EQ(p->project_key, project_identity("/home/demo/src/" + label, SessionSource::codex, "any").key) << label;
  }
}

TEST_F(ExampleSessions, EveryTurnStartsWithThePersonsOwnWords) {
  const std::map<std::string, std::vector<std::string>> expected{
      {"dotfiles",
       {"A new terminal takes about two seconds before I get a prompt. Can you find out why from my bashrc and fix it?"}},
      {"handbook",
       {"Can you review the wording of docs/deploy.md? It reads a bit stiff. Tighten it, but keep the content the same.",
        "Good. Does the onboarding page point people to it? New people should find it before their first deploy.",
        "What does `make deploy` actually do? I don't want to run it by accident.",
        "Write docs/deploy.md from the Makefile targets and link it from the index."}},
      {"todo-cli",
       {"Add a --due flag to `todo add` (a YYYY-MM-DD date, stored with the item) and a test for it.",
        "It rejects leap days: `python3 todo.py add \"Pay rent\" --due 2028-02-29` says invalid date. Add a "
        "leap-day test and fix it.",
        "Thanks, commit it.",
        "`todo list` should show the due date, like `[ ] 2. Pay rent (due 2028-02-29)`. Items without one stay as "
        "they are.",
        "Looks good, commit it."}},
  };
  std::map<std::string, std::vector<std::string>> actual;
  for (const auto& p : workspace_->projects())
    for (const auto& s : p.sessions) {
      const auto lines = lines_of(workspace_->session_file(p.project_key, s));
      for (const auto& turn : s.turns) {
        ASSERT_LE(turn.start_line, lines.size());
        actual[p.project_label].push_back(prompt_text(lines[turn.start_line - 1]));
      }
    }
  EXPECT_EQ(actual, expected);
}

TEST_F(ExampleSessions, NoMockDirectiveIsLeftAnywhere) {
  const auto files = session_files();
  ASSERT_EQ(files.size(), 5u);
  for (const auto& file : files)
    for (const auto& line : lines_of(file)) {
      std::vector<std::string> strings;
      collect_strings(json::parse(line, nullptr, false), strings);
      for (const auto& text : strings)
        for (const auto& text_line : split_lines(text))
          EXPECT_FALSE(is_directive(text_line)) << file.filename() << ": " << text_line;
    }
}

TEST_F(ExampleSessions, EveryTimestampIsInTheWorkingDay) {
  const auto from = *parse_timestamp("2026-11-24T09:00:00Z");
  const auto to = *parse_timestamp("2026-11-24T17:00:00Z");
  std::size_t checked = 0;
  for (const auto& file : session_files())
    for (const auto& line : lines_of(file)) {
      auto record = json::parse(line, nullptr, false);
      ASSERT_TRUE(record.is_object()) << file.filename();
      if (!record.contains("timestamp")) continue;  // Claude Code's snapshots carry none
      auto at = parse_timestamp(record["timestamp"].get<std::string>());
      ASSERT_TRUE(at) << record["timestamp"];
      EXPECT_TRUE(*at >= from && *at < to) << file.filename() << ": " << record["timestamp"];
      ++checked;
    }
  EXPECT_GT(checked, 200u);
}

}  // namespace
