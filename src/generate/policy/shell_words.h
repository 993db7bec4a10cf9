// Splitting a shell command line into words the way a POSIX shell would (quotes, backslashes,
// operators), so approval rules can match whole words and notice chained commands. Not a shell
// parser: anything it cannot read plainly is flagged, and callers fail closed on the flag.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace diary::generate {

struct ShellWords {
  // Words with quotes removed; unquoted operators (";", "&&", "|", ">", ...) as their own words.
  std::vector<std::string> words;
  // Set by unquoted operators, command substitution ($(...), backticks), newlines or an
  // unterminated quote: the line may run more than one simple command.
  bool compound = false;
};

ShellWords split_shell_words(std::string_view line);

// When `line` is `sh|bash|zsh|dash [-l] -c SCRIPT` (any path to the shell; -lc accepted), the
// words of SCRIPT; otherwise the words of `line`. Codex reports commands in this wrapped form.
ShellWords unwrap_shell_command(std::string_view line);

}  // namespace diary::generate
