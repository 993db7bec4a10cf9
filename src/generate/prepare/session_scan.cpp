#include "generate/prepare/session_scan.h"

#include <algorithm>

#include "generate/prepare/claude_records.h"
#include "generate/prepare/codex_records.h"
#include "generate/prepare/text_util.h"

namespace diary::generate::prepare {

bool is_excluded_originator(const ScanOptions& options, const std::optional<std::string>& originator) {
  if (!originator) return false;
  return std::any_of(options.excluded_originators.begin(), options.excluded_originators.end(),
                     [&](const std::string& name) { return equals_ignoring_case(name, *originator); });
}

agent::Result<ScannedSession> scan_session_file(SessionSource source, const std::filesystem::path& path,
                                                const ScanOptions& options) {
  auto reader = LineReader::open(path, options.max_line_bytes);
  if (!reader) return std::unexpected(reader.error());

  ScannedSession session;
  session.source = source;
  session.path = path;
  SessionFacts facts;
  TurnBuilder turns;
  CodexHead codex_head;
  ClaudeHead claude_head;

  while (true) {
    auto next = reader->next();
    if (!next) return std::unexpected(next.error());
    if (!*next) break;
    const Line& line = **next;
    const std::size_t number = ++session.lines.total;
    if (line.truncated) {
      ++session.lines.oversized;
      turns.add(number, RecordClass{RecordRole::reaction}, std::nullopt);
      continue;
    }
    // Skim first; the classifier parses the few records it needs in full.
    const bool is_codex = source == SessionSource::codex;
    const bool skimmed = is_codex ? skim_codex_record(line.text, codex_head) : skim_claude_record(line.text, claude_head);
    const SkimValue& root = is_codex ? codex_head.root : claude_head.root;
    if (!skimmed || root.kind != SkimValue::Kind::object) {
      ++session.lines.malformed;
      turns.add(number, RecordClass{RecordRole::reaction}, std::nullopt);
      continue;
    }
    RecordBody body(line.text);
    RecordClass record =
        is_codex ? classify_codex_record(codex_head, body, facts) : classify_claude_record(claude_head, body, facts);
    if (body.failed()) {
      ++session.lines.malformed;
      turns.add(number, RecordClass{RecordRole::reaction}, std::nullopt);
      continue;
    }
    const SkimValue& stamp = is_codex ? codex_head.timestamp : claude_head.timestamp;
    std::optional<Instant> time;
    if (stamp.kind == SkimValue::Kind::string) time = parse_timestamp(stamp.raw.substr(1, stamp.raw.size() - 2));
    if (!time) ++session.lines.untimestamped;
    turns.add(number, record, time);

    // Children and diary's own sessions are never used: stop reading them at once.
    if (facts.subagent || is_excluded_originator(options, facts.originator)) {
      session.stopped_early = true;
      break;
    }
  }

  session.bytes = reader->bytes_consumed();
  session.turns = turns.finish(session.lines.total);
  // Claude Code names a session file after its session id; prefer the name for both sources
  // when the records carry no id.
  const std::string stem = path.stem().string();
  if (source == SessionSource::claude_code) session.session_id = stem;
  else session.session_id = facts.session_id.value_or(stem);
  session.cwd = facts.cwd;
  session.originator = facts.originator;
  session.forked_from_id = facts.forked_from_id;
  session.subagent = facts.subagent;
  return session;
}

}  // namespace diary::generate::prepare
