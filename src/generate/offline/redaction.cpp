#include "generate/offline/redaction.h"

#include <array>
#include <cctype>
#include <optional>
#include <utility>

namespace diary::generate::offline {

namespace {

// Hand-written scanning rather than std::regex: libstdc++'s regex recurses per character and
// can exhaust the stack on a long prompt.

bool token_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }
bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

struct TokenShape {
  std::string_view prefix;
  std::size_t min_body;           // token characters required after the prefix
  bool upper_alnum_only = false;  // AWS key ids: [0-9A-Z]
};

constexpr std::array<TokenShape, 11> token_shapes = {{
    {"sk-", 16},
    {"ghp_", 20},
    {"gho_", 20},
    {"ghu_", 20},
    {"ghs_", 20},
    {"ghr_", 20},
    {"github_pat_", 20},
    {"AKIA", 16, true},
    {"xoxb-", 10},
    {"xoxp-", 10},
    {"AIza", 35},
}};

// Length of a well-known token starting at text[at], 0 if none starts there.
std::size_t token_at(std::string_view text, std::size_t at) {
  if (at > 0 && word_char(text[at - 1])) return 0;
  for (const auto& shape : token_shapes) {
    if (text.compare(at, shape.prefix.size(), shape.prefix) != 0) continue;
    std::size_t end = at + shape.prefix.size();
    while (end < text.size() && (shape.upper_alnum_only ? (std::isdigit(static_cast<unsigned char>(text[end])) ||
                                                           std::isupper(static_cast<unsigned char>(text[end])))
                                                        : token_char(text[end])))
      ++end;
    if (end - at - shape.prefix.size() >= shape.min_body) return end - at;
  }
  return 0;
}

bool starts_with_ignoring_case(std::string_view text, std::size_t at, std::string_view word) {
  if (at + word.size() > text.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != word[i]) return false;
  return true;
}

constexpr std::array<std::string_view, 8> secret_keys = {"password", "passwd",  "secret", "token",
                                                         "api_key",  "api-key", "apikey", "access_key"};

// For `password = value` at text[at]: the offset where the value starts and its length.
std::optional<std::pair<std::size_t, std::size_t>> assignment_at(std::string_view text, std::size_t at) {
  if (at > 0 && word_char(text[at - 1])) return std::nullopt;
  for (auto key : secret_keys) {
    if (!starts_with_ignoring_case(text, at, key)) continue;
    std::size_t i = at + key.size();
    if (i < text.size() && (text[i] == '"' || text[i] == '\'')) ++i;
    while (i < text.size() && text[i] == ' ') ++i;
    if (i >= text.size() || (text[i] != '=' && text[i] != ':')) continue;
    ++i;
    while (i < text.size() && text[i] == ' ') ++i;
    if (i < text.size() && (text[i] == '"' || text[i] == '\'')) ++i;
    std::size_t end = i;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) && text[end] != '"' && text[end] != '\'' &&
           text[end] != ',' && text[end] != ';')
      ++end;
    while (end > i && (text[end - 1] == '.' || text[end - 1] == ')')) --end;  // sentence punctuation
    if (end - i >= 4) return std::pair{i, end - i};
  }
  return std::nullopt;
}

// PEM private key blocks, BEGIN through END.
std::string redact_private_keys(std::string_view text) {
  std::string out;
  std::size_t from = 0;
  while (true) {
    const std::size_t begin = text.find("-----BEGIN ", from);
    if (begin == std::string_view::npos) break;
    const std::size_t header_end = text.find("-----", begin + 11);
    const std::size_t end = text.find("-----END ", begin);
    const std::size_t end_close = end == std::string_view::npos ? end : text.find("-----", end + 9);
    const bool private_key = header_end != std::string_view::npos &&
                             text.substr(begin, header_end - begin).find("PRIVATE KEY") != std::string_view::npos;
    if (!private_key || end_close == std::string_view::npos) {
      out.append(text.substr(from, begin + 11 - from));
      from = begin + 11;
      continue;
    }
    out.append(text.substr(from, begin - from));
    out.append(redacted);
    from = end_close + 5;
  }
  out.append(text.substr(from));
  return out;
}

}  // namespace

std::string redact_secrets(std::string_view input) {
  const std::string text = redact_private_keys(input);
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    if (const std::size_t length = token_at(text, at)) {
      out.append(redacted);
      at += length;
      continue;
    }
    if (auto value = assignment_at(text, at)) {
      out.append(text, at, value->first - at);
      out.append(redacted);
      at = value->first + value->second;
      continue;
    }
    out.push_back(text[at++]);
  }
  return out;
}

}  // namespace diary::generate::offline
