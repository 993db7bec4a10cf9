#!/usr/bin/env bash
# bench/prepare: `diary prepare` over 2,000 session files / ~1 GiB of JSONL, twice: for the day
# every file has turns on (everything read, indexed, copied and checksummed: the worst case) and
# for a day without sessions (everything read and indexed). Reports wall time, CPU time and peak
# RSS from /usr/bin/time -v. Data lives under BUILD_DIR/bench-prepare and is
# generated once (delete it to regenerate). Targets: < 10 s, < 100 MiB on 2 cores.
#
# usage: bench/prepare/run.sh [BUILD_DIR]     (default: build)
#        DIARY_BIN=path/to/diary bench/prepare/run.sh [BUILD_DIR]   (time that binary, build nothing;
#        e.g. a copy of an earlier build for before/after figures)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$repo/build}" && pwd)"
data="$build/bench-prepare/data"
reports="$build/bench-prepare/reports"

diary="${DIARY_BIN:-}"
if [[ -z "$diary" ]]; then
  ninja -C "$build" diary >/dev/null
  diary="$build/src/cmds/diary"
fi
if [[ ! -d "$data" ]]; then
  python3 "$here/generate_sessions.py" "$data.tmp" --files 2000 --bytes $((1 << 30))
  mv "$data.tmp" "$data"
fi
echo "input: $(find "$data" -name '*.jsonl' | wc -l) files, $(du -sm "$data" | cut -f1) MiB"

# run DATE LABEL: one timed `diary prepare` into a fresh reports root.
run() {
  rm -rf "$reports"
  # Warm the page cache and flush earlier writes so the figure is diary's work, not the disk
  # catching up with a previous run.
  find "$data" -name '*.jsonl' -exec cat {} + >/dev/null
  sync
  env -i PATH=/usr/bin:/bin HOME="$build/bench-prepare" DIARY_CODEX_SESSIONS="$data/codex" \
    DIARY_CLAUDE_PROJECTS="$data/claude" \
    /usr/bin/time -v "$diary" prepare --date "$1" --timezone UTC --reports-root "$reports" \
    2> "$build/bench-prepare/time.txt"
  awk -F': ' -v label="$2" '
    /User time/ {user=$2} /System time/ {sys=$2} /Elapsed \(wall/ {wall=$2} /Maximum resident/ {rss=$2}
    END {printf "%s: wall %s, cpu %.2f s (user %s + sys %s), peak RSS %.1f MiB\n", label, wall, user+sys, user, sys, rss/1024}' \
    "$build/bench-prepare/time.txt"
}
# The floor for the copying part: `cp -r` of the same data on the same file system.
copy_floor() {
  rm -rf "$build/bench-prepare/cp-floor"
  sync
  /usr/bin/time -f "cp -r of the same data (reference): wall %e s, cpu %U + %S s" \
    cp -r "$data" "$build/bench-prepare/cp-floor"
  rm -rf "$build/bench-prepare/cp-floor"
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in 1 2 3; do
  copy_floor
  run 2026-05-12 "every file has turns on the day (read, index, copy, checksum 1 GiB)"
  run 2026-05-20 "no turns on the day (read and index 1 GiB, copy nothing)"
done
