// The renderer's own words: section headings, the honest fallbacks for empty sections and
// missing fields, and the fixed limits every reader should see. One list for report.md and
// report.html (reference §6.1–6.2 for the wording it shares). English only, never escaped
// content from a model. Constant data; thread-safe.
#pragma once

namespace diary::generate::render::text {

inline constexpr const char* untitled = "Untitled daily report";
inline constexpr const char* unknown_date = "date not recorded";
inline constexpr const char* not_recorded = "not recorded";
inline constexpr const char* no_confidence = "n/a";

inline constexpr const char* work_heading = "Work by Project";
inline constexpr const char* engagement_heading = "Engagement Assessment";
inline constexpr const char* team_learning_heading = "Team Learning";
inline constexpr const char* offline_heading = "Made without a model";
inline constexpr const char* evidence_heading = "Evidence Chains";

inline constexpr const char* no_work = "No supported project-level work items found for this report window.";
inline constexpr const char* no_engagement = "Insufficient supported engagement evidence for this report window.";
inline constexpr const char* no_team_learning = "No supported reusable agent-driving pattern found.";
inline constexpr const char* no_evidence = "No evidence chains were recorded for this report window.";
inline constexpr const char* no_summary = "No project summary was written.";
inline constexpr const char* no_overall_reading = "No overall reading was written.";
inline constexpr const char* no_takeaways = "No takeaways were written.";
inline constexpr const char* no_items_reported = "The report lists no work items for this project.";
inline constexpr const char* uncovered_prefix = "Not covered by any work item:";
inline constexpr const char* covers_prefix = "Covers:";
inline constexpr const char* untitled_item = "Untitled work item";
inline constexpr const char* unnamed_project = "Unnamed project";
inline constexpr const char* no_disposition = "no disposition";

inline constexpr const char* engagement_limit =
    "Offline thinking and review are not visible, and interaction precision is limited to the work-item grain.";
inline constexpr const char* team_learning_limit =
    "Productivity is read from observable proxies, never a precise effort metric; single-day evidence — recurrence "
    "and over-time trends need cross-day data (deferred).";

inline constexpr const char* offline_marker = "made without a model";
inline constexpr const char* whole_report_offline =
    "This whole report was made without a model (offline mode): work items come from the session records "
    "themselves, and the judgment sections need a model.";
inline constexpr const char* nothing_offline = "Nothing in this report was made without a model.";
inline constexpr const char* no_reason = "no reason recorded";

inline constexpr const char* context_summary = "Context and Response";
inline constexpr const char* messages_summary = "User Messages";
inline constexpr const char* minor_summary = "Minor activity";
inline constexpr const char* no_reactions = "None recorded.";

}  // namespace diary::generate::render::text
