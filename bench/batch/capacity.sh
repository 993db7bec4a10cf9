#!/usr/bin/env bash
# bench/batch/capacity.sh: how far one machine goes. N conversations x 3 turns (each turn one
# shell tool call and a final message; the step prompt of run.sh) run by `diary batch run`
# against the real codex 0.169.0 and the loopback mock model, for each N in SIZES and each
# shard count in SHARDS: SHARDS=1 is one diary and one shared app-server for all N
# conversations, SHARDS=4 is four `diary batch run --shard k/4` side by side (four diaries, four
# app-servers, one CODEX_HOME as on a real machine). The variants of one N run back to back
# (their order alternating per repetition), so they see the same machine load.
#
# Per run: wall time; the CPU of the whole tree (/usr/bin/time of each diary: diary + codex +
# the commands codex ran); diary's own CPU and peak RSS (sampled from /proc, summed or maxed
# over the shards); the app-server's own CPU and peak RSS; the mock
# model's CPU; the load average before and after. "codex CPU" = tree - diary (the app-server
# and everything it ran: bwrap, the shell commands).
#
# usage: bench/batch/capacity.sh [BUILD_DIR]
# env:   SIZES="8 32 128 256"  SHARDS="1 4"  REPEAT=1
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$repo/build}" && pwd)"
sizes=${SIZES:-"8 32 128 256"}
shard_counts=${SHARDS:-"1 4"}
repeat=${REPEAT:-1}
turns=3
scratch_name=bench-capacity
source "$here/common.sh"
results="$scratch/capacity.tsv"
: >"$results"
hz=$(getconf CLK_TCK)

# The app-server diary starts (lazily, with its first job): watched from when it appears.
watch_app_server() {  # DIARY_PID -> prints "KiB ticks" (zeros if none started)
  local diary_pid=$1 child=""
  while kill -0 "$diary_pid" 2>/dev/null; do
    child=$(pgrep -P "$diary_pid" -x codex | head -1 || true)
    [[ -n $child ]] && break
    nap 0.05
  done
  watch_process "$child"
}

run_sharded() {  # N SHARDS REP
  local n=$1 shards=$2 rep=$3 dir="$scratch/n$1-s$2-r$3" k
  warm_home "$dir"
  write_batch "$dir" "$n"
  settle "$dir/home"  # the warm-up's codex has exited
  local -a pids=() watchers=()
  local start end load_before load_after mock_before mock_after
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  mock_before=$(cpu_ticks "$mock")
  start=$(date +%s.%N)
  for ((k = 1; k <= shards; k++)); do
    CODEX_HOME="$dir/home" /usr/bin/time -f "%e %U %S" -o "$dir/time-$k" \
      "$diary" batch run "$dir/batch.toml" --shard "$k/$shards" --json -q --codex-bin "$codex_bin" "${c_flags[@]}" \
      >"$dir/out-$k.json" 2>"$dir/err-$k.txt" &
    pids+=($!)
  done
  # /usr/bin/time's child is diary: watch it (and its app-server), not time.
  for ((k = 1; k <= shards; k++)); do
    local child=""
    for _ in $(seq 200); do
      child=$(pgrep -P "${pids[k - 1]}" | head -1 || true)
      [[ -n $child ]] && break
      nap 0.01
    done
    [[ -n $child ]] || { echo "FAILED: diary of shard $k/$shards did not start" >&2; exit 1; }
    watch_process "$child" >"$dir/watch-$k" &
    watchers+=($!)
    watch_app_server "$child" >"$dir/codex-$k" &
    watchers+=($!)
  done
  local status=0
  for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
  end=$(date +%s.%N)
  mock_after=$(cpu_ticks "$mock")
  load_after=$(cut -d' ' -f1 /proc/loadavg)
  for pid in "${watchers[@]}"; do wait "$pid" || true; done
  local files
  files=$(find "$dir" -path '*/conv-*' -name 'step*.txt' | wc -l)
  if [[ $status -ne 0 || $files -ne $((n * turns)) ]]; then
    echo "FAILED: n=$n shards=$shards (exit $status, $files of $((n * turns)) step files); see $dir/err-*.txt" >&2
    tail -5 "$dir"/err-*.txt >&2 || true
    exit 1
  fi
  python3 - "$dir" "$n" "$shards" "$rep" "$start" "$end" "$hz" "$((mock_after - mock_before))" \
    "$load_before" "$load_after" >>"$results" <<'PY'
import sys
d, n, shards, rep = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
start, end, hz, mock_ticks = float(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
load_before, load_after = sys.argv[9], sys.argv[10]
tree = diary = server = 0.0
rss = server_rss = 0
for k in range(1, shards + 1):
    _, user, system = open(f"{d}/time-{k}").read().split()[-3:]
    tree += float(user) + float(system)  # diary + everything it waited for
    hwm, ticks = map(int, open(f"{d}/watch-{k}").read().split())
    diary += ticks / hz
    rss = max(rss, hwm)
    s_hwm, s_ticks = map(int, open(f"{d}/codex-{k}").read().split())
    server += s_ticks / hz
    server_rss += s_hwm
codex = tree - diary
print(f"{n}\t{shards}\t{rep}\t{end - start:.2f}\t{diary:.2f}\t{codex:.2f}\t{server:.2f}\t{mock_ticks / hz:.2f}"
      f"\t{rss}\t{server_rss}\t{load_before}\t{load_after}")
PY
  tail -1 "$results" | awk -F'\t' '{ printf "n=%-4d shards=%d run %d: %7.2f s wall, diary CPU %.2f s, codex CPU %.2f s (app-server itself %.2f s), mock CPU %.2f s, diary peak RSS %d KiB, app-server(s) peak RSS %d KiB, load %s -> %s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 }'
  settle "$dir/home"
}

echo "== codex $("$codex_bin" --version), $(nproc) cores, $(uptime)"
read -r -a variants <<<"$shard_counts"
for ((rep = 1; rep <= repeat; rep++)); do
  for n in $sizes; do
    for ((i = 0; i < ${#variants[@]}; i++)); do run_sharded "$n" "${variants[(i + rep - 1) % ${#variants[@]}]}" "$rep"; done
  done
done
echo "== done, $(uptime)"

python3 - "$results" "$turns" <<'PY'
import statistics, sys
turns = int(sys.argv[2])
rows = {}
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    key = (int(f[0]), int(f[1]))
    rows.setdefault(key, []).append([float(x) for x in f[3:10]] + f[10:12])
def med(key, i):
    return statistics.median(r[i] for r in rows[key])
print("\n== summary (medians over repetitions; CPU in seconds, RSS in KiB)")
print(f"{'N':>4} {'shards':>6} {'turns':>6} {'wall s':>7} {'turns/s':>8} {'codex CPU':>10} {'CPU/turn':>9} "
      f"{'app-server':>10} {'mock CPU':>9} {'diary CPU':>10} {'diary/codex':>12} {'diary RSS':>10} {'server RSS':>11} "
      f"{'load':>12}")
for key in sorted(rows):
    n, shards = key
    wall, diary, codex, server, mock, rss, server_rss = (med(key, i) for i in range(7))
    loads = f"{rows[key][0][7]}-{rows[key][-1][8]}"
    share = f"{100 * diary / codex:.2f}%" if codex > 0 else "-"
    print(f"{n:>4} {shards:>6} {n * turns:>6} {wall:>7.2f} {n * turns / wall:>8.2f} {codex:>10.2f} "
          f"{codex / (n * turns):>9.3f} {server:>10.2f} {mock:>9.2f} {diary:>10.2f} {share:>12} {rss:>10.0f} "
          f"{server_rss:>11.0f} {loads:>12}")
ones = sorted(n for n, s in rows if s == 1)
if len(ones) >= 2:
    lo, hi = ones[0], ones[-1]
    slope = (med((hi, 1), 5) - med((lo, 1), 5)) / (hi - lo)
    print(f"\ndiary peak RSS per added (busy) conversation, one diary, N={lo}..{hi}: {slope:.1f} KiB"
          " (the idle-conversation target is measured by bench/batch/idle.sh)")
if (128, 1) in rows and med((128, 1), 2) > 0:
    print(f"diary CPU / codex CPU at N=128, one app-server: {100 * med((128, 1), 1) / med((128, 1), 2):.2f}% (target <= 1%)")
for n in sorted({n for n, _ in rows}):
    if (n, 1) in rows and (n, 4) in rows:
        print(f"N={n}: 4 shards / 1 app-server: wall {med((n, 4), 0) / med((n, 1), 0):.2f}x, "
              f"codex CPU {med((n, 4), 2) / med((n, 1), 2):.2f}x")
PY
