#!/usr/bin/env bash
# bench/batch/idle.sh: diary's memory per idle conversation. An idle conversation is one whose
# thread is started and whose turn is running but waiting: here, on the mock model, which
# holds every model request for HOLD_MS before answering (the prompt's SLEEP_MS directive).
#
# For each N in SIZES: one `diary batch run` of N jobs (no artifacts: one turn each,
# concurrency N) on one app-server; once the mock has received all N turns' model requests and
# diary's RSS has not changed for 2 s, diary's VmRSS and RssAnon (and the app-server's VmRSS) are
# read from /proc; then diary gets SIGINT (the turns are interrupted, exit 130) and the next N
# runs. The figure is the slope against the smallest N:
#   KiB per idle conversation = (RSS(N) - RSS(N_min)) / (N - N_min)
# so diary's fixed cost (binary, libraries, the first backend, buffers) is not counted.
#
# usage: bench/batch/idle.sh [BUILD_DIR]      env: SIZES="1 64 256 512" HOLD_MS=300000
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$repo/build}" && pwd)"
sizes=${SIZES:-"1 64 256 512"}
hold_ms=${HOLD_MS:-300000}
turns=1
scratch_name=bench-idle
mock_log_name=mock.log
source "$here/common.sh"
results="$scratch/idle.tsv"
: >"$results"
marker="IDLE-HOLD"

status_field() {  # PID FIELD -> KiB (0 if gone)
  local key value rest
  { while read -r key value rest; do [[ $key == "$2:" ]] && { echo "$value"; return; }; done <"/proc/$1/status"; } 2>/dev/null || true
  echo 0
}

write_idle_batch() {  # DIR N
  local dir=$1 n=$2 i
  {
    echo "concurrency = $n"
    echo "[defaults]"
    printf "prompt = '''\n%s\nSLEEP_MS: %d\nANSWER: held\n'''\n" "$marker" "$hold_ms"
    echo 'turn_timeout = "600s"'
    for ((i = 0; i < n; i++)); do
      mkdir -p "$dir/conv-$i"
      printf '[[job]]\nname = "conv-%d"\nworkdir = "conv-%d"\n' "$i" "$i"
    done
  } >"$dir/batch.toml"
}

held_requests() { grep -c "$marker" "$scratch/$mock_log_name" || true; }

# SIGINT (diary interrupts every turn and exits 130), then SIGKILL if it is not gone in 60 s.
stop_diary() {  # PID N
  local pid=$1 waited
  kill -INT "$pid" 2>/dev/null || true
  for ((waited = 0; waited < 600; waited++)); do kill -0 "$pid" 2>/dev/null || break; nap 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "diary did not stop within 60 s of SIGINT (N=$2): killing it" >&2
    kill -KILL "$pid"
  fi
  wait "$pid" 2>/dev/null || true
}

run_idle() {  # N
  local n=$1 dir="$scratch/n$1"
  warm_home "$dir"
  write_idle_batch "$dir" "$n"
  settle "$dir/home"
  local before load_before
  before=$(held_requests)
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  CODEX_HOME="$dir/home" "$diary" batch run "$dir/batch.toml" --json -q --codex-bin "$codex_bin" "${c_flags[@]}" \
    >"$dir/out.json" 2>"$dir/err.txt" &
  local pid=$! start
  start=$(date +%s)
  # Every turn reached the model (deadline: 2/3 of the hold, so no answer has come back yet).
  until (($(held_requests) - before >= n)); do
    kill -0 "$pid" 2>/dev/null || { echo "FAILED: diary exited early (N=$n); see $dir/err.txt" >&2; tail -5 "$dir/err.txt" >&2; exit 1; }
    if (($(date +%s) - start > hold_ms / 1500)); then
      echo "FAILED: only $(($(held_requests) - before)) of $n turns reached the mock in time (N=$n)" >&2
      stop_diary "$pid" "$n"
      exit 1
    fi
    nap 0.1
  done
  local ready=$(($(date +%s) - start))
  # Then until diary's RSS is steady for 2 s (the last thread/start answers, buffers settle).
  local rss last=-1 steady=0 samples=0
  while ((steady < 20 && samples++ < 300)); do  # at most 30 s
    rss=$(status_field "$pid" VmRSS)
    if ((rss == last)); then steady=$((steady + 1)); else steady=0; last=$rss; fi
    nap 0.1
  done
  local anon hwm server server_rss=0
  anon=$(status_field "$pid" RssAnon)
  hwm=$(status_field "$pid" VmHWM)
  server=$(pgrep -P "$pid" -x codex | head -1 || true)
  [[ -n $server ]] && server_rss=$(status_field "$server" VmRSS)
  local load_after
  load_after=$(cut -d' ' -f1 /proc/loadavg)
  stop_diary "$pid" "$n"
  printf '%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\n' "$n" "$rss" "$anon" "$hwm" "$server_rss" "$ready" "$load_before" "$load_after" >>"$results"
  printf 'N=%-4d all turns waiting after %3d s: diary VmRSS %6d KiB, RssAnon %6d KiB, VmHWM %6d KiB; app-server VmRSS %7d KiB; load %s -> %s\n' \
    "$n" "$ready" "$rss" "$anon" "$hwm" "$server_rss" "$load_before" "$load_after"
  settle "$dir/home"
}

echo "== codex $("$codex_bin" --version), $(nproc) cores, hold ${hold_ms} ms, $(uptime)"
for n in $sizes; do run_idle "$n"; done
echo "== done, $(uptime)"

python3 - "$results" <<'PY'
import sys
rows = [list(map(float, line.split("\t")[:6])) for line in open(sys.argv[1])]
base = min(rows, key=lambda r: r[0])
print(f"\n== per idle conversation, against N={base[0]:.0f} (target < 64 KiB)")
print(f"{'N':>5} {'VmRSS KiB':>10} {'RssAnon KiB':>12} {'KiB/conv (RSS)':>15} {'KiB/conv (anon)':>16} {'app-server KiB/conv':>20}")
for n, rss, anon, hwm, server, ready in rows:
    if n == base[0]:
        print(f"{n:>5.0f} {rss:>10.0f} {anon:>12.0f} {'-':>15} {'-':>16} {'-':>20}")
        continue
    d = n - base[0]
    print(f"{n:>5.0f} {rss:>10.0f} {anon:>12.0f} {(rss - base[1]) / d:>15.1f} {(anon - base[2]) / d:>16.1f} "
          f"{(server - base[4]) / d:>20.1f}")
PY
