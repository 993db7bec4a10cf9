#!/usr/bin/env bash
# Regenerates examples/sessions/codex/: one working day (2026-11-24, UTC) of Codex sessions for
# the README's `diary generate` demo. They are REAL rollouts of the pinned codex (0.169.0), made
# the way tests/fixtures/codex/make_fixtures.sh makes its fixtures: `codex exec` (and `exec
# resume`) runs against diary's mock Responses-API model (tests/support/mock_model), whose
# directive lines in the prompt (`RUN: <shell command>`, `ANSWER: <text>`, `SLEEP_MS: <ms>`)
# script what the "model" does. Codex really runs every command, in scratch copies of the two
# projects in seed/ (`todo-cli`, a small Python CLI; `handbook`, a Markdown docs site), each a
# git repository with one seed commit. The day:
#   09:12 todo-cli  3 turns: add `--due` + tests (pass); leap days are rejected: a new test
#                   fails, the fix, the tests pass; "Thanks, commit it" (a real git commit)
#   10:47 handbook  2 turns: what `make deploy` does (reads files only, `make -n`); write
#                   docs/deploy.md from the Makefile targets and link it (`make check build`)
#   13:58 todo-cli  2 turns: `todo list` shows due dates + a test (pass); commit
# The Claude Code transcripts in claude/ are hand-written (claude_transcripts.py, README.md);
# this script does not touch them.
#
# Every file in codex/ is codex's own output; the only edits, all made below by
# `postprocess` (text-level, on the raw lines, so every other byte stays as codex wrote it):
#   1. machine paths: <scratch>/projects/<p> -> /home/demo/src/<p> (the project roots, i.e. the
#      cwd fields), <scratch>/codex-home -> /home/demo/.codex, <scratch>/home -> /home/demo;
#   2. the mock's directive lines (any line that the mock parses as a directive: RUN:, CALL:,
#      ANSWER:, ANSWER_JSON:, PHASE:, SLEEP_MS:, FAIL_HTTP:, FAIL_HTTP_MODEL:,
#      RESPONSE_FAILED:, USAGE:, HANG) are removed from the user's prompt text, in every copy
#      codex wrote (the `response_item` user message and the `event_msg` `item_completed`
#      UserMessage echo), so the prompts read as a person wrote them. The commands and the
#      answers themselves stay wherever codex recorded them (function calls, outputs, agent
#      messages);
#   3. time: each session is shifted by one constant, a whole number of seconds, chosen so that
#      its session_meta.payload.timestamp lands on the start listed above (UTC, 2026-11-24);
#      the spacing inside a session is kept. Shifted: every RFC 3339 timestamp string, every
#      epoch number of the run (create_time, started_at, completed_at in seconds;
#      started_at_ms, completed_at_ms in milliseconds), and the date codex tells the model
#      (`<current_date>` in the environment context, world_state's current_date). The UUIDv7
#      ids (session, turn, message ids) keep the time of the real run; they are ids, not times.
#      Files are renamed to match (rollout-<shifted start>-<id>.jsonl in codex/2026/11/24/).
# The real pause between the turns of one session is the `pause` before each resume below.
#
# usage: make_sessions.sh BUILD_DIR   (BUILD_DIR holds the built diary-mock-model; scratch
#        files go to BUILD_DIR/example-sessions-work, never /tmp: codex refuses its sandbox
#        helpers there). Takes about three and a half minutes, most of it the pauses. The
#        session ids (and so the file names) change with every run; the prompts do not.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="$(cd "${1:?usage: make_sessions.sh BUILD_DIR}" && pwd)"
codex="${DIARY_CODEX_BIN:-$repo/.tools/codex/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex}"
mock="$build/tests/support/mock_model/diary-mock-model"
work="$build/example-sessions-work"

"$codex" --version | grep -q '0.169.0' || { echo "need codex 0.169.0 at $codex" >&2; exit 1; }
[[ -x "$mock" ]] || { echo "build diary-mock-model first: ninja -C $build diary-mock-model" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work/codex-home" "$work/home" "$work/projects"
printf '[user]\n\tname = Dana Demo\n\temail = dana@example.com\n[init]\n\tdefaultBranch = main\n' \
  > "$work/home/.gitconfig"

# The projects as they were that morning: the seed files, committed once at a fixed date.
for project in todo-cli handbook; do
  cp -r "$here/seed/$project" "$work/projects/$project"
  (cd "$work/projects/$project" && export HOME="$work/home" GIT_AUTHOR_DATE=2026-11-23T17:40:00Z \
     GIT_COMMITTER_DATE=2026-11-23T17:40:00Z && git init -q && git add -A && git commit -q -m "Initial import")
done

"$mock" --port-file "$work/port" --quiet &
mock_pid=$!
trap 'kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [[ -s "$work/port" ]] && break; sleep 0.05; done
port="$(cat "$work/port")"

overrides=(
  -c 'model_provider="mock"'
  -c "model_providers.mock={name=\"mock\",base_url=\"http://127.0.0.1:$port/v1\",wire_api=\"responses\",requires_openai_auth=false,request_max_retries=0,stream_max_retries=0,supports_websockets=false}"
  -c 'model="mock-model"' -c check_for_update_on_startup=false -c analytics.enabled=false
  -c feedback.enabled=false -c 'web_search="disabled"' -c features.plugins=false
  -c features.apps=false -c features.memories=false
)

# codex in a hermetic environment (no stdin: exec would wait for more prompt text).
run_codex() {
  env -i PATH=/usr/bin:/bin HOME="$work/home" CODEX_HOME="$work/codex-home" \
    timeout 120 "$codex" "$@" </dev/null >>"$work/codex.log" 2>&1
}

newest_session_id() {
  ls -t "$work"/codex-home/sessions/*/*/*/rollout-*.jsonl | head -1 | sed -E 's/.*-([0-9a-f-]{36})\.jsonl$/\1/'
}

# new_session PROJECT SANDBOX PROMPT / resume PROJECT SANDBOX SESSION PROMPT. Edits run in
# workspace-write; commits need danger-full-access (workspace-write keeps .git read-only).
new_session() {
  run_codex exec --skip-git-repo-check -s "$2" -C "$work/projects/$1" "${overrides[@]}" "$3"
}
resume() {
  (cd "$work/projects/$1" && run_codex exec resume --skip-git-repo-check -c "sandbox_mode=\"$2\"" \
     "${overrides[@]}" "$3" "$4")
}
pause() { sleep "$1"; }  # the person reads the answer and types the next prompt

# ---- 09:12 todo-cli: --due, the leap-day bug, commit ------------------------------------------
new_session todo-cli workspace-write "$(cat <<'EOF'
Add a --due flag to `todo add` (a YYYY-MM-DD date, stored with the item) and a test for it.
SLEEP_MS: 1200
RUN: sed -n '1,60p' todo.py && ls tests
RUN: printf '%s\n' '"""Parsing of --due dates (YYYY-MM-DD)."""' 'import argparse' '' 'DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]' '' '' 'def parse_due(text):' '    try:' '        year, month, day = (int(part) for part in text.split("-"))' '    except ValueError:' '        raise argparse.ArgumentTypeError(f"invalid date: {text}") from None' '    if not 1 <= month <= 12 or not 1 <= day <= DAYS_IN_MONTH[month - 1]:' '        raise argparse.ArgumentTypeError(f"invalid date: {text}")' '    return f"{year:04d}-{month:02d}-{day:02d}"' > due.py
RUN: sed -i -e 's/^import pathlib$/import pathlib\n\nfrom due import parse_due/' -e 's/items.append({"text": args.text, "done": False})/items.append({"text": args.text, "done": False, "due": args.due})/' -e 's/^    add_cmd.add_argument("text")$/&\n    add_cmd.add_argument("--due", type=parse_due, help="due date, YYYY-MM-DD")/' todo.py && git diff --stat
RUN: printf '%s\n' 'import argparse' 'import unittest' '' 'from due import parse_due' '' '' 'class ParseDueTest(unittest.TestCase):' '    def test_accepts_iso_dates(self):' '        self.assertEqual(parse_due("2026-12-01"), "2026-12-01")' '' '    def test_rejects_impossible_dates(self):' '        for text in ("2026-13-01", "2026-04-31", "tomorrow"):' '            with self.assertRaises(argparse.ArgumentTypeError):' '                parse_due(text)' > tests/test_due.py
RUN: python3 -m unittest -v && python3 todo.py add "Renew passport" --due 2026-12-15 && cat todo.json
ANSWER: Added `--due YYYY-MM-DD` to `todo add`:
ANSWER: - `due.py` has `parse_due`, which checks the month and the day and turns anything else into a clear argparse error;
ANSWER: - `todo add` stores the date with the item (`"due"` in todo.json);
ANSWER: - `tests/test_due.py` covers a valid date and three impossible ones.
ANSWER: `python3 -m unittest` passes (4 tests), and `todo add "Renew passport" --due 2026-12-15` stores the date.
EOF
)"
todo_morning="$(newest_session_id)"
pause 45
resume todo-cli workspace-write "$todo_morning" "$(cat <<'EOF'
It rejects leap days: `python3 todo.py add "Pay rent" --due 2028-02-29` says invalid date. Add a leap-day test and fix it.
SLEEP_MS: 1000
RUN: printf '%s\n' '' '    def test_accepts_leap_days(self):' '        self.assertEqual(parse_due("2028-02-29"), "2028-02-29")' '        with self.assertRaises(argparse.ArgumentTypeError):' '            parse_due("2027-02-29")' >> tests/test_due.py && python3 -m unittest
RUN: grep -n 'DAYS_IN_MONTH' due.py
RUN: printf '%s\n' '"""Parsing of --due dates (YYYY-MM-DD)."""' 'import argparse' 'import datetime' '' '' 'def parse_due(text):' '    try:' '        return datetime.date.fromisoformat(text).isoformat()' '    except ValueError:' '        raise argparse.ArgumentTypeError(f"invalid date: {text}") from None' > due.py
RUN: python3 -m unittest && python3 todo.py add "Pay rent" --due 2028-02-29
ANSWER: The month table in `due.py` gave February 28 days in every year, so 29 February was always rejected.
ANSWER: `parse_due` now uses `datetime.date.fromisoformat`, which knows the leap years.
ANSWER: The new `test_accepts_leap_days` (2028-02-29 is accepted, 2027-02-29 is not) failed before the fix; all 5 tests pass now, and the rent is in the list.
EOF
)"
pause 30
resume todo-cli danger-full-access "$todo_morning" "$(cat <<'EOF'
Thanks, commit it.
RUN: git status --short && git add -A && git commit -q -m "todo add: --due YYYY-MM-DD, leap-day safe" && git log --oneline -1
ANSWER: Committed on main: "todo add: --due YYYY-MM-DD, leap-day safe" (due.py, todo.py, tests/test_due.py).
EOF
)"

# ---- 10:47 handbook: read-only question, then docs/deploy.md ---------------------------------
pause 5
new_session handbook workspace-write "$(cat <<'EOF'
What does `make deploy` actually do? I don't want to run it by accident.
SLEEP_MS: 1500
RUN: cat Makefile
RUN: cat scripts/check-links.sh scripts/build.sh
RUN: make -n deploy
ANSWER: `make deploy` runs two other targets first and then copies the site:
ANSWER: 1. `check`: `scripts/check-links.sh docs` fails when a page links to a `.md` page that does not exist;
ANSWER: 2. `build`: `scripts/build.sh docs site` renders every page of docs/ into site/;
ANSWER: 3. `rsync -az --delete site/ deploy@handbook.internal.example.com:/srv/handbook/`.
ANSWER: Because of `--delete`, a page you removed locally disappears from the host as well. `make -n deploy` only printed these commands; nothing was run or changed.
EOF
)"
handbook="$(newest_session_id)"
pause 50
resume handbook workspace-write "$handbook" "$(cat <<'EOF'
Write docs/deploy.md from the Makefile targets and link it from the index.
SLEEP_MS: 1500
RUN: grep -E '^[a-z]+:' Makefile
RUN: printf '%s\n' '# Deploying the handbook' '' 'The handbook is plain Markdown in `docs/`. It is rendered into `site/` and copied to the web host.' '' '| command | what it does |' '| --- | --- |' '| `make build` | render docs/ into site/ |' '| `make serve` | build, then preview on http://localhost:8000 |' '| `make check` | fail if a page links to a page that does not exist |' '| `make deploy` | check and build, then copy site/ to handbook.internal.example.com |' '| `make clean` | remove site/ |' '' '## Deploying a change' '' '1. Run `make check` and fix every broken link that it reports to you.' '2. Run `make serve` and have a look at the pages that you have changed.' '3. Run `make deploy`. Note that it uses `rsync --delete`, which means that a page which you deleted locally will also be deleted on the host.' '' 'In order to be able to deploy, you will need to have SSH access as `deploy@handbook.internal.example.com`. In case you do not have it, please ask in #infra.' > docs/deploy.md
RUN: printf '%s\n' '- [Deploying](deploy.md)' >> docs/index.md && make check build
ANSWER: Wrote `docs/deploy.md`: a table of the five targets (build, serve, check, deploy, clean) taken from the Makefile, the three steps of a deploy with a warning about `rsync --delete`, and who to ask for SSH access.
ANSWER: `docs/index.md` links to it; `make check` finds no broken links and `make build` renders 4 pages.
EOF
)"

# ---- 13:58 todo-cli: due dates in `todo list`, commit ----------------------------------------
pause 5
new_session todo-cli workspace-write "$(cat <<'EOF'
`todo list` should show the due date, like `[ ] 2. Pay rent (due 2028-02-29)`. Items without one stay as they are.
SLEEP_MS: 1200
RUN: grep -n -A 5 'def list_' todo.py
RUN: sed -i '/        line = f/a\        if item.get("due"):\n            line += " (due " + item["due"] + ")"' todo.py
RUN: printf '%s\n' '' '    def test_list_shows_the_due_date(self):' '        self.run_todo("add", "Pay rent", "--due", "2028-02-29")' '        self.run_todo("add", "Buy milk")' '        self.assertEqual(self.run_todo("list"), "[ ] 1. Pay rent (due 2028-02-29)\n[ ] 2. Buy milk\n")' >> tests/test_todo.py && python3 -m unittest
RUN: python3 todo.py list
ANSWER: `todo list` now appends ` (due YYYY-MM-DD)` to items that have a due date; items without one print as before.
ANSWER: Added `test_list_shows_the_due_date` to tests/test_todo.py; all 6 tests pass. Your list now shows both due dates.
EOF
)"
todo_afternoon="$(newest_session_id)"
pause 35
resume todo-cli danger-full-access "$todo_afternoon" "$(cat <<'EOF'
Looks good, commit it.
RUN: git add -A && git commit -q -m "todo list: show due dates" && git log --oneline -3
ANSWER: Committed on main: "todo list: show due dates" (todo.py, tests/test_todo.py).
EOF
)"

# The work really happened: the tests pass, both commits exist, the page is linked.
(cd "$work/projects/todo-cli" && python3 -m unittest -q 2>/dev/null && [[ "$(git rev-list --count HEAD)" == 3 ]]) \
  || { echo "todo-cli did not end up as scripted (see $work/codex.log)" >&2; exit 1; }
grep -q 'deploy.md' "$work/projects/handbook/docs/index.md" && [[ -f "$work/projects/handbook/docs/deploy.md" ]] \
  || { echo "handbook did not end up as scripted (see $work/codex.log)" >&2; exit 1; }

# Edits 1-3 above; the plan maps each session to the UTC start of its first record.
python3 - "$work" "$work/out" "$repo" \
  "$todo_morning=2026-11-24T09:12:07Z" "$handbook=2026-11-24T10:47:31Z" "$todo_afternoon=2026-11-24T13:58:12Z" <<'PY'
import datetime as dt, decimal, glob, json, os, re, sys

work, out, repo, plan = sys.argv[1], sys.argv[2], sys.argv[3], dict(a.split("=", 1) for a in sys.argv[4:])

def die(message):
    sys.exit(f"make_sessions: {message}")

# 1. Machine paths.
PATHS = [(work + "/projects/", "/home/demo/src/"), (work + "/codex-home", "/home/demo/.codex"),
         (work + "/home", "/home/demo")]

# 2. What the mock parses as a directive (tests/support/mock_model/directives.cpp): after trimming
# " \t\r", the line HANG or "<KEY>:<anything>".
DIRECTIVE = re.compile(r"(?:HANG|(?:RUN|CALL|ANSWER|ANSWER_JSON|PHASE|SLEEP_MS|FAIL_HTTP|FAIL_HTTP_MODEL"
                       r"|RESPONSE_FAILED|USAGE):.*)")
def is_directive(line): return DIRECTIVE.fullmatch(line.strip(" \t\r")) is not None
def without_directives(text): return "\n".join(l for l in text.split("\n") if not is_directive(l)).rstrip()
def encoded(text): return json.dumps(text, ensure_ascii=False)[1:-1]  # as inside a JSON string

def prompt_texts(record):
    payload = record.get("payload") or {}
    if record.get("type") == "response_item" and payload.get("type") == "message" and payload.get("role") == "user":
        return [c.get("text", "") for c in payload.get("content", [])]
    if record.get("type") == "event_msg" and payload.get("type") == "item_completed" \
            and (payload.get("item") or {}).get("type") == "UserMessage":
        return [c.get("text", "") for c in payload["item"].get("content", [])]
    if record.get("type") == "event_msg" and payload.get("type") == "user_message":
        return [payload.get("message", "")]
    return []

# 3. Time.
ISO = re.compile(r'"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?Z"')
EPOCH = re.compile(r'(?<=[:\[,])(\d{10}(?:\.\d+)?|\d{13})(?=[,\]}])')
def parse(text): return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)

def shift_line(line, shift, lo, hi, new_date, old_dates):
    def iso(m):
        value = parse(m.group(1) + "Z") + dt.timedelta(seconds=shift)
        return '"' + value.strftime("%Y-%m-%dT%H:%M:%S") + (m.group(2) or "") + 'Z"'
    def epoch(m):
        value = decimal.Decimal(m.group(1))
        if lo <= value <= hi: return str(value + shift)                    # seconds
        if lo * 1000 <= value <= hi * 1000: return str(value + shift * 1000)  # milliseconds
        return m.group(1)
    line = EPOCH.sub(epoch, ISO.sub(iso, line))
    for old in old_dates:
        line = line.replace(f"<current_date>{old}</current_date>", f"<current_date>{new_date}</current_date>")
        line = line.replace(f'"current_date":"{old}"', f'"current_date":"{new_date}"')
    return line

files = sorted(glob.glob(os.path.join(work, "codex-home/sessions/*/*/*/rollout-*.jsonl")))
if len(files) != len(plan): die(f"expected {len(plan)} rollouts, found {len(files)}")
for path in files:
    lines = open(path, encoding="utf-8").read().splitlines(keepends=True)
    meta = json.loads(lines[0])["payload"]
    if meta["id"] not in plan: die(f"rollout {path} is not in the plan")
    # 1.
    for old, new in PATHS: lines = [l.replace(old, new) for l in lines]
    # 2.
    prompts = {t for r in map(json.loads, lines) for t in prompt_texts(r) if t != without_directives(t)}
    for text in prompts:
        old, new = encoded(text), encoded(without_directives(text))
        if sum(l.count(old) for l in lines) < 2: die(f"fewer than two copies of a prompt in {path}")
        lines = [l.replace(old, new) for l in lines]
    # 3.
    start = parse(meta["timestamp"][:19] + "Z")
    target = parse(plan[meta["id"]])
    shift = int((target - start).total_seconds())
    stamps = [parse(m.group(1) + "Z") for l in lines for m in ISO.finditer(l)]
    lo, hi = (int(min(stamps).timestamp()) - 86400, int(max(stamps).timestamp()) + 86400)
    if target.timestamp() > lo - 86400: die("the target day must lie days before the real run")
    old_dates = sorted({s.date().isoformat() for s in stamps})
    lines = [shift_line(l, shift, lo, hi, target.date().isoformat(), old_dates) for l in lines]

    text = "".join(lines)
    for needle in [work, repo] + [f"current_date>{d}<" for d in old_dates] + [f'"current_date":"{d}"' for d in old_dates]:
        if needle in text: die(f"{needle} left in {path}")
    for m in re.finditer(r"(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}", text):
        if m.group(1) in old_dates: die(f"unshifted time {m.group(0)} in {path}")
    def strings(value):
        if isinstance(value, str): yield value
        elif isinstance(value, list):
            for v in value: yield from strings(v)
        elif isinstance(value, dict):
            for v in value.values(): yield from strings(v)
    for record in map(json.loads, lines):
        for s in strings(record):
            if any(is_directive(l) for l in s.split("\n")): die(f"directive left in {path}: {s[:80]!r}")
    for m in EPOCH.finditer(text):
        if lo <= decimal.Decimal(m.group(1)) <= hi or lo * 1000 <= decimal.Decimal(m.group(1)) <= hi * 1000:
            die(f"unshifted epoch {m.group(1)} in {path}")

    first = parse(json.loads(lines[0])["payload"]["timestamp"][:19] + "Z")
    folder = os.path.join(out, first.strftime("%Y/%m/%d"))
    os.makedirs(folder, exist_ok=True)
    name = f"rollout-{first.strftime('%Y-%m-%dT%H-%M-%S')}-{meta['id']}.jsonl"
    open(os.path.join(folder, name), "w", encoding="utf-8").write(text)
    print(f"{name}: shifted {shift:+d} s, {len(prompts)} prompt(s) cleaned")
PY
rm -rf "$here/codex" && mv "$work/out" "$here/codex"
echo "sessions written to $here/codex"
