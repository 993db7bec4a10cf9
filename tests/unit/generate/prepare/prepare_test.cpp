#include "generate/prepare/prepare.h"

#include <map>

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "generate/prepare/workspace_catalog.h"
#include "generate/prepare/workspace_plan.h"
#include "generate/prepare/workspace_writer.h"
#include "support/scratch_dir.h"
#include "util/run_lock.h"
#include "unit/generate/prepare/fixture_install.h"

namespace {

using namespace diary::generate::prepare;
using diary::agent::ErrorKind;
using diary::test::read_file;
using diary::test::write_file;
namespace fs = std::filesystem;

// Real codex rollouts and the Claude Code fixtures installed under one scratch folder; the
// "/fixture" prefix of their cwds becomes <scratch>/fx, so <scratch>/fx/reports is the reports
// root the inside-reports-root session lives in.
struct Sources {
  diary::test::ScratchDir scratch;
  fs::path fixture_root = scratch / "fx";
  fs::path codex = scratch / "codex-sessions";
  fs::path claude = scratch / "claude-projects";
  fs::path reports = fixture_root / "reports";

  Sources() {
    diary::test::install_fixture("codex", codex, fixture_root);
    diary::test::install_fixture("claude/projects", claude, fixture_root);
  }

  fs::path codex_session(const std::string& scenario) const {
    return diary::test::only_session_in(diary::test::fixtures_dir() / "codex" / scenario);
  }
  fs::path installed_codex(const std::string& scenario) const { return codex / scenario / codex_session(scenario).filename(); }

  PrepareRequest request(std::string date, std::string zone = "UTC", std::string now = "2026-12-01T12:00:00Z") const {
    PrepareRequest r;
    auto at = *parse_timestamp(now);
    r.target = *resolve_report_target({date, false, zone}, at);
    r.reports_root = reports;
    r.sources = {{SessionSource::codex, codex}, {SessionSource::claude_code, claude}};
    r.scan.excluded_originators = {"diary"};
    r.threads = 2;
    r.now = at;
    return r;
  }
  fs::path workspace(const std::string& date) const { return reports / "work" / date; }
};

std::string session_id_of(const fs::path& rollout) {
  auto first_line = read_file(rollout).substr(0, read_file(rollout).find('\n'));
  return nlohmann::json::parse(first_line)["payload"]["id"];
}

std::vector<nlohmann::json> index_rows(const fs::path& project) {
  std::vector<nlohmann::json> rows;
  std::istringstream in(read_file(project / "sessions.index.jsonl"));
  for (std::string line; std::getline(in, line);) rows.push_back(nlohmann::json::parse(line));
  return rows;
}

fs::path project_folder(const fs::path& workspace, const std::string& label) {
  for (const auto& entry : fs::directory_iterator(workspace / "projects"))
    if (entry.path().filename().string().starts_with(label + "-")) return entry.path();
  return {};
}

using Spans = std::vector<std::pair<int, int>>;
Spans spans_of(const nlohmann::json& row) {
  Spans out;
  for (const auto& turn : row["turns"]) out.emplace_back(turn["turn_start_line"], turn["turn_end_line"]);
  return out;
}

// Every file below `root`, relative path -> bytes.
std::map<std::string, std::string> tree(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (entry.is_regular_file()) files[fs::relative(entry.path(), root).string()] = read_file(entry.path());
  return files;
}

TEST(Prepare, BuildsTheWorkspaceFromBothSources) {
  Sources sources;
  auto outcome = prepare_workspace(sources.request("2026-11-20"));
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->created);
  // alpha (+ its fork), beta, gamma (parent only), delta and the cwd-less Claude session.
  EXPECT_EQ(outcome->projects, 5u);
  EXPECT_EQ(outcome->sessions, 6u);
  EXPECT_EQ(outcome->turns, 10u);
  EXPECT_EQ(outcome->status, "final");
  EXPECT_EQ(summary_line(*outcome),
            "Prepared workspace " + sources.workspace("2026-11-20").string() + " with 5 project(s), 6 session(s), 10 turn(s).");

  const auto ws = sources.workspace("2026-11-20");
  auto metadata = nlohmann::json::parse(read_file(ws / "metadata.json"));
  EXPECT_EQ(metadata["schema_version"], 1);
  EXPECT_EQ(metadata["report_date"], "2026-11-20");
  EXPECT_EQ(metadata["timezone"], "UTC");
  EXPECT_EQ(metadata["status"], "final");
  EXPECT_EQ(metadata["prepared_at"], "2026-12-01T12:00:00+00:00");
  EXPECT_EQ(metadata["report_window_utc"], (nlohmann::json{{"start", "2026-11-20T00:00:00Z"}, {"end", "2026-11-21T00:00:00Z"}}));

  const auto alpha = project_folder(ws, "alpha");
  ASSERT_FALSE(alpha.empty());
  auto project = nlohmann::json::parse(read_file(alpha / "project.json"));
  EXPECT_EQ(project["project_key"], alpha.filename().string());
  EXPECT_EQ(project["project_label"], "alpha");
  auto rows = index_rows(alpha);
  ASSERT_EQ(rows.size(), 2u);
  const std::string alpha_id = session_id_of(sources.codex_session("alpha"));
  const std::string fork_id = session_id_of(sources.codex_session("alpha-fork"));
  ASSERT_LT(alpha_id, fork_id);  // codex ids are time-ordered: refs follow them
  EXPECT_EQ(rows[0]["session_ref"], "S0001");
  EXPECT_EQ(rows[0]["source"], "codex");
  EXPECT_EQ(rows[0]["source_session_id"], alpha_id);
  EXPECT_EQ(rows[0]["session_path"], "sessions/codex/" + sources.codex_session("alpha").filename().string());
  EXPECT_EQ(rows[0]["target_start_line"], 8);
  EXPECT_EQ(rows[0]["target_end_line"], 44);
  EXPECT_EQ(spans_of(rows[0]), (Spans{{8, 19}, {23, 34}, {38, 44}}));
  EXPECT_EQ(rows[0]["turns"][2]["turn_ref"], "T0003");
  EXPECT_EQ(rows[1]["session_ref"], "S0002");
  EXPECT_EQ(rows[1]["source_session_id"], fork_id);
  EXPECT_EQ(spans_of(rows[1]), (Spans{{6, 12}}));

  // Copies are byte-identical to what was read.
  EXPECT_EQ(read_file(alpha / rows[0]["session_path"].get<std::string>()), read_file(sources.installed_codex("alpha")));

  auto delta_rows = index_rows(project_folder(ws, "delta"));
  ASSERT_EQ(delta_rows.size(), 1u);
  EXPECT_EQ(delta_rows[0]["source"], "claude-code");
  EXPECT_EQ(delta_rows[0]["session_path"], "sessions/claude-code/5f0c6a8e-2d41-4c4b-9a57-0e3f1b2c3d4e.jsonl");
  EXPECT_EQ(spans_of(delta_rows[0]), (Spans{{3, 8}, {10, 15}, {17, 19}}));
  EXPECT_EQ(index_rows(project_folder(ws, "gamma")).size(), 1u);
  EXPECT_EQ(index_rows(project_folder(ws, "unknown-project")).size(), 1u);
  EXPECT_TRUE(project_folder(ws, "2026-11-20").empty());  // the inside-reports-root session
}

TEST(Prepare, AuditRecordsSourcesChecksumsAndSkips) {
  Sources sources;
  ASSERT_TRUE(prepare_workspace(sources.request("2026-11-20")));
  auto audit = nlohmann::json::parse(read_file(sources.reports / "private" / "2026-11-20" / "audit.json"));
  EXPECT_EQ(audit["report_date"], "2026-11-20");
  EXPECT_EQ(audit["sources"].size(), 2u);
  int subagents = 0, own = 0, inside = 0, quiet = 0;
  for (const auto& row : audit["skipped"]) {
    const std::string reason = row["reason"];
    subagents += reason == "subagent";
    own += reason == "own_session";
    inside += reason == "inside_reports_root";
    quiet += reason == "no_turns_in_window";
  }
  EXPECT_EQ(subagents, 2);  // the codex child and the Claude Code sidechain file
  EXPECT_EQ(own, 1);
  EXPECT_EQ(inside, 1);
  EXPECT_EQ(quiet, 2);  // the midnight session (May) and the DST one (March/November)
  bool saw_delta = false;
  for (const auto& row : audit["sessions"]) {
    EXPECT_EQ(row["sha256"].get<std::string>().size(), 64u);
    if (row["source_session_id"] == "5f0c6a8e-2d41-4c4b-9a57-0e3f1b2c3d4e") {
      saw_delta = true;
      EXPECT_EQ(row["lines"]["malformed"], 1);
      EXPECT_EQ(row["lines"]["total"], 19);
    }
  }
  EXPECT_TRUE(saw_delta);
  EXPECT_EQ(audit["totals"]["sessions"], 6);
  EXPECT_EQ(audit["totals"]["files_scanned"], 12);
}

TEST(Prepare, SameInputsGiveByteIdenticalWorkspaces) {
  Sources sources;
  ASSERT_TRUE(prepare_workspace(sources.request("2026-11-20", "UTC", "2026-12-01T12:00:00Z")));
  auto first = tree(sources.workspace("2026-11-20"));
  auto again = sources.request("2026-11-20", "UTC", "2026-12-02T09:30:00Z");
  again.force = true;
  again.threads = 1;  // a different schedule must not change anything either
  ASSERT_TRUE(prepare_workspace(again));
  auto second = tree(sources.workspace("2026-11-20"));
  ASSERT_EQ(first.size(), second.size());
  auto without_prepared_at = [](std::string text) {
    auto at = text.find("\"prepared_at\"");
    return text.erase(at, text.find('\n', at) - at);
  };
  for (const auto& [path, bytes] : first) {
    ASSERT_TRUE(second.count(path)) << path;
    if (path == "metadata.json") {
      EXPECT_NE(bytes, second[path]);
      EXPECT_EQ(without_prepared_at(bytes), without_prepared_at(second[path]));
    } else {
      EXPECT_EQ(bytes, second[path]) << path;
    }
  }
}

TEST(Prepare, ExistingWorkspaceIsLeftAloneUnlessForced) {
  Sources sources;
  ASSERT_TRUE(prepare_workspace(sources.request("2026-11-20")));
  const auto before = tree(sources.workspace("2026-11-20"));
  // A new session appears in the sources.
  fs::copy_file(sources.installed_codex("beta"), sources.codex / "rollout-2026-11-20T23-00-00-copy.jsonl");
  std::string extra = read_file(sources.installed_codex("beta"));
  write_file(sources.codex / "rollout-new.jsonl",
             diary::test::replace_all(extra, session_id_of(sources.codex_session("beta")), "new-session-id"));

  auto again = prepare_workspace(sources.request("2026-11-20"));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->sessions, 6u);
  EXPECT_NE(summary_line(*again).find("already exists"), std::string::npos);
  EXPECT_NE(summary_line(*again).find("--force"), std::string::npos);
  EXPECT_EQ(tree(sources.workspace("2026-11-20")), before);

  auto forced = sources.request("2026-11-20");
  forced.force = true;
  auto rebuilt = prepare_workspace(forced);
  ASSERT_TRUE(rebuilt) << rebuilt.error().message;
  EXPECT_TRUE(rebuilt->created);
  EXPECT_EQ(rebuilt->sessions, 7u);  // the identical copy is folded, the renamed one is new
}

TEST(Prepare, WorkspaceForAnotherZoneOrStatusIsAnErrorNamingForce) {
  Sources sources;
  ASSERT_TRUE(prepare_workspace(sources.request("2026-11-20", "UTC")));
  auto tokyo = prepare_workspace(sources.request("2026-11-20", "Asia/Tokyo"));
  ASSERT_FALSE(tokyo);
  EXPECT_EQ(tokyo.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(tokyo.error().message.find("timezone: prepared for UTC, requested Asia/Tokyo"), std::string::npos);
  EXPECT_NE(tokyo.error().message.find("--force"), std::string::npos);

  auto partial = prepare_workspace(sources.request("2026-11-20", "UTC", "2026-11-20T20:00:00Z"));
  ASSERT_FALSE(partial);
  EXPECT_NE(partial.error().message.find("status"), std::string::npos);

  write_file(sources.workspace("2026-11-20") / "metadata.json", "{broken");
  auto broken = prepare_workspace(sources.request("2026-11-20", "UTC"));
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message.find("--force"), std::string::npos);
}

TEST(Prepare, TodayIsPartial) {
  Sources sources;
  auto outcome = prepare_workspace(sources.request("2026-11-20", "UTC", "2026-11-20T23:00:00Z"));
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->status, "partial");
  EXPECT_EQ(nlohmann::json::parse(read_file(sources.workspace("2026-11-20") / "metadata.json"))["status"], "partial");
}

TEST(Prepare, DayWithoutSessionsIsAValidEmptyWorkspace) {
  Sources sources;
  auto outcome = prepare_workspace(sources.request("2026-01-01"));
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(summary_line(*outcome),
            "Prepared workspace " + sources.workspace("2026-01-01").string() + " with 0 project(s), 0 session(s), 0 turn(s).");
  EXPECT_TRUE(fs::is_directory(sources.workspace("2026-01-01") / "projects"));
  EXPECT_TRUE(fs::is_empty(sources.workspace("2026-01-01") / "projects"));
  auto summary = read_workspace_summary(sources.workspace("2026-01-01"));
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->session_count(), 0u);

  // No sources at all is just as valid.
  auto none = sources.request("2026-01-02");
  none.sources.clear();
  EXPECT_TRUE(prepare_workspace(none));
}

TEST(Prepare, TurnBelongsToTheDayOfItsTrigger) {
  Sources sources;
  auto may12 = prepare_workspace(sources.request("2026-05-12"));
  ASSERT_TRUE(may12) << may12.error().message;
  EXPECT_EQ(may12->turns, 1u);
  auto rows = index_rows(project_folder(sources.workspace("2026-05-12"), "midnight"));
  ASSERT_EQ(rows.size(), 1u);
  // The reaction ends at 00:00:01 on the 13th; the whole turn stays with its trigger.
  EXPECT_EQ(spans_of(rows[0]), (Spans{{8, 19}}));

  auto may13 = prepare_workspace(sources.request("2026-05-13"));
  ASSERT_TRUE(may13);
  EXPECT_EQ(spans_of(index_rows(project_folder(sources.workspace("2026-05-13"), "midnight"))[0]), (Spans{{23, 29}}));
}

TEST(Prepare, DstDaysInNewYork) {
  Sources sources;
  auto spring = prepare_workspace(sources.request("2026-03-08", "America/New_York"));
  ASSERT_TRUE(spring) << spring.error().message;
  auto metadata = nlohmann::json::parse(read_file(sources.workspace("2026-03-08") / "metadata.json"));
  EXPECT_EQ(metadata["report_window_local"]["start"], "2026-03-08T00:00:00-05:00");
  EXPECT_EQ(metadata["report_window_local"]["end"], "2026-03-09T00:00:00-04:00");
  EXPECT_EQ(metadata["report_window_utc"]["start"], "2026-03-08T05:00:00Z");
  EXPECT_EQ(metadata["report_window_utc"]["end"], "2026-03-09T04:00:00Z");
  EXPECT_EQ(spans_of(index_rows(project_folder(sources.workspace("2026-03-08"), "dst"))[0]),
            (Spans{{3, 4}, {5, 6}, {7, 8}}));  // B, C, D

  auto autumn = prepare_workspace(sources.request("2026-11-01", "America/New_York"));
  ASSERT_TRUE(autumn);
  EXPECT_EQ(spans_of(index_rows(project_folder(sources.workspace("2026-11-01"), "dst"))[0]),
            (Spans{{13, 14}, {15, 16}, {17, 18}, {19, 20}}));  // G, H, I (repeated hour), J
}

TEST(Prepare, IdenticalDuplicateKeptOnceConflictingAbortsBeforeWriting) {
  Sources sources;
  fs::create_directories(sources.codex / "archive");
  fs::copy_file(sources.installed_codex("beta"), sources.codex / "archive" / sources.installed_codex("beta").filename());
  auto outcome = prepare_workspace(sources.request("2026-11-20"));
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->sessions, 6u);
  auto audit = nlohmann::json::parse(read_file(sources.reports / "private" / "2026-11-20" / "audit.json"));
  int folded = 0;
  for (const auto& row : audit["sessions"]) folded += static_cast<int>(row["identical_duplicates"].size());
  EXPECT_EQ(folded, 1);

  // Now the archived copy differs (one more line): a forced rebuild fails before touching the
  // existing workspace, and a new day is not written at all.
  write_file(sources.codex / "archive" / sources.installed_codex("beta").filename(),
             read_file(sources.installed_codex("beta")) +
                 "{\"timestamp\":\"2026-11-20T23:00:00Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\"}}\n");
  auto conflict_same_day = [&] {
    auto request = sources.request("2026-11-20");
    request.force = true;
    return prepare_workspace(request);
  }();
  ASSERT_FALSE(conflict_same_day);
  EXPECT_EQ(conflict_same_day.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(conflict_same_day.error().message.find("conflicting copies"), std::string::npos);
  EXPECT_EQ(index_rows(project_folder(sources.workspace("2026-11-20"), "beta")).size(), 1u);
  auto fresh = sources.request("2026-11-21", "Pacific/Kiritimati");  // UTC+14: the fixtures' evening is the 21st there
  auto failed = prepare_workspace(fresh);
  ASSERT_FALSE(failed);
  EXPECT_FALSE(fs::exists(sources.workspace("2026-11-21")));
  EXPECT_FALSE(fs::exists(sources.reports / "private" / "2026-11-21"));
}

// A failure while writing leaves neither a half-built workspace nor temporary folders.
TEST(Prepare, FailedWriteLeavesNothingBehind) {
  Sources sources;
  auto request = sources.request("2026-11-20");
  std::vector<ScanOutcome> scans;
  for (const auto& file : discover_session_files(request.sources))
    scans.push_back({file.source, file.path, scan_session_file(file.source, file.path, request.scan)});
  auto plan = plan_workspace(std::move(scans), request.target, {request.reports_root, request.scan, file_sha256});
  ASSERT_TRUE(plan);
  fs::remove(sources.installed_codex("gamma"));  // vanishes between planning and copying

  const auto paths = workspace_paths(request.reports_root, "2026-11-20");
  auto written = write_workspace(*plan, request.target, paths, {"2026-12-01T12:00:00+00:00", request.sources, false, 2});
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().kind, ErrorKind::io);
  EXPECT_FALSE(fs::exists(paths.workspace));
  EXPECT_TRUE(fs::is_empty(request.reports_root / "work"));
  EXPECT_TRUE(fs::is_empty(request.reports_root / "private"));

  // With an existing workspace, a failed forced rebuild keeps the old one intact.
  diary::test::install_fixture("codex/gamma", sources.codex / "gamma", sources.fixture_root);
  ASSERT_TRUE(prepare_workspace(request));
  const auto before = tree(paths.workspace);
  fs::remove(sources.installed_codex("gamma"));
  auto replaced = write_workspace(*plan, request.target, paths, {"2026-12-01T12:00:00+00:00", request.sources, true, 2});
  ASSERT_FALSE(replaced);
  EXPECT_EQ(tree(paths.workspace), before);
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(request.reports_root / "work")) ++entries;
  EXPECT_EQ(entries, 1u);
}

// Temporary folders left by a killed prepare (its pid no longer exists) are cleaned up; those
// of a live process are not touched.
TEST(Prepare, AbandonedTemporaryFoldersAreRemoved) {
  Sources sources;
  // pid_max is at most 2^22 on Linux: this pid cannot exist.
  const auto dead = sources.reports / "work" / ".2026-11-20.tmp-99999999-0-deadbeef";
  const auto alive = sources.reports / "work" / (".2026-11-20.tmp-" + std::to_string(::getppid()) + "-0-cafe");
  fs::create_directories(dead / "projects");
  fs::create_directories(alive);
  ASSERT_TRUE(prepare_workspace(sources.request("2026-11-20")));
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(alive));
}

TEST(Prepare, JsonOutcome) {
  Sources sources;
  auto outcome = prepare_workspace(sources.request("2026-11-20"));
  ASSERT_TRUE(outcome);
  auto json = to_json(*outcome);
  EXPECT_EQ(json["workspace"], sources.workspace("2026-11-20").string());
  EXPECT_EQ(json["created"], true);
  EXPECT_EQ(json["projects"], 5);
  EXPECT_EQ(json["sessions"], 6);
  EXPECT_EQ(json["turns"], 10);
  EXPECT_EQ(json["status"], "final");
}

TEST(Catalog, ListAndInspect) {
  Sources sources;
  ASSERT_TRUE(prepare_workspace(sources.request("2026-11-20")));
  ASSERT_TRUE(prepare_workspace(sources.request("2026-03-08", "America/New_York")));
  fs::create_directories(sources.reports / "work" / ".2026-11-21.tmp-1-2-3");  // a leftover temp dir
  write_file(project_folder(sources.workspace("2026-11-20"), "alpha") / "evidence" / "S0001.json", "{}");
  write_file(sources.workspace("2026-11-20") / "report.md", "# report");

  auto listed = list_workspaces(sources.reports);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].date, "2026-11-20");
  EXPECT_EQ(listed[1].date, "2026-03-08");
  ASSERT_TRUE(listed[0].summary);
  EXPECT_EQ(listed[0].summary->turn_count(), 10u);
  EXPECT_EQ(listed[0].summary->artifacts, (std::vector<std::string>{"report.md"}));

  auto summary = read_workspace_summary(sources.workspace("2026-11-20"));
  ASSERT_TRUE(summary);
  auto text = describe(*summary);
  EXPECT_NE(text.find("5 project(s), 6 session(s), 10 turn(s)"), std::string::npos);
  EXPECT_NE(text.find("    S0001  codex  "), std::string::npos) << text;  // one table per project
  auto json = to_json(*summary, true);
  bool evidence_seen = false;
  for (const auto& project : json["project_details"])
    for (const auto& session : project["sessions"]) evidence_seen |= session["evidence"].get<bool>();
  EXPECT_TRUE(evidence_seen);

  EXPECT_FALSE(read_workspace_summary(sources.workspace("2026-01-01")));
  EXPECT_TRUE(list_workspaces(sources.scratch / "nothing-here").empty());
}

}  // namespace

// Two prepares of one day at once: the second says the first is in progress (and who runs it)
// instead of failing on the final rename, and writes nothing.
TEST(Prepare, ASecondConcurrentPrepareOfTheDaySaysItIsInProgress) {
  Sources sources;
  const auto lock_path = sources.reports / ".prepare-2026-11-20.lock";
  auto first = diary::util::RunLock::try_acquire(lock_path);  // a prepare of that day is running
  ASSERT_TRUE(first) << first.error().message;
  auto second = prepare_workspace(sources.request("2026-11-20"));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(second.error().message.find("in progress"), std::string::npos) << second.error().message;
  EXPECT_NE(second.error().message.find("pid " + std::to_string(::getpid())), std::string::npos) << second.error().message;
  EXPECT_FALSE(fs::exists(sources.workspace("2026-11-20")));
}
