#!/usr/bin/env bash
# bench/offline: the offline extractor (chains + work items, no model) over the workspace that
# `diary prepare` makes from 2,000 generated sessions / ~1 GiB (bench/prepare/generate_sessions.py;
# the data is shared with bench/prepare when it exists). Times bench_offline per session (what
# `diary generate --offline` does) and per turn (the fallback for single failed turns) with
# /usr/bin/time -v, page cache warm. Target: < 15 s on 2 cores.
#
# usage: bench/offline/run.sh [BUILD_DIR]     (default: build)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$repo/build}" && pwd)"
work="$build/bench-offline"
data="$build/bench-prepare/data"

ninja -C "$build" diary bench_offline >/dev/null
if [[ ! -d "$data" ]]; then
  python3 "$repo/bench/prepare/generate_sessions.py" "$data.tmp" --files 2000 --bytes $((1 << 30))
  mv "$data.tmp" "$data"
fi
if [[ ! -d "$work/reports/work/2026-05-12" ]]; then
  rm -rf "$work/reports"
  mkdir -p "$work"
  env -i PATH=/usr/bin:/bin HOME="$work" DIARY_CODEX_SESSIONS="$data/codex" DIARY_CLAUDE_PROJECTS="$data/claude" \
    "$build/src/cmds/diary" prepare --date 2026-05-12 --timezone UTC --reports-root "$work/reports" -q
fi
workspace="$work/reports/work/2026-05-12"
echo "workspace: $(find "$workspace" -name '*.jsonl' -path '*sessions/*' | wc -l) session files, $(du -sm "$workspace" | cut -f1) MiB"

run() {
  find "$workspace" -name '*.jsonl' -exec cat {} + >/dev/null  # warm the page cache
  /usr/bin/time -v "$build/bench/bench_offline" "$workspace" 2 "$@" 2> "$work/time.txt"
  awk -F': ' '
    /User time/ {user=$2} /System time/ {sys=$2} /Elapsed \(wall/ {wall=$2} /Maximum resident/ {rss=$2}
    END {printf "  wall %s, cpu %.2f s (user %s + sys %s), peak RSS %.1f MiB\n", wall, user+sys, user, sys, rss/1024}' \
    "$work/time.txt"
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in 1 2; do
  run
  run --per-turn
done
