// diary-mock-model: the mock Responses API server as a standalone program, for the README demo
// and manual runs. Serves the prompt directives (directives.h), or with --demo-agent the scripted
// generate agent (demo_agent.h), until SIGINT or SIGTERM.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <pthread.h>

#include "support/mock_model/demo_agent.h"
#include "support/mock_model/mock_codex_config.h"
#include "support/mock_model/mock_model_server.h"

namespace {

constexpr std::string_view kUsage =
    "usage: diary-mock-model [--demo-agent] [--port N] [--port-file FILE] [--quiet]\n"
    "       diary-mock-model [--demo-agent] --print-codex-overrides PORT   (the codex -c values)\n"
    "Scripted stand-in for the OpenAI Responses API on 127.0.0.1 (a DEMO, not a real LLM).\n"
    "--demo-agent: answer diary generate's passes as a scripted DEMO agent (model name\n"
    "diary-demo-agent), acting only on the prompt's assignment block and the tool results.\n"
    "Without it, directive lines in the prompt drive it:\n"
    "RUN: <cmd>, CALL: <tool> <json>, ANSWER: <text>,\n"
    "ANSWER_JSON: <json>, SLEEP_MS: <n>, HANG, FAIL_HTTP: <status>,\n"
    "FAIL_HTTP_MODEL: <model> <status>, RESPONSE_FAILED: <code>, PHASE: <phase>,\n"
    "USAGE: <in> <out>.\n";

struct Args {
  int port = 0;
  std::string port_file;
  bool quiet = false;
  bool demo_agent = false;
  int print_overrides_port = 0;  // > 0: print the codex -c values for this port and exit
};

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "diary-mock-model: %s\n%s", message.c_str(), kUsage.data());
  std::exit(2);
}

Args parse_args(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage_error(std::string(arg) + " needs a value");
      return argv[++i];
    };
    if (arg == "--port") {
      const std::string text = value();
      char* end = nullptr;
      const long port = std::strtol(text.c_str(), &end, 10);
      if (*end != '\0' || port < 0 || port > 65535) usage_error("bad port: " + text);
      args.port = static_cast<int>(port);
    } else if (arg == "--port-file") {
      args.port_file = value();
    } else if (arg == "--print-codex-overrides") {
      // One source for the values scripts pass to codex (mock_codex_config.cpp), so the demo and
      // the benchmarks never drift from what the e2e tests use.
      const std::string text = value();
      char* end = nullptr;
      const long port = std::strtol(text.c_str(), &end, 10);
      if (*end != '\0' || port <= 0 || port > 65535) usage_error("bad port: " + text);
      args.print_overrides_port = static_cast<int>(port);
    } else if (arg == "--demo-agent") {
      args.demo_agent = true;
    } else if (arg == "--quiet") {
      args.quiet = true;
    } else if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage.data(), stdout);
      std::exit(0);
    } else {
      usage_error("unknown argument: " + std::string(arg));
    }
  }
  return args;
}

// Written via rename so a script polling for the file never reads a half-written port.
void write_port_file(const std::string& path, int port) {
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp);
    out << port << "\n";
    if (!out) throw std::runtime_error("cannot write " + temp);
  }
  std::filesystem::rename(temp, path);
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv);
  if (args.print_overrides_port > 0) {
    const std::string model = args.demo_agent ? diary::test::demo_model_name : "mock-model";
    for (const auto& override_value : diary::test::mock_provider_overrides(args.print_overrides_port, model))
      std::printf("%s\n", override_value.c_str());
    return 0;
  }
  // Block the signals before the server thread exists so only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  try {
    diary::test::MockModelServer server(diary::test::MockModelOptions{
        .port = static_cast<std::uint16_t>(args.port), .log_requests = !args.quiet, .demo_agent = args.demo_agent});
    if (!args.port_file.empty()) write_port_file(args.port_file, server.port());
    std::fprintf(stderr, "diary-mock-model: DEMO MODEL (scripted, not a real LLM)%s listening on 127.0.0.1:%u\n",
                 args.demo_agent ? " as the DEMO generate agent diary-demo-agent" : "", static_cast<unsigned>(server.port()));
    int received = 0;
    sigwait(&signals, &received);
    server.stop();
    std::fprintf(stderr, "diary-mock-model: stopped (%d model requests served)\n", static_cast<int>(server.request_count()));
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "diary-mock-model: %s\n", error.what());
    return 1;
  }
}
