// bench/batch: the official TypeScript SDK (@openai/codex-sdk, installed here by run.sh) on the
// same workload: N conversations concurrently, T turns each. The SDK runs one `codex exec`
// process per turn (`codex exec resume <thread>` after the first).
//
// usage: node sdk_client.mjs --codex BIN --root DIR --conversations N --turns T --prompt TEXT
//                            [--concurrency C] [-c key=value]...
import { mkdirSync } from "node:fs";
import path from "node:path";

import { Codex } from "@openai/codex-sdk";

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
const codex = new Codex({ codexPathOverride: args.codex, env: { ...process.env }, configOverrides: args.overrides });
let completedTurns = 0;

async function conversation(index) {
  const cwd = path.join(args.root, `conv-${index}`);
  mkdirSync(cwd, { recursive: true });
  const thread = codex.startThread({
    workingDirectory: cwd,
    sandboxMode: "workspace-write",
    approvalPolicy: "never",
    skipGitRepoCheck: true,
  });
  for (let turn = 1; turn <= args.turns; turn++) {
    await thread.run(args.prompt);
    completedTurns++;
  }
}

let next = 0;
const worker = async () => {
  while (next < args.conversations) await conversation(next++);
};
try {
  await Promise.all(Array.from({ length: Math.min(args.concurrency, args.conversations) }, worker));
  console.log(`turns_completed=${completedTurns}`);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
