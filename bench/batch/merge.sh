#!/usr/bin/env bash
# bench/batch/merge.sh: `diary batch merge` of JOBS job results spread over SHARDS shard run
# directories (result.json files shaped exactly as `diary batch run` writes them: one turn per
# job, usage, artifacts), timed REPEAT times; prints the median wall time and diary's peak RSS.
# usage: bench/batch/merge.sh [BUILD_DIR]      env: JOBS=100000 SHARDS=16 REPEAT=5
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$repo/build}" && pwd)"
jobs=${JOBS:-100000}
shards=${SHARDS:-16}
repeat=${REPEAT:-5}
cmake --build "$build" --target diary >/dev/null
diary="$build/src/cmds/diary"
scratch="$build/bench-merge"
rm -rf "$scratch" && mkdir -p "$scratch/runs"

python3 - "$scratch/runs" "$jobs" "$shards" <<'PY'
import json, os, sys
runs, jobs, shards = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def fnv(name):
    h = 14695981039346656037
    for b in name.encode():
        h = ((h ^ b) * 1099511628211) % 2**64
    return h % shards + 1
per = {k: [] for k in range(1, shards + 1)}
for i in range(jobs):
    name = f"job-{i:06d}"
    usage = {"input_tokens": 1200, "cached_input_tokens": 0, "output_tokens": 80, "reasoning_output_tokens": 0, "total_tokens": 1280}
    per[fnv(name)].append({"name": name, "status": "complete", "attempts": 1,
        "turns": [{"turn": 1, "status": "completed", "usage": usage, "duration_ms": 2100, "model": "gpt-5"}],
        "artifacts": [{"path": f"out/{name}.md", "ok": True, "problems": []}],
        "final_message": f"wrote out/{name}.md", "structured_output": None, "usage": usage,
        "run_id": "20261201T100000.000Z-abcdef", "ledger": f"/work/{name}/.diary/runs/20261201T100000.000Z-abcdef/events.jsonl",
        "duration_ms": 2100, "reason": "checks pass", "error": None, "output_problems": [], "turn_problems": [], "index": i})
for k, entries in per.items():
    run_id = f"20261201T100000.000Z-abcdef-shard-{k}-of-{shards}"
    os.makedirs(f"{runs}/{run_id}")
    with open(f"{runs}/{run_id}/result.json", "w") as f:
        json.dump({"status": "complete", "reason": "", "run_id": run_id, "ledger": "", "shard": {"index": k, "count": shards},
                   "batch": {"path": "batch.toml", "jobs": jobs, "only": []}, "jobs": entries,
                   "totals": {"tokens": 1280 * len(entries), "duration_ms": 60000}}, f, indent=2)
PY
echo "input: $(du -sh "$scratch/runs" | cut -f1) in $shards result.json files, $jobs jobs"
times=()
cpu=()
for _ in $(seq "$repeat"); do
  /usr/bin/time -f "%e %M %U %S" -o "$scratch/time" "$diary" batch merge "$scratch/runs" --json >"$scratch/out.json"
  times+=("$(cut -d' ' -f1 "$scratch/time")")
  rss=$(cut -d' ' -f2 "$scratch/time")
  cpu+=("$(awk '{printf "%.2f", $3 + $4}' "$scratch/time")")
done
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['status']=='complete' and len(d['jobs'])==int(sys.argv[2]), d['reason']" "$scratch/out.json" "$jobs"
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (repeat + 1) / 2 ))p")
echo "diary batch merge --json: median ${median}s wall of $repeat (wall: ${times[*]}; CPU user+sys: ${cpu[*]}), peak RSS $((rss / 1024)) MiB"
/usr/bin/time -f "%e" -o "$scratch/time" "$diary" batch merge "$scratch/runs" >/dev/null
echo "diary batch merge (table): $(cat "$scratch/time")s"
