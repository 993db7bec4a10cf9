// bench/batch: the baseline — a minimal raw JSON-RPC client on ONE shared `codex app-server`.
// N conversations (threads) run concurrently, each doing T turns in sequence; every turn sends
// the same prompt and waits for its turn/completed. No retries, no checks, no ledger: the least
// work a client can do on the protocol (docs: /work/shared/spec/app-server-client.md).
//
// usage: node raw_client.mjs --codex BIN --root DIR --conversations N --turns T --prompt TEXT
//                            [--concurrency C] [-c key=value]...
// Exits 0 when every turn completed and reports "turns_completed=<n>" on stdout.
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";

function parseArgs(argv) {
  const out = { overrides: [], concurrency: 0 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i];
    if (arg === "--codex") out.codex = value();
    else if (arg === "--root") out.root = value();
    else if (arg === "--conversations") out.conversations = Number(value());
    else if (arg === "--turns") out.turns = Number(value());
    else if (arg === "--prompt") out.prompt = value();
    else if (arg === "--concurrency") out.concurrency = Number(value());
    else if (arg === "-c") out.overrides.push(value());
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!out.codex || !out.root || !out.conversations || !out.turns || !out.prompt) throw new Error("missing arguments");
  if (!out.concurrency) out.concurrency = out.conversations;
  return out;
}

const args = parseArgs(process.argv.slice(2));
const child = spawn(args.codex, ["app-server", ...args.overrides.flatMap((o) => ["-c", o])], {
  stdio: ["pipe", "pipe", "ignore"],
});
child.on("exit", (code, signal) => {
  if (!finished) {
    console.error(`app-server exited early (code ${code}, signal ${signal})`);
    process.exit(1);
  }
});
let finished = false;
let nextId = 1;
const pending = new Map(); // id -> {resolve, reject}
const turnWaiters = new Map(); // threadId -> resolve(turn)

function send(message) {
  child.stdin.write(JSON.stringify(message) + "\n");
}

function call(method, params) {
  const id = nextId++;
  send({ id, method, params });
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}

readline.createInterface({ input: child.stdout, crlfDelay: Infinity }).on("line", (line) => {
  if (!line) return;
  const message = JSON.parse(line);
  if (message.method !== undefined && message.id !== undefined) {
    // A server request: nothing is allowed in this benchmark, so decline / refuse.
    if (message.method.endsWith("requestApproval")) send({ id: message.id, result: { decision: "decline" } });
    else send({ id: message.id, error: { code: -32601, message: "not supported" } });
  } else if (message.method !== undefined) {
    if (message.method === "turn/completed") {
      const waiter = turnWaiters.get(message.params.threadId);
      if (waiter) {
        turnWaiters.delete(message.params.threadId);
        waiter(message.params.turn);
      }
    }
  } else {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(`${message.error.code}: ${message.error.message}`));
    else waiter.resolve(message.result);
  }
});

let completedTurns = 0;

async function conversation(index) {
  const cwd = path.join(args.root, `conv-${index}`);
  mkdirSync(cwd, { recursive: true });
  const started = await call("thread/start", { cwd, approvalPolicy: "never", sandbox: "workspace-write" });
  const threadId = started.thread.id;
  for (let turn = 1; turn <= args.turns; turn++) {
    const done = new Promise((resolve) => turnWaiters.set(threadId, resolve));
    await call("turn/start", { threadId, input: [{ type: "text", text: args.prompt }] });
    const result = await done;
    if (result.status !== "completed") throw new Error(`conversation ${index} turn ${turn}: ${result.status}`);
    completedTurns++;
  }
}

async function main() {
  await call("initialize", { clientInfo: { name: "bench-raw-client", version: "0.0.1" } });
  send({ method: "initialized" });
  let next = 0;
  const worker = async () => {
    while (next < args.conversations) await conversation(next++);
  };
  await Promise.all(Array.from({ length: Math.min(args.concurrency, args.conversations) }, worker));
  finished = true;
  child.stdin.end();  // the app-server exits on EOF
  console.log(`turns_completed=${completedTurns}`);
}

main().catch((error) => {
  console.error(error.message);
  finished = true;
  child.kill("SIGKILL");
  process.exit(1);
});
