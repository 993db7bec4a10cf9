#include "cmds/json_files.h"

#include "util/text_file.h"

namespace diary::cmds {

agent::Result<nlohmann::json> read_json_file(const std::string& path, const std::string& what) {
  auto text = util::read_text_file(path);
  if (!text) return agent::fail(agent::ErrorKind::invalid_input, what + ": " + text.error());
  try {
    return nlohmann::json::parse(*text);
  } catch (const nlohmann::json::parse_error& e) {
    return agent::fail(agent::ErrorKind::invalid_input,
                       what + ": '" + path + "' is not valid JSON (byte " + std::to_string(e.byte) + ")");
  }
}

}  // namespace diary::cmds
