#!/usr/bin/env python3
"""Synthetic session histories for bench/prepare: Codex 0.169.0-shaped rollouts and Claude Code
project sessions (record shapes copied from tests/fixtures), about SIZE bytes in COUNT files,
deterministic for a given seed. Every file has turns on the bench day (2026-05-12 UTC) plus
turns on the days around it, so prepare must read, index, copy and checksum all of them.

usage: generate_sessions.py OUT_DIR [--files 2000] [--bytes 1073741824] [--seed 1]
"""
import argparse, base64, json, os, random, uuid

def dump(record):
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"

def ts(day, seconds):
    h, rem = divmod(int(seconds), 3600)
    m, s = divmod(rem, 60)
    millis = int(round((seconds - int(seconds)) * 1000))
    return f"2026-05-{day:02d}T{h:02d}:{m:02d}:{s:02d}.{millis:03d}Z"

def tool_output(rng, size):
    line = "src/module_%d.cpp:%d: warning: unused variable 'x' [-Wunused] \"quoted\" \\path\n"
    out, n = [], 0
    while n < size:
        piece = line % (rng.randrange(1000), rng.randrange(5000))
        out.append(piece)
        n += len(piece)
    return "".join(out)

def codex_session(rng, target_bytes, project):
    sid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    lines = [dump({"timestamp": ts(11, 80000), "type": "session_meta", "payload": {
        "session_id": sid, "id": sid, "timestamp": ts(11, 80000), "cwd": project, "originator": "codex_exec",
        "cli_version": "0.169.0", "source": "exec", "thread_source": "user", "model_provider": "openai",
        "base_instructions": {"text": "You are a coding agent running in the Codex CLI. " * 40}}})]
    size, turn = len(lines[0]), 0
    while size < target_bytes:
        turn += 1
        day = 12 if turn % 4 else rng.choice((11, 13))
        t = rng.randrange(3600, 80000)
        prompt = f"Turn {turn}: please fix the failing test in {project} and explain the cause."
        turn_lines = [
            {"timestamp": ts(day, t), "type": "event_msg", "payload": {"type": "task_started", "turn_id": f"t{turn}"}},
            {"timestamp": ts(day, t), "type": "response_item", "payload": {"type": "message", "role": "developer",
             "content": [{"type": "input_text", "text": "<permissions instructions>sandbox: workspace-write</permissions instructions>"}]}},
            {"timestamp": ts(day, t), "type": "response_item", "payload": {"type": "message", "role": "user",
             "content": [{"type": "input_text", "text": f"<environment_context>\n  <cwd>{project}</cwd>\n</environment_context>"}],
             "internal_chat_message_metadata_passthrough": {"content_item_metadata": [{"provenance": {"type": "harness"}}]}}},
            {"timestamp": ts(day, t), "type": "turn_context", "payload": {"cwd": project, "model": "gpt-5"}},
            {"timestamp": ts(day, t + 0.01), "type": "response_item", "payload": {"type": "message", "role": "user",
             "content": [{"type": "input_text", "text": prompt}],
             "internal_chat_message_metadata_passthrough": {"content_item_metadata": [{"provenance": {"type": "user"}}]}}},
            {"timestamp": ts(day, t + 0.011), "type": "event_msg", "payload": {"type": "item_completed",
             "item": {"type": "UserMessage", "content": [{"type": "text", "text": prompt}]}}},
        ]
        for step in range(rng.randrange(2, 6)):
            s = t + 1 + step * 7
            turn_lines += [
                {"timestamp": ts(day, s), "type": "response_item", "payload": {"type": "reasoning", "summary": [],
                 "encrypted_content": base64.b64encode(rng.randbytes(rng.randrange(800, 4000))).decode()}},
                {"timestamp": ts(day, s + 1), "type": "response_item", "payload": {"type": "function_call",
                 "name": "exec_command", "arguments": json.dumps({"cmd": "ninja -C build && ctest"}), "call_id": f"c{turn}-{step}"}},
                {"timestamp": ts(day, s + 3), "type": "response_item", "payload": {"type": "function_call_output",
                 "call_id": f"c{turn}-{step}", "output": tool_output(rng, rng.randrange(4000, 60000))}},
                {"timestamp": ts(day, s + 3.1), "type": "event_msg", "payload": {"type": "token_count",
                 "info": {"total_token_usage": {"input_tokens": 1000 * step, "output_tokens": 50 * step}}}},
            ]
        turn_lines += [
            {"timestamp": ts(day, t + 50), "type": "response_item", "payload": {"type": "message", "role": "assistant",
             "content": [{"type": "output_text", "text": "Fixed: the test relied on map ordering. " * 5}]}},
            {"timestamp": ts(day, t + 50.1), "type": "event_msg", "payload": {"type": "task_complete", "turn_id": f"t{turn}"}},
        ]
        for record in turn_lines:
            text = dump(record)
            lines.append(text)
            size += len(text)
    return sid, lines

def claude_session(rng, target_bytes, project):
    sid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    lines, size, turn, parent = [], 0, 0, None
    def base(kind, u, when):
        return {"parentUuid": parent, "isSidechain": False, "userType": "external", "cwd": project, "sessionId": sid,
                "version": "2.0.14", "gitBranch": "main", "type": kind, "uuid": u, "timestamp": when}
    while size < target_bytes:
        turn += 1
        day = 12 if turn % 4 else rng.choice((11, 13))
        t = rng.randrange(3600, 80000)
        records = []
        u = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        records.append(dict(base("user", u, ts(day, t)), message={"role": "user", "content": f"Turn {turn}: refactor the parser."}))
        parent = u
        for step in range(rng.randrange(2, 6)):
            a = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            records.append(dict(base("assistant", a, ts(day, t + step * 5 + 1)), message={"role": "assistant", "content": [
                {"type": "tool_use", "id": f"toolu_{turn}_{step}", "name": "Bash", "input": {"command": "make test"}}]}))
            r = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            records.append(dict(base("user", r, ts(day, t + step * 5 + 3)), message={"role": "user", "content": [
                {"tool_use_id": f"toolu_{turn}_{step}", "type": "tool_result", "content": tool_output(rng, rng.randrange(4000, 60000))}]},
                toolUseResult={"stdout": "ok"}, sourceToolAssistantUUID=a))
            parent = r
        for record in records:
            text = dump(record)
            lines.append(text)
            size += len(text)
    return sid, lines

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--bytes", type=int, default=1 << 30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    per_file = args.bytes // args.files
    total = 0
    for i in range(args.files):
        project = f"/bench/projects/project-{i % 40:02d}"
        target = int(per_file * rng.uniform(0.5, 1.5))
        if i % 4 == 3:
            sid, lines = claude_session(rng, target, project)
            path = os.path.join(args.out, "claude", f"-bench-projects-project-{i % 40:02d}", f"{sid}.jsonl")
        else:
            sid, lines = codex_session(rng, target, project)
            path = os.path.join(args.out, "codex", "2026", "05", "11", f"rollout-2026-05-11T22-13-20-{sid}.jsonl")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(lines)
        total += sum(len(l) for l in lines)
    print(f"wrote {args.files} files, {total / (1 << 20):.0f} MiB under {args.out}")

if __name__ == "__main__":
    main()
