#include "cmds/json_files.h"

#include <fstream>
#include <sstream>

namespace diary::cmds {

agent::Result<nlohmann::json> read_json_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return agent::fail(agent::ErrorKind::invalid_input, what + ": cannot read '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    return agent::fail(agent::ErrorKind::invalid_input,
                       what + ": '" + path + "' is not valid JSON (byte " + std::to_string(e.byte) + ")");
  }
}

}  // namespace diary::cmds
