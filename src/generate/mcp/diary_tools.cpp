// The tools `diary mcp serve` publishes, in the order tools/list shows them: one line per tool,
// each tool's definition living in its own file beside this one.
#include "generate/mcp/tool.h"

#include "generate/mcp/read_session_lines_tool.h"
#include "generate/mcp/write_engagement_tool.h"
#include "generate/mcp/write_evidence_tool.h"
#include "generate/mcp/write_project_summary_tool.h"
#include "generate/mcp/write_report_title_tool.h"
#include "generate/mcp/write_team_learning_tool.h"
#include "generate/mcp/write_work_item_tool.h"

namespace diary::generate::mcp {

std::vector<McpTool> diary_tools() {
  std::vector<McpTool> tools;
  tools.push_back(read_session_lines_tool());
  tools.push_back(write_evidence_tool());
  tools.push_back(write_work_item_tool());
  tools.push_back(write_project_summary_tool());
  tools.push_back(write_report_title_tool());
  tools.push_back(write_engagement_tool());
  tools.push_back(write_team_learning_tool());
  return tools;
}

}  // namespace diary::generate::mcp
