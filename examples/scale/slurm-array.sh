#!/usr/bin/env bash
# diary batch run as a Slurm job array: 4 tasks, one shard each, run directories on the shared
# file system; the merge runs as a dependent job once every task has ended.
#   sbatch examples/scale/slurm-array.sh
#   sbatch --dependency=afterany:<array job id> --wrap "diary batch merge $PWD/runs"
# The codex login: put the API key in ~/.config/diary/openai-key (chmod 600) on the shared home;
# each task logs in into its own CODEX_HOME. Submit from the directory holding batch.toml (e.g.
# examples/batch: `cd examples/batch && sbatch ../scale/slurm-array.sh`).
#SBATCH --job-name=diary-batch
#SBATCH --array=0-3              # contiguous, no step: diary maps the tasks onto shards 1..4
#SBATCH --cpus-per-task=2
#SBATCH --time=02:00:00
#SBATCH --output=diary-shard-%a.log
set -euo pipefail
# One CODEX_HOME per task, never below /tmp (codex refuses its sandbox helpers there).
export CODEX_HOME="$HOME/.cache/diary/codex-home-$SLURM_ARRAY_JOB_ID-$SLURM_ARRAY_TASK_ID"
mkdir -p "$CODEX_HOME"
codex login --with-api-key < "$HOME/.config/diary/openai-key" >/dev/null
exec diary batch run "$SLURM_SUBMIT_DIR/batch.toml" --shard auto --runs-dir "$SLURM_SUBMIT_DIR/runs" --json -q
