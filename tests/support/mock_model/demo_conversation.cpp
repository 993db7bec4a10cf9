#include "support/mock_model/demo_conversation.h"

#include <algorithm>
#include <charconv>

namespace diary::test::demo {

namespace {

using nlohmann::json;

ToolCall to_call(const ToolExchange& exchange) {
  return {exchange.name, exchange.arguments, exchange.answered ? parse_tool_output(exchange.output) : json(nullptr),
          exchange.output};
}

// Bytes of the UTF-8 character starting with `lead` (1 for a stray continuation byte).
std::size_t utf8_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

}  // namespace

std::optional<json> last_json_block(std::string_view text) {
  constexpr std::string_view open = "```json";
  const auto start = text.rfind(open);
  if (start == std::string_view::npos) return std::nullopt;
  const auto body = text.find('\n', start);
  if (body == std::string_view::npos) return std::nullopt;
  const auto close = text.find("```", body);
  if (close == std::string_view::npos) return std::nullopt;
  json parsed = json::parse(text.substr(body + 1, close - body - 1), nullptr, false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

json parse_tool_output(std::string_view output) {
  constexpr std::string_view marker = "Output:\n";
  if (const auto at = output.find(marker); at != std::string_view::npos) output = output.substr(at + marker.size());
  json parsed = json::parse(output, nullptr, false);
  return parsed.is_discarded() ? json(nullptr) : parsed;
}

Conversation read_conversation(const ModelRequest& request) {
  Conversation conversation;
  const auto block = last_json_block(request.last_user_text());
  if (!block) {
    conversation.assignment_problem = "the latest prompt has no ```json assignment block that parses";
  } else if (!block->is_object() || text_field(*block, "pass").empty()) {
    conversation.assignment_problem = "the assignment block is not an object with a \"pass\"";
  } else {
    conversation.assignment = *block;
  }
  const auto since = request.tool_exchanges_since_last_user();
  const auto all = request.all_tool_exchanges();
  for (const auto& exchange : since) conversation.calls.push_back(to_call(exchange));
  for (std::size_t i = 0; i + since.size() < all.size(); ++i) conversation.earlier_calls.push_back(to_call(all[i]));
  conversation.earlier_assistant_texts = request.assistant_texts_before_last_user();
  conversation.tools = request.offered_tools();
  return conversation;
}

std::vector<const ToolCall*> calls_of(const Conversation& conversation, std::string_view name) {
  std::vector<const ToolCall*> out;
  for (const auto& call : conversation.calls)
    if (call.name == name) out.push_back(&call);
  return out;
}

bool is_invalid(const json& result) { return text_field(result, "status") == "invalid"; }

std::string error_summary(const json& result) {
  std::string out;
  for (const auto& error : array_field(result, "errors")) {
    if (!out.empty()) out += "; ";
    out += text_field(error, "message").empty() ? error.dump() : text_field(error, "message");
  }
  return out.empty() ? "(no errors listed)" : out;
}

Reply final_message(std::string_view text) {
  return Reply::message(std::string(label) + std::string(text)).with_phase("final_answer");
}

Reply call_tool(const Conversation& conversation, const std::string& name, json arguments) {
  auto offered = std::find_if(conversation.tools.begin(), conversation.tools.end(),
                              [&](const OfferedTool& tool) { return tool.name == name; });
  if (offered == conversation.tools.end()) {
    std::string names;
    for (const auto& tool : conversation.tools)
      if (!tool.tool_namespace.empty()) names += (names.empty() ? "" : ", ") + tool.tool_namespace + "/" + tool.name;
    return final_message("I need the tool " + name + ", which this conversation does not offer (MCP tools offered: " +
                         (names.empty() ? "none" : names) + ").");
  }
  return Reply::tool_call(name, std::move(arguments), offered->tool_namespace);
}

std::string one_line(std::string_view text, std::size_t max_chars) {
  const auto first = text.find_first_not_of(" \t\r\n");
  text = first == std::string_view::npos ? std::string_view{} : text.substr(first);
  text = text.substr(0, text.find('\n'));
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r' || text.back() == '\t')) text.remove_suffix(1);
  // Bytes of the first `chars` characters.
  auto prefix = [&](std::size_t chars) {
    std::size_t bytes = 0;
    for (std::size_t n = 0; n < chars && bytes < text.size(); ++n) bytes += utf8_length(static_cast<unsigned char>(text[bytes]));
    return std::min(bytes, text.size());
  };
  if (prefix(max_chars) >= text.size()) return std::string(text);
  return std::string(text.substr(0, prefix(max_chars > 3 ? max_chars - 3 : 0))) + "...";
}

std::string count_of(std::size_t n, std::string_view noun) {
  return std::to_string(n) + " " + std::string(noun) + (n == 1 ? "" : "s");
}

std::string short_title(std::string_view text, std::size_t max_chars) {
  constexpr std::string_view asked = "The user asked: ";
  if (text.starts_with(asked)) text.remove_prefix(asked.size());
  bool in_code = false;  // a '.' inside `code` ends no sentence
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '`') in_code = !in_code;
    if (!in_code && (c == '.' || c == '?' || c == '!') && (i + 1 == text.size() || text[i + 1] == ' ')) {
      text = text.substr(0, c == '.' ? i : i + 1);  // a question keeps its mark
      break;
    }
  }
  std::string title = one_line(text, max_chars);
  // Cut inside a code span: its marks would pair up wrongly, so drop them.
  if (std::ranges::count(title, '`') % 2 != 0) std::erase(title, '`');
  return title;
}

std::optional<std::size_t> parse_index(std::string_view text) {
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string text_field(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

long long integer_field(const json& object, const char* key, long long fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<long long>() : fallback;
}

const json& array_field(const json& object, const char* key) {
  static const json empty = json::array();
  if (!object.is_object()) return empty;
  auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : empty;
}

}  // namespace diary::test::demo
