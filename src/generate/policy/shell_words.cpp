#include "generate/policy/shell_words.h"

#include <filesystem>

namespace diary::generate {

namespace {

bool is_operator_char(char c) { return c == ';' || c == '&' || c == '|' || c == '<' || c == '>' || c == '(' || c == ')'; }

}  // namespace

ShellWords split_shell_words(std::string_view line) {
  ShellWords out;
  std::string word;
  bool in_word = false;
  auto finish = [&] {
    if (in_word) out.words.push_back(std::move(word));
    word.clear();
    in_word = false;
  };
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == ' ' || c == '\t') {
      finish();
    } else if (c == '\n' || c == '\r') {
      finish();
      out.compound = true;
    } else if (c == '\\') {
      if (i + 1 < line.size()) word += line[++i];
      in_word = true;
    } else if (c == '\'') {
      const auto end = line.find('\'', i + 1);
      if (end == std::string_view::npos) {
        out.compound = true;
        word += line.substr(i + 1);
        i = line.size();
      } else {
        word += line.substr(i + 1, end - i - 1);
        i = end;
      }
      in_word = true;
    } else if (c == '"') {
      in_word = true;
      std::size_t j = i + 1;
      for (; j < line.size() && line[j] != '"'; ++j) {
        if (line[j] == '\\' && j + 1 < line.size() &&
            (line[j + 1] == '"' || line[j + 1] == '\\' || line[j + 1] == '$' || line[j + 1] == '`')) {
          word += line[++j];
          continue;
        }
        if (line[j] == '`' || (line[j] == '$' && j + 1 < line.size() && line[j + 1] == '(')) out.compound = true;
        word += line[j];
      }
      if (j >= line.size()) out.compound = true;
      i = j;
    } else if (c == '`' || (c == '$' && i + 1 < line.size() && line[i + 1] == '(')) {
      out.compound = true;
      word += c;
      in_word = true;
    } else if (is_operator_char(c)) {
      finish();
      std::string op(1, c);
      while (i + 1 < line.size() && is_operator_char(line[i + 1]) && op.size() < 3) op += line[++i];
      out.words.push_back(op);
      out.compound = true;
    } else {
      word += c;
      in_word = true;
    }
  }
  finish();
  return out;
}

ShellWords unwrap_shell_command(std::string_view line) {
  ShellWords outer = split_shell_words(line);
  const auto& w = outer.words;
  if (outer.compound || w.size() < 3) return outer;
  const std::string shell = std::filesystem::path(w[0]).filename().string();
  if (shell != "sh" && shell != "bash" && shell != "zsh" && shell != "dash") return outer;
  std::size_t i = 1;
  bool saw_c = false;
  for (; i + 1 < w.size(); ++i) {
    if (w[i] == "-c" || w[i] == "-lc") saw_c = true;
    else if (w[i] != "-l" && w[i] != "--login") break;
  }
  // Exactly one word (the script) must follow the options; extra words would be $0, $1, ...
  if (!saw_c || i != w.size() - 1) return outer;
  return split_shell_words(w.back());
}

}  // namespace diary::generate
