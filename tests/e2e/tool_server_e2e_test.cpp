// The tool server registration against the real pinned codex: a backend with a tool server and a
// clean start offers the model exactly the conversation's enabled tools of that server (under
// `mcp__<name>`), runs them without asking, passes the registered args and env, and shows none
// of the user's own set-up: no other configured MCP server (not even started), no skills text,
// no AGENTS.md, no environment context, no sub-agent tools. A finished conversation's tool
// server process stops while the backend lives on. Also pins how codex hands an MCP
// result to the model (the demo agent parses exactly that). The tool server is
// tests/support/stub_mcp_server, standing in for `diary mcp serve`.
#include <algorithm>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_support.h"

namespace diary::test {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using nlohmann::json;

class tool_server_e2e : public CodexE2eTest {
 protected:
  void SetUp() override {
    CodexE2eTest::SetUp();
    // The user's own set-up, which a clean start must keep away from the conversation.
    write_file(env_.codex_home() / "config.toml",
               "[mcp_servers.other]\ncommand = " + json(std::string(DIARY_STUB_MCP_SERVER)).dump() +
                   "\nenv = { STUB_MCP_LOG = " + json(other_log_.string()).dump() + " }\n" +
                   "[mcp_servers.\"dotted.name\"]\ncommand = " + json(std::string(DIARY_STUB_MCP_SERVER)).dump() +
                   "\nenv = { STUB_MCP_LOG = " + json(dotted_log_.string()).dump() + " }\n");
    fs::create_directories(env_.codex_home() / "skills" / "user-skill");
    write_file(env_.codex_home() / "skills" / "user-skill" / "SKILL.md",
               "---\nname: user-skill\ndescription: USER-SKILL-MARKER\n---\nbody\n");
    write_file(env_.workdir() / "AGENTS.md", "PROJECT-DOC-MARKER: answer in French.\n");
  }

  codex::CodexFactoryOptions tool_factory_options() const {
    auto options = factory_options();
    options.backend.clean_start = true;
    options.backend.tool_server =
        agent::ToolServer{.name = "diary",
                          .command = DIARY_STUB_MCP_SERVER,
                          .args = {"mcp", "serve"},
                          .env = {{"STUB_MCP_TAG", "from-registration"}, {"STUB_MCP_LOG", ours_log_.string()}}};
    return options;
  }

  agent::AgentConfig conversation(std::vector<std::string> tools) const {
    auto conversation = config();
    conversation.ephemeral = true;
    conversation.enabled_tools = std::move(tools);
    return conversation;
  }

  fs::path other_log_ = scratch_ / "other-server.log";
  fs::path dotted_log_ = scratch_ / "dotted-server.log";
  fs::path ours_log_ = scratch_ / "our-server.log";
};

struct Turns {
  std::vector<agent::Result<agent::AgentTurnResult>> results;
  std::vector<int> stub_pids_after_first;  // our server's processes once the first runner is gone
  bool first_server_stopped = false;
};

// The pids our stub server logged at start, oldest first.
std::vector<int> logged_pids(const fs::path& log) {
  std::vector<int> pids;
  if (!fs::exists(log)) return pids;
  std::istringstream lines(read_file(log));
  for (std::string line; std::getline(lines, line);) {
    const json entry = json::parse(line, nullptr, false);
    if (entry.is_object() && entry.contains("stub_pid") && entry["stub_pid"].is_number_integer())
      pids.push_back(entry["stub_pid"].get<int>());
  }
  return pids;
}

bool process_alive(int pid) { return fs::exists("/proc/" + std::to_string(pid)); }

std::set<std::string> namespaced_tools(const ModelRequest& request) {
  std::set<std::string> out;
  for (const auto& tool : request.offered_tools())
    if (!tool.tool_namespace.empty()) out.insert(tool.tool_namespace + "/" + tool.name);
  return out;
}

std::string all_input_text(const ModelRequest& request) { return request.body["input"].dump(); }

TEST_F(tool_server_e2e, OffersExactlyTheEnabledToolsOfOurServerAndNothingOfTheUsersSetup) {
  const auto options = tool_factory_options();
  const auto first = conversation({"echo", "whoami"});
  const auto second = conversation({"unused"});
  auto outcome = run_coro<Turns>(
      [&](asio::any_io_executor executor) -> asio::awaitable<Turns> {
        Turns out;
        auto factory = codex::make_codex_session_factory(executor, options);
        agent::TurnOptions turn_options;
        turn_options.timeout = 60s;
        for (const auto* conversation_config : {&first, &second}) {
          {
            auto runner = co_await factory->create_runner(*conversation_config);
            if (!runner) {
              out.results.push_back(std::unexpected(runner.error()));
              continue;
            }
            const std::string prompt = conversation_config == &first
                                           ? "CALL: mcp__diary/echo {\"text\":\"hi\"}\nCALL: mcp__diary/whoami {}\nANSWER: ok"
                                           : "ANSWER: nothing to call";
            out.results.push_back(co_await (*runner)->turn(prompt, turn_options));
          }
          if (conversation_config != &first) continue;
          // The runner is gone: its thread's tool server must stop while the backend lives on.
          out.stub_pids_after_first = logged_pids(ours_log_);
          // Named locals, not temporaries, in co_await (the GCC 12 coroutine rule).
          const std::function<bool()> stopped = [pids = out.stub_pids_after_first] {
            return !pids.empty() && std::ranges::none_of(pids, process_alive);
          };
          const std::chrono::milliseconds limit = 10s;
          out.first_server_stopped = co_await co_poll_until(stopped, limit);
        }
        co_await factory->shutdown();
        co_return out;
      },
      120s);

  ASSERT_EQ(outcome.results.size(), 2u);
  for (const auto& result : outcome.results) {
    ASSERT_TRUE(result) << result.error();
    EXPECT_TRUE(result->ok()) << ::testing::PrintToString(*result);
  }
  EXPECT_EQ(log_->backend_pids.size(), 1u);  // both conversations on one backend
  // One tool server process per conversation; the finished conversation's one stopped.
  EXPECT_EQ(outcome.stub_pids_after_first.size(), 1u);
  EXPECT_TRUE(outcome.first_server_stopped);
  EXPECT_EQ(logged_pids(ours_log_).size(), 2u);
  EXPECT_EQ(outcome.results[0]->assistant_text, "ok");
  EXPECT_EQ(outcome.results[0]->model, "mock-model");  // as thread/start reports the -c model=... override

  const auto requests = model_.requests();
  ASSERT_EQ(requests.size(), 4u);  // echo, whoami, answer; then the second conversation's answer
  // Exactly the enabled tools of our server, and no other namespace (MCP server or sub-agents).
  EXPECT_EQ(namespaced_tools(requests[0]), (std::set<std::string>{"mcp__diary/echo", "mcp__diary/whoami"}));
  EXPECT_EQ(namespaced_tools(requests[3]), (std::set<std::string>{"mcp__diary/unused"}));
  // The user's other servers were never even started.
  EXPECT_FALSE(fs::exists(other_log_));
  EXPECT_FALSE(fs::exists(dotted_log_));
  EXPECT_TRUE(fs::exists(ours_log_));
  // None of the user's instructions reach the model.
  for (const auto& request : {requests[0], requests[3]}) {
    const std::string input = all_input_text(request);
    EXPECT_EQ(input.find("USER-SKILL-MARKER"), std::string::npos);
    EXPECT_EQ(input.find("skills_instructions"), std::string::npos);
    EXPECT_EQ(input.find("PROJECT-DOC-MARKER"), std::string::npos);
    EXPECT_EQ(input.find("<environment_context>"), std::string::npos);
  }
  for (const auto& tool : requests[0].offered_tools()) EXPECT_TRUE(tool.name.find("goal") == std::string::npos) << tool.name;

  // Auto-approved (approval policy never would otherwise fail the call), and this is how codex
  // 0.169.0 hands an MCP result to the model: a wall-time header, then structuredContent as
  // compact JSON (the stub's content text differs, and is not what the model gets).
  const auto echo_output = requests[1].function_outputs_since_last_user();
  ASSERT_EQ(echo_output.size(), 1u);
  EXPECT_TRUE(echo_output[0].starts_with("Wall time: ")) << echo_output[0];
  EXPECT_TRUE(echo_output[0].ends_with("\nOutput:\n{\"structured_echo\":{\"text\":\"hi\"}}")) << echo_output[0];
  // The registered args and env reached the server.
  const auto whoami_output = requests[2].function_outputs_since_last_user();
  ASSERT_EQ(whoami_output.size(), 2u);
  EXPECT_TRUE(whoami_output[1].ends_with("{\"argv\":[\"mcp\",\"serve\"],\"tag\":\"from-registration\"}")) << whoami_output[1];
}

TEST_F(tool_server_e2e, AToolServerThatCannotStartFailsTheConversationAtOnce) {
  auto options = tool_factory_options();
  options.backend.tool_server->command = (scratch_ / "no-such-server").string();
  const auto conversation_config = conversation({"echo"});
  auto outcome = run_coro<Turns>(
      [&](asio::any_io_executor executor) -> asio::awaitable<Turns> {
        Turns out;
        auto factory = codex::make_codex_session_factory(executor, options);
        auto runner = co_await factory->create_runner(conversation_config);
        if (runner) {
          agent::TurnOptions turn_options;
          turn_options.timeout = 60s;
          out.results.push_back(co_await (*runner)->turn("ANSWER: never", turn_options));
        }
        co_await factory->shutdown();
        co_return out;
      },
      90s);
  ASSERT_EQ(outcome.results.size(), 1u);
  ASSERT_FALSE(outcome.results[0]);
  EXPECT_NE(outcome.results[0].error().message.find("required MCP servers failed to initialize"), std::string::npos)
      << outcome.results[0].error().message;
  EXPECT_EQ(model_.request_count(), 0u);  // no turn without its tools
}

}  // namespace
}  // namespace diary::test
