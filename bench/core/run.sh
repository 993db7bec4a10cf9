#!/usr/bin/env bash
# Core benchmarks (issue 2): transport + router throughput, one 64 MiB line, and the peak RSS
# of `diary exec` (the diary process alone) against the real codex and the loopback mock model.
# Usage: bench/core/run.sh   (after scripts/setup.sh; builds into build/)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${DIARY_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target diary bench_transport fake_app_server diary-mock-model >/dev/null

echo "== transport (fake app-server, flood of 500000 notifications; 64 MiB line)"
"$build/bench/bench_transport" "$build/tests/support/fake_app_server/fake_app_server" 500000

echo "== diary exec peak RSS (real codex $(.tools/codex/node_modules/@openai/codex-linux-x64/vendor/*/bin/codex --version), mock model)"
scratch="$build/bench-scratch/exec"
rm -rf "$scratch" && mkdir -p "$scratch/home" "$scratch/work"
"$build/tests/support/mock_model/diary-mock-model" --quiet --port-file "$scratch/port" &
mock=$!
trap 'kill $mock 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$scratch/port" ] && break; sleep 0.05; done
port=$(cat "$scratch/port")
overrides=()
while IFS= read -r value; do overrides+=(-c "$value"); done \
  < <("$build/tests/support/mock_model/diary-mock-model" --print-codex-overrides "$port")
prompt=$'RUN: echo bench > bench.txt\nANSWER: done'
# /usr/bin/time's %M would report the largest process of the tree (codex, ~150 MiB), so sample
# diary's own high-water mark (VmHWM only grows) from /proc until it exits.
for run in 1 2 3; do
  start=$(date +%s.%N)
  CODEX_HOME="$PWD/$scratch/home" "$build/src/cmds/diary" exec --cwd "$scratch/work" "${overrides[@]}" "$prompt" >/dev/null &
  pid=$!
  hwm=0
  while kill -0 "$pid" 2>/dev/null; do
    v=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$v" ] && hwm=$v
    sleep 0.005
  done
  wait "$pid"
  printf 'exec run %d: %.2f s wall, diary peak RSS %s KiB\n' "$run" "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')" "$hwm"
done
