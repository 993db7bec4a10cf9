#include "generate/mcp/write_work_item_tool.h"

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "generate/artifacts/project_synthesis.h"
#include "generate/artifacts/vocabulary.h"
#include "generate/check/json_schema.h"
#include "generate/mcp/write_evidence_tool.h"
#include "support/scratch_dir.h"
#include "unit/generate/artifacts/evidence_samples.h"
#include "unit/generate/mcp/tool_checks.h"

namespace diary::generate::mcp {
namespace {

using nlohmann::json;
using test::alpha;
using test::expect_invalid;
using test::gap_item;
using test::PreparedDay;
using test::sample_chain;
using test::sample_item;
using test::turn;

json read_json(const std::filesystem::path& path) { return test::read_json_file(path); }

// Alpha S0001: T0001 has a committed chain (written by write_evidence), T0002 has none.
class WriteWorkItem : public ::testing::Test {
 protected:
  void SetUp() override {
    const json written = write_evidence_tool().call(context(), test::evidence_args(alpha, "S0001", sample_chain("T0001", 1)));
    ASSERT_EQ(written["status"], "appended") << written.dump(2);
  }
  ToolContext context() const { return ToolContext{prepared.workspace()}; }
  json call(const json& item, const std::string& pk = alpha) {
    return tool.call(context(), {{"project_key", pk}, {"work_item", item}});
  }
  McpTool tool = write_work_item_tool();
  PreparedDay prepared;
};

TEST_F(WriteWorkItem, AcceptedItemsReportWhatIsStillUncovered) {
  EXPECT_EQ(tool.name, "write_work_item");
  EXPECT_EQ(
      call(sample_item("W0001")),
      (json{{"status", "appended"}, {"work_item_ref", "W0001"}, {"uncovered_turns", json::array({turn("S0001", "T0002")})}}));
  const json envelope = read_json(prepared.synthesis());
  EXPECT_EQ(envelope["schema_version"], 1);
  EXPECT_EQ(envelope["project_label"], "alpha");
  EXPECT_EQ(envelope["source_user_messages"][0]["messages"], json::array({"Add a --verbose flag to the CLI"}));
  EXPECT_TRUE(envelope["inputs_sha256"].is_string());

  EXPECT_EQ(call(gap_item("W0002", json::array({turn("S0001", "T0002")}))),
            (json{{"status", "appended"}, {"work_item_ref", "W0002"}, {"uncovered_turns", json::array()}}));
  EXPECT_TRUE(artifacts::inspect_project_synthesis(prepared.day(), alpha).complete());
}

TEST_F(WriteWorkItem, ARejectedItemLeavesTheFileByteIdentical) {
  ASSERT_EQ(call(sample_item("W0001"))["status"], "appended");
  const std::string before = test::read_file(prepared.synthesis());
  expect_invalid(call(sample_item("W0002")), "/work_item/covered_turns/0");  // T0001 is taken
  expect_invalid(call(gap_item("W0001", json::array({turn("S0001", "T0002")}))), "/work_item/work_item_ref");
  EXPECT_EQ(test::read_file(prepared.synthesis()), before);
}

TEST_F(WriteWorkItem, AnInvalidFirstItemWritesNothing) {
  json item = sample_item();
  item["kind"] = "feature";
  expect_invalid(call(item), "/work_item/kind");
  EXPECT_FALSE(std::filesystem::exists(prepared.synthesis()));
}

TEST_F(WriteWorkItem, RejectsAnAgentSuppliedSource) {
  json item = sample_item();
  item["source"] = "offline";
  const json result = call(item);
  expect_invalid(result, "/work_item/source");
  EXPECT_EQ(result["errors"].size(), 1u);
}

TEST_F(WriteWorkItem, RejectsMalformedArguments) {
  expect_invalid(tool.call(context(), {{"project_key", alpha}}), "/work_item");
  expect_invalid(
      tool.call(context(), {{"project_key", alpha}, {"work_item", sample_item()}, {"source_user_messages", json::array()}}),
      "/source_user_messages");
  expect_invalid(call(sample_item(), "nope"), "/project_key");
  expect_invalid(tool.call(context(), "W0001"), "");
}

TEST_F(WriteWorkItem, SeesChainsCommittedAfterItWasMade) {
  expect_invalid(call(sample_item("W0001", json::array({turn("S0001", "T0002")}))), "/work_item/covered_turns/0");
  ASSERT_EQ(write_evidence_tool().call(context(), test::evidence_args(alpha, "S0001", sample_chain("T0002", 5)))["status"],
            "appended");
  json item = sample_item("W0001", json::array({turn("S0001", "T0002")}));
  EXPECT_EQ(call(item)["status"], "appended");
}

// ---- the published schema ----

TEST(WriteWorkItemSchema, IsAClosedSchemaThatAcceptsAValidCallOnly) {
  const McpTool tool = write_work_item_tool();
  auto schema = JsonSchema::compile(tool.input_schema);
  ASSERT_TRUE(schema.has_value()) << schema.error().message;
  test::expect_closed_schema(tool.input_schema, "");
  const json item_schema = tool.input_schema["properties"]["work_item"];
  EXPECT_EQ(item_schema["additionalProperties"], false);
  EXPECT_EQ(item_schema["properties"]["kind"]["enum"], json(artifacts::work_item_kinds().values()));
  EXPECT_EQ(item_schema["properties"]["confidence"]["enum"], json(artifacts::confidence_levels().values()));
  EXPECT_EQ(item_schema["properties"]["outcomes"]["items"]["properties"]["category"]["enum"],
            json(artifacts::outcome_categories().values()));
  EXPECT_EQ(item_schema["properties"]["terminal_states"]["items"]["properties"]["type"]["enum"],
            json(artifacts::terminal_types().values()));
  EXPECT_NE(tool.description.find("uncovered_turns"), std::string::npos);

  auto args = [](json item) { return json{{"project_key", alpha}, {"work_item", std::move(item)}}; };
  EXPECT_TRUE(schema->is_valid(args(sample_item())));
  EXPECT_TRUE(schema->is_valid(args(gap_item("W0002", json::array({turn("S0001", "T0002")})))));

  json item = sample_item();
  item["kind"] = "feature";
  EXPECT_FALSE(schema->is_valid(args(item))) << "unknown enum";
  item = sample_item();
  item["outcomes"][0]["confidence"] = "certain";
  EXPECT_FALSE(schema->is_valid(args(item))) << "unknown nested enum";
  item = sample_item();
  item["risks"] = json::array();
  EXPECT_FALSE(schema->is_valid(args(item))) << "extra property";
  item = sample_item();
  item["covered_turns"][0]["project_key"] = alpha;
  EXPECT_FALSE(schema->is_valid(args(item))) << "extra nested property";
  json extra = args(sample_item());
  extra["note"] = "x";
  EXPECT_FALSE(schema->is_valid(extra)) << "extra argument";
  item = sample_item("W12");
  EXPECT_FALSE(schema->is_valid(args(item))) << "ref pattern";
  item = sample_item();
  item["covered_turns"] = json::array();
  EXPECT_FALSE(schema->is_valid(args(item))) << "empty coverage";
  item = sample_item();
  item["agent_reaction"]["main_actions"] = json::array({""});
  EXPECT_FALSE(schema->is_valid(args(item))) << "empty action";
}

}  // namespace
}  // namespace diary::generate::mcp
