// `diary mcp serve`: the MCP server codex starts for a generate phase, on stdio. Resolves the
// workspace (DIARY_WORKSPACE, else the cwd; an existing directory), then reads newline-delimited
// JSON-RPC from stdin with the shared LineSplitter and writes each reply line to stdout,
// flushed at once (write(2), no stdio buffering). stdout carries protocol only; diagnostics go
// to stderr. Ends with 0 at EOF on stdin (or when stdout's reader is gone, or its parent
// process died: PR_SET_PDEATHSIG). Blocking reads: the
// server answers one request at a time, in order, which is all an MCP stdio client needs.
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "cmds/cli.h"
#include "cmds/exit_codes.h"
#include "generate/mcp/mcp_server.h"
#include "jsonrpc/line_splitter.h"
#include "jsonrpc/rpc_message.h"
#include "util/atomic_file.h"

namespace diary::cmds {

namespace {

namespace fs = std::filesystem;

// A request line is a tool call's arguments: far below this. A longer line is answered with a
// parse error and skipped up to its newline, so one runaway line cannot end the session.
constexpr std::size_t max_line_bytes = std::size_t{16} << 20;
constexpr std::size_t read_chunk = 64 * 1024;

fs::path resolve_workspace() {
  const char* env = std::getenv("DIARY_WORKSPACE");
  std::error_code ec;
  fs::path workspace = env != nullptr && *env != '\0' ? fs::path(env) : fs::current_path(ec);
  if (ec) fail_with(agent::ErrorKind::invalid_input, "cannot read the current directory: " + ec.message());
  const std::string from = env != nullptr && *env != '\0' ? "DIARY_WORKSPACE" : "the current directory";
  if (!fs::is_directory(workspace, ec))
    fail_with(agent::ErrorKind::invalid_input,
              fmt::format("workspace {} (from {}) is not an existing directory", workspace.string(), from));
  fs::path canonical = fs::canonical(workspace, ec);
  return ec ? fs::absolute(workspace) : canonical;
}

// false when stdout is closed (the client is gone).
bool write_line(std::string line) {
  line += '\n';
  return util::write_all(STDOUT_FILENO, line);
}

pid_t initial_parent = 0;

extern "C" void on_parent_death(int) {
  // PDEATHSIG also fires when only the thread that started us ends (codex is multi-threaded):
  // leave only when the parent process itself is gone (we were re-parented).
  if (::getppid() != initial_parent) ::_exit(exit_ok);
}

// Ends the server with its parent (codex), even when the parent's death does not close our
// stdin (a grandchild may still hold its write end): a replies-nobody-reads server must not
// outlive the generate run.
void exit_with_parent() {
  initial_parent = ::getppid();
  struct sigaction action {};
  action.sa_handler = on_parent_death;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGUSR2, &action, nullptr);
  ::prctl(PR_SET_PDEATHSIG, SIGUSR2);
  if (::getppid() != initial_parent) ::_exit(exit_ok);  // it died before prctl
}

int serve(const fs::path& workspace) {
  exit_with_parent();
  // A vanished reader must end the loop through EPIPE, not kill the process mid-reply.
  ::signal(SIGPIPE, SIG_IGN);
  generate::mcp::McpServer server(generate::mcp::ToolContext{workspace}, generate::mcp::diary_tools());
  for (const auto& problem : server.definition_problems()) std::cerr << "diary mcp serve: " << problem << "\n";

  auto splitter = std::make_unique<jsonrpc::LineSplitter>(max_line_bytes);
  bool skipping = false;  // inside an over-long line, discarding up to its newline
  bool client_gone = false;
  auto on_line = [&](std::string_view line) {
    if (client_gone) return;
    if (auto reply = server.on_line(line); reply && !write_line(std::move(*reply))) client_gone = true;
  };
  auto skip_over_long_line = [&] {
    const std::string reply = jsonrpc::encode_error(
        std::nullopt, jsonrpc::rpc_code::parse_error,
        fmt::format("parse error: a line longer than {} bytes was skipped", max_line_bytes), jsonrpc::Envelope::jsonrpc2);
    if (!write_line(reply)) client_gone = true;
    splitter = std::make_unique<jsonrpc::LineSplitter>(max_line_bytes);
    skipping = true;
  };

  char discard[read_chunk];
  while (!client_gone) {
    char* buffer = skipping ? discard : splitter->prepare(read_chunk);
    const ssize_t n = ::read(STDIN_FILENO, buffer, read_chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::cerr << "diary mcp serve: reading stdin failed: " << std::strerror(errno) << "\n";
      return exit_failed;
    }
    if (n == 0) break;
    std::string_view chunk(buffer, static_cast<std::size_t>(n));
    if (skipping) {
      const auto newline = chunk.find('\n');
      if (newline == std::string_view::npos) continue;
      skipping = false;
      if (!splitter->feed(chunk.substr(newline + 1), on_line)) skip_over_long_line();
      continue;
    }
    if (!splitter->commit(chunk.size(), on_line)) skip_over_long_line();
  }
  // A last request without its newline is still a request.
  if (!client_gone && !skipping && splitter->buffered() > 0) splitter->feed("\n", on_line);
  if (client_gone) std::cerr << "diary mcp serve: stdout closed; stopping\n";
  return exit_ok;
}

}  // namespace

void register_mcp(CLI::App& app, CliContext& context) {
  auto* mcp = app.add_subcommand("mcp", "The MCP server that gives the agent diary's tools during `diary generate`");
  mcp->require_subcommand(1);
  mcp->footer(
      "codex starts `diary mcp serve` itself (registered through -c mcp_servers.diary.* overrides);\n"
      "run it by hand only to inspect the tools.");
  auto* serve_cmd =
      mcp->add_subcommand("serve", "Serve diary's tools over MCP on stdio (newline-delimited JSON-RPC 2.0) until stdin ends");
  serve_cmd->footer(
      "Workspace: $DIARY_WORKSPACE, else the current directory; it must exist. Tools read and write\n"
      "only inside it.\n"
      "Protocol: one JSON-RPC 2.0 message per line on stdin, one reply per request line on stdout\n"
      "(notifications get none). Methods: initialize, notifications/initialized, ping, tools/list,\n"
      "tools/call. Every call is checked against the tool's inputSchema first; a rejected call is a\n"
      "normal result {\"status\":\"invalid\",\"errors\":[{path,message,hint}]}. stdout carries protocol\n"
      "only; diagnostics go to stderr.\n"
      "Example:\n"
      "  printf '%s\\n' '{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}' | DIARY_WORKSPACE=ws diary mcp serve\n"
      "Exit codes: 0 stdin ended, 1 reading stdin failed, 2 the workspace is not a directory.");
  serve_cmd->callback([&context] { context.exit_code = serve(resolve_workspace()); });
}

}  // namespace diary::cmds
