#!/usr/bin/env python3
"""Writes the two hand-written Claude Code transcripts of the demo day (examples/sessions/claude/).

They are authored, not recorded: every prompt, answer, tool call and tool result below was
written by hand, in the record shapes of tests/fixtures/claude/ (user / assistant / system
records with parentUuid, isSidechain, userType, cwd, sessionId, version, gitBranch, message,
uuid, timestamp; tool results as user records with `tool_result` blocks, toolUseResult and
sourceToolAssistantUUID; an untimestamped file-history-snapshot before each prompt). This
script only keeps the JSON well formed and the ids consistent; the output is deterministic
(ids are derived from the session id and the record number), so rerunning it rewrites the same
bytes. Usage: python3 examples/sessions/claude_transcripts.py
"""
import hashlib, json, os, uuid

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "claude")
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

def token(seed, n):
    h = int(hashlib.sha256(seed.encode()).hexdigest(), 16)
    s = ""
    for _ in range(n):
        h, r = divmod(h, 62); s += B62[r]
    return s

class Transcript:
    def __init__(self, session, cwd, model="claude-sonnet-4-5-20250929"):
        self.session, self.cwd, self.model = session, cwd, model
        self.records, self.parent, self.n = [], None, 0
    def uid(self):
        self.n += 1
        return str(uuid.UUID(bytes=hashlib.sha256(f"{self.session}/{self.n}".encode()).digest()[:16], version=4))
    def base(self, kind, ts):
        u = self.uid()
        rec = {"parentUuid": self.parent, "isSidechain": False, "userType": "external", "cwd": self.cwd,
               "sessionId": self.session, "version": "2.0.14", "gitBranch": "main", "type": kind}
        self.parent = u
        return rec, u
    def prompt(self, ts, text):
        rec, u = self.base("user", ts)
        self.records.append({"type": "file-history-snapshot", "messageId": u,
                             "snapshot": {"messageId": u, "trackedFileBackups": {}, "timestamp": ts},
                             "isSnapshotUpdate": False})
        rec.update({"message": {"role": "user", "content": text}, "uuid": u, "timestamp": ts})
        self.records.append(rec)
    def assistant(self, ts, blocks, usage=(12, 80)):
        rec, u = self.base("assistant", ts)
        stop = "tool_use" if any(b["type"] == "tool_use" for b in blocks) else "end_turn"
        rec.update({"message": {"id": "msg_01" + token(u, 22), "type": "message", "role": "assistant",
                                "model": self.model, "content": blocks, "stop_reason": stop,
                                "stop_sequence": None,
                                "usage": {"input_tokens": usage[0], "output_tokens": usage[1]}},
                    "requestId": "req_011C" + token(u + "r", 20), "uuid": u, "timestamp": ts})
        self.records.append(rec)
        return u
    def tool_result(self, ts, tool_id, content, result, is_error=False):
        source = self.parent
        rec, u = self.base("user", ts)
        rec.update({"message": {"role": "user", "content": [
                        {"tool_use_id": tool_id, "type": "tool_result", "content": content, "is_error": is_error}]},
                    "toolUseResult": result, "sourceToolAssistantUUID": source, "uuid": u, "timestamp": ts})
        self.records.append(rec)
    def turn_done(self, ts, ms):
        rec, u = self.base("system", ts)
        rec.update({"subtype": "turn_duration", "durationMs": ms, "uuid": u, "timestamp": ts, "isMeta": False})
        self.records.append(rec)
    def tool_id(self):
        return "toolu_01" + token(f"{self.session}/tool/{self.n}", 22)
    def write(self):
        slug = self.cwd.replace("/", "-").replace(".", "-")
        os.makedirs(os.path.join(OUT, slug), exist_ok=True)
        with open(os.path.join(OUT, slug, self.session + ".jsonl"), "w", encoding="utf-8") as f:
            for r in self.records:
                f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")

def edit_result(path, original, old, new):
    updated = original.replace(old, new, 1)
    before, after = original.splitlines(), updated.splitlines()
    first = next(i for i, (a, b) in enumerate(zip(before, after)) if a != b)
    old_n, new_n = old.count("\n") + 1, new.count("\n") + 1
    lo = max(0, first - 3)
    lines = [" " + l for l in before[lo:first]] + ["-" + l for l in before[first:first + old_n]] + \
            ["+" + l for l in after[first:first + new_n]] + [" " + l for l in before[first + old_n:first + old_n + 3]]
    ctx_before, ctx_after = first - lo, len(before[first + old_n:first + old_n + 3])
    patch = [{"oldStart": lo + 1, "oldLines": ctx_before + old_n + ctx_after,
              "newStart": lo + 1, "newLines": ctx_before + new_n + ctx_after, "lines": lines}]
    snippet_lo = max(0, first - 4)
    snippet = "\n".join(f"{i:>6}\u2192{l}" for i, l in enumerate(after[snippet_lo:first + new_n + 4], snippet_lo + 1))
    content = (f"The file {path} has been updated. Here's the result of running `cat -n` on a snippet of the edited file:\n" + snippet)
    result = {"filePath": path, "oldString": old, "newString": new, "originalFile": original,
              "structuredPatch": patch, "userModified": False, "replaceAll": False}
    return updated, content, result

def read_result(path, text):
    lines = text.split("\n")
    if lines and lines[-1] == "": lines = lines[:-1]
    content = "\n".join(f"{i:>6}\u2192{l}" for i, l in enumerate(lines, 1))
    return content, {"type": "text", "file": {"filePath": path, "content": text, "numLines": len(lines),
                                                "startLine": 1, "totalLines": len(lines)}}

def bash_result(stdout, stderr=""):
    content = stdout if not stderr else (stdout + ("\n" if stdout else "") + stderr)
    return content, {"stdout": stdout, "stderr": stderr, "interrupted": False, "isImage": False}

# ---------------- handbook, 15:20: wording review of the page codex wrote at 10:48 ----------------
# docs/deploy.md exactly as the codex session of 10:48 wrote it (its printf in make_sessions.sh).
DEPLOY_MD_AS_CODEX_WROTE_IT = """# Deploying the handbook

The handbook is plain Markdown in `docs/`. It is rendered into `site/` and copied to the web host.

| command | what it does |
| --- | --- |
| `make build` | render docs/ into site/ |
| `make serve` | build, then preview on http://localhost:8000 |
| `make check` | fail if a page links to a page that does not exist |
| `make deploy` | check and build, then copy site/ to handbook.internal.example.com |
| `make clean` | remove site/ |

## Deploying a change

1. Run `make check` and fix every broken link that it reports to you.
2. Run `make serve` and have a look at the pages that you have changed.
3. Run `make deploy`. Note that it uses `rsync --delete`, which means that a page which you deleted locally will also be deleted on the host.

In order to be able to deploy, you will need to have SSH access as `deploy@handbook.internal.example.com`. In case you do not have it, please ask in #infra.
"""

root = "/home/demo/src/handbook"
deploy_path, onboarding_path = root + "/docs/deploy.md", root + "/docs/onboarding.md"
deploy = DEPLOY_MD_AS_CODEX_WROTE_IT
onboarding = open(os.path.join(HERE, "seed/handbook/docs/onboarding.md"), encoding="utf-8").read()

t = Transcript("3f6c2a1e-8b47-4d2c-9e15-7a0b4c6d8e21", root)
t.prompt("2026-11-24T15:20:41.512Z", "Can you review the wording of docs/deploy.md? It reads a bit stiff. Tighten it, but keep the content the same.")
read_id = t.tool_id()
t.assistant("2026-11-24T15:20:44.903Z", [{"type": "text", "text": "I'll read the page first."},
    {"type": "tool_use", "id": read_id, "name": "Read", "input": {"file_path": deploy_path}}])
c, r = read_result(deploy_path, deploy)
t.tool_result("2026-11-24T15:20:45.118Z", read_id, c, r)
old1 = ("1. Run `make check` and fix every broken link that it reports to you.\n"
        "2. Run `make serve` and have a look at the pages that you have changed.\n"
        "3. Run `make deploy`. Note that it uses `rsync --delete`, which means that a page which you deleted locally will also be deleted on the host.")
new1 = ("1. Run `make check` and fix every broken link it reports.\n"
        "2. Run `make serve` and check the pages you changed.\n"
        "3. Run `make deploy`. It uses `rsync --delete`: a page you deleted locally is deleted on the host too.")
edit1 = t.tool_id()
t.assistant("2026-11-24T15:20:52.377Z", [{"type": "text", "text": "The table is fine. The steps and the last paragraph are wordy (\"that it reports to you\", \"Note that ... which means that\"); I'll shorten them without changing what they say."},
    {"type": "tool_use", "id": edit1, "name": "Edit", "input": {"file_path": deploy_path, "old_string": old1, "new_string": new1}}], (1830, 240))
deploy, c, r = edit_result(deploy_path, deploy, old1, new1)
t.tool_result("2026-11-24T15:20:53.041Z", edit1, c, r)
old2 = "In order to be able to deploy, you will need to have SSH access as `deploy@handbook.internal.example.com`. In case you do not have it, please ask in #infra."
new2 = "To deploy you need SSH access as `deploy@handbook.internal.example.com`; ask in #infra if you don't have it."
edit2 = t.tool_id()
t.assistant("2026-11-24T15:20:57.660Z", [{"type": "tool_use", "id": edit2, "name": "Edit", "input": {"file_path": deploy_path, "old_string": old2, "new_string": new2}}], (2104, 130))
deploy, c, r = edit_result(deploy_path, deploy, old2, new2)
t.tool_result("2026-11-24T15:20:58.214Z", edit2, c, r)
t.assistant("2026-11-24T15:21:03.485Z", [{"type": "text", "text": "Tightened docs/deploy.md:\n\n- the three steps now say the same in fewer words (\"fix every broken link it reports\", \"check the pages you changed\", \"a page you deleted locally is deleted on the host too\");\n- the SSH paragraph is one sentence: \"To deploy you need SSH access as `deploy@handbook.internal.example.com`; ask in #infra if you don't have it.\"\n\nThe intro and the table were already plain, so I left them as they are."}], (2320, 150))
t.turn_done("2026-11-24T15:21:03.530Z", 21974)

t.prompt("2026-11-24T15:26:18.077Z", "Good. Does the onboarding page point people to it? New people should find it before their first deploy.")
grep_id = t.tool_id()
t.assistant("2026-11-24T15:26:21.350Z", [{"type": "tool_use", "id": grep_id, "name": "Grep", "input": {"pattern": "deploy\\.md", "path": root + "/docs", "output_mode": "files_with_matches"}}], (2410, 90))
t.tool_result("2026-11-24T15:26:21.602Z", grep_id, "Found 1 file\n" + root + "/docs/index.md",
              {"mode": "files_with_matches", "filenames": [root + "/docs/index.md"], "numFiles": 1})
old3 = "3. Pair with your buddy on one small change and ship it."
new3 = "3. Pair with your buddy on one small change and ship it; [Deploying the handbook](deploy.md) explains how."
edit3 = t.tool_id()
t.assistant("2026-11-24T15:26:26.918Z", [{"type": "text", "text": "Only the index links to it. Shipping a change is step 3 of the first week, so that's where the link belongs."},
    {"type": "tool_use", "id": edit3, "name": "Edit", "input": {"file_path": onboarding_path, "old_string": old3, "new_string": new3}}], (2690, 160))
onboarding, c, r = edit_result(onboarding_path, onboarding, old3, new3)
t.tool_result("2026-11-24T15:26:27.480Z", edit3, c, r)
bash_id = t.tool_id()
t.assistant("2026-11-24T15:26:30.144Z", [{"type": "tool_use", "id": bash_id, "name": "Bash", "input": {"command": "make check", "description": "Check the handbook's links"}}], (2950, 70))
c, r = bash_result("scripts/check-links.sh docs\nlinks ok")
t.tool_result("2026-11-24T15:26:31.006Z", bash_id, c, r)
t.assistant("2026-11-24T15:26:34.771Z", [{"type": "text", "text": "It didn't: only docs/index.md linked to the deploy page. Step 3 of docs/onboarding.md now ends with \"[Deploying the handbook](deploy.md) explains how.\", and `make check` still reports no broken links."}], (3040, 70))
t.turn_done("2026-11-24T15:26:34.810Z", 16733)
t.write()

# ---------------- dotfiles, 16:35: the slow shell start ----------------
root = "/home/demo/src/dotfiles"
bashrc_path = root + "/bashrc"
bashrc = """# ~/.bashrc (linked from ~/src/dotfiles/bashrc)
[ -z "$PS1" ] && return

HISTSIZE=50000
HISTCONTROL=ignoredups:erasedups
shopt -s histappend

export EDITOR=vim
export PATH="$HOME/.local/bin:$PATH"

# node
export NVM_DIR="$HOME/.nvm"
[ -s "$NVM_DIR/nvm.sh" ] && . "$NVM_DIR/nvm.sh"
nvm use --silent default

# python
eval "$(pyenv init -)"

alias ll='ls -lh'
alias gs='git status --short'
PS1='\\u@\\h:\\w\\$ '
"""
t = Transcript("b7e41d09-52ac-4f3e-8d6a-1c9e0f2a3b45", root)
t.prompt("2026-11-24T16:35:09.264Z", "A new terminal takes about two seconds before I get a prompt. Can you find out why from my bashrc and fix it?")
time_id = t.tool_id()
t.assistant("2026-11-24T16:35:12.730Z", [{"type": "text", "text": "Let me measure an interactive start first, then look at the bashrc."},
    {"type": "tool_use", "id": time_id, "name": "Bash", "input": {"command": "for i in 1 2 3; do /usr/bin/time -f %es bash -i -c exit; done", "description": "Time three interactive shell starts"}}], (14, 110))
c, r = bash_result("", "2.08s\n1.97s\n2.02s")
t.tool_result("2026-11-24T16:35:19.105Z", time_id, c, r)
read_id = t.tool_id()
t.assistant("2026-11-24T16:35:21.442Z", [{"type": "tool_use", "id": read_id, "name": "Read", "input": {"file_path": bashrc_path}}], (1460, 60))
c, r = read_result(bashrc_path, bashrc)
t.tool_result("2026-11-24T16:35:21.655Z", read_id, c, r)
prof_id = t.tool_id()
t.assistant("2026-11-24T16:35:26.318Z", [{"type": "text", "text": "Two suspects: nvm (loading nvm.sh and `nvm use` on every start) and `pyenv init`. Timing each on its own:"},
    {"type": "tool_use", "id": prof_id, "name": "Bash", "input": {"command": "/usr/bin/time -f 'nvm %es' bash -c '. ~/.nvm/nvm.sh; nvm use --silent default'; /usr/bin/time -f 'pyenv %es' bash -c 'eval \"$(pyenv init -)\"'", "description": "Time nvm and pyenv separately"}}], (1890, 150))
c, r = bash_result("", "nvm 1.71s\npyenv 0.14s")
t.tool_result("2026-11-24T16:35:29.870Z", prof_id, c, r)
old = """export NVM_DIR="$HOME/.nvm"
[ -s "$NVM_DIR/nvm.sh" ] && . "$NVM_DIR/nvm.sh"
nvm use --silent default"""
new = """# nvm costs ~1.7 s to load: put the default node on PATH now and load nvm itself only
# the first time nvm, node, npm or npx is run.
export NVM_DIR="$HOME/.nvm"
default_node=$(ls -d "$NVM_DIR"/versions/node/v* 2>/dev/null | sort -V | tail -1)
[ -n "$default_node" ] && export PATH="$default_node/bin:$PATH"
nvm() { unset -f nvm; . "$NVM_DIR/nvm.sh"; nvm "$@"; }"""
edit_id = t.tool_id()
t.assistant("2026-11-24T16:35:37.992Z", [{"type": "text", "text": "nvm is 1.7 of the 2 seconds. I'll put the newest installed node on PATH directly and load nvm lazily, the first time you call it."},
    {"type": "tool_use", "id": edit_id, "name": "Edit", "input": {"file_path": bashrc_path, "old_string": old, "new_string": new}}], (2260, 260))
bashrc, c, r = edit_result(bashrc_path, bashrc, old, new)
t.tool_result("2026-11-24T16:35:38.731Z", edit_id, c, r)
again_id = t.tool_id()
t.assistant("2026-11-24T16:35:41.205Z", [{"type": "tool_use", "id": again_id, "name": "Bash", "input": {"command": "for i in 1 2 3; do /usr/bin/time -f %es bash -i -c exit; done; bash -i -c 'node --version'", "description": "Time the shell start again and check node"}}], (2610, 90))
c, r = bash_result("v22.11.0", "0.31s\n0.29s\n0.30s")
t.tool_result("2026-11-24T16:35:43.118Z", again_id, c, r)
t.assistant("2026-11-24T16:35:48.460Z", [{"type": "text", "text": "Found it: loading nvm took 1.7 s of the 2 s start (pyenv only 0.14 s).\n\nIn `bashrc` the newest installed node now goes straight onto PATH, and nvm itself is loaded the first time you run `nvm`. A new shell starts in about 0.3 s and `node --version` still prints v22.11.0. Open a new terminal to pick it up; `nvm use` works as before, it just loads on first use."}], (2790, 140))
t.turn_done("2026-11-24T16:35:48.500Z", 39236)
t.write()
