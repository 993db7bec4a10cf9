// An agent pass of diary generate continues the conversation an earlier run left unfinished for
// its task (12.1) and records every conversation it opens under the task and pass.
#include "generate/phases/agent_pass.h"

#include <sstream>

#include <gtest/gtest.h>

#include "support/fake_agent.h"
#include "support/scratch_dir.h"
#include "util/sha256.h"

namespace diary::generate::phases {
namespace {

namespace asio = boost::asio;

std::vector<nlohmann::json> events_named(const std::filesystem::path& ledger, const std::string& name) {
  std::istringstream in(test::read_file(ledger));
  std::vector<nlohmann::json> out;
  for (std::string line; std::getline(in, line);)
    if (auto event = nlohmann::json::parse(line); event["event"] == name) out.push_back(event);
  return out;
}

class AgentPassTest : public ::testing::Test {
 protected:
  test::ScratchDir dir;
  asio::io_context io;
  test::FakeAgentSessionFactory factory;
  PipelineContext context;
  std::vector<ProgressEvent> events;

  AgentPassTest() {
    context.workspace = dir.path();
    context.factory = &factory;
    context.ledger = *RunLedger::open(dir.path(), "20260101T000000.000Z-000001");
    context.progress = [this](const ProgressEvent& event) { events.push_back(event); };
  }

  // The key run_agent_pass looks the pass up by: the pass name and a hash of its first prompt.
  static std::string key_of(const AgentPassSpec& pass) {
    return task_pass_key(pass.task_id, pass.pass + ":" + util::sha256_hex(pass.prompt).substr(0, 16));
  }

  AgentPassSpec spec() const {
    AgentPassSpec out;
    out.task_id = "evidence:p/S1";
    out.pass = "evidence";
    out.instructions = "evidence";
    out.prompt = "Record the evidence of p/S1.";
    const auto done = dir / "done";
    out.missing = [done] {
      return std::filesystem::exists(done) ? std::vector<std::string>{} : std::vector<std::string>{"turn 1"};
    };
    out.resume = [](const std::vector<std::string>& missing, const nlohmann::json&) {
      return "Still missing: " + missing.front();
    };
    return out;
  }
};

TEST_F(AgentPassTest, ContinuesTheTasksUnfinishedConversation) {
  factory.add_conversation("thread-7");
  context.unfinished[key_of(spec())] =
      UnfinishedConversation{.run_id = "earlier", .conversation_id = "thread-7", .earlier_turn_completed = true};
  factory.push_turn(test::write_files({{dir / "done", "x"}}));
  const AgentPassResult result = test::run_awaitable(io, run_agent_pass(context, spec()));
  EXPECT_TRUE(result.complete()) << result.loop.reason;
  ASSERT_EQ(factory.configs().size(), 1u);
  EXPECT_EQ(factory.configs()[0].resume_conversation, "thread-7");
  EXPECT_EQ(factory.turns().at(0).prompt, "Still missing: turn 1");
  const auto conversations = events_named(context.ledger->events_path(), "conversation");
  ASSERT_EQ(conversations.size(), 1u);
  EXPECT_EQ(conversations[0]["task"], "evidence:p/S1");
  EXPECT_EQ(conversations[0]["pass"].get<std::string>().rfind("evidence:", 0), 0u) << conversations[0].dump();
  EXPECT_EQ(conversations[0]["conversation_id"], "thread-7");
  EXPECT_EQ(conversations[0]["resumed"], true);
}

TEST_F(AgentPassTest, ALostConversationStartsANewOneWithANote) {
  context.unfinished[key_of(spec())] =
      UnfinishedConversation{.run_id = "earlier", .conversation_id = "gone", .earlier_turn_completed = true};
  factory.push_turn(test::write_files({{dir / "done", "x"}}));
  const AgentPassResult result = test::run_awaitable(io, run_agent_pass(context, spec()));
  EXPECT_TRUE(result.complete()) << result.loop.reason;
  EXPECT_EQ(factory.turns().at(0).prompt, "Record the evidence of p/S1.");
  bool warned = false;
  for (const auto& event : events)
    warned = warned || (event.kind == ProgressEvent::Kind::note && event.detail.find("could not continue") != std::string::npos);
  EXPECT_TRUE(warned);
  EXPECT_EQ(events_named(context.ledger->events_path(), "conversation").at(0)["resumed"], false);
}

TEST_F(AgentPassTest, AnotherTasksConversationIsNotContinued) {
  AgentPassSpec other = spec();
  other.prompt = "Record the evidence of p/S1, turn 2.";  // the same task, another instance of its pass
  context.unfinished[key_of(other)] = UnfinishedConversation{.run_id = "earlier", .conversation_id = "thread-8"};
  other.task_id = "evidence:p/S2";
  context.unfinished[key_of(other)] = UnfinishedConversation{.run_id = "earlier", .conversation_id = "thread-9"};
  factory.push_turn(test::write_files({{dir / "done", "x"}}));
  test::run_awaitable(io, run_agent_pass(context, spec()));
  EXPECT_FALSE(factory.configs().at(0).resume_conversation);
}

}  // namespace
}  // namespace diary::generate::phases
