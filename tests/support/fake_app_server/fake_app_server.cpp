// Entry point of the scripted fake `codex app-server` (contract: README.md next to this file).
// Parses --mode/--log (or FAKE_APP_SERVER_MODE / FAKE_APP_SERVER_LOG), handles the modes that
// act before any protocol traffic, then hands over to the Server event loop.
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <string>
#include <string_view>

#include "server.h"
#include "wire.h"

namespace {

using diary::test::fake::Options;
using diary::test::fake::write_stderr;

// Returns false for an unknown mode. "flood:N" becomes mode "flood" with flood_count N,
// "wrong-result:M" mode "wrong-result" with wrong_result_method M.
bool set_mode(Options& options, std::string_view mode) {
  if (mode == "normal" || mode == "exit-immediately" || mode == "no-handshake" || mode == "not-initialized-check" ||
      mode == "stderr-flood" || mode == "not-logged-in" || mode == "no-openai-auth" || mode == "auth-no-answer" ||
      mode == "initialize-not-object") {
    options.mode = mode;
    return true;
  }
  if (mode.starts_with("wrong-result:") && mode.size() > 13) {
    options.mode = "wrong-result";
    options.wrong_result_method = mode.substr(13);
    return true;
  }
  if (mode.starts_with("flood:")) {
    std::string_view digits = mode.substr(6);
    std::int64_t count = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
    if (ec != std::errc{} || end != digits.data() + digits.size() || count < 0) return false;
    options.mode = "flood";
    options.flood_count = count;
    return true;
  }
  return false;
}

// Real-looking tracing noise, ~5 MiB, written before serving: a client that does not drain
// stderr makes this fake block here and never answer initialize.
void flood_stderr() {
  std::string chunk;
  for (int i = 0; i < 600; ++i)
    chunk += "2026-01-01T00:00:00.000000Z  INFO codex_core::fake: stderr flood line to test draining " + std::to_string(i) + "\n";
  std::size_t written = 0;
  while (written < 5u << 20) {
    write_stderr(chunk);
    written += chunk.size();
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a vanished client shows up as EPIPE, handled by the writer

  Options options;
  std::string mode = "normal";
  if (const char* env = std::getenv("FAKE_APP_SERVER_MODE"); env && *env) mode = env;
  if (const char* env = std::getenv("FAKE_APP_SERVER_LOG"); env && *env) options.log_path = env;
  // Everything else (`app-server`, `-c key=value`, `--listen ...`) is accepted and ignored.
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--mode" && i + 1 < argc) mode = argv[++i];
    else if (arg.starts_with("--mode=")) mode = arg.substr(7);
    else if (arg == "--log" && i + 1 < argc) options.log_path = argv[++i];
    else if (arg.starts_with("--log=")) options.log_path = arg.substr(6);
  }
  if (!set_mode(options, mode)) {
    write_stderr("fake_app_server: unknown mode '" + mode + "'\n");
    return 2;
  }

  if (options.mode == "exit-immediately") {
    write_stderr("fatal: boom\n");
    return 7;
  }
  write_stderr("fake_app_server: serving JSON-RPC on stdio (mode " + mode + ")\n");
  if (options.mode == "stderr-flood") flood_stderr();

  diary::test::fake::Server server(std::move(options));
  return server.run();
}
