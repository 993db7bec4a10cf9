// Reading JSON files named on the command line, with errors that name the flag and the file.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "agent/error.h"

namespace diary::cmds {

agent::Result<nlohmann::json> read_json_file(const std::string& path, const std::string& what);

}  // namespace diary::cmds
