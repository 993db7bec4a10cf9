#!/usr/bin/env python3
"""Cold start of `diary mcp serve` to its `initialize` answer, and the request round trip of a
running server, measured from a client's side over real pipes.

usage: cold_start.py DIARY [RUNS]   (default 50 runs)

Each run: spawn `diary mcp serve`, write one initialize line, time until the answer line is
read, then close stdin and reap. The same is done with `cat` (echoing the line back) as the
floor of this harness (Python's spawn + pipes). Then one server answers 2000 sequential pings.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

INIT = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                   "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                              "clientInfo": {"name": "bench", "version": "0"}}}) + "\n"


def one_start(argv, env):
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, bufsize=0)
    proc.stdin.write(INIT.encode())
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    proc.stdin.close()
    proc.wait(timeout=10)
    if not line:
        raise SystemExit(f"no answer from {argv}")
    return elapsed * 1000, line


def summary(label, values, unit):
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    print(f"{label:<48} min {values[0]:7.2f} {unit}  median {statistics.median(values):7.2f}  "
          f"p95 {p95:7.2f}  max {values[-1]:7.2f}")


def main():
    diary = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    workspace = tempfile.mkdtemp(prefix="bench-mcp-")
    env = {"PATH": "/usr/bin:/bin", "DIARY_WORKSPACE": workspace}
    serve = [diary, "mcp", "serve"]
    _, answer = one_start(serve, env)  # warm the page cache once
    reply = json.loads(answer)
    assert reply["result"]["serverInfo"]["name"] == "diary", reply
    diary_ms = [one_start(serve, env)[0] for _ in range(runs)]
    floor_ms = [one_start(["/bin/cat"], env)[0] for _ in range(runs)]
    print(f"runs: {runs}; load average: {open('/proc/loadavg').read().split()[:3]}")
    summary("cold start -> initialize answer (diary mcp serve)", diary_ms, "ms")
    summary("harness floor (same with /bin/cat echoing)", floor_ms, "ms")

    proc = subprocess.Popen(serve, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, bufsize=0)
    proc.stdin.write(INIT.encode())
    proc.stdout.readline()
    rounds = []
    for i in range(2000):
        line = json.dumps({"jsonrpc": "2.0", "id": i + 2, "method": "ping"}).encode() + b"\n"
        start = time.perf_counter()
        proc.stdin.write(line)
        proc.stdout.readline()
        rounds.append((time.perf_counter() - start) * 1e6)
    proc.stdin.close()
    proc.wait(timeout=10)
    summary("ping round trip on a running server", rounds, "us")
    os.rmdir(workspace)


if __name__ == "__main__":
    main()
