#!/usr/bin/env bash
# bench/reader: `read_session_lines` on a 64 MiB Codex session. Generates the session once (the
# record shapes of bench/prepare/generate_sessions.py: big tool outputs, encrypted reasoning,
# token counts), prepares a real workspace for its day with `diary prepare`, then times tool
# calls (bench_read_session): the first page of a turn in the middle and of the last turn, both
# modes, and the file's last line. Page cache warm. Target: a page in < 50 ms.
#
# usage: bench/reader/run.sh [BUILD_DIR]     (default: build)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$repo/build}" && pwd)"
work="$build/bench-reader"
data="$work/data"

ninja -C "$build" diary bench_read_session >/dev/null
if [[ ! -d "$data" ]]; then
  mkdir -p "$data.tmp/codex/2026/05/11"
  PYTHONPATH="$repo/bench/prepare" python3 - "$data.tmp" <<'PY'
import os, random, sys
from generate_sessions import codex_session
rng = random.Random(7)
sid, lines = codex_session(rng, 64 << 20, "/bench/projects/reader")
path = os.path.join(sys.argv[1], "codex", "2026", "05", "11", f"rollout-2026-05-11T22-13-20-{sid}.jsonl")
with open(path, "w", encoding="utf-8") as f:
    f.writelines(lines)
print(f"wrote {sum(len(l) for l in lines) / (1 << 20):.1f} MiB, {len(lines)} lines")
PY
  mv "$data.tmp" "$data"
fi
rm -rf "$work/reports"
env -i PATH=/usr/bin:/bin HOME="$work" DIARY_CODEX_SESSIONS="$data/codex" DIARY_CLAUDE_PROJECTS="" \
  "$build/src/cmds/diary" prepare --date 2026-05-12 --timezone UTC --reports-root "$work/reports" -q
workspace="$work/reports/work/2026-05-12"
find "$workspace" -name '*.jsonl' -exec cat {} + >/dev/null  # warm the page cache
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/bench/bench_read_session" "$workspace" 30
