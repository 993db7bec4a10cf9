// Reading a whole (small) file into memory: specs, prompts, schemas, artifacts under check.
// The one place that does it; large inputs (session histories) are streamed elsewhere.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace diary::util {

// The bytes of `path`, or nullopt when it cannot be opened or read.
std::optional<std::string> read_text_file(const std::filesystem::path& path);

}  // namespace diary::util
