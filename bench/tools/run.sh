#!/usr/bin/env bash
# bench/tools: the cost of judging one write_evidence call (validation, turn hash, a whole
# rejected call under the lock) and of one accepted call (adds temp file + fsync + rename).
# Target: validation of one call < 1 ms.
# usage: bench/tools/run.sh [BUILD_DIR] [ITERATIONS]     (default: build, 2000)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$repo/build}" && pwd)"
ninja -C "$build" bench_write_evidence >/dev/null
scratch="$build/bench-tools"
mkdir -p "$scratch"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in 1 2 3; do
  "$build/bench/bench_write_evidence" "$scratch" "${2:-2000}"
done
