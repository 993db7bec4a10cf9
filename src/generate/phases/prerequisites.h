// The checks around every generate task: inputs that must exist before it runs ("missing
// prerequisite artifact: <path>", relative to the workspace) and outputs that must exist after
// it. Pure file-existence checks; content is judged inside each task. Thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace diary::generate::phases {

// The first missing path, as the error line, or nullopt when all exist.
std::optional<std::string> missing_prerequisite(const std::filesystem::path& workspace,
                                                const std::vector<std::filesystem::path>& paths);
std::optional<std::string> missing_output(const std::filesystem::path& workspace,
                                          const std::vector<std::filesystem::path>& paths);

}  // namespace diary::generate::phases
