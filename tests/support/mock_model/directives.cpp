#include "support/mock_model/directives.h"

#include <charconv>

namespace diary::test {

namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

// "KEY: value" -> value when the line starts with exactly that key.
std::optional<std::string_view> value_of(std::string_view line, std::string_view key) {
  if (line.size() <= key.size() || line.substr(0, key.size()) != key || line[key.size()] != ':') return std::nullopt;
  return trim(line.substr(key.size() + 1));
}

std::optional<long long> parse_integer(std::string_view text) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Splits "first rest..." at the first run of blanks.
std::pair<std::string_view, std::string_view> split_word(std::string_view text) {
  const auto space = text.find_first_of(" \t");
  if (space == std::string_view::npos) return {text, {}};
  return {text.substr(0, space), trim(text.substr(space))};
}

void parse_call(std::string_view value, Directives& out) {
  auto [name, arguments] = split_word(value);
  auto json = nlohmann::json::parse(arguments.empty() ? "{}" : arguments, nullptr, false);
  if (name.empty() || json.is_discarded() || !json.is_object()) {
    out.errors.push_back("CALL needs `<tool> <json object>`: " + std::string(value));
    return;
  }
  // "namespace/name" calls a namespaced (MCP) tool explicitly; a bare name is resolved later.
  std::string tool(name), tool_namespace;
  if (auto slash = tool.find('/'); slash != std::string::npos) {
    tool_namespace = tool.substr(0, slash);
    tool = tool.substr(slash + 1);
  }
  out.steps.push_back(Reply::tool_call(tool, std::move(json), tool_namespace));
}

void append_answer(Directives& out, std::string_view text) {
  if (out.answer) *out.answer += "\n";
  else out.answer.emplace();
  *out.answer += text;
}

void parse_line(std::string_view line, Directives& out) {
  auto integer_or_error = [&](std::string_view value, std::string_view key) {
    auto number = parse_integer(value);
    if (!number) out.errors.push_back(std::string(key) + " needs a number: " + std::string(value));
    return number;
  };
  if (line == "HANG") {
    out.hang = true;
  } else if (auto v = value_of(line, "RUN")) {
    out.steps.push_back(Reply::shell(std::string(*v)));
  } else if (auto v = value_of(line, "CALL")) {
    parse_call(*v, out);
  } else if (auto v = value_of(line, "ANSWER")) {
    append_answer(out, *v);
  } else if (auto v = value_of(line, "ANSWER_JSON")) {
    auto json = nlohmann::json::parse(*v, nullptr, false);
    if (json.is_discarded()) out.errors.push_back("ANSWER_JSON is not JSON: " + std::string(*v));
    else out.answer = json.dump();
  } else if (auto v = value_of(line, "PHASE")) {
    out.phase = std::string(*v);
  } else if (auto v = value_of(line, "SLEEP_MS")) {
    if (auto ms = integer_or_error(*v, "SLEEP_MS")) out.delay = std::chrono::milliseconds(*ms);
  } else if (auto v = value_of(line, "FAIL_HTTP")) {
    if (auto status = integer_or_error(*v, "FAIL_HTTP")) out.fail_http = static_cast<int>(*status);
  } else if (auto v = value_of(line, "FAIL_HTTP_MODEL")) {
    auto [model, status_text] = split_word(*v);
    if (auto status = integer_or_error(status_text, "FAIL_HTTP_MODEL"))
      out.fail_http_model.emplace_back(std::string(model), static_cast<int>(*status));
  } else if (auto v = value_of(line, "RESPONSE_FAILED")) {
    out.response_failed = std::string(v->empty() ? "server_error" : *v);
  } else if (auto v = value_of(line, "USAGE")) {
    auto [input, output] = split_word(*v);
    auto in = integer_or_error(input, "USAGE"), out_tokens = integer_or_error(output, "USAGE");
    if (in && out_tokens) out.usage = Usage{.input_tokens = *in, .output_tokens = *out_tokens};
  }
}

}  // namespace

Directives parse_directives(std::string_view prompt) {
  Directives directives;
  while (!prompt.empty()) {
    const auto newline = prompt.find('\n');
    parse_line(trim(prompt.substr(0, newline)), directives);
    prompt = newline == std::string_view::npos ? std::string_view{} : prompt.substr(newline + 1);
  }
  return directives;
}

Reply reply_from_directives(const ModelRequest& request) {
  const Directives d = parse_directives(request.last_user_text());
  auto decide = [&]() -> Reply {
    if (!d.errors.empty()) return Reply::failed("mock_bad_directive", d.errors.front());
    if (d.hang) return Reply::hang();
    for (const auto& [model, status] : d.fail_http_model)
      if (model == request.model()) return Reply::http_error(status);
    if (d.fail_http) return Reply::http_error(*d.fail_http);
    if (d.response_failed) return Reply::failed(*d.response_failed);
    const auto done = request.function_outputs_since_last_user().size();
    if (done < d.steps.size()) return d.steps[done];
    Reply answer = Reply::message(d.answer.value_or("done"));
    if (d.phase) answer.phase = d.phase;
    return answer;
  };
  Reply reply = decide().after(d.delay);
  if (d.usage) reply.usage = *d.usage;
  return reply;
}

}  // namespace diary::test
