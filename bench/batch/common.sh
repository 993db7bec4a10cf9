# Shared by bench/batch/run.sh and capacity.sh (sourced; expects here, repo, build, turns): the
# pinned codex, diary and the mock model built, a scratch dir under the build tree with the mock
# model running, the mock-provider -c flags, the step prompt, write_batch, nap,
# watch_process, cpu_ticks, warm_home and settle.
codex_bin="$repo/.tools/codex/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex"
[[ -x "$codex_bin" ]] || { echo "codex not installed: run scripts/setup.sh" >&2; exit 1; }

cmake --build "$build" --target diary diary-mock-model >/dev/null
diary="$build/src/cmds/diary"
mock_bin="$build/tests/support/mock_model/diary-mock-model"

# Scratch under the build tree, never /tmp (codex refuses its sandbox helpers there).
scratch="$build/${scratch_name:-bench-batch}"
rm -rf "$scratch" && mkdir -p "$scratch"
# mock_log_name=NAME (set by the sourcing script): the mock logs one line per model request to
# $scratch/NAME (else it runs --quiet).
if [[ -n ${mock_log_name:-} ]]; then
  "$mock_bin" --port-file "$scratch/port" 2>"$scratch/$mock_log_name" &
else
  "$mock_bin" --quiet --port-file "$scratch/port" &
fi
mock=$!
trap 'kill $mock 2>/dev/null || true' EXIT
for _ in $(seq 200); do [[ -s "$scratch/port" ]] && break; sleep 0.05; done
port=$(cat "$scratch/port")
overrides=(
  'model_provider="mock"'
  "model_providers.mock={name=\"mock\",base_url=\"http://127.0.0.1:$port/v1\",wire_api=\"responses\",requires_openai_auth=false,request_max_retries=0,stream_max_retries=0,supports_websockets=false}"
  'model="mock-model"' 'check_for_update_on_startup=false' 'analytics.enabled=false' 'feedback.enabled=false'
  'web_search="disabled"' 'features.plugins=false' 'features.apps=false' 'features.memories=false'
)
# codex runs the user's login shell once per thread to snapshot its environment (the
# `shell_snapshot` feature). That measures the machine's profile, not diary or codex: on the dev
# machine root's profile runs pyenv-rehash, whose lock serialises hundreds of concurrent thread
# starts (load ~100, first turns past their timeout at N=128). Off unless SHELL_SNAPSHOT=1.
[[ ${SHELL_SNAPSHOT:-0} == 1 ]] || overrides+=('features.shell_snapshot=false')
c_flags=()
for o in "${overrides[@]}"; do c_flags+=(-c "$o"); done

# The same prompt every turn: the mock model answers it with one shell call, then a final
# message. The command writes the next missing step file, so diary's checks (step1..3.txt)
# need exactly three turns; raw and sdk simply send it three times.
step_cmd='if [ ! -e step1.txt ]; then echo 1 > step1.txt; elif [ ! -e step2.txt ]; then echo 2 > step2.txt; else echo 3 > step3.txt; fi'
prompt=$'RUN: '"$step_cmd"$'\nANSWER: step done'

write_batch() {  # DIR N
  local dir=$1 n=$2 i s
  {
    echo "concurrency = $n"
    echo "[defaults]"
    printf "prompt = '''\n%s\n'''\n" "$prompt"
    printf "resume_prompt = '''\n%s\n'''\n" "$prompt"
    echo 'turn_timeout = "120s"'
    for ((i = 0; i < n; i++)); do
      mkdir -p "$dir/conv-$i"
      printf '[[job]]\nname = "conv-%d"\nworkdir = "conv-%d"\n' "$i" "$i"
      for s in 1 2 3; do printf '[[job.artifact]]\npath = "step%d.txt"\n' "$s"; done
    done
  } >"$dir/batch.toml"
}

# Sleeps without a process: `read -t` on a pipe nobody writes to (a `sleep` per sample would
# fork 50 processes a second per watcher and perturb the CPU figures on a loaded machine).
exec {nap_fd}<> <(:)
nap() { read -r -t "$1" -u "$nap_fd" _ || true; }

# Peak RSS (KiB) and CPU time (clock ticks, user+system of the process itself, not its
# children) of one process, sampled every 20 ms with shell builtins until it exits; VmHWM and
# CPU only grow, so the last sample is the total less at most 20 ms of the process's life.
# (No I/O counters: /proc/PID/io adds every reaped child's I/O to its parent's, so diary's
# rchar at the end is mostly codex's.)
watch_process() {  # PID -> prints "KiB ticks"
  local pid=$1 hwm=0 ticks=0 key value rest
  local -a stat
  [[ -n $pid ]] || { echo "0 0"; return; }
  while kill -0 "$pid" 2>/dev/null; do
    { while read -r key value rest; do [[ $key == VmHWM: ]] && hwm=$value; done <"/proc/$pid/status"; } 2>/dev/null || true
    if { read -r -a stat <"/proc/$pid/stat"; } 2>/dev/null; then ticks=$((stat[13] + stat[14])); fi
    nap 0.02
  done
  echo "$hwm $ticks"
}

# CPU ticks (user+system, itself only) of a live process, or 0.
cpu_ticks() {  # PID
  local -a stat
  if { read -r -a stat <"/proc/$1/stat"; } 2>/dev/null; then echo $((stat[13] + stat[14])); else echo 0; fi
}

# A fresh CODEX_HOME, set up by one untimed `codex exec` (as any real user's home already is):
# concurrent first uses of an empty home race to install codex's sandbox helper, and the
# losers' shell commands then fail ("bwrap: execvp codex-linux-sandbox").
warm_home() {  # DIR
  kill -0 "$mock" 2>/dev/null || { echo "the mock model is gone (killed?); stopping" >&2; exit 1; }
  mkdir -p "$1/home" "$1/warm"
  CODEX_HOME="$1/home" timeout 60 "$codex_bin" exec --skip-git-repo-check -C "$1/warm" "${c_flags[@]}" "ANSWER: warm" \
    >/dev/null 2>&1
}

# Between runs: wait until no process of the previous run is left (an SDK run ends while its
# last `codex exec` processes may still be writing their state), flush, and pause, so that no
# client pays for the one before it.
settle() {  # CODEX_HOME
  for _ in $(seq 300); do
    grep -qsxz "CODEX_HOME=$1" /proc/[0-9]*/environ || break
    sleep 0.1
  done
  sync
  sleep 1
}
