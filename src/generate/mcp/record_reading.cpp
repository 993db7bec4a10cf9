#include "generate/mcp/record_reading.h"

#include "generate/mcp/utf8_text.h"
#include "generate/prepare/json_fields.h"

namespace diary::generate::mcp::detail {

using nlohmann::json;
using prepare::field;
using prepare::string_field;

std::string str(const json& object, std::string_view key) { return std::string(string_field(object, key).value_or("")); }

const json* object_field(const json& object, std::string_view key) {
  const auto* value = field(object, key);
  return value != nullptr && value->is_object() ? value : nullptr;
}

std::optional<long long> integer_field(const json& object, std::string_view key) {
  const auto* value = field(object, key);
  if (value == nullptr || !value->is_number_integer()) return std::nullopt;
  return value->get<long long>();
}

std::string as_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return {};
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

void add_unavailable(CompactRecord& record, std::string what) {
  if (std::find(record.unavailable.begin(), record.unavailable.end(), what) == record.unavailable.end())
    record.unavailable.push_back(std::move(what));
}

std::string parts_text(const json& content, CompactRecord& record) {
  if (content.is_string()) return content.get<std::string>();
  if (!content.is_array()) return as_text(content);
  std::string text;
  for (const auto& part : content) {
    const std::string type = str(part, "type");
    if (type.find("image") != std::string::npos) {
      add_unavailable(record, "image");
      continue;
    }
    if (auto piece = string_field(part, "text")) {
      if (!text.empty()) text += '\n';
      text += *piece;
    }
  }
  return text;
}

std::string command_text(const json& command) {
  if (command.is_string()) return command.get<std::string>();
  if (!command.is_array()) return {};
  std::vector<std::string> words;
  for (const auto& word : command)
    if (word.is_string()) words.push_back(word.get<std::string>());
  if (words.size() == 3 && (words[1] == "-lc" || words[1] == "-c")) {
    const std::string shell = words[0].substr(words[0].rfind('/') + 1);
    if (shell == "bash" || shell == "sh" || shell == "zsh") return words[2];
  }
  std::string text;
  for (const auto& word : words) {
    if (!text.empty()) text += ' ';
    text += word;
  }
  return text;
}

CompactRecord make_record(std::size_t line, RecordKind kind, std::string source_type) {
  CompactRecord record;
  record.line = line;
  record.kind = kind;
  record.source_type = std::move(source_type);
  return record;
}

CompactRecord malformed_record(std::string_view raw, std::size_t line) {
  CompactRecord record = make_record(line, RecordKind::malformed, "");
  record.text = repair_utf8(raw);
  return record;
}

CompactRecord tool_result_record(ToolResult result, std::size_t line, std::string source_type) {
  CompactRecord record = make_record(line, RecordKind::tool_result, std::move(source_type));
  record.tool_results.push_back(std::move(result));
  return record;
}

CompactRecord terminal_record(std::size_t line, std::string source_type, TurnEnd end, std::string text) {
  CompactRecord record = make_record(line, RecordKind::terminal, std::move(source_type));
  record.turn_end = end;
  record.text = std::move(text);
  return record;
}

}  // namespace diary::generate::mcp::detail
