#!/usr/bin/env bash
# The main job, end to end, without an OpenAI account: builds diary, starts the project's DEMO
# AGENT (diary-mock-model --demo-agent: a scripted, deterministic stand-in for the Responses API
# on 127.0.0.1 — not a real LLM), and runs `diary generate` on the bundled example sessions
# (examples/sessions: real codex 0.169.0 rollouts and Claude Code transcripts of 2026-11-24).
# diary drives the real pinned `codex app-server`; codex calls diary's MCP tools as the demo
# agent asks, so every artifact really passes through the tools and diary's checks. Prints where
# report.md and report.html are. Run scripts/setup.sh first. Exits non-zero if any step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
build="${DIARY_BUILD_DIR:-build}"
case "$build" in /*) ;; *) build="$PWD/$build" ;; esac

cmake -S . -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target diary diary-mock-model

# Throw-away state (CODEX_HOME, HOME, the reports root) outside /tmp: codex refuses its sandbox
# helpers when CODEX_HOME is below /tmp, and then every shell command fails.
demo="${DIARY_DEMO_DIR:-$build/demo}"
case "$(realpath -m "$demo")" in
  /tmp/*|/var/tmp/*) demo="${HOME:-/root}/.cache/diary/demo-$(printf '%s' "$repo" | sha1sum | cut -c1-12)" ;;
esac
rm -rf "$demo"
mkdir -p "$demo/codex-home" "$demo/home" "$demo/reports"

mock="$build/tests/support/mock_model/diary-mock-model"
"$mock" --demo-agent --port-file "$demo/port" 2>"$demo/model.log" &
model_pid=$!
trap 'kill "$model_pid" 2>/dev/null || true; wait "$model_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$demo/port" ] && break; sleep 0.1; done
[ -s "$demo/port" ] || { echo "demo: the demo agent did not start:" >&2; cat "$demo/model.log" >&2; exit 1; }
port=$(cat "$demo/port")
echo "demo: DEMO AGENT (scripted mock model, not a real LLM) listening on 127.0.0.1:$port"

overrides=()
while IFS= read -r value; do overrides+=(-c "$value"); done \
  < <("$mock" --demo-agent --print-codex-overrides "$port")

codex_bin="$repo/.tools/codex/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex"
echo "demo: diary generate --date 2026-11-24 on examples/sessions (state in $demo)"
status=0
env -u OPENAI_API_KEY -u CODEX_API_KEY HOME="$demo/home" CODEX_HOME="$demo/codex-home" \
  DIARY_CODEX_SESSIONS="$repo/examples/sessions/codex" DIARY_CLAUDE_PROJECTS="$repo/examples/sessions/claude" \
  "$build/src/cmds/diary" generate --date 2026-11-24 --timezone UTC --reports-root "$demo/reports" \
  --codex-bin "$codex_bin" "${overrides[@]}" || status=$?
workspace="$demo/reports/work/2026-11-24"
if [ "$status" -ne 0 ] || [ ! -s "$workspace/report.md" ] || [ ! -s "$workspace/report.html" ]; then
  echo "demo: FAILED (diary exit status $status); demo agent log:" >&2
  tail -n 40 "$demo/model.log" >&2
  exit 1
fi
echo
echo "demo: the report (made by the DEMO AGENT through the real codex app-server):"
echo "  $workspace/report.md"
echo "  $workspace/report.html"
echo "demo: first lines of report.md:"
head -n 12 "$workspace/report.md"
