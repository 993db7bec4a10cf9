// The tools `diary mcp serve` publishes, in the order tools/list shows them: one line per tool,
// each tool's definition living in its own file beside this one.
#include "generate/mcp/tool.h"

namespace diary::generate::mcp {

std::vector<McpTool> diary_tools() {
  std::vector<McpTool> tools;
  return tools;
}

}  // namespace diary::generate::mcp
