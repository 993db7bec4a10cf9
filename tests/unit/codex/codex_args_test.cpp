// Argument building for codex (codex_args.h) and the config-file facts it needs
// (codex_config_files.h): the tool server registration, the clean start, per-thread tool lists,
// and that every value we emit is valid TOML (codex parses -c values as TOML and silently takes
// an unparsable one as a raw string).
#include "codex/codex_args.h"

#include <algorithm>
#include <cstdlib>

#include <gtest/gtest.h>

#define TOML_EXCEPTIONS 0
#include <toml++/toml.h>

#include "codex/codex_config_files.h"
#include "support/scratch_dir.h"

namespace diary::codex {
namespace {

namespace fs = std::filesystem;
using test::ScratchDir;

agent::ToolServer diary_server() {
  return {.name = "diary",
          .command = "/opt/diary bin/diary",
          .args = {"mcp", "serve"},
          .env = {{"DIARY_WORKSPACE", "/ws/work/2026-01-02"}}};
}

// The -c values of an argument list (everything after each "-c").
std::vector<std::string> overrides_of(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == "-c") out.push_back(args[i + 1]);
  return out;
}

// Parses `key=value` the way codex does (value as TOML) and returns the value node's table
// wrapper, so tests can read the value back.
toml::table parse_override(const std::string& override_value) {
  const auto eq = override_value.find('=');
  EXPECT_NE(eq, std::string::npos) << override_value;
  auto parsed = toml::parse("value = " + override_value.substr(eq + 1));
  EXPECT_TRUE(static_cast<bool>(parsed)) << "not TOML: " << override_value;
  return parsed ? std::move(parsed).table() : toml::table{};
}

TEST(CodexArgsTest, WithoutToolServerOrCleanStartOnlyTheUsersOverridesArePassed) {
  agent::AgentBackendOptions options;
  options.config_overrides = {"model=\"m\"", "x.y=1"};
  EXPECT_EQ(app_server_args(options, {"other"}),
            (std::vector<std::string>{"app-server", "--listen", "stdio://", "-c", "model=\"m\"", "-c", "x.y=1"}));
}

TEST(CodexArgsTest, ToolServerIsRegisteredWithQuotedValuesAutoApprovedAndRequired) {
  agent::ToolServer server = diary_server();
  server.args.push_back("quote\" and \\ backslash");
  server.env["ODD KEY"] = "line\nbreak";
  const auto overrides = tool_server_overrides(server);
  ASSERT_EQ(overrides.size(), 5u);
  EXPECT_EQ(overrides[0], "mcp_servers.diary.command=\"/opt/diary bin/diary\"");
  EXPECT_EQ(overrides[1], "mcp_servers.diary.args=[\"mcp\",\"serve\",\"quote\\\" and \\\\ backslash\"]");
  EXPECT_EQ(overrides[2], "mcp_servers.diary.env={\"DIARY_WORKSPACE\"=\"/ws/work/2026-01-02\",\"ODD KEY\"=\"line\\nbreak\"}");
  EXPECT_EQ(overrides[3], "mcp_servers.diary.default_tools_approval_mode=\"approve\"");
  EXPECT_EQ(overrides[4], "mcp_servers.diary.required=true");

  // Read back as TOML, every value is exactly what we meant.
  auto args = parse_override(overrides[1]);
  const auto* array = args["value"].as_array();
  ASSERT_NE(array, nullptr);
  ASSERT_EQ(array->size(), 3u);
  EXPECT_EQ((*array)[2].value<std::string>(), "quote\" and \\ backslash");
  auto env = parse_override(overrides[2]);
  EXPECT_EQ(env["value"]["ODD KEY"].value<std::string>(), "line\nbreak");
  EXPECT_EQ(env["value"]["DIARY_WORKSPACE"].value<std::string>(), "/ws/work/2026-01-02");
  EXPECT_EQ(parse_override(overrides[0])["value"].value<std::string>(), "/opt/diary bin/diary");
}

TEST(CodexArgsTest, ToolServerCommandPathsBecomeAbsoluteButBareNamesStayForPathLookup) {
  agent::ToolServer server{.name = "t", .command = "bin/tool"};
  EXPECT_EQ(tool_server_overrides(server)[0],
            "mcp_servers.t.command=" + nlohmann::json((fs::current_path() / "bin/tool").string()).dump());
  server.command = "tool";
  EXPECT_EQ(tool_server_overrides(server)[0], "mcp_servers.t.command=\"tool\"");
  // No args and no env: no empty overrides either.
  EXPECT_EQ(tool_server_overrides(server).size(), 3u);
}

TEST(CodexArgsTest, CleanStartSwitchesOffTheUsersSetupAndEveryOtherServer) {
  const auto overrides = clean_start_overrides({"other", "dotted.name", "sp ace"});
  for (const char* key :
       {"features.memories=false", "memories.use_memories=false", "memories.generate_memories=false", "features.plugins=false",
        "features.apps=false", "features.hooks=false", "features.goals=false", "agents.enabled=false", "features.code_mode=false",
        "skills.include_instructions=false", "include_collaboration_mode_instructions=false", "include_environment_context=false",
        "project_doc_max_bytes=0", "project_root_markers=[]"})
    EXPECT_NE(std::ranges::find(overrides, key), overrides.end()) << key;
  // One inline table for the other servers: names with dots or blanks cannot be dotted paths.
  ASSERT_FALSE(overrides.empty());
  EXPECT_EQ(overrides.back(),
            "mcp_servers={\"other\"={enabled=false},\"dotted.name\"={enabled=false},\"sp ace\"={enabled=false}}");
  auto table = parse_override(overrides.back());
  EXPECT_EQ(table["value"]["dotted.name"]["enabled"].value<bool>(), false);
  EXPECT_EQ(table["value"]["sp ace"]["enabled"].value<bool>(), false);
  for (const auto& value : overrides) parse_override(value);  // all valid TOML

  const auto alone = clean_start_overrides({});
  EXPECT_EQ(alone.size(), overrides.size() - 1);
  EXPECT_TRUE(std::ranges::none_of(alone, [](const std::string& v) { return v.starts_with("mcp_servers"); }));
}

TEST(CodexArgsTest, AppServerArgsOrderCleanStartThenOurServerThenTheUsersOverrides) {
  agent::AgentBackendOptions options;
  options.clean_start = true;
  options.tool_server = diary_server();
  options.config_overrides = {"model=\"m\""};
  const auto overrides = overrides_of(app_server_args(options, {"diary", "other"}));
  auto position = [&](const std::string& value) { return std::ranges::find(overrides, value) - overrides.begin(); };
  const auto others = position("mcp_servers={\"other\"={enabled=false}}");  // ours is not disabled
  const auto command = position("mcp_servers.diary.command=\"/opt/diary bin/diary\"");
  const auto user = position("model=\"m\"");
  ASSERT_LT(others, static_cast<long>(overrides.size()));
  EXPECT_LT(position("features.memories=false"), others);
  // The inline table replaces the -c layer's mcp_servers table: it must come before our keys.
  EXPECT_LT(others, command);
  EXPECT_LT(command, user);
  EXPECT_EQ(user, static_cast<long>(overrides.size()) - 1);

  // Without a clean start only the registration is added.
  options.clean_start = false;
  const auto registration = overrides_of(app_server_args(options, {"other"}));
  EXPECT_EQ(registration.size(), tool_server_overrides(diary_server()).size() + 2);
  EXPECT_EQ(registration.front(), "mcp_servers.diary.command=\"/opt/diary bin/diary\"");
  // A finished thread (unsubscribed by its runner) is unloaded at once, stopping its tool server.
  EXPECT_EQ(registration[registration.size() - 2], "thread_unload_delay_secs=0");
  options.tool_server.reset();
  EXPECT_EQ(overrides_of(app_server_args(options, {"other"})), std::vector<std::string>{"model=\"m\""});
}

TEST(CodexArgsTest, ThreadStartLimitsTheToolServerToTheConversationsTools) {
  agent::AgentConfig config;
  config.working_directory = "/w";
  config.reasoning_effort = "low";
  config.enabled_tools = std::vector<std::string>{"read_session_lines", "write_evidence"};
  config.backend.tool_server = diary_server();
  const auto params = thread_start_params(config);
  EXPECT_EQ(params["cwd"], "/w");
  EXPECT_EQ(params["config"], (json{{"model_reasoning_effort", "low"},
                                    {"mcp_servers.diary.enabled_tools", {"read_session_lines", "write_evidence"}}}));

  config.enabled_tools = std::vector<std::string>{};  // no tools at all is a real choice
  EXPECT_EQ(thread_start_params(config)["config"]["mcp_servers.diary.enabled_tools"], json::array());

  config.backend.tool_server.reset();  // nothing to restrict
  EXPECT_EQ(thread_start_params(config)["config"], (json{{"model_reasoning_effort", "low"}}));
  config.reasoning_effort.reset();
  EXPECT_FALSE(thread_start_params(config).contains("config"));
}

TEST(CodexConfigFilesTest, ListsTheMcpServerTablesOfEveryReadableFile) {
  ScratchDir dir;
  test::write_file(dir / "a.toml",
                   "model = \"x\"\n[mcp_servers.one]\ncommand = \"a\"\n[mcp_servers.\"dotted.two\"]\nurl = \"http://h\"\n"
                   "[mcp_servers]\nnot_a_table = 1\n");
  test::write_file(dir / "b.toml", "[mcp_servers.one]\ncommand = \"b\"\n[mcp_servers.three]\ncommand = \"c\"\n");
  test::write_file(dir / "broken.toml", "[mcp_servers.lost\ncommand=");
  test::write_file(dir / "none.toml", "model = \"y\"\n");
  EXPECT_EQ(
      configured_mcp_servers({dir / "b.toml", dir / "missing.toml", dir / "broken.toml", dir / "none.toml", dir / "a.toml"}),
      (std::vector<std::string>{"dotted.two", "one", "three"}));
  EXPECT_TRUE(configured_mcp_servers({}).empty());
}

TEST(CodexConfigFilesTest, CodexHomeIsTheBackendsOwn) {
  agent::AgentBackendOptions options;
  options.env["CODEX_HOME"] = "/given/home";
  EXPECT_EQ(backend_codex_home(options), "/given/home");
  EXPECT_EQ(codex_config_files("/given/home"), (std::vector<fs::path>{"/etc/codex/config.toml", "/given/home/config.toml"}));

  ::setenv("CODEX_HOME", "/process/home", 1);
  ::setenv("HOME", "/users/me", 1);
  options.env.clear();
  EXPECT_EQ(backend_codex_home(options), "/process/home");
  options.env_remove = {"CODEX_HOME"};
  EXPECT_EQ(backend_codex_home(options), "/users/me/.codex");
  options.env["HOME"] = "/private/home";
  EXPECT_EQ(backend_codex_home(options), "/private/home/.codex");
  options.env_remove = {"CODEX_HOME", "HOME"};
  options.env.clear();
  EXPECT_EQ(backend_codex_home(options), fs::path{});
  EXPECT_EQ(codex_config_files({}), (std::vector<fs::path>{"/etc/codex/config.toml"}));
}

}  // namespace
}  // namespace diary::codex
