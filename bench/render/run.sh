#!/usr/bin/env bash
# bench/render: renders a synthetic 1,000-work-item day (20 projects, a card per session, full
# judgment slots) with bench_render and reports end-to-end and in-memory times, output sizes
# and peak RSS (/usr/bin/time -v). Target: < 1 s end to end on the 2-core machine.
# usage: bench/render/run.sh [BUILD_DIR] [ITEMS]     (defaults: build, 1000)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$repo/build}" && pwd)"
items="${2:-1000}"
ninja -C "$build" bench_render >/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -v "$build/bench/bench_render" "$build/bench-render/workspace" "$items" 2> "$build/bench-render.time"
awk -F': ' '/Maximum resident/ {printf "peak RSS %.1f MiB (whole run, including generating the input)\n", $2/1024}' "$build/bench-render.time"
