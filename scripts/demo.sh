#!/usr/bin/env bash
# The main job, end to end, without an OpenAI account: builds diary, starts the project's DEMO
# MODEL (diary-mock-model: a scripted stand-in for the Responses API on 127.0.0.1, not a real
# LLM), and lets `diary exec` drive the real pinned `codex app-server`, which runs a shell command
# that writes a file on disk. Run scripts/setup.sh first. Exits non-zero if any step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${DIARY_BUILD_DIR:-build}"
case "$build" in /*) ;; *) build="$PWD/$build" ;; esac

cmake -S . -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target diary diary-mock-model

# Throw-away state under the build tree: codex refuses its sandbox helpers below /tmp.
demo="$build/demo"
rm -rf "$demo"
mkdir -p "$demo/codex-home" "$demo/work"

"$build/tests/support/mock_model/diary-mock-model" --port-file "$demo/port" 2>"$demo/model.log" &
model_pid=$!
trap 'kill "$model_pid" 2>/dev/null || true; wait "$model_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$demo/port" ] && break; sleep 0.1; done
[ -s "$demo/port" ] || { echo "demo: the demo model did not start:" >&2; cat "$demo/model.log" >&2; exit 1; }
port=$(cat "$demo/port")
echo "demo: DEMO MODEL (scripted mock, not a real LLM) listening on 127.0.0.1:$port"

# Point codex at the demo model and keep it offline: the model prints the codex -c values.
overrides=()
while IFS= read -r value; do overrides+=(-c "$value"); done \
  < <("$build/tests/support/mock_model/diary-mock-model" --print-codex-overrides "$port")

# The demo model follows directive lines in the prompt: RUN: is a shell command it asks codex to
# run, ANSWER: its final message.
prompt="Write the demo file.
RUN: printf 'Hello from codex, driven by diary.\\n' > hello.txt
ANSWER: I wrote hello.txt in the demo workdir."

echo "demo: diary exec --cwd $demo/work --sandbox workspace-write ..."
status=0
env -u OPENAI_API_KEY -u CODEX_API_KEY CODEX_HOME="$demo/codex-home" \
  "$build/src/cmds/diary" exec --cwd "$demo/work" --sandbox workspace-write --approval never \
  --timeout 120s "${overrides[@]}" "$prompt" || status=$?
if [ "$status" -ne 0 ] || [ ! -f "$demo/work/hello.txt" ]; then
  echo "demo: FAILED (diary exit status $status); demo model log:" >&2
  cat "$demo/model.log" >&2
  exit 1
fi
echo "demo: codex wrote $demo/work/hello.txt:"
cat "$demo/work/hello.txt"
