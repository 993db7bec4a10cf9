#!/usr/bin/env bash
# bench/mcp: `diary mcp serve` on the release build. (1) Cold start to the `initialize` answer
# as a client sees it (target < 20 ms), against the floor of the harness, and the round trip of
# a request on a running server (cold_start.py). (2) The per-call cost of schema-first
# tools/call, validation alone and whole on_line, for a write_evidence-shaped schema and every
# registered tool (bench_mcp_calls; target < 1 ms per call).
#
# usage: bench/mcp/run.sh [BUILD_DIR] [RUNS] [ITERATIONS]
#        (defaults: build-release, configured as Release if it does not exist; 50; 2000)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="${1:-$repo/build-release}"
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
build="$(cd "$build" && pwd)"
echo "build type: $(grep -E '^CMAKE_BUILD_TYPE:' "$build/CMakeCache.txt" | cut -d= -f2)"
ninja -C "$build" -j2 diary bench_mcp_calls >/dev/null
echo "diary binary: $(du -h "$build/src/cmds/diary" | cut -f1)"
python3 "$here/cold_start.py" "$build/src/cmds/diary" "${2:-50}"
"$build/bench/bench_mcp_calls" "${3:-2000}"
