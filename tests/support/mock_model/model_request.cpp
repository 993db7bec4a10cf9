#include "support/mock_model/model_request.h"

#include <array>
#include <ostream>

namespace diary::test {

namespace {

using nlohmann::json;

const json& input_items(const json& body) {
  static const json empty = json::array();
  auto it = body.find("input");
  return it != body.end() && it->is_array() ? *it : empty;
}

std::string string_field(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

bool is_user_message(const json& item) {
  return string_field(item, "role") == "user" && (string_field(item, "type") == "message" || !item.contains("type"));
}

// Index of the last user message in `input`, or input.size() when there is none.
std::size_t last_user_index(const json& input) {
  for (std::size_t i = input.size(); i > 0; --i)
    if (is_user_message(input[i - 1])) return i - 1;
  return input.size();
}

// Content may be a plain string or a list of typed parts; only the text parts matter here.
std::string joined_text(const json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string text;
  if (!content.is_array()) return content.is_null() ? text : content.dump();
  for (const auto& part : content) {
    auto it = part.find("text");
    if (it == part.end() || !it->is_string()) continue;
    if (!text.empty()) text += "\n";
    text += it->get<std::string>();
  }
  return text;
}

// The function_call items of input[begin, end) paired with their outputs (searched to the end).
std::vector<ToolExchange> exchanges_in(const json& input, std::size_t begin, std::size_t end) {
  std::vector<ToolExchange> exchanges;
  for (std::size_t i = begin; i < end; ++i) {
    const json& item = input[i];
    if (string_field(item, "type") != "function_call") continue;
    ToolExchange exchange;
    exchange.tool_namespace = string_field(item, "namespace");
    exchange.name = string_field(item, "name");
    exchange.arguments = json::parse(string_field(item, "arguments"), nullptr, false);
    if (exchange.arguments.is_discarded()) exchange.arguments = nullptr;
    const std::string call_id = string_field(item, "call_id");
    for (std::size_t j = i + 1; j < input.size(); ++j) {
      const json& answer = input[j];
      if (string_field(answer, "type") != "function_call_output" || string_field(answer, "call_id") != call_id) continue;
      auto output = answer.find("output");
      exchange.output = output == answer.end() ? std::string{} : joined_text(*output);
      exchange.answered = true;
      break;
    }
    exchanges.push_back(std::move(exchange));
  }
  return exchanges;
}

}  // namespace

std::string ModelRequest::model() const { return string_field(body, "model"); }

std::string ModelRequest::last_user_text() const {
  const json& input = input_items(body);
  std::size_t index = last_user_index(input);
  if (index == input.size()) return {};
  auto it = input[index].find("content");
  return it == input[index].end() ? std::string{} : joined_text(*it);
}

std::vector<std::string> ModelRequest::function_outputs_since_last_user() const {
  const json& input = input_items(body);
  std::size_t index = last_user_index(input);
  std::vector<std::string> outputs;
  for (std::size_t i = index == input.size() ? 0 : index + 1; i < input.size(); ++i) {
    const json& item = input[i];
    if (string_field(item, "type") != "function_call_output") continue;
    auto it = item.find("output");
    outputs.push_back(it == item.end() ? std::string{} : joined_text(*it));
  }
  return outputs;
}

std::vector<ToolExchange> ModelRequest::tool_exchanges_since_last_user() const {
  const json& input = input_items(body);
  const std::size_t index = last_user_index(input);
  return exchanges_in(input, index == input.size() ? 0 : index + 1, input.size());
}

std::vector<ToolExchange> ModelRequest::all_tool_exchanges() const {
  const json& input = input_items(body);
  return exchanges_in(input, 0, input.size());
}

std::vector<std::string> ModelRequest::assistant_texts_before_last_user() const {
  const json& input = input_items(body);
  const std::size_t index = last_user_index(input);
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < index && i < input.size(); ++i) {
    const json& item = input[i];
    if (string_field(item, "role") != "assistant") continue;
    auto content = item.find("content");
    if (content != item.end()) texts.push_back(joined_text(*content));
  }
  return texts;
}

bool ModelRequest::has_output_schema() const {
  auto text = body.find("text");
  return text != body.end() && text->is_object() && text->contains("format");
}

std::vector<OfferedTool> ModelRequest::offered_tools() const {
  std::vector<OfferedTool> tools;
  auto it = body.find("tools");
  if (it == body.end() || !it->is_array()) return tools;
  for (const auto& tool : *it) {
    if (string_field(tool, "type") == "namespace") {
      auto inner = tool.find("tools");
      if (inner == tool.end() || !inner->is_array()) continue;
      for (const auto& member : *inner) tools.push_back({string_field(tool, "name"), string_field(member, "name")});
    } else if (auto name = string_field(tool, "name"); !name.empty()) {
      tools.push_back({{}, name});
    }
  }
  return tools;
}

std::optional<std::string> ModelRequest::shell_tool() const {
  // Preference order mirrors codex's own: unified exec first, then the older shell tools.
  static constexpr std::array<std::string_view, 3> kShellTools{"exec_command", "shell_command", "shell"};
  const auto tools = offered_tools();
  for (auto candidate : kShellTools)
    for (const auto& tool : tools)
      if (tool.tool_namespace.empty() && tool.name == candidate) return tool.name;
  return std::nullopt;
}

std::string ModelRequest::prompt_cache_key() const { return string_field(body, "prompt_cache_key"); }

void PrintTo(const ModelRequest& request, std::ostream* out) {
  *out << "ModelRequest{" << request.path << ", model=" << request.model()
       << ", last_user_text=" << json(request.last_user_text()).dump()
       << ", outputs=" << request.function_outputs_since_last_user().size() << "}";
}

}  // namespace diary::test
