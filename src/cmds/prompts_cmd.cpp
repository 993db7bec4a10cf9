// `diary prompts list` / `diary prompts show NAME`: the prompt templates of the generate passes
// as compiled into this diary (src/generate/prompts/*.md), with the vocabularies filled in and
// the per-call placeholders ({{assignment}}, ...) left visible.
#include <iostream>

#include "cmds/cli.h"
#include "cmds/exit_codes.h"
#include "generate/phases/prompt_templates.h"

namespace diary::cmds {

namespace {

// Leaves every per-call placeholder as it is, so the template reads as written.
std::string show(std::string_view name) {
  namespace phases = generate::phases;
  const auto* found = phases::find_prompt_template(name);
  if (!found) {
    std::string known;
    for (const auto& entry : phases::prompt_templates()) known += (known.empty() ? "" : ", ") + std::string(entry.name);
    fail_with(agent::ErrorKind::invalid_input, "no prompt named '" + std::string(name) + "' (known: " + known + ")");
  }
  phases::PromptValues values;
  std::string_view text = found->text;
  for (std::size_t pos = text.find("{{"); pos != std::string_view::npos; pos = text.find("{{", pos + 2)) {
    const std::size_t end = text.find("}}", pos);
    if (end == std::string_view::npos) break;
    const std::string key(text.substr(pos + 2, end - pos - 2));
    if (!key.starts_with("vocab:")) values[key] = "{{" + key + "}}";
  }
  auto rendered = phases::render_prompt(name, values);
  if (!rendered) throw CommandFailure(rendered.error());
  return *rendered;
}

}  // namespace

void register_prompts(CLI::App& app, CliContext& context) {
  auto* prompts = app.add_subcommand("prompts", "Print the prompt templates diary sends to the agent in `diary generate`");
  prompts->require_subcommand(1);
  auto* list = prompts->add_subcommand("list", "List the prompt templates and their versions");
  list->callback([&context] {
    for (const auto& entry : generate::phases::prompt_templates())
      std::cout << entry.name << "  (" << generate::phases::prompt_version(entry.name) << ")\n";
    context.exit_code = exit_ok;
  });
  auto name = std::make_shared<std::string>();
  auto* show_cmd = prompts->add_subcommand("show", "Print one template (vocabularies filled in, per-call placeholders kept)");
  show_cmd->add_option("NAME", *name, "template name, e.g. evidence-extractor (see `diary prompts list`)")->required();
  show_cmd->callback([name, &context] {
    std::cout << "# " << *name << " (" << generate::phases::prompt_version(*name) << ")\n" << show(*name);
    context.exit_code = exit_ok;
  });
}

}  // namespace diary::cmds
