// @ts-check
/**
 * Start-up benchmark for the `signoff` CLI (`npm run bench`, or on its own:
 * `node test/bench/startup.js`). Plain Node, no test runner. Needs a build.
 *
 * Every figure is a ratio to `node -e 0` measured in the same run, on the same
 * machine: absolute times on a shared machine drift too much to compare. Runs are
 * interleaved — each round spawns the baseline and every case once, in a rotating
 * order — so load drifting during the run lands on both sides of each ratio; the
 * figure is median(case) / median(baseline) over `rounds` rounds, after warm-up.
 *
 *  - hook_read_ratio: `signoff hook claude-code --allow-read-only` with a `Read`
 *    inside the project on stdin: spawn → exit (no hub needed).
 *  - hook_hub_ratio: the same hook with a `Bash` call, decided by a real hub (a child
 *    process, SQLite in a temp dir) where an approver bot, paired as a bearer
 *    approver, approves over REST: spawn → exit, the hook having printed "allow".
 *  - help_ratio: `signoff --help`, spawn → exit.
 *  - mcp_ratio: `signoff mcp`, spawn → the answer to `tools/list` (after
 *    `initialize`), read from its stdout.
 *
 * Prints one line per case, then as its last line:
 *   startup: hook_read_ratio=X hook_hub_ratio=Y help_ratio=Z mcp_ratio=W
 * Targets (issue 9, point 13) are informational: exit code 0 unless something errors.
 *
 * Env: SIGNOFF_BENCH_STARTUP_ROUNDS (default 21, at least 15); SIGNOFF_BENCH_BIN=/abs/bin/signoff.js
 * measures another build of the CLI (A/B comparisons).
 */
import { fork, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { children, cleanupSync, tempDirs } from './cleanup.js';

/** @typedef {import('node:child_process').ChildProcess} ChildProcess */

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const SIGNOFF_BIN = process.env.SIGNOFF_BENCH_BIN || join(ROOT, 'desktop/bin/signoff.js');
const HUB_SCRIPT = join(HERE, 'hub-process.js');

const ROUNDS = Math.max(15, Number(process.env.SIGNOFF_BENCH_STARTUP_ROUNDS ?? 21));
const WARMUP_ROUNDS = 2;
/** Any single run. */
const RUN_TIMEOUT_MS = 15_000;
/** How often the REST approver looks for a pending request while a hook waits. */
const APPROVER_POLL_MS = 2;

const TARGETS = { hook_read_ratio: 1.3, hook_hub_ratio: 1.5, help_ratio: 1.3, mcp_ratio: 2 };

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** @param {number[]} xs */
function median(xs) {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? /** @type {number} */ (sorted[mid]) : (/** @type {number} */ (sorted[mid - 1]) + /** @type {number} */ (sorted[mid])) / 2;
}

/** The environment every CLI run gets: nothing from the caller's Signoff set-up. */
function cliEnv(/** @type {Record<string, string>} */ extra = {}) {
  const home = mkdtempSync(join(tmpdir(), 'signoff-startup-home-'));
  tempDirs.add(home);
  return { ...process.env, SIGNOFF_URL: '', SIGNOFF_TOKEN: '', SIGNOFF_PORT: '', SIGNOFF_HOME: home, ...extra };
}

/**
 * Spawns `node args…`, writes `stdin`, and resolves with the wall time from spawn
 * to exit and what it printed. Rejects on a non-zero exit or a timeout.
 * @param {string[]} args
 * @param {{ stdin?: string, env?: NodeJS.ProcessEnv }} [options]
 * @returns {Promise<{ ms: number, stdout: string, stderr: string }>}
 */
function timeRun(args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdin.end(options.stdin ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const ms = performance.now() - started;
      clearTimeout(timer);
      children.delete(child);
      if (code !== 0) reject(new Error(`node ${args.join(' ')} exited ${code ?? signal}:\n${stdout}\n${stderr}`));
      else resolvePromise({ ms, stdout, stderr });
    });
  });
}

// ---------------------------------------------------------------------------
// A real hub and an approver that answers over REST

/**
 * @param {ChildProcess} child
 * @param {string} type
 * @returns {Promise<any>}
 */
function nextMessage(child, type) {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench hub sent no ${type}`)), RUN_TIMEOUT_MS);
    /** @param {any} message */
    const onMessage = (message) => {
      if (message?.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolvePromise(message);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`bench hub exited (${code}) before sending ${type}`)));
  });
}

async function startHub() {
  const dataDir = mkdtempSync(join(tmpdir(), 'signoff-startup-hub-'));
  tempDirs.add(dataDir);
  const child = fork(HUB_SCRIPT, ['hub', dataDir, '0'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.add(child);
  const ready = await nextMessage(child, 'ready');
  const code = nextMessage(child, 'pair-code');
  child.send({ type: 'pair-code' });
  // A bearer approver, paired through the real flow (POST /api/v1/pair with a code).
  const res = await fetch(`${ready.url}/api/v1/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: (await code).code, name: 'startup bench approver' }),
  });
  if (res.status !== 201) throw new Error(`pairing failed: ${res.status} ${await res.text()}`);
  const { token } = /** @type {{ token: string }} */ (await res.json());
  return { child, url: /** @type {string} */ (ready.url), agentToken: /** @type {string} */ (ready.agentToken), approverToken: token };
}

/**
 * Approves every pending request over REST until `stop()`: lists the pending ones
 * every {@link APPROVER_POLL_MS} ms and answers each once.
 * @param {string} url
 * @param {string} token
 */
function startRestApprover(url, token) {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  /** @type {Set<string>} */
  const answered = new Set();
  let running = true;
  let failure = /** @type {Error | undefined} */ (undefined);
  const loop = (async () => {
    while (running) {
      const res = await fetch(`${url}/api/v1/requests?status=pending&limit=20`, { headers });
      const { requests } = /** @type {{ requests: { id: string }[] }} */ (await res.json());
      for (const { id } of requests) {
        if (answered.has(id)) continue;
        answered.add(id);
        const reply = await fetch(`${url}/api/v1/requests/${id}/respond`, { method: 'POST', headers, body: JSON.stringify({ approved: true }) });
        if (reply.status !== 200) failure = new Error(`the approver could not respond: ${reply.status} ${await reply.text()}`);
        else await reply.arrayBuffer();
      }
      await sleep(APPROVER_POLL_MS);
    }
  })().catch((error) => {
    failure = error;
  });
  return {
    async stop() {
      running = false;
      await loop;
      if (failure) throw failure;
    },
  };
}

// ---------------------------------------------------------------------------
// MCP: spawn → tools/list answered

/**
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<{ ms: number }>}
 */
function timeMcpToolsList(env) {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [SIGNOFF_BIN, 'mcp'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    let buffered = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    const finish = (/** @type {Error | undefined} */ error, ms = 0) => {
      clearTimeout(timer);
      child.stdin.end();
      child.kill('SIGTERM');
      children.delete(child);
      if (error) reject(error);
      else resolvePromise({ ms });
    };
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code, signal) => finish(new Error(`signoff mcp exited (${code ?? signal}) before answering tools/list:\n${stderr}`)));
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        const message = JSON.parse(line);
        if (message.id === 1) {
          child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
          child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} })}\n`);
        } else if (message.id === 2) {
          const ms = performance.now() - started;
          child.removeAllListeners('exit');
          if (!Array.isArray(message.result?.tools) || message.result.tools.length === 0) finish(new Error(`tools/list answered without tools: ${line}`));
          else finish(undefined, ms);
        }
      }
    });
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'startup-bench', version: '1.0.0' } },
    };
    child.stdin.write(`${JSON.stringify(initialize)}\n`);
  });
}

// ---------------------------------------------------------------------------

/** @param {string} toolName @param {Record<string, unknown>} toolInput */
function hookInput(toolName, toolInput) {
  return JSON.stringify({
    session_id: 'startup-bench',
    transcript_path: join(tmpdir(), 'startup-bench.jsonl'),
    cwd: ROOT,
    hook_event_name: 'PreToolUse',
    tool_name: toolName,
    tool_input: toolInput,
    permission_mode: 'default',
  });
}

/** @param {string} stdout @param {string} label */
function expectAllow(stdout, label) {
  const decision = JSON.parse(stdout).hookSpecificOutput?.permissionDecision;
  if (decision !== 'allow') throw new Error(`${label}: expected the hook to allow, it printed ${stdout}`);
}

async function main() {
  const hub = await startHub();
  const approver = startRestApprover(hub.url, hub.approverToken);
  const offline = cliEnv();
  const online = cliEnv({ SIGNOFF_URL: hub.url, SIGNOFF_TOKEN: hub.agentToken });
  const readInput = hookInput('Read', { file_path: join(ROOT, 'README.md') });
  let call = 0;

  /** @type {Record<string, () => Promise<number>>} */
  const cases = {
    baseline: async () => (await timeRun(['-e', '0'])).ms,
    help: async () => (await timeRun([SIGNOFF_BIN, '--help'], { env: offline })).ms,
    hook_read: async () => {
      const run = await timeRun([SIGNOFF_BIN, 'hook', 'claude-code', '--allow-read-only'], { env: offline, stdin: readInput });
      expectAllow(run.stdout, 'hook_read');
      return run.ms;
    },
    hook_hub: async () => {
      // A new command each time, so the hub never answers from an idempotency key.
      const input = hookInput('Bash', { command: `echo startup-bench-${++call}` });
      const run = await timeRun([SIGNOFF_BIN, 'hook', 'claude-code', '--allow-read-only', '--timeout', '30s'], { env: online, stdin: input });
      expectAllow(run.stdout, 'hook_hub');
      return run.ms;
    },
    mcp: async () => (await timeMcpToolsList(offline)).ms,
  };
  const names = Object.keys(cases);
  /** @type {Record<string, number[]>} */
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    // Rotate the order so no case always follows the same one.
    for (let i = 0; i < names.length; i++) {
      const name = /** @type {string} */ (names[(round + i) % names.length]);
      const ms = await /** @type {() => Promise<number>} */ (cases[name])();
      if (round >= WARMUP_ROUNDS) /** @type {number[]} */ (samples[name]).push(ms);
    }
  }
  await approver.stop();
  hub.child.send({ type: 'stop' });

  const base = median(/** @type {number[]} */ (samples.baseline));
  const ratio = (/** @type {string} */ name) => median(/** @type {number[]} */ (samples[name])) / base;
  const figures = {
    hook_read_ratio: ratio('hook_read'),
    hook_hub_ratio: ratio('hook_hub'),
    help_ratio: ratio('help'),
    mcp_ratio: ratio('mcp'),
  };
  const label = { hook_read_ratio: 'hook, auto-allowed Read', hook_hub_ratio: 'hook, decided by the hub', help_ratio: 'signoff --help', mcp_ratio: 'mcp spawn → tools/list' };
  console.log(`node -e 0 (baseline)              median ${base.toFixed(1)} ms over ${ROUNDS} runs`);
  for (const [key, value] of Object.entries(figures)) {
    const name = /** @type {keyof typeof figures} */ (key);
    const ms = value * base;
    const verdict = value <= TARGETS[name] ? 'ok' : 'OVER';
    console.log(`${label[name].padEnd(34)} median ${ms.toFixed(1)} ms  ${value.toFixed(2)}× (target ≤ ${TARGETS[name]}×) ${verdict}`);
  }
  console.log(`startup: ${Object.entries(figures).map(([k, v]) => `${k}=${v.toFixed(2)}`).join(' ')}`);
}

main().then(
  () => {
    cleanupSync();
    process.exit(0);
  },
  (error) => {
    console.error('[startup bench]', error);
    cleanupSync();
    process.exit(1);
  },
);
