// Reading a whole (small) file into memory: specs, prompts, schemas, settings, artifacts under
// check. The ONE place that does it for files a user or a model names; large inputs (session
// histories) are streamed elsewhere. Only regular files are read (a FIFO, /dev/zero or a
// directory is refused without blocking: the file is opened with O_NONBLOCK and checked with
// fstat on the open descriptor), and never more than a cap per caller. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>

namespace diary::util {

// The documented caps (docs/jobs.md): specs, prompts, schemas, settings and workspace files;
// artifacts checked on disk.
inline constexpr std::uintmax_t default_read_cap = 16u * 1024 * 1024;
inline constexpr std::uintmax_t artifact_read_cap = 256u * 1024 * 1024;

// The bytes of `path`, or a message that names the file and says why not: "cannot read P: <strerror>",
// "P is not a regular file (a FIFO)", "P is larger than 16 MiB (20 MiB)".
using TextFileResult = std::expected<std::string, std::string>;
TextFileResult read_text_file(const std::filesystem::path& path, std::uintmax_t max_bytes = default_read_cap);

// "16 MiB", "1.5 KiB", "12 bytes": sizes in messages.
std::string format_size(std::uintmax_t bytes);

}  // namespace diary::util
