#include "generate/prepare/workspace_layout.h"

#include "util/text_file.h"

namespace diary::generate::prepare {

WorkspacePaths workspace_paths(const std::filesystem::path& reports_root, const std::string& date) {
  WorkspacePaths paths;
  paths.workspace = reports_root / "work" / date;
  paths.audit_dir = reports_root / "private" / date;
  paths.audit_file = paths.audit_dir / "audit.json";
  return paths;
}

nlohmann::ordered_json metadata_json(const ReportTarget& target, const std::string& prepared_at) {
  nlohmann::ordered_json out;
  out["schema_version"] = workspace_schema_version;
  out["report_date"] = target.date_string();
  out["timezone"] = target.timezone;
  out["status"] = std::string(to_string(target.status));
  out["prepared_at"] = prepared_at;
  out["report_window_local"] = {{"start", target.local_start}, {"end", target.local_end}};
  out["report_window_utc"] = {{"start", target.utc_start_string()}, {"end", target.utc_end_string()}};
  return out;
}

agent::Result<WorkspaceMetadata> read_workspace_metadata(const std::filesystem::path& workspace) {
  const auto path = workspace / metadata_file_name;
  auto bad = [&](const std::string& why) { return agent::fail(agent::ErrorKind::invalid_input, path.string() + " " + why); };
  auto text = util::read_text_file(path);
  if (!text) return agent::fail(agent::ErrorKind::invalid_input, text.error());
  auto json = nlohmann::json::parse(*text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return bad("is not valid JSON");
  try {
    WorkspaceMetadata meta;
    meta.schema_version = json.at("schema_version").get<int>();
    if (meta.schema_version != workspace_schema_version)
      return bad("has schema_version " + std::to_string(meta.schema_version) + ", expected " +
                 std::to_string(workspace_schema_version));
    meta.report_date = json.at("report_date").get<std::string>();
    meta.timezone = json.at("timezone").get<std::string>();
    meta.status = json.at("status").get<std::string>();
    meta.prepared_at = json.at("prepared_at").get<std::string>();
    meta.local_start = json.at("report_window_local").at("start").get<std::string>();
    meta.local_end = json.at("report_window_local").at("end").get<std::string>();
    meta.utc_start = json.at("report_window_utc").at("start").get<std::string>();
    meta.utc_end = json.at("report_window_utc").at("end").get<std::string>();
    return meta;
  } catch (const nlohmann::json::exception& error) {
    return bad(std::string("lacks a required field (") + error.what() + ")");
  }
}

std::vector<std::string> metadata_mismatches(const WorkspaceMetadata& stored, const ReportTarget& target) {
  std::vector<std::string> out;
  auto compare = [&](const char* what, const std::string& have, const std::string& want) {
    if (have != want) out.push_back(std::string(what) + ": prepared for " + have + ", requested " + want);
  };
  compare("report_date", stored.report_date, target.date_string());
  compare("timezone", stored.timezone, target.timezone);
  compare("status", stored.status, std::string(to_string(target.status)));
  compare("window start", stored.utc_start, target.utc_start_string());
  compare("window end", stored.utc_end, target.utc_end_string());
  return out;
}

std::string stable_dump(const nlohmann::ordered_json& value) {
  return value.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string compact_dump(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace diary::generate::prepare
