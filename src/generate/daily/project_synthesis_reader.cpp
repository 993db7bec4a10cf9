#include "generate/daily/project_synthesis_reader.h"

#include <algorithm>

#include <fmt/format.h>

#include "generate/artifacts/artifact_store.h"
#include "generate/artifacts/vocabulary.h"
#include "generate/daily/citation_index.h"
#include "generate/prepare/json_fields.h"

namespace diary::generate::daily {

using nlohmann::json;

namespace {

// Collects the first shape error; every accessor answers something usable so that parsing can
// run to its end without checks after each field.
class ShapeReader {
 public:
  explicit ShapeReader(const std::string& file) : file_(file) {}

  std::string text(const json& object, std::string_view key, const std::string& path) {
    const json* value = prepare::field(object, key);
    if (value == nullptr || !value->is_string()) {
      fail(child_path(path, key), "must be a string");
      return {};
    }
    return value->get<std::string>();
  }

  std::optional<std::string> optional_text(const json& object, std::string_view key, const std::string& path) {
    const json* value = prepare::field(object, key);
    if (value == nullptr || value->is_null()) return std::nullopt;
    return text(object, key, path);
  }

  // A missing array reads as empty; anything else but an array is an error.
  const json& array(const json& object, std::string_view key, const std::string& path) {
    static const json empty = json::array();
    const json* value = prepare::field(object, key);
    if (value == nullptr) return empty;
    if (!value->is_array()) {
      fail(child_path(path, key), "must be an array");
      return empty;
    }
    return *value;
  }

  bool object(const json& value, const std::string& path) {
    if (value.is_object()) return true;
    fail(path, "must be an object");
    return false;
  }

  std::vector<TurnRef> refs(const json& object, std::string_view key, const std::string& path) {
    std::vector<TurnRef> out;
    const json& items = array(object, key, path);
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string at = child_path(child_path(path, key), i);
      if (!this->object(items[i], at)) continue;
      out.push_back(TurnRef{text(items[i], "session_ref", at), text(items[i], "turn_ref", at)});
    }
    return out;
  }

  void fail(const std::string& path, std::string_view message) {
    if (!error_) error_ = fmt::format("{}: {} {}", file_, path.empty() ? "/" : path, message);
  }
  const std::optional<std::string>& error() const { return error_; }

 private:
  const std::string& file_;
  std::optional<std::string> error_;
};

SynthesisWorkItem read_item(ShapeReader& reader, const json& item, const std::string& at) {
  SynthesisWorkItem out;
  out.work_item_ref = reader.text(item, "work_item_ref", at);
  out.kind = reader.text(item, "kind", at);
  if (!out.kind.empty() && !artifacts::work_item_kinds().contains(out.kind))
    reader.fail(child_path(at, "kind"), "is not a controlled work item kind");
  out.title = reader.text(item, "title", at);
  out.confidence = reader.text(item, "confidence", at);
  out.covered_turns = reader.refs(item, "covered_turns", at);
  if (const json* trigger = prepare::field(item, "trigger"); trigger != nullptr && !trigger->is_null())
    if (reader.object(*trigger, child_path(at, "trigger")))
      out.trigger_summary = reader.text(*trigger, "summary", child_path(at, "trigger"));
  if (const json* reaction = prepare::field(item, "agent_reaction"); reaction != nullptr && !reaction->is_null())
    if (reader.object(*reaction, child_path(at, "agent_reaction")))
      out.agent_reaction_summary = reader.text(*reaction, "summary", child_path(at, "agent_reaction"));
  const json& outcomes = reader.array(item, "outcomes", at);
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const std::string o = child_path(child_path(at, "outcomes"), i);
    if (!reader.object(outcomes[i], o)) continue;
    out.outcomes.push_back(SynthesisOutcome{reader.text(outcomes[i], "category", o), reader.text(outcomes[i], "summary", o),
                                            reader.text(outcomes[i], "confidence", o),
                                            reader.refs(outcomes[i], "evidence_refs", o)});
  }
  const json& terminals = reader.array(item, "terminal_states", at);
  for (std::size_t i = 0; i < terminals.size(); ++i) {
    const std::string t = child_path(child_path(at, "terminal_states"), i);
    if (!reader.object(terminals[i], t)) continue;
    out.terminal_states.push_back(SynthesisTerminalState{reader.text(terminals[i], "type", t),
                                                         reader.text(terminals[i], "summary", t),
                                                         reader.refs(terminals[i], "evidence_refs", t)});
  }
  const json& limits = reader.array(item, "limits", at);
  for (std::size_t i = 0; i < limits.size(); ++i) {
    if (limits[i].is_string()) out.limits.push_back(limits[i].get<std::string>());
    else reader.fail(child_path(child_path(at, "limits"), i), "must be a string");
  }
  out.offline = prepare::string_field(item, "source") == std::optional<std::string_view>("offline");
  return out;
}

json read_source_messages(ShapeReader& reader, const json& synthesis) {
  json out = json::array();
  const json& entries = reader.array(synthesis, "source_user_messages", "");
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string at = child_path("/source_user_messages", i);
    if (!reader.object(entries[i], at)) continue;
    json messages = json::array();
    const json& given = reader.array(entries[i], "messages", at);
    for (std::size_t m = 0; m < given.size(); ++m) {
      if (given[m].is_string()) messages.push_back(given[m]);
      else reader.fail(child_path(child_path(at, "messages"), m), "must be a string");
    }
    out.push_back({{"session_ref", reader.text(entries[i], "session_ref", at)},
                   {"turn_ref", reader.text(entries[i], "turn_ref", at)},
                   {"messages", std::move(messages)}});
  }
  std::stable_sort(out.begin(), out.end(), [](const json& a, const json& b) {
    return std::tie(a["session_ref"].get_ref<const std::string&>(), a["turn_ref"].get_ref<const std::string&>()) <
           std::tie(b["session_ref"].get_ref<const std::string&>(), b["turn_ref"].get_ref<const std::string&>());
  });
  return out;
}

}  // namespace

agent::Result<ProjectSynthesis> parse_project_synthesis(const json& value, std::string_view project_key,
                                                        const std::string& file) {
  ShapeReader reader(file);
  ProjectSynthesis out;
  out.project_key = std::string(project_key);
  if (!reader.object(value, "")) return agent::fail(agent::ErrorKind::invalid_input, *reader.error());
  if (reader.text(value, "project_key", "") != project_key) reader.fail("/project_key", "must name the project of its folder");
  const json& items = reader.array(value, "work_items", "");
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string at = child_path("/work_items", i);
    if (reader.object(items[i], at)) out.work_items.push_back(read_item(reader, items[i], at));
  }
  out.source_user_messages = read_source_messages(reader, value);
  if (reader.error()) return agent::fail(agent::ErrorKind::invalid_input, *reader.error());
  return out;
}

agent::Result<std::vector<ProjectSynthesis>> read_project_syntheses(const workspace::DayWorkspace& workspace) {
  std::vector<ProjectSynthesis> out;
  for (const auto& project : workspace.projects()) {
    const auto path = workspace.project_synthesis(project.project_key);
    const auto stored = artifacts::read_stored_json(path);
    if (!stored.exists) return agent::fail(agent::ErrorKind::invalid_input, "missing prerequisite artifact: " + path.string());
    if (!stored.value) return agent::fail(agent::ErrorKind::invalid_input, path.string() + ": not valid JSON");
    auto synthesis = parse_project_synthesis(*stored.value, project.project_key, path.string());
    if (!synthesis) return std::unexpected(synthesis.error());
    out.push_back(std::move(*synthesis));
  }
  return out;
}

}  // namespace diary::generate::daily
