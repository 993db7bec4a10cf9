// Best-effort removal of obvious secrets from text the offline extractor copies into artifacts
// (the user's words, commands): well-known token shapes (OpenAI/Anthropic `sk-…`, GitHub
// `ghp_…`/`github_pat_…`, AWS `AKIA…`, Slack `xoxb-`/`xoxp-…`, Google `AIza…`), PEM private-key blocks,
// and the value of `password=` / `token:`-style assignments become "[REDACTED]". It cannot
// recognise every secret; the model passes are told to redact what it misses. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace diary::generate::offline {

inline constexpr std::string_view redacted = "[REDACTED]";

std::string redact_secrets(std::string_view text);

}  // namespace diary::generate::offline
