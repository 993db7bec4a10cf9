#!/usr/bin/env bash
# diary generate over a synthetic day, with the demo agent through the real codex app-server:
# wall time, diary's own peak RSS and CPU, the CPU of the codex processes and of the
# `diary mcp serve` processes codex starts. The day comes from bench/prepare/generate_sessions.py
# (Codex and Claude Code sessions; its bench day is 2026-05-12).
# usage: bench/generate/run.sh [BUILD_DIR] [FILES] [BYTES]   (defaults: build 50 4000000)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$repo/build}" && pwd)"
files="${2:-50}"
bytes="${3:-4000000}"
diary="$build/src/cmds/diary"
mock="$build/tests/support/mock_model/diary-mock-model"
codex_bin="$repo/.tools/codex/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex"
scratch="$build/bench-generate"   # never /tmp: codex refuses its sandbox helpers there
rm -rf "$scratch"
mkdir -p "$scratch/home" "$scratch/codex-home" "$scratch/reports"

python3 "$repo/bench/prepare/generate_sessions.py" "$scratch/sessions" --files "$files" --bytes "$bytes" --seed 7 >/dev/null
"$mock" --demo-agent --quiet --port-file "$scratch/port" 2>"$scratch/model.log" &
mock_pid=$!
trap 'kill "$mock_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$scratch/port" ] && break; sleep 0.05; done
overrides=()
while IFS= read -r value; do overrides+=(-c "$value"); done < <("$mock" --demo-agent --print-codex-overrides "$(cat "$scratch/port")")

envs=(env -u OPENAI_API_KEY HOME="$scratch/home" CODEX_HOME="$scratch/codex-home"
      DIARY_CODEX_SESSIONS="$scratch/sessions/codex" DIARY_CLAUDE_PROJECTS="$scratch/sessions/claude")
# Prepare first (untimed): the bench measures generate, not prepare.
"${envs[@]}" "$diary" prepare --date 2026-05-12 --timezone UTC --reports-root "$scratch/reports"

# CPU ticks of every process whose environment names our CODEX_HOME, by command name.
cpu_by_kind() {
  local codex=0 mcp=0 pid stat
  for pid in $(grep -lsz "CODEX_HOME=$scratch/codex-home" /proc/[0-9]*/environ | cut -d/ -f3); do
    { read -r -a stat <"/proc/$pid/stat"; } 2>/dev/null || continue
    case "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" in
      *"mcp serve"*) mcp=$((mcp + stat[13] + stat[14])) ;;
      *codex*) codex=$((codex + stat[13] + stat[14])) ;;
    esac
  done
  echo "$codex $mcp"
}

start=$(date +%s.%N)
"${envs[@]}" "$diary" generate --date 2026-05-12 --timezone UTC --reports-root "$scratch/reports" -q --json \
  --codex-bin "$codex_bin" "${overrides[@]}" >"$scratch/result.json" 2>"$scratch/err.txt" &
pid=$!
hwm=0; ticks=0; codex_max=0; mcp_sum=0
declare -A seen_mcp
while kill -0 "$pid" 2>/dev/null; do
  { while read -r key value rest; do [[ $key == VmHWM: ]] && hwm=$value; done <"/proc/$pid/status"; } 2>/dev/null || true
  if { read -r -a stat <"/proc/$pid/stat"; } 2>/dev/null; then ticks=$((stat[13] + stat[14])); fi
  # codex's app-server lives for the whole run: its last reading is its total. `diary mcp serve`
  # processes come and go (one per conversation): keep each one's last reading.
  for p in $(grep -lsz "CODEX_HOME=$scratch/codex-home" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3); do
    { read -r -a st <"/proc/$p/stat"; } 2>/dev/null || continue
    cmd="$( { tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null || true)"
    case "$cmd" in
      *"mcp serve"*) seen_mcp[$p]=$((st[13] + st[14])) ;;
      *codex*) (( st[13] + st[14] > codex_max )) && codex_max=$((st[13] + st[14])) ;;
    esac
  done
  sleep 0.05
done
status=0; wait "$pid" || status=$?
end=$(date +%s.%N)
mcp_count=0
for v in ${seen_mcp[@]+"${seen_mcp[@]}"}; do mcp_sum=$((mcp_sum + v)); mcp_count=$((mcp_count + 1)); done
hz=$(getconf CLK_TCK)
turns=$(python3 -c "import json,sys; r=json.load(open('$scratch/result.json')); print(sum(t['turns'] for t in r['tasks'].values()))")
tasks=$(python3 -c "import json; r=json.load(open('$scratch/result.json')); print(len(r['tasks']))")
printf 'exit %d; %s tasks, %s agent turns; wall %.1f s\n' "$status" "$tasks" "$turns" "$(echo "$end - $start" | bc)"
printf 'diary: peak RSS %.1f MiB, CPU %.2f s\n' "$(echo "$hwm / 1024" | bc -l)" "$(echo "$ticks / $hz" | bc -l)"
printf 'codex app-server CPU %.2f s; diary mcp serve processes (%d) CPU %.2f s\n' \
  "$(echo "$codex_max / $hz" | bc -l)" "$mcp_count" "$(echo "$mcp_sum / $hz" | bc -l)"
printf 'diary / codex CPU: %.1f %%\n' "$(echo "100 * $ticks / ($codex_max + 0.0001)" | bc -l)"
