// `diary doctor`: can diary run codex here? Binary, app-server handshake (the version comes
// from its userAgent: no `codex --version`, which would block the event loop and could hang),
// version vs pin, CODEX_HOME (not below the temp dir), authentication (codex::check_auth, the
// decision generate's preflight makes too; presence only, never secrets), sandbox support.
// Any problem is exit 3.
#include <iostream>

#include <boost/asio/co_spawn.hpp>

#include <fmt/format.h>

#include "cmds/async_main.h"
#include "cmds/backend_flags.h"
#include "cmds/cli.h"
#include "cmds/exit_codes.h"
#include "codex/codex_auth.h"
#include "codex/codex_binary.h"
#include "codex/codex_config_files.h"
#include "util/log_exception.h"
#include "util/executable_search.h"
#include "util/terminal_text.h"

namespace diary::cmds {

namespace asio = boost::asio;

namespace {

bool on_path(const char* program) { return util::find_on_path(program).has_value(); }

// No answer to account/read within this is a failed check, not a hang.
constexpr std::chrono::milliseconds auth_timeout{10'000};

asio::awaitable<int> run_doctor(asio::any_io_executor executor, std::shared_ptr<StopSignal> stop, BackendFlags flags,
                                bool json_output) {
  nlohmann::json report = {{"pinned_version", codex::pinned_codex_version()}};
  auto print = [&](std::string_view label, const std::string& value) {
    if (!json_output) std::cout << util::pad_to_width(label, 12) << " " << util::terminal_line(value) << "\n";
  };
  bool ok = true;
  auto binary = codex::find_codex_binary(flags.codex_bin);
  if (!binary) {
    report["binary"] = nullptr;
    report["error"] = binary.error().message;
    print("codex", "MISSING - " + binary.error().message);
    ok = false;
  } else {
    report["binary"] = binary->string();
    print("codex", binary->string());
    auto options = flags.factory_options();
    options.codex_binary = binary->string();
    options.warn = nullptr;  // the version line below already says it
    const agent::AgentBackendOptions backend_options = options.backend;
    auto factory = codex::make_codex_session_factory(executor, options);
    // Ctrl-C takes codex down: a pending handshake or auth check then fails at once.
    stop->on_stop = [executor, factory] {
      asio::co_spawn(executor, factory->shutdown(), util::log_exception("the shutdown after a signal"));
    };
    const auto started_at = std::chrono::steady_clock::now();
    const agent::AgentBackendOptions defaults;
    auto backend = co_await factory->backend_for(defaults);
    if (!backend) {
      report["app_server"] = {{"ok", false}, {"error", backend.error().message}};
      print("app-server", "FAILED - " + backend.error().message);
      ok = false;
    } else {
      auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_at);
      const auto& info = (*backend)->info();
      const std::string version = codex::version_from_user_agent(info.user_agent).value_or("unknown");
      report["version"] = version;
      report["app_server"] = {{"ok", true}, {"startup_ms", elapsed.count()}, {"user_agent", info.user_agent}};
      report["codex_home"] = info.codex_home;
      print("version", version + (version == codex::pinned_codex_version()
                                      ? " (the tested version)"
                                      : fmt::format(" (WARNING: diary is tested with {})", codex::pinned_codex_version())));
      print("app-server", fmt::format("ok (handshake in {} ms; {})", elapsed.count(), info.user_agent));
      // As codex itself reports it; diary's own reckoning when it does not.
      const std::filesystem::path home =
          info.codex_home.empty() ? codex::backend_codex_home(backend_options) : std::filesystem::path(info.codex_home);
      if (auto problem = codex::codex_home_problem(home, backend_options)) {
        report["codex_home_problem"] = *problem;
        print("codex home", home.string() + " - PROBLEM: " + *problem);
        ok = false;
      } else {
        report["codex_home_problem"] = nullptr;
        print("codex home", home.string());
      }
      auto auth = co_await codex::check_auth(**backend, auth_timeout);
      std::string line;
      if (!auth) {
        line = "unknown - codex did not say whether it is logged in (" + auth.error().message + "); " +
               std::string(codex::login_hint);
        ok = false;
      } else {
        line = auth->description;
        if (!auth->usable()) ok = false;
      }
      report["auth"] = line;
      report["auth_ok"] = auth && auth->usable();
      print("auth", line);
    }
    co_await factory->shutdown();
    stop->on_stop = nullptr;
  }
  const bool bwrap = on_path("bwrap");
  report["bubblewrap"] = bwrap;
  print("sandbox", bwrap ? "bubblewrap available" : "bubblewrap not found (install it for workspace-write sandboxing)");
  report["ok"] = ok;
  if (json_output) std::cout << report.dump(2) << "\n";
  else std::cout << (ok ? "diary can drive codex here.\n" : "diary cannot drive codex here (see above).\n");
  if (stop->requested) co_return exit_interrupted;
  co_return ok ? exit_ok : exit_blocked;
}

}  // namespace

void register_doctor(CLI::App& app, CliContext& context) {
  auto flags = std::make_shared<BackendFlags>();
  auto json_output = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("doctor", "Check that codex is installed, its app-server starts, and auth is present");
  flags->add_to(*cmd);
  cmd->add_flag("--json", *json_output, "print the report as JSON");
  cmd->callback([flags, json_output, &context] {
    flags->factory_options();  // validates -c
    context.exit_code = run_async([&](asio::any_io_executor executor, std::shared_ptr<StopSignal> stop) {
      return run_doctor(executor, stop, *flags, *json_output);
    });
  });
}

}  // namespace diary::cmds
