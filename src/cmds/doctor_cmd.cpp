// `diary doctor`: can diary run codex here? Binary, version vs pin, app-server handshake,
// CODEX_HOME, authentication (presence only, never secrets), sandbox support.
#include <iostream>

#include <fmt/format.h>

#include "cmds/async_main.h"
#include "cmds/backend_flags.h"
#include "cmds/cli.h"
#include "cmds/exit_codes.h"
#include "codex/codex_binary.h"
#include "util/executable_search.h"
#include "util/terminal_text.h"

namespace diary::cmds {

namespace asio = boost::asio;

namespace {

bool on_path(const char* program) { return util::find_on_path(program).has_value(); }

std::string describe_account(const nlohmann::json& account) {
  if (!account.contains("account") || account["account"].is_null())
    return account.value("requiresOpenaiAuth", true) ? "not logged in (run `codex login`, or set an API key)"
                                                     : "not needed by the configured model provider";
  const auto& details = account["account"];
  std::string type = details.value("type", "unknown");
  if (type == "chatgpt") return "logged in with ChatGPT" + (details.value("planType", std::string()).empty() ? std::string() : " (" + details.value("planType", std::string()) + " plan)");
  if (type == "apiKey") return "API key";
  return type;
}

asio::awaitable<int> run_doctor(asio::any_io_executor executor, BackendFlags flags, bool json_output) {
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
    std::string version = codex::read_codex_version(*binary).value_or("unknown");
    report["binary"] = binary->string();
    report["version"] = version;
    print("codex", binary->string());
    print("version", version + (version == codex::pinned_codex_version()
                                    ? " (the tested version)"
                                    : fmt::format(" (WARNING: diary is tested with {})", codex::pinned_codex_version())));
    auto options = flags.factory_options();
    options.codex_binary = binary->string();
    options.warn = nullptr;  // the version line above already says it
    auto factory = codex::make_codex_session_factory(executor, options);
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
      report["app_server"] = {{"ok", true}, {"startup_ms", elapsed.count()}, {"user_agent", info.user_agent}};
      report["codex_home"] = info.codex_home;
      print("app-server", fmt::format("ok (handshake in {} ms; {})", elapsed.count(), info.user_agent));
      print("codex home", info.codex_home);
      const std::string method = "account/read";
      nlohmann::json params = {{"refreshToken", false}};
      auto account = co_await (*backend)->rpc().call(method, params);
      std::string auth = account ? describe_account(*account) : "unknown (" + account.error().message + ")";
      report["auth"] = auth;
      print("auth", auth);
    }
    co_await factory->shutdown();
  }
  const bool bwrap = on_path("bwrap");
  report["bubblewrap"] = bwrap;
  print("sandbox", bwrap ? "bubblewrap available" : "bubblewrap not found (install it for workspace-write sandboxing)");
  report["ok"] = ok;
  if (json_output) std::cout << report.dump(2) << "\n";
  else std::cout << (ok ? "diary can drive codex here.\n" : "diary cannot drive codex here (see above).\n");
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
    context.exit_code = run_async([&](asio::any_io_executor executor, std::shared_ptr<StopSignal>) {
      return run_doctor(executor, *flags, *json_output);
    });
  });
}

}  // namespace diary::cmds
