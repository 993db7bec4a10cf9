// Hostile stops (issue 10, items 8-13), each as a process-level reproduction with a deadline:
// the built diary driving the real pinned codex against the in-test mock model, stopped the ways
// a user, a shell loop, a supervisor (SIGTERM then SIGKILL) or a pager stops it. Each test
// asserts how fast diary ends, how it ends (exit code, or the re-raised signal), what the
// ledger says, and that no process of the tree diary started survives (read from /proc).
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <csignal>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_support.h"

namespace diary::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<json> ledger_lines(const fs::path& path) {
  std::vector<json> lines;
  for (const auto& line : lines_of(read_file(path))) lines.push_back(json::parse(line, nullptr, false));
  return lines;
}

// Every live process below `root` (children, grandchildren, ...), read from /proc.
std::vector<ProcInfo> descendants_of(pid_t root) {
  const auto all = all_processes();
  std::vector<ProcInfo> out;
  std::set<pid_t> parents{root};
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& info : all) {
      if (info.state == 'Z' || !parents.contains(info.ppid) || parents.contains(info.pid)) continue;
      parents.insert(info.pid);
      out.push_back(info);
      grew = true;
    }
  }
  return out;
}

// The processes of `before` that still run (same pid, not a zombie, same name).
std::vector<ProcInfo> survivors(const std::vector<ProcInfo>& before) {
  std::vector<ProcInfo> left;
  for (const auto& info : before)
    if (auto now = read_proc(info.pid); now && now->state != 'Z' && now->comm == info.comm) left.push_back(*now);
  return left;
}

bool all_gone_within(const std::vector<ProcInfo>& processes, std::chrono::milliseconds bound, std::vector<ProcInfo>& left) {
  return poll_until([&] { return (left = survivors(processes)).empty(); }, bound);
}

// Processes whose command line contains `needle`.
std::vector<pid_t> processes_running(const std::string& needle) {
  std::vector<pid_t> out;
  for (const auto& info : all_processes()) {
    if (info.state == 'Z') continue;
    // libstdc++'s istreambuf_iterator throws when the process vanishes mid-read (ESRCH).
    std::string cmdline;
    try {
      std::ifstream in("/proc/" + std::to_string(info.pid) + "/cmdline", std::ios::binary);
      cmdline.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    } catch (const std::exception&) {
      continue;
    }
    if (contains(cmdline, needle)) out.push_back(info.pid);
  }
  return out;
}

// Live processes whose working directory is `dir` or below it (not this test process).
std::vector<ProcInfo> processes_within(const fs::path& dir) {
  std::vector<ProcInfo> out;
  const std::string prefix = fs::weakly_canonical(dir).string();
  for (const auto& info : all_processes()) {
    if (info.state == 'Z' || info.pid == ::getpid()) continue;
    std::error_code error;
    const std::string cwd = fs::read_symlink("/proc/" + std::to_string(info.pid) + "/cwd", error).string();
    if (!error && (cwd == prefix || cwd.starts_with(prefix + "/"))) out.push_back(info);
  }
  return out;
}

class hostile_stops : public CodexE2eTest {
 protected:
  void SetUp() override {
    CodexE2eTest::SetUp();
    // A re-raised SIGQUIT dumps core by default; keep cores out of the scratch dir.
    rlimit none{0, 0};
    ::setrlimit(RLIMIT_CORE, &none);
    // A hostile shell command for the model to run: it ignores every polite signal and never
    // ends, so only a kill reaches it. Its path marks it in /proc.
    write_file(sleeper(), "#!/bin/sh\ntrap '' HUP INT QUIT TERM\nwhile :; do sleep 0.2; done\n");
    fs::permissions(sleeper(), fs::perms::owner_all);
  }

  fs::path sleeper() const { return env_.workdir() / "stops-sleeper.sh"; }
  std::string run_sleeper() const { return "RUN: " + sleeper().string() + "\nANSWER: never"; }

  // scratch/<name>.toml: a job named `name` in the workdir, asked `prompt`, whose artifact never comes.
  fs::path never_done_job(const std::string& name, const std::string& prompt) const {
    return write_spec("name = \"" + name + "\"\nworkdir = \"work\"\nprompt = '''\n" + prompt +
                          "\n'''\nturn_timeout = \"60s\"\n\n[[artifact]]\npath = \"NEVER.md\"\n",
                      name + ".toml");
  }

  std::vector<std::string> exec_args(const std::string& prompt) const {
    std::vector<std::string> args{"exec", "--json", "--timeout", "60s", "--sandbox", "workspace-write", "--approval", "never"};
    const auto backend = backend_flags();
    args.insert(args.end(), backend.begin(), backend.end());
    args.push_back(prompt);
    return args;
  }

  fs::path write_batch(int jobs, const std::string& prompt) const {
    const fs::path path = env_.workdir() / "batch.toml";
    std::string toml = "concurrency = " + std::to_string(jobs) + "\n[defaults]\nturn_timeout = \"60s\"\n";
    for (int i = 0; i < jobs; ++i)
      toml += "\n[[job]]\nname = \"job" + std::to_string(i) + "\"\nprompt = '''\n" + prompt +
              "\n'''\n[[job.artifact]]\npath = \"never" + std::to_string(i) + ".txt\"\n";
    write_file(path, toml);
    return path;
  }

  std::vector<std::string> batch_args(const fs::path& batch, const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args{"batch", "run", batch.string()};
    const auto backend = backend_flags();
    args.insert(args.end(), backend.begin(), backend.end());
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  // An MCP server for codex to start that never reads stdin and ignores polite signals.
  fs::path hostile_mcp_server() const {
    const fs::path server = scratch_ / "stops-mcp-server.sh";
    write_file(server, "#!/bin/sh\ntrap '' HUP INT QUIT TERM PIPE\nwhile :; do sleep 0.2; done\n");
    fs::permissions(server, fs::perms::owner_all);
    return server;
  }
  static std::vector<std::string> mcp_server_flags(const fs::path& server) {
    return {"-c", "mcp_servers.stops.command=" + json(server.string()).dump(), "-c", "mcp_servers.stops.startup_timeout_sec=2"};
  }

  bool sleeper_running() const { return !processes_running(sleeper().string()).empty(); }

  // The job's ledger (named in its --json result) ends with its result record.
  void expect_ledger_result(const std::string& out, const std::string& status) const {
    const json result = json::parse(out, nullptr, false);
    ASSERT_FALSE(result.is_discarded()) << "stdout is not the --json result: " << out;
    EXPECT_EQ(result["status"], status) << out;
    const fs::path events = result.value("ledger", "");
    const auto ledger = ledger_lines(events);
    ASSERT_FALSE(ledger.empty()) << events;
    EXPECT_EQ(ledger.back().value("event", ""), "result") << ledger.back().dump();
    EXPECT_EQ(ledger.back().value("status", ""), status) << ledger.back().dump();
    const json stored = json::parse(read_file(events.parent_path() / "result.json"), nullptr, false);
    EXPECT_EQ(stored.value("status", ""), status);
  }
};

// Stops bounded in time: a supervisor's SIGTERM-then-SIGKILL (10-30 s) must find the ledger
// complete, so diary ends within a few seconds of the signal whenever it arrives.
constexpr auto stop_bound = 4s;      // signal -> diary reaped (turn ended, ledger written, codex gone)
constexpr auto leftover_bound = 2s;  // diary gone -> nothing it started still running

TEST_F(hostile_stops, SigtermAroundTheTurnStartEndsTheJobWithinTheBound) {
  // When the signal lands: as the loop announces the turn (thread/start or turn/start still in
  // flight), a little later (turn/start answered, codex not yet running it), and once the model
  // was asked (the turn runs a command that never ends).
  const std::vector<std::pair<std::string, std::chrono::milliseconds>> moments{{"at the turn announcement", 0ms},
                                                                               {"50ms after it", 50ms},
                                                                               {"150ms after it", 150ms},
                                                                               {"300ms after it", 300ms},
                                                                               {"at the model request", -1ms}};
  for (const auto& [moment, delay] : moments) {
    SCOPED_TRACE(moment);
    const std::size_t requests_before = model_.request_count();
    const auto spec = never_done_job("sigterm", run_sleeper());
    auto diary = start_diary(job_args(spec));
    if (delay.count() < 0) {
      ASSERT_TRUE(model_.wait_for_requests(requests_before + 1, 60s)) << diary->err();
    } else {
      ASSERT_TRUE(poll_until([&] { return contains(diary->err(), "turn 1 started"); }, 60s)) << diary->err();
      std::this_thread::sleep_for(delay);
    }
    const auto tree = descendants_of(diary->pid());
    const auto signalled = Clock::now();
    diary->signal(SIGTERM);
    const auto code = diary->wait(20s);
    const auto reaction = since(signalled);
    ASSERT_TRUE(code.has_value()) << "diary still running 20s after SIGTERM; stderr: " << diary->err();
    EXPECT_LT(reaction, stop_bound) << diary->err();
    EXPECT_EQ(diary->term_signal(), SIGTERM) << "diary must re-raise SIGTERM after cleanup; exit " << *code;
    expect_ledger_result(diary->out(), "interrupted");
    std::vector<ProcInfo> left;
    EXPECT_TRUE(all_gone_within(tree, leftover_bound, left)) << "outlived diary: " << describe(left);
    RecordProperty("sigterm_" + std::to_string(delay.count()) + "ms_to_exit_ms", std::to_string(reaction.count()));
  }
}

TEST_F(hostile_stops, SigtermAroundTheTurnStartEndsExecWithinTheBound) {
  for (auto delay : {-1ms, 0ms, 400ms, 800ms}) {
    SCOPED_TRACE(delay.count());
    const std::size_t requests_before = model_.request_count();
    auto diary = start_diary(exec_args(run_sleeper()));
    if (delay.count() < 0) ASSERT_TRUE(model_.wait_for_requests(requests_before + 1, 60s)) << diary->err();
    else std::this_thread::sleep_for(delay);
    const auto tree = descendants_of(diary->pid());
    const auto signalled = Clock::now();
    diary->signal(SIGTERM);
    const auto code = diary->wait(20s);
    const auto reaction = since(signalled);
    ASSERT_TRUE(code.has_value()) << "exec still running 20s after SIGTERM; stderr: " << diary->err();
    EXPECT_LT(reaction, stop_bound) << diary->err();
    EXPECT_EQ(diary->term_signal(), SIGTERM) << "exit " << *code << "; stderr: " << diary->err();
    std::vector<ProcInfo> left;
    EXPECT_TRUE(all_gone_within(tree, leftover_bound, left)) << "outlived diary: " << describe(left);
  }
}

TEST_F(hostile_stops, SigtermStopsABatchWithinTheBound) {
  const auto batch = write_batch(2, run_sleeper());
  auto diary = start_diary(batch_args(batch, {"--json"}));
  ASSERT_TRUE(model_.wait_for_requests(2, 60s)) << diary->err();
  ASSERT_TRUE(poll_until([&] { return sleeper_running(); }, 30s)) << diary->err();
  const auto tree = descendants_of(diary->pid());
  const auto signalled = Clock::now();
  diary->signal(SIGTERM);
  const auto code = diary->wait(30s);
  const auto reaction = since(signalled);
  ASSERT_TRUE(code.has_value()) << diary->err();
  EXPECT_LT(reaction, stop_bound) << diary->err();
  EXPECT_EQ(diary->term_signal(), SIGTERM) << "exit " << *code;
  const json out = json::parse(diary->out(), nullptr, false);
  ASSERT_FALSE(out.is_discarded()) << diary->out() << diary->err();
  EXPECT_EQ(out["status"], "interrupted");
  const auto ledger = ledger_lines(out.value("ledger", ""));
  ASSERT_FALSE(ledger.empty());
  EXPECT_EQ(ledger.back().value("event", ""), "result");
  std::vector<ProcInfo> left;
  EXPECT_TRUE(all_gone_within(tree, leftover_bound, left)) << "outlived diary: " << describe(left);
  RecordProperty("batch_sigterm_to_exit_ms", std::to_string(reaction.count()));
}

// A codex that takes its time to start: the signal lands while diary waits for the handshake.
std::vector<std::string> with_slow_codex(std::vector<std::string> args, const fs::path& scratch) {
  const fs::path slow_codex = scratch / "slow-codex.sh";
  write_file(slow_codex, std::string("#!/bin/sh\nsleep 5\nexec '") + DIARY_TEST_CODEX_BIN + "' \"$@\"\n");
  fs::permissions(slow_codex, fs::perms::owner_all);
  const auto bin = std::find(args.begin(), args.end(), std::string(DIARY_TEST_CODEX_BIN));
  if (bin != args.end()) *bin = slow_codex.string();
  return args;
}

// Starts diary with the slow codex, signals it 300 ms into the start-up; it must end within 3 s
// by that very signal, the model never asked, nothing left behind. Returns its stdout.
std::string stop_during_start(std::unique_ptr<SpawnedProcess> diary, int signo, const MockModelServer& model) {
  EXPECT_TRUE(poll_until([&] { return !descendants_of(diary->pid()).empty(); }, 10s));
  std::this_thread::sleep_for(300ms);
  const auto tree = descendants_of(diary->pid());
  const auto signalled = Clock::now();
  diary->signal(signo);
  const auto code = diary->wait(20s);
  const auto reaction = since(signalled);
  EXPECT_TRUE(code.has_value()) << diary->err();
  EXPECT_LT(reaction, 3s) << diary->err();
  EXPECT_EQ(diary->term_signal(), signo) << "exit " << code.value_or(-1) << "; " << diary->err();
  EXPECT_EQ(model.request_count(), 0u) << "a turn ran although the stop came first";
  std::vector<ProcInfo> left;
  EXPECT_TRUE(all_gone_within(tree, leftover_bound, left)) << "outlived diary: " << describe(left);
  return diary->out();
}

TEST_F(hostile_stops, SigtermDuringBackendStartEndsTheJobInterruptedAtOnce) {
  auto diary = start_diary(with_slow_codex(job_args(never_done_job("slow-start", "ANSWER: never")), scratch_.path()));
  expect_ledger_result(stop_during_start(std::move(diary), SIGTERM, model_), "interrupted");
}

TEST_F(hostile_stops, CtrlCDuringBackendStartEndsExecInterruptedWithoutATurn) {
  auto diary = start_diary(with_slow_codex(exec_args("ANSWER: should never run"), scratch_.path()));
  const json out = json::parse(stop_during_start(std::move(diary), SIGINT, model_), nullptr, false);
  ASSERT_FALSE(out.is_discarded());
  EXPECT_EQ(out.value("status", ""), "interrupted") << out.dump();
}

TEST_F(hostile_stops, SighupAndSigquitEndTheJobLikeSigintAndAreReRaised) {
  for (int signo : {SIGHUP, SIGQUIT, SIGINT}) {
    SCOPED_TRACE(::strsignal(signo));
    const std::size_t requests_before = model_.request_count();
    auto diary = start_diary(job_args(never_done_job("hangup", run_sleeper())));
    ASSERT_TRUE(model_.wait_for_requests(requests_before + 1, 60s)) << diary->err();
    ASSERT_TRUE(poll_until([&] { return sleeper_running(); }, 30s)) << diary->err();
    const auto tree = descendants_of(diary->pid());
    const auto signalled = Clock::now();
    diary->signal(signo);
    const auto code = diary->wait(20s);
    ASSERT_TRUE(code.has_value()) << diary->err();
    EXPECT_LT(since(signalled), stop_bound);
    EXPECT_EQ(diary->term_signal(), signo) << "exit " << *code << "; stderr: " << diary->err();
    expect_ledger_result(diary->out(), "interrupted");
    std::vector<ProcInfo> left;
    EXPECT_TRUE(all_gone_within(tree, leftover_bound, left)) << "outlived diary: " << describe(left);
  }
}

TEST_F(hostile_stops, CtrlCStopsAShellLoopOfJobs) {
  // `for f in ...; do diary job run "$f"; done` and Ctrl-C: the terminal signals the whole
  // foreground group; bash ends the loop only when its child died of SIGINT.
  const auto spec = never_done_job("loop", run_sleeper());
  std::string command = "for i in 1 2 3; do '" + std::string(DIARY_BIN) + "'";
  for (const auto& arg : job_args(spec)) command += " '" + arg + "'";
  command += " >/dev/null; echo \"next $i\"; done";
  SpawnedProcess shell({"/bin/bash", "-c", command}, env_.workdir(), env_.process_environment());
  ASSERT_TRUE(model_.wait_for_requests(1, 60s)) << shell.err();
  ASSERT_TRUE(poll_until([&] { return sleeper_running(); }, 30s)) << shell.err();
  const auto tree = descendants_of(shell.pid());
  ::kill(-shell.pid(), SIGINT);
  const auto code = shell.wait(20s);
  ASSERT_TRUE(code.has_value()) << "the loop went on after Ctrl-C; stdout: " << shell.out() << "; stderr: " << shell.err();
  EXPECT_FALSE(contains(shell.out(), "next")) << shell.out();
  EXPECT_EQ(model_.request_count(), 1u) << "a second job started after Ctrl-C";
  std::vector<ProcInfo> left;
  EXPECT_TRUE(all_gone_within(tree, leftover_bound, left)) << "outlived diary: " << describe(left);
}

TEST_F(hostile_stops, ASecondSignalKillsEverythingAndExitsAtOnce) {
  // With an MCP server of codex's that ignores polite signals and never reads stdin.
  const fs::path server = hostile_mcp_server();
  auto diary = start_diary(job_args(never_done_job("twice", run_sleeper()), mcp_server_flags(server)));
  ASSERT_TRUE(poll_until([&] { return !processes_running(server.string()).empty(); }, 60s)) << diary->err();
  ASSERT_TRUE(model_.wait_for_requests(1, 60s)) << diary->err();
  ASSERT_TRUE(poll_until([&] { return sleeper_running(); }, 30s)) << diary->err();
  const auto tree = descendants_of(diary->pid());
  diary->signal(SIGTERM);
  std::this_thread::sleep_for(20ms);
  const auto second = Clock::now();
  diary->signal(SIGTERM);
  const auto code = diary->wait(10s);
  ASSERT_TRUE(code.has_value()) << diary->err();
  EXPECT_LT(since(second), 1s);
  EXPECT_TRUE(contains(diary->err(), "second signal")) << diary->err();
  std::vector<ProcInfo> left;
  EXPECT_TRUE(all_gone_within(tree, leftover_bound, left)) << "outlived diary: " << describe(left);
}

TEST_F(hostile_stops, SigkillOfDiaryLeavesNoProcessItStartedDirectlyOrThroughCodex) {
  // An MCP server codex starts for the thread that never reads stdin and ignores polite
  // signals, and a shell command of the same kind: after SIGKILL of diary both must go, and so
  // must whatever codex's sandbox started in a session of its own (bubblewrap --new-session),
  // which is re-parented to init once diary, the subreaper, is dead. Everything codex's shell
  // runs has its working directory in the workdir, so /proc finds it whatever its parent,
  // session or name; a pid snapshot taken before the kill would miss what starts after it.
  // Killed at several moments: while the sandbox is being started, and once the command runs.
  const fs::path server = hostile_mcp_server();
  int round = 0;
  for (auto delay : {-1ms, 0ms, 100ms, 250ms}) {
    SCOPED_TRACE(delay.count());
    const std::size_t requests_before = model_.request_count();
    const auto spec = never_done_job("killed" + std::to_string(++round), run_sleeper());
    auto diary = start_diary(job_args(spec, mcp_server_flags(server)));
    ASSERT_TRUE(poll_until([&] { return !processes_running(server.string()).empty(); }, 60s))
        << "codex never started the MCP server; stderr: " << diary->err();
    ASSERT_TRUE(model_.wait_for_requests(requests_before + 1, 60s)) << diary->err();
    if (delay.count() < 0) ASSERT_TRUE(poll_until([&] { return sleeper_running(); }, 60s)) << diary->err();
    else std::this_thread::sleep_for(delay);
    const auto tree = descendants_of(diary->pid());
    diary->signal(SIGKILL);
    ASSERT_TRUE(diary->wait(5s).has_value());
    const auto killed = Clock::now();
    std::vector<ProcInfo> left;
    EXPECT_TRUE(all_gone_within(tree, leftover_bound, left)) << "outlived a SIGKILLed diary: " << describe(left);
    const auto bound = leftover_bound - std::min<std::chrono::milliseconds>(since(killed), leftover_bound);
    EXPECT_TRUE(poll_until([&] { return (left = processes_within(scratch_.path())).empty(); }, bound))
        << "still running in the scratch dir " << leftover_bound.count() << " ms after the SIGKILL: " << describe(left);
    EXPECT_TRUE(processes_running(server.string()).empty());
    EXPECT_FALSE(sleeper_running());
    // Whatever is left must not leak into the next round (or the next test).
    for (const auto& info : processes_within(scratch_.path())) ::kill(info.pid, SIGKILL);
  }
}

TEST_F(hostile_stops, SigkillOfDiaryLeavesNoCommandThatDetachedItself) {
  // A command that leaves codex's session on its own (setsid, in the background, outside any
  // sandbox: no PID namespace ends it) is re-parented to diary, the subreaper, when its shell
  // exits, and to init once diary is SIGKILLed: no session, no parent finds it then. Only what
  // it inherited does: the environment.
  const auto spec = write_spec(
      "name = \"detached\"\nworkdir = \"work\"\nsandbox = \"danger-full-access\"\n"
      "turn_timeout = \"60s\"\nprompt = '''\nRUN: setsid " +
          sleeper().string() + " >/dev/null 2>&1 </dev/null &\nANSWER: never\n'''\n" + "[[artifact]]\npath = \"NEVER.md\"\n",
      "detached.toml");
  auto diary = start_diary(job_args(spec));
  ASSERT_TRUE(poll_until([&] { return sleeper_running(); }, 60s)) << diary->err();
  diary->signal(SIGKILL);
  ASSERT_TRUE(diary->wait(5s).has_value());
  const auto killed = Clock::now();
  std::vector<ProcInfo> left;
  EXPECT_TRUE(poll_until([&] { return (left = processes_within(scratch_.path())).empty(); }, leftover_bound))
      << "still running " << since(killed).count() << " ms after the SIGKILL: " << describe(left);
  RecordProperty("detached_gone_after_sigkill_ms", std::to_string(since(killed).count()));
  EXPECT_FALSE(sleeper_running());
  for (const auto& info : processes_within(scratch_.path())) ::kill(info.pid, SIGKILL);
}

TEST_F(hostile_stops, McpServeExitsOnStdinEofAndWhenItsParentDies) {
  fs::create_directories(scratch_ / "ws");
  std::vector<std::string> environment = env_.process_environment();
  environment.push_back("DIARY_WORKSPACE=" + (scratch_ / "ws").string());
  {
    SpawnedProcess serve({DIARY_BIN, "mcp", "serve"}, scratch_.path(), environment, SpawnedProcess::Stdin::pipe);
    ASSERT_TRUE(serve.write_stdin("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n"));
    ASSERT_TRUE(serve.wait_for_out([](const std::string& out) { return contains(out, "\"id\":1"); }, 10s));
    serve.close_stdin();
    const auto code = serve.wait(2s);
    ASSERT_TRUE(code.has_value()) << "mcp serve ignored stdin EOF";
    EXPECT_EQ(*code, 0);
  }
  // Its parent (codex, here a shell) dies by SIGKILL while another process still holds the
  // write end of its stdin: no EOF ever comes, the parent's death must end it.
  const std::string command = "sleep 60 | '" + std::string(DIARY_BIN) + "' mcp serve";
  SpawnedProcess parent({"/bin/sh", "-c", command}, scratch_.path(), environment);
  pid_t serve_pid = 0;
  ASSERT_TRUE(poll_until(
      [&] {
        for (const auto& child : children_of(parent.pid()))
          if (child.comm == "diary") serve_pid = child.pid;
        return serve_pid != 0;
      },
      10s));
  std::this_thread::sleep_for(200ms);  // past its start-up
  ::kill(parent.pid(), SIGKILL);
  ASSERT_TRUE(parent.wait(5s).has_value());
  EXPECT_TRUE(poll_until([&] { return process_gone(serve_pid); }, leftover_bound)) << "diary mcp serve outlived its parent";
  ::kill(-parent.pid(), SIGKILL);  // the orphaned `sleep` of the pipeline (test scaffolding)
}

TEST_F(hostile_stops, ASecondRunOfTheSameJobExitsTwoNamingTheHolder) {
  const auto spec = never_done_job("twice-at-once", run_sleeper());
  auto first = start_diary(job_args(spec));
  ASSERT_TRUE(model_.wait_for_requests(1, 60s)) << first->err();

  const auto second = run_diary(job_args(spec), 30s);
  ASSERT_TRUE(second.exit_code.has_value());
  EXPECT_EQ(*second.exit_code, 2) << second.err;
  const auto lines = lines_of(second.err);
  ASSERT_EQ(lines.size(), 1u) << second.err;
  EXPECT_TRUE(lines[0].starts_with("error: ")) << lines[0];
  EXPECT_TRUE(contains(lines[0], "pid " + std::to_string(first->pid()))) << lines[0];

  // A batch holding the same job (same name, same workdir) is refused the same way.
  write_file(scratch_ / "same.toml", "[[job]]\nfile = \"twice-at-once.toml\"\n");
  const auto batch = run_diary(batch_args(scratch_ / "same.toml"), 30s);
  ASSERT_TRUE(batch.exit_code.has_value());
  EXPECT_EQ(*batch.exit_code, 2) << batch.err;
  EXPECT_TRUE(contains(batch.err, "pid " + std::to_string(first->pid()))) << batch.err;
  EXPECT_EQ(model_.request_count(), 1u) << "the job ran twice at once";

  first->signal(SIGTERM);
  ASSERT_TRUE(first->wait(20s).has_value());
  // The lock goes with its holder: the next run starts.
  const auto third = run_diary(job_args(never_done_job("twice-at-once", "ANSWER: done")), 60s);
  ASSERT_TRUE(third.exit_code.has_value());
  EXPECT_NE(*third.exit_code, 2) << third.err;
}

// Runs `argv` with stdout a pipe nobody reads any more (the reader of `| head` is gone) and
// stderr in a file; returns the wait status.
struct ClosedStdoutRun {
  int status = -1;
  std::string err;
};
ClosedStdoutRun run_with_closed_stdout(const std::vector<std::string>& args, const fs::path& cwd,
                                       const std::vector<std::string>& env, const fs::path& err_file,
                                       std::chrono::milliseconds timeout) {
  int fds[2];
  if (::pipe(fds) != 0) return {};
  std::vector<char*> argv, envp;
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  for (const auto& entry : env) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);
  const std::string dir = cwd.string(), err_path = err_file.string();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    // What a shell gives its commands: default SIGPIPE, nothing blocked.
    ::signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int in = ::open("/dev/null", O_RDONLY);
    if (err < 0 || in < 0 || ::dup2(fds[1], 1) < 0 || ::dup2(err, 2) < 0 || ::dup2(in, 0) < 0 || ::chdir(dir.c_str()) != 0)
      ::_exit(126);
    ::close(fds[0]);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  ::close(fds[0]);  // the reader is gone before diary writes anything
  ClosedStdoutRun run;
  const auto deadline = Clock::now() + timeout;
  while (::waitpid(pid, &run.status, WNOHANG) != pid) {
    if (Clock::now() >= deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &run.status, 0);
      run.status = -1;
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  run.err = read_file(err_file);
  return run;
}

TEST_F(hostile_stops, AClosedStdoutIsAnErrorExitNotASigpipeDeathOrASuccess) {
  fs::create_directories(scratch_ / "reports");
  const auto list = run_with_closed_stdout({DIARY_BIN, "list", "--reports-root", (scratch_ / "reports").string()}, env_.workdir(),
                                           env_.process_environment(), scratch_ / "list.err", 30s);
  ASSERT_NE(list.status, -1) << "diary list hung";
  EXPECT_FALSE(WIFSIGNALED(list.status)) << "diary list died of signal " << WTERMSIG(list.status);
  ASSERT_TRUE(WIFEXITED(list.status));
  EXPECT_EQ(WEXITSTATUS(list.status), 1) << list.err;
  const auto list_lines = lines_of(list.err);
  ASSERT_EQ(list_lines.size(), 1u) << list.err;
  EXPECT_TRUE(list_lines[0].starts_with("error: ")) << list.err;

  // A batch whose --json result cannot be written must not claim success; its ledger is whole.
  const auto batch = write_batch(1, "RUN: echo ok > never0.txt\nANSWER: wrote it");
  std::vector<std::string> argv{DIARY_BIN};
  for (const auto& arg : batch_args(batch, {"--json", "-q"})) argv.push_back(arg);
  const auto run = run_with_closed_stdout(argv, env_.workdir(), env_.process_environment(), scratch_ / "batch.err", 120s);
  ASSERT_NE(run.status, -1) << "batch hung";
  ASSERT_TRUE(WIFEXITED(run.status)) << "batch died of signal " << WTERMSIG(run.status);
  EXPECT_EQ(WEXITSTATUS(run.status), 1) << run.err;
  EXPECT_TRUE(contains(run.err, "error: ")) << run.err;
  EXPECT_TRUE(contains(run.err, "stdout")) << run.err;
  std::vector<fs::path> ledgers;
  for (const auto& entry : fs::directory_iterator(env_.workdir() / ".diary" / "batches"))
    ledgers.push_back(entry.path() / "events.jsonl");
  ASSERT_EQ(ledgers.size(), 1u);
  const auto ledger = ledger_lines(ledgers[0]);
  ASSERT_FALSE(ledger.empty());
  EXPECT_EQ(ledger.back().value("event", ""), "result");
  EXPECT_EQ(ledger.back().value("status", ""), "complete");
}

}  // namespace
}  // namespace diary::test
