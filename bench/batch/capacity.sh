#!/usr/bin/env bash
# bench/batch/capacity.sh: how far one machine goes. N conversations x 3 turns (each turn one
# shell tool call and a final message; the step prompt of run.sh) run by `diary batch run`
# against the real codex 0.169.0 and the loopback mock model, for each N in SIZES and each
# shard count in SHARDS: SHARDS=1 is one diary and one shared app-server for all N
# conversations, SHARDS=4 is four `diary batch run --shard k/4` side by side (four
# app-servers). Reports per run: wall time, diary's own CPU and peak RSS (from /proc, summed or
# maxed over the shards), the CPU of everything diary waited for (codex and the commands it
# ran: /usr/bin/time's children) and diary's CPU as a share of codex's.
# usage: bench/batch/capacity.sh [BUILD_DIR]     env: SIZES="8 32 128 256" SHARDS="1 4"
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$repo/build}" && pwd)"
sizes=${SIZES:-"8 32 128 256"}
shard_counts=${SHARDS:-"1 4"}
turns=3
scratch_name=bench-capacity
source "$here/common.sh"
results="$scratch/capacity.tsv"
: >"$results"

run_sharded() {  # N SHARDS
  local n=$1 shards=$2 dir="$scratch/n$1-s$2" k
  warm_home "$dir"
  write_batch "$dir" "$n"
  local -a pids=()
  local start end
  start=$(date +%s.%N)
  for ((k = 1; k <= shards; k++)); do
    CODEX_HOME="$dir/home" /usr/bin/time -f "%U %S" -o "$dir/time-$k" \
      "$diary" batch run "$dir/batch.toml" --shard "$k/$shards" --json -q --codex-bin "$codex_bin" "${c_flags[@]}" \
      >"$dir/out-$k.json" 2>"$dir/err-$k.txt" &
    pids+=($!)
  done
  # /usr/bin/time's child is diary: watch it, not time.
  local -a watchers=()
  for ((k = 1; k <= shards; k++)); do
    local child=""
    for _ in $(seq 100); do child=$(pgrep -P "${pids[k - 1]}" | head -1 || true); [[ -n $child ]] && break; sleep 0.01; done
    watch_process "$child" >"$dir/watch-$k" &
    watchers+=($!)
  done
  local status=0
  for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
  end=$(date +%s.%N)
  for pid in "${watchers[@]}"; do wait "$pid" || true; done
  local files
  files=$(find "$dir" -path '*/conv-*' -name 'step*.txt' | wc -l)
  if [[ $status -ne 0 || $files -ne $((n * turns)) ]]; then
    echo "FAILED: n=$n shards=$shards (exit $status, $files of $((n * turns)) step files); see $dir/err-*.txt" >&2
    tail -5 "$dir"/err-*.txt >&2 || true
    exit 1
  fi
  settle "$dir/home"
  python3 - "$dir" "$n" "$shards" "$start" "$end" "$(getconf CLK_TCK)" >>"$results" <<'PY'
import sys
d, n, shards, start, end, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
tree = diary = 0.0
rss = 0
for k in range(1, shards + 1):
    user, system = open(f"{d}/time-{k}").read().split()[-2:]
    tree += float(user) + float(system)  # diary + everything it waited for
    hwm, ticks = open(f"{d}/watch-{k}").read().split()
    diary += int(ticks) / hz
    rss = max(rss, int(hwm))
codex = tree - diary
print(f"{n}\t{shards}\t{end - start:.2f}\t{diary:.2f}\t{codex:.2f}\t{rss}")
PY
  tail -1 "$results" | awk -F'\t' '{ printf "n=%-4d shards=%d: %7.2f s wall, diary CPU %.2f s, codex CPU %.2f s, diary peak RSS %d KiB\n", $1, $2, $3, $4, $5, $6 }'
}

echo "== codex $("$codex_bin" --version), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $sizes; do
  for shards in $shard_counts; do run_sharded "$n" "$shards"; done
done

python3 - "$results" "$turns" <<'PY'
import sys
turns = int(sys.argv[2])
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
print("\n== summary")
print(f"{'N':>4} {'shards':>6} {'turns':>6} {'wall s':>7} {'turns/s':>8} {'codex CPU s':>12} {'diary CPU s':>12} {'diary/codex':>12} {'diary RSS KiB':>14}")
by = {}
for n, shards, wall, diary, codex, rss in rows:
    n, shards, wall, diary, codex, rss = int(n), int(shards), float(wall), float(diary), float(codex), int(rss)
    by[(n, shards)] = (wall, diary, codex, rss)
    share = f"{100 * diary / codex:.2f}%" if codex > 0 else "-"
    print(f"{n:>4} {shards:>6} {n * turns:>6} {wall:>7.2f} {n * turns / wall:>8.1f} {codex:>12.2f} {diary:>12.2f} {share:>12} {rss:>14}")
ones = sorted(n for n, s in by if s == 1)
if len(ones) >= 2:
    lo, hi = ones[0], ones[-1]
    slope = (by[(hi, 1)][3] - by[(lo, 1)][3]) / (hi - lo)
    print(f"\ndiary RSS per added conversation (one diary, N={lo}..{hi}): {slope:.1f} KiB (target < 64 KiB)")
if (128, 1) in by and by[(128, 1)][2] > 0:
    wall, diary, codex, _ = by[(128, 1)]
    print(f"diary CPU / codex CPU at N=128: {100 * diary / codex:.2f}% (target <= 1%)")
for n in sorted({n for n, _ in by}):
    if (n, 1) in by and (n, 4) in by:
        print(f"N={n}: 4 shards / 1 app-server wall = {by[(n, 4)][0] / by[(n, 1)][0]:.2f}x")
PY
