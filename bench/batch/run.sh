#!/usr/bin/env bash
# bench/batch: N concurrent conversations x 3 turns, each turn one shell tool call plus a final
# message, against the real codex (0.169.0) and the loopback mock model, run side by side by:
#   diary  `diary batch run` (one shared app-server; resume loop, checks, ledgers)
#   raw    raw_client.mjs: a minimal JSON-RPC client on one shared app-server (the floor)
#   sdk    sdk/sdk_client.mjs: the official @openai/codex-sdk (one `codex exec` per turn)
# Reports wall time per run and diary's own peak RSS (VmHWM of the diary process, sampled from
# /proc: /usr/bin/time %M would report the largest process of the tree, i.e. codex).
#
# usage: bench/batch/run.sh [BUILD_DIR]        (default: build; needs scripts/setup.sh first)
# env:   REPEAT=3          runs per client at N=32 (the median is reported)
#        SIZES="8 32 128"  conversation counts for diary and raw
#        SDK_SIZES="8 32"  conversation counts for the SDK (one codex exec per turn: slow)
#        CLIENTS="diary raw sdk"  which clients to run
# Installs @openai/codex-sdk into bench/batch/sdk/node_modules (git-ignored) on first use.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$repo/build}" && pwd)"
repeat=${REPEAT:-3}
sizes=${SIZES:-"8 32 128"}
sdk_sizes=${SDK_SIZES:-"8 32"}
clients=${CLIENTS:-"diary raw sdk"}
turns=3
source "$here/common.sh"
if [[ ! -d "$here/sdk/node_modules/@openai/codex-sdk" ]]; then
  # --omit=optional: the SDK drives our pinned codex (codexPathOverride), not its own binary.
  (cd "$here/sdk" && npm install --omit=optional --no-audit --no-fund >/dev/null)
fi

results="$scratch/results.tsv"
: >"$results"
run_one() {  # CLIENT N REP
  local client=$1 n=$2 rep=$3
  local dir="$scratch/$client-$n-$rep"
  warm_home "$dir"
  [[ $client == diary ]] && write_batch "$dir" "$n"
  local start end hwm=0 ticks=0 status=0
  start=$(date +%s.%N)
  case $client in
    diary)
      CODEX_HOME="$dir/home" "$diary" batch run "$dir/batch.toml" --json -q --codex-bin "$codex_bin" "${c_flags[@]}" \
        >"$dir/out.json" 2>"$dir/err.txt" &
      local pid=$!
      read -r hwm ticks < <(watch_process "$pid")
      wait "$pid" || status=$?
      ;;
    raw)
      CODEX_HOME="$dir/home" node "$here/raw_client.mjs" --codex "$codex_bin" --root "$dir" --conversations "$n" \
        --turns "$turns" --prompt "$prompt" "${c_flags[@]}" >"$dir/out.txt" 2>"$dir/err.txt" || status=$?
      ;;
    sdk)
      CODEX_HOME="$dir/home" node "$here/sdk/sdk_client.mjs" --codex "$codex_bin" --root "$dir" --conversations "$n" \
        --turns "$turns" --prompt "$prompt" "${c_flags[@]}" >"$dir/out.txt" 2>"$dir/err.txt" || status=$?
      ;;
  esac
  end=$(date +%s.%N)
  local files
  files=$(find "$dir" -path '*/conv-*' -name 'step*.txt' | wc -l)
  local note=""
  if [[ $client == sdk && $status -eq 0 && $files -lt $((n * turns)) ]]; then
    # Many `codex exec` processes on one CODEX_HOME race on codex's sandbox helper directory
    # (CODEX_HOME/tmp/arg0-linux): now and then a shell call fails with "bwrap: execvp
    # codex-linux-sandbox". The turns still ran (and are timed); the miss is reported.
    note=" ($((n * turns - files)) shell call(s) failed: $( (grep -rhoa 'bwrap: execvp codex-linux-sandbox' "$dir/home/sessions" || true) | head -1))"
  elif [[ $status -ne 0 || $files -ne $((n * turns)) ]]; then
    echo "FAILED: $client n=$n run $rep (exit $status, $files of $((n * turns)) step files); see $dir/err.txt" >&2
    tail -5 "$dir/err.txt" >&2 || true
    exit 1
  fi
  settle "$dir/home"
  local wall cpu
  wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
  cpu=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }')
  printf '%s\t%d\t%d\t%s\t%s\t%s\n' "$client" "$n" "$rep" "$wall" "$hwm" "$cpu" >>"$results"
  printf '%-5s n=%-3d run %d: %6.2f s%s%s\n' "$client" "$n" "$rep" "$wall" \
    "$([[ $client == diary ]] && echo ", diary alone: peak RSS $hwm KiB, CPU $cpu s")" "$note"
}

echo "== codex $("$codex_bin" --version), mock model on 127.0.0.1:$port, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== N=32, $repeat runs each, interleaved, the order rotating per round ($clients)"
read -r -a order <<<"$clients"
for ((rep = 1; rep <= repeat; rep++)); do
  for ((i = 0; i < ${#order[@]}; i++)); do run_one "${order[(i + rep - 1) % ${#order[@]}]}" 32 "$rep"; done
done
echo "== scaling"
for n in $sizes; do
  [[ $n == 32 ]] && continue
  for client in $clients; do [[ $client == sdk ]] || run_one "$client" "$n" 1; done
done
if [[ " $clients " == *" sdk "* ]]; then
  for n in $sdk_sizes; do [[ $n == 32 ]] || run_one sdk "$n" 1; done
fi

python3 - "$results" "$turns" <<'EOF'
import statistics, sys
turns = int(sys.argv[2])
walls, rss, cpu = {}, {}, {}
for line in open(sys.argv[1]):
    client, n, rep, wall, hwm, seconds = line.split("\t")
    key = (client, int(n))
    walls.setdefault(key, []).append(float(wall))
    rss.setdefault(key, []).append(int(hwm))
    cpu.setdefault(key, []).append(float(seconds))

def med(client, n):
    return statistics.median(walls[(client, n)]) if (client, n) in walls else None

def text(value, spec=".2f"):
    return "-" if value is None else format(value, spec)

def ratio(a, b):
    return "-" if not (a and b) else f"{a / b:.2f}x"

print("\n== summary (median wall time; diary RSS/CPU = the diary process alone)")
print(f"{'N':>4} {'turns':>6} {'diary s':>8} {'raw s':>7} {'sdk s':>7} {'diary/raw':>10} {'sdk/diary':>10} "
      f"{'diary RSS KiB':>14} {'KiB/conv':>9} {'diary CPU s':>12}")
for n in sorted({n for _, n in walls}):
    d, r, s = med("diary", n), med("raw", n), med("sdk", n)
    peak = max(rss[("diary", n)]) if ("diary", n) in rss else None
    diary_cpu = statistics.median(cpu[("diary", n)]) if ("diary", n) in cpu else None
    print(f"{n:>4} {n * turns:>6} {text(d):>8} {text(r):>7} {text(s):>7} {ratio(d, r):>10} {ratio(s, d):>10} "
          f"{text(peak, 'd'):>14} {text(peak / n if peak else None, '.0f'):>9} {text(diary_cpu):>12}")

d, r, s = med("diary", 32), med("raw", 32), med("sdk", 32)
if d and r:
    print(f"\ntarget at N=32: diary <= 1.05x raw: {d / r:.3f}x {'OK' if d <= 1.05 * r else 'MISSED'}")
if d and s:
    print(f"target at N=32: diary >= 2x faster than sdk: {s / d:.2f}x {'OK' if s >= 2 * d else 'MISSED'}")
if ("diary", 32) in rss:
    peak = max(rss[("diary", 32)])
    print(f"target at N=32: diary peak RSS < 30 MiB: {peak / 1024:.1f} MiB {'OK' if peak < 30 * 1024 else 'MISSED'}")
EOF
