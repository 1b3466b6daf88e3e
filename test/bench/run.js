// @ts-check
/**
 * Signoff hub benchmark (`npm run bench`). Plain Node, no test runner.
 *
 * Topology, the same for the baseline and the hub: the server runs in a child
 * process (test/bench/hub-process.js), every client runs here, all on 127.0.0.1,
 * all clients with `transports: ['websocket']`.
 *
 *  1. Baseline: bare socket.io 4.8 — sequential emitWithAck round trip (p50/p99)
 *     and acks/s with 100 concurrent clients.
 *  2. Decision round trip, sequential: agent `request:create` → approver bot gets
 *     `request:new` → `request:respond` → agent gets `request:decided`.
 *     p50_ratio = p50 / (2 × bare p50); p99_ratio likewise.
 *  3. Throughput: 100 concurrent agents, one approver bot; decided/s ÷ bare acks/s.
 *  2r, 3r. Rule-decided requests: the hub's data dir holds a policy.yaml whose allow
 *     rule matches a Claude Code hook's `Bash: npm test -- --run` (shell-aware command
 *     matching, guardrails on), so the hub decides inside `request:create` and the create
 *     ack is the decision. rule_p50_ratio = create ack p50 / bare p50 (one round trip
 *     each); rule_throughput_ratio = rule-decided/s with 100 agents ÷ bare acks/s. Every
 *     such ack must come back resolved, approved, `via: 'rule'`, else the bench fails.
 *     1–3r run both servers at once and alternate between bare, decisions and rule
 *     decisions (ABBA: forward, then reverse order), so background load drifting during
 *     the run lands on both sides of each ratio.
 *  4. Fresh hub with 1,000 connected agents and 10,000 pending requests: hub RSS,
 *     approver snapshot time, and restart time after killing the hub (SIGKILL)
 *     until `/api/v1/health` answers.
 *
 *  5. The audit log (audit.js): settle time with the append, and `verify` over 100,000 entries.
 *
 * Prints a table, then as its last lines:
 *   bench: p50_ratio=X p99_ratio=Y throughput_ratio=Z rss_mb=R snapshot_ms=S restart_ms=T rule_p50_ratio=U rule_throughput_ratio=V
 *   audit: audit_verify_ms_per_10k=X settle_us=Y last_entry_us=Z
 * Targets are informational: exit code 0 unless something errors.
 *
 * Env: SIGNOFF_BENCH_SERVER_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" passes node
 * flags to the server children (for profiling); SIGNOFF_BENCH_HUB_MODULE=/abs/hub/index.js
 * benchmarks another build of the hub (A/B comparisons, see hub-process.js).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { auditLine, benchAudit } from './audit.js';
import { children, cleanupSync, tempDirs } from './cleanup.js';

/** @typedef {import('socket.io-client').Socket} Socket */
/** @typedef {import('node:child_process').ChildProcess} ChildProcess */
/** @typedef {{ child: ChildProcess, port: number, url: string, agentToken: string }} Server */

const HERE = dirname(fileURLToPath(import.meta.url));
const SERVER_SCRIPT = join(HERE, 'hub-process.js');
const HOST = '127.0.0.1';
const SERVER_ARGS = (process.env.SIGNOFF_BENCH_SERVER_ARGS ?? '').split(/\s+/).filter(Boolean);

const CONFIG = {
  /**
   * Sequential round trips (bare acks, hub decisions, rule-decided creates): warm-up, then
   * `seqCount` measured of each, in `seqBlocks` blocks alternating between them (ABBA order)
   * so all see the same machine: other load drifting during the run lands on both sides of
   * each ratio.
   */
  seqWarmup: 1_000,
  decisionWarmup: 500,
  seqCount: 5_000,
  seqBlocks: 10,
  /**
   * Throughput: `concurrency` clients / agents each loop for a ramp-up, then a measured
   * window; `throughputRounds` rounds alternating bare and hub (ABBA), windows summed.
   */
  concurrency: 100,
  throughputRounds: 2,
  throughputFirstRampMs: 1_500,
  throughputRampMs: 500,
  throughputMeasureMs: 2_000,
  /** Hard cap per client in a throughput run, so no loop is unbounded. */
  maxOpsPerClient: 1_000_000,
  /** The memory / snapshot / restart scenario. */
  memAgents: 1_000,
  memPending: 10_000,
  connectBatch: 50,
  snapshotRuns: 3,
  /** Settle time before reading RSS. */
  settleMs: 1_000,
  /** Any single ack or push. */
  opTimeoutMs: 10_000,
  /** Any whole phase. */
  phaseTimeoutMs: 90_000,
  serverStartTimeoutMs: 15_000,
  restartTimeoutMs: 15_000,
};

const TARGETS = {
  p50_ratio: { max: 2 },
  p99_ratio: { max: 3 },
  throughput_ratio: { min: 0.3 },
  rss_mb: { max: 200 },
  snapshot_ms: { max: 300 },
  restart_ms: { max: 1000 },
  rule_p50_ratio: { max: 2 },
  rule_throughput_ratio: { min: 0.3 },
};

// ---------------------------------------------------------------------------
// Small helpers

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Rejects if `promise` has not settled within `ms`.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} label
 * @returns {Promise<T>}
 */
function withDeadline(promise, ms, label) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: no result within ${ms} ms`)), ms);
  });
  return /** @type {Promise<T>} */ (Promise.race([promise, timeout]).finally(() => clearTimeout(timer)));
}

/**
 * @param {number[]} samples
 */
function summarize(samples) {
  const sorted = Float64Array.from(samples).sort();
  /** @param {number} p */
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
  let sum = 0;
  for (const x of sorted) sum += x;
  return { n: sorted.length, p50: pct(0.5), p99: pct(0.99), mean: sum / sorted.length, max: sorted[sorted.length - 1] ?? NaN };
}

/** @param {number[]} xs */
const median = (xs) => summarize(xs).p50;

/**
 * A realistic approval request, also used (echoed) as the bare baseline's payload.
 * @param {number} agent
 * @param {number} n
 */
function requestPayload(agent, n) {
  return {
    kind: 'approval',
    title: `Deploy build ${n} to staging`,
    body: 'The agent wants to run the staging deploy script. **Tests passed** on the last commit.',
    severity: 'medium',
    agentId: `bench-agent-${agent}`,
    runId: `bench-run-${agent}`,
    action: { name: 'shell', args: { command: 'npm run deploy -- --env staging' } },
    reversible: true,
  };
}

/** The policy rule that decides the rule-decided requests, written to the bench hub's policy.yaml. */
const BENCH_RULE = 'bench tests';
const BENCH_POLICY = `# Written by test/bench/run.js: the rule-decided requests of phases 2r and 3r.
rules:
  - name: ${BENCH_RULE}
    when: { agent: "bench-rule-*", action: Bash, command: "npm test*" }
    then: allow
`;

let toolUses = 0;

/**
 * What the Claude Code hook sends for `npm test -- --run` (see `hookRequest`), from agent
 * `bench-rule-N`: matched by {@link BENCH_POLICY}'s allow rule, so decided inside `request:create`.
 * @param {number} agent
 */
function ruleRequestPayload(agent) {
  const session = `bench-session-${agent}`;
  return {
    kind: 'approval',
    title: 'Bash: npm test -- --run',
    body: '```sh\nnpm test -- --run\n```\n\nRun the unit tests once',
    severity: 'low',
    agentId: `bench-rule-${agent}`,
    runId: session,
    idempotencyKey: `toolu_bench_${process.pid}_${++toolUses}`,
    context: { cwd: '/home/bench/project', session, permissionMode: 'default', hookEvent: 'PreToolUse' },
    action: { name: 'Bash', args: { command: 'npm test -- --run', description: 'Run the unit tests once' } },
    alternatives: [{ id: 'stop-claude', description: 'Reject and stop Claude here (interrupt its turn)' }],
  };
}

/**
 * Sends one rule-decided request and checks that the create ack is its decision: a bench
 * that timed pending creates (no policy read, the rule not matching) would measure nothing.
 * @param {Socket} socket
 * @param {number} agent
 */
async function createRuleDecided(socket, agent) {
  const ack = await socket.timeout(CONFIG.opTimeoutMs).emitWithAck('request:create', ruleRequestPayload(agent));
  if (!ack?.ok) throw new Error(`rule-decided request:create failed: ${JSON.stringify(ack?.error)}`);
  const { status, decision } = ack.data ?? {};
  if (status !== 'resolved' || decision?.via !== 'rule' || decision?.rule !== BENCH_RULE || decision?.response?.approved !== true) {
    throw new Error(
      `a request for the rule "${BENCH_RULE}" came back ${status} (decision ${JSON.stringify(decision ?? null)}), not resolved by the rule: ` +
        'does this hub read <dataDir>/policy.yaml and match `npm test -- --run`?',
    );
  }
}

// ---------------------------------------------------------------------------
// Server children and temp dirs, always cleaned up

function makeTempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'signoff-bench-'));
  tempDirs.add(dir);
  return dir;
}

/**
 * Resolves with the first IPC message of `type`; rejects if the child exits first or time runs out.
 * @param {ChildProcess} child
 * @param {string} type
 * @param {number} ms
 * @returns {Promise<any>}
 */
function nextMessage(child, type, ms) {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    /** @param {any} message */
    const onMessage = (message) => {
      if (message?.type !== type) return;
      done();
      resolve(message);
    };
    /** @param {number | null} code @param {string | null} signal */
    const onExit = (code, signal) => {
      done();
      reject(new Error(`bench server exited (${code ?? signal}) before sending ${type}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`bench server sent no ${type} within ${ms} ms`));
    }, ms);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * Forks a server child; `ready` resolves once it listens.
 * @param {string[]} args
 */
function spawnServer(args) {
  const child = fork(SERVER_SCRIPT, args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], execArgv: SERVER_ARGS });
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.stdout?.resume(); // its "listening on" line is for people running it by hand
  /** @type {Promise<Server>} */
  const ready = nextMessage(child, 'ready', CONFIG.serverStartTimeoutMs).then((m) => ({
    child,
    port: m.port,
    url: m.url,
    agentToken: m.agentToken ?? '',
  }));
  return { child, ready };
}

/**
 * @param {ChildProcess} child
 * @param {NodeJS.Signals | 'stop'} how `stop` asks it to shut down cleanly
 */
async function stopServer(child, how = 'stop') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  if (how === 'stop' && child.connected) child.send({ type: 'stop' });
  else child.kill(how === 'stop' ? 'SIGTERM' : how);
  const result = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
  if (!result) {
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * Resident set size of a child, in MB: /proc/PID/status VmRSS, else the child's own report.
 * @param {ChildProcess} child
 */
async function rssMb(child) {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // not Linux: ask the child
  }
  const reply = nextMessage(child, 'memory', CONFIG.opTimeoutMs);
  child.send({ type: 'memory' });
  return (await reply).rss / (1024 * 1024);
}

/** @param {ChildProcess} child */
async function heapMb(child) {
  const reply = nextMessage(child, 'memory', CONFIG.opTimeoutMs);
  child.send({ type: 'memory' });
  return (await reply).heapUsed / (1024 * 1024);
}

/**
 * Pairs an approver through the real flow: a code from the hub, then POST /api/v1/pair.
 * @param {Server} server
 * @param {string} name
 */
async function pairApprover(server, name) {
  const reply = nextMessage(server.child, 'pair-code', CONFIG.opTimeoutMs);
  server.child.send({ type: 'pair-code' });
  const { code } = await reply;
  const res = await fetch(`${server.url}/api/v1/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, name }),
    signal: AbortSignal.timeout(CONFIG.opTimeoutMs),
  });
  if (res.status !== 201) throw new Error(`pairing failed: ${res.status} ${await res.text()}`);
  return /** @type {{ token: string }} */ (await res.json()).token;
}

/**
 * Polls GET /api/v1/health until it answers 200.
 * @param {number} port
 * @param {number} ms
 */
async function waitForHealth(port, ms) {
  const deadline = performance.now() + ms;
  let attempts = 0;
  while (performance.now() < deadline) {
    attempts++;
    try {
      const res = await fetch(`http://${HOST}:${port}/api/v1/health`, { signal: AbortSignal.timeout(1_000) });
      const body = /** @type {{ ok?: boolean }} */ (await res.json());
      if (res.ok && body.ok) return attempts;
    } catch {
      // not listening yet
    }
    await sleep(2);
  }
  throw new Error(`hub on port ${port} did not answer /api/v1/health within ${ms} ms`);
}

// ---------------------------------------------------------------------------
// Clients

/**
 * @param {string} url
 * @param {string} namespace
 * @param {string | undefined} token
 * @returns {Promise<Socket>}
 */
function connect(url, namespace, token) {
  const socket = io(`${url}${namespace}`, {
    auth: token ? { token } : {},
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`connect ${namespace}: timed out`));
    }, CONFIG.opTimeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('connect_error');
      resolve(socket);
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(new Error(`connect ${namespace}: ${error.message}`));
    });
  });
}

/**
 * Connects `count` sockets, `batch` at a time.
 * @param {number} count
 * @param {() => Promise<Socket>} open
 */
async function connectMany(count, open, batch = CONFIG.connectBatch) {
  /** @type {Socket[]} */
  const sockets = [];
  try {
    for (let i = 0; i < count; i += batch) {
      sockets.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - i) }, open))));
    }
  } catch (error) {
    closeAll(sockets);
    throw error;
  }
  return sockets;
}

/** @param {Socket[]} sockets */
function closeAll(sockets) {
  for (const s of sockets) s.close();
}

/**
 * An agent socket that can create a request and wait for its decision.
 * @param {Socket} socket
 */
function agentClient(socket) {
  /** @type {Map<string, (decision: any) => void>} */
  const waiting = new Map();
  /** @type {Map<string, any>} */
  const early = new Map();
  socket.on('request:decided', (decision) => {
    const wake = waiting.get(decision.requestId);
    if (wake) {
      waiting.delete(decision.requestId);
      wake(decision);
    } else {
      early.set(decision.requestId, decision);
    }
  });
  return {
    socket,
    /** @param {object} payload @returns {Promise<any>} the created request */
    async create(payload) {
      const ack = await socket.timeout(CONFIG.opTimeoutMs).emitWithAck('request:create', payload);
      if (!ack?.ok) throw new Error(`request:create failed: ${JSON.stringify(ack?.error)}`);
      return ack.data;
    },
    /** @param {object} payload @returns {Promise<any>} the decision */
    async decide(payload) {
      const { id } = await this.create(payload);
      const decision = early.get(id);
      if (decision) {
        early.delete(id);
        return decision;
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`no request:decided for ${id} within ${CONFIG.opTimeoutMs} ms`));
        }, CONFIG.opTimeoutMs);
        waiting.set(id, (d) => {
          clearTimeout(timer);
          resolve(d);
        });
      });
    },
  };
}

/**
 * An approver that approves every pending request it is told about.
 * @param {Socket} socket
 */
function approverBot(socket) {
  const counts = { responded: 0, failed: 0, lastError: /** @type {unknown} */ (null), lastNewAt: 0 };
  /** @param {{ id: string, status: string }} request */
  const onNew = (request) => {
    // Requests a rule decided are announced settled, for the approvers' history.
    if (request.status !== 'pending') return;
    counts.lastNewAt = performance.now();
    socket.emit('request:respond', { id: request.id, response: { approved: true } }, (/** @type {any} */ res) => {
      if (res?.ok) counts.responded++;
      else {
        counts.failed++;
        counts.lastError = res?.error;
      }
    });
  };
  socket.on('request:new', onNew);
  return counts;
}

/**
 * CPU time (user + system, ms) a process has used so far: the child's from /proc, ours from Node.
 * @param {ChildProcess | null} child
 */
function cpuMs(child) {
  if (!child) {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
  try {
    // /proc/PID/stat: fields 14 and 15 (utime, stime) in clock ticks; comm (field 2) may hold spaces.
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/**
 * Runs `op` in a loop on every client for `rampMs`, then `measureMs`; counts ops finished
 * in the measured window, and the CPU the server child and this (client) process used.
 * @template C
 * @param {C[]} clients
 * @param {ChildProcess} server
 * @param {(client: C, index: number, n: number) => Promise<void>} op
 * @param {number} rampMs
 */
async function throughputWindow(clients, server, op, rampMs) {
  const start = performance.now();
  const from = start + rampMs;
  const to = from + CONFIG.throughputMeasureMs;
  let counted = 0;
  // CPU marks are taken by the first op to finish past `from` and past `to` (a timer could
  // fire late on a busy loop); the window between them is the one the CPU figures cover.
  /** @type {{ at: number, server: number, client: number }[]} */
  const marks = [];
  const mark = () => marks.push({ at: performance.now(), server: cpuMs(server), client: cpuMs(null) });
  await Promise.all(
    clients.map(async (client, index) => {
      for (let n = 0; n < CONFIG.maxOpsPerClient && performance.now() < to; n++) {
        await op(client, index, n);
        const done = performance.now();
        if (done >= from && marks.length === 0) mark();
        if (done >= from && done < to) counted++;
        if (done >= to && marks.length === 1) mark();
      }
    }),
  );
  const [a, b] = marks;
  if (!a || !b) throw new Error('throughput: no op finished inside the measured window');
  return { counted, ms: CONFIG.throughputMeasureMs, cpuWindowMs: b.at - a.at, serverMs: b.server - a.server, clientMs: b.client - a.client };
}

/**
 * Sums throughput windows: ops/s, cores busy (1 = one core), CPU µs per op.
 * @param {Awaited<ReturnType<typeof throughputWindow>>[]} windows
 */
function throughputSummary(windows) {
  const sum = (/** @type {(w: (typeof windows)[number]) => number} */ f) => windows.reduce((acc, w) => acc + f(w), 0);
  const counted = sum((w) => w.counted);
  const seconds = sum((w) => w.ms) / 1000;
  const cpuSeconds = sum((w) => w.cpuWindowMs) / 1000;
  const opsInCpuWindows = (counted / seconds) * cpuSeconds;
  return {
    perSec: counted / seconds,
    serverCores: sum((w) => w.serverMs) / 1000 / cpuSeconds,
    clientCores: sum((w) => w.clientMs) / 1000 / cpuSeconds,
    serverUsPerOp: (sum((w) => w.serverMs) * 1000) / Math.max(1, opsInCpuWindows),
    clientUsPerOp: (sum((w) => w.clientMs) * 1000) / Math.max(1, opsInCpuWindows),
  };
}

/**
 * Times `count` sequential runs of `op`.
 * @param {number} count
 * @param {(i: number) => Promise<void>} op
 */
async function timeEach(count, op) {
  /** @type {number[]} */
  const samples = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await op(i);
    samples.push(performance.now() - t0);
  }
  return samples;
}

// ---------------------------------------------------------------------------
// Phases

/**
 * 1–3r. Bare socket.io baseline, the hub's decisions and its rule-decided requests,
 * measured side by side: both servers run (each in its own child), and the measurements
 * alternate between them.
 */
async function benchRoundTrips() {
  const dataDir = makeTempDir();
  writeFileSync(join(dataDir, 'policy.yaml'), BENCH_POLICY);
  const bareProc = spawnServer(['bare']);
  const hubProc = spawnServer(['hub', dataDir]);
  /** @type {Socket[]} */
  const sockets = [];
  try {
    const [bare, hub] = await Promise.all([bareProc.ready, hubProc.ready]);

    // Bare: one client for round trips, `concurrency` for throughput; `echo` acks its payload.
    const one = await connect(bare.url, '/bench', undefined);
    sockets.push(one);
    const many = await connectMany(CONFIG.concurrency, () => connect(bare.url, '/bench', undefined));
    sockets.push(...many);
    /** @param {Socket} socket @param {number} n */
    const echo = async (socket, n) => {
      const res = await socket.timeout(CONFIG.opTimeoutMs).emitWithAck('echo', requestPayload(0, n));
      if (!res?.ok) throw new Error('bare echo: bad ack');
    };

    // Hub: an approver bot that approves everything, one agent for round trips, `concurrency` for throughput.
    const approver = await connect(hub.url, '/approver', await pairApprover(hub, 'bench bot'));
    sockets.push(approver);
    const bot = approverBot(approver);
    const agent = agentClient(await connect(hub.url, '/agent', hub.agentToken));
    sockets.push(agent.socket);
    const agents = (await connectMany(CONFIG.concurrency, () => connect(hub.url, '/agent', hub.agentToken))).map(agentClient);
    sockets.push(...agents.map((a) => a.socket));
    /** @param {ReturnType<typeof agentClient>} a @param {number} i @param {number} n */
    const decideOne = async (a, i, n) => {
      const decision = await a.decide(requestPayload(i, n));
      if (decision.status !== 'resolved' || decision.response?.approved !== true) {
        throw new Error(`unexpected decision ${JSON.stringify(decision)}`);
      }
    };
    // Legs of the sequential round trip, seen from here (one request in flight at a time):
    // create → the bot's request:new, and the bot's respond → the agent's request:decided.
    /** @type {[number[], number[]]} */
    const legs = [[], []];
    /** @param {number} n */
    const decideTimed = async (n) => {
      const t0 = performance.now();
      await decideOne(agent, 0, n);
      legs[0].push(bot.lastNewAt - t0);
      legs[1].push(performance.now() - bot.lastNewAt);
    };

    // Warm-up, then sequential blocks in ABBA order.
    for (let i = 0; i < CONFIG.seqWarmup; i++) await echo(one, i);
    for (let i = 0; i < CONFIG.decisionWarmup; i++) await decideOne(agent, 0, i);
    for (let i = 0; i < CONFIG.decisionWarmup; i++) await createRuleDecided(agent.socket, 0);
    legs[0].length = legs[1].length = 0;
    /** @type {number[]} */
    const bareSamples = [];
    /** @type {number[]} */
    const hubSamples = [];
    /** @type {number[]} */
    const ruleSamples = [];
    const perBlock = Math.ceil(CONFIG.seqCount / CONFIG.seqBlocks);
    let n = CONFIG.decisionWarmup;
    const bareBlock = async () => bareSamples.push(...(await timeEach(perBlock, (i) => echo(one, i))));
    const hubBlock = async () => hubSamples.push(...(await timeEach(perBlock, () => decideTimed(n++))));
    const ruleBlock = async () => ruleSamples.push(...(await timeEach(perBlock, () => createRuleDecided(agent.socket, 0))));
    for (let b = 0; b < CONFIG.seqBlocks; b++) {
      for (const block of b % 2 === 0 ? [bareBlock, hubBlock, ruleBlock] : [ruleBlock, hubBlock, bareBlock]) await block();
    }

    // Throughput rounds in ABBA order; each window starts with a ramp from idle.
    /** @type {Awaited<ReturnType<typeof throughputWindow>>[]} */
    const bareWindows = [];
    /** @type {Awaited<ReturnType<typeof throughputWindow>>[]} */
    const hubWindows = [];
    /** @type {Awaited<ReturnType<typeof throughputWindow>>[]} */
    const ruleWindows = [];
    for (let r = 0; r < CONFIG.throughputRounds; r++) {
      const ramp = r === 0 ? CONFIG.throughputFirstRampMs : CONFIG.throughputRampMs;
      const bareRound = async () => bareWindows.push(await throughputWindow(many, bare.child, (s, _i, k) => echo(s, k), ramp));
      const hubRound = async () => hubWindows.push(await throughputWindow(agents, hub.child, (a, i, k) => decideOne(a, i + 1, k), ramp));
      const ruleRound = async () => ruleWindows.push(await throughputWindow(agents, hub.child, (a, i) => createRuleDecided(a.socket, i + 1), ramp));
      for (const round of r % 2 === 0 ? [bareRound, hubRound, ruleRound] : [ruleRound, hubRound, bareRound]) await round();
    }

    const rss = await rssMb(hub.child);
    if (bot.failed > 0) throw new Error(`approver bot: ${bot.failed} responses refused, last ${JSON.stringify(bot.lastError)}`);
    const bareTp = throughputSummary(bareWindows);
    const hubTp = throughputSummary(hubWindows);
    const ruleTp = throughputSummary(ruleWindows);
    return {
      bare: { seq: summarize(bareSamples), acksPerSec: bareTp.perSec, tp: bareTp },
      hub: { seq: summarize(hubSamples), legs: legs.map(summarize), decidedPerSec: hubTp.perSec, tp: hubTp, rssAfter: rss },
      rule: { seq: summarize(ruleSamples), decidedPerSec: ruleTp.perSec, tp: ruleTp },
    };
  } finally {
    closeAll(sockets);
    await Promise.all([stopServer(bareProc.child), stopServer(hubProc.child)]);
  }
}

/**
 * Connects an approver and times until the bounded `snapshot` (first page and total)
 * arrives, then until the whole pending queue is paged in with `request:list`.
 * @param {string} url
 * @param {string} token
 */
async function timeSnapshot(url, token) {
  const t0 = performance.now();
  const socket = io(`${url}/approver`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    const snapshot = /** @type {{ requests: { id: string }[], more: boolean, total: number }} */ (
      await withDeadline(
        new Promise((resolve, reject) => {
          socket.once('snapshot', resolve);
          socket.once('connect_error', (error) => reject(error));
        }),
        CONFIG.opTimeoutMs,
        'approver snapshot',
      )
    );
    const firstMs = performance.now() - t0;
    const ids = snapshot.requests.map((r) => r.id);
    for (let more = snapshot.more; more; ) {
      const ack = await socket.timeout(CONFIG.opTimeoutMs).emitWithAck('request:list', { status: 'pending', limit: 500, before: ids.at(-1) });
      if (!ack?.ok) throw new Error(`request:list failed: ${JSON.stringify(ack?.error)}`);
      ids.push(...ack.data.requests.map((/** @type {{ id: string }} */ r) => r.id));
      more = ack.data.more && ack.data.requests.length > 0;
    }
    return { ms: firstMs, queueMs: performance.now() - t0, count: new Set(ids).size, total: snapshot.total };
  } finally {
    socket.close();
  }
}

/** 4. 1,000 agents, 10,000 pending: RSS, snapshot, restart. */
async function benchScale() {
  const dataDir = makeTempDir();
  let { child, ready } = spawnServer(['hub', dataDir]);
  /** @type {Socket[]} */
  let agents = [];
  try {
    const server = await ready;
    const approverToken = await pairApprover(server, 'bench snapshot');
    const rssIdle = await rssMb(child);
    agents = await connectMany(CONFIG.memAgents, () => connect(server.url, '/agent', server.agentToken));
    const perAgent = Math.ceil(CONFIG.memPending / CONFIG.memAgents);
    let created = 0;
    const t0 = performance.now();
    await Promise.all(
      agents.map(async (socket, i) => {
        for (let k = 0; k < perAgent && created < CONFIG.memPending; k++) {
          created++;
          const ack = await socket.timeout(CONFIG.opTimeoutMs).emitWithAck('request:create', requestPayload(i, k));
          if (!ack?.ok) throw new Error(`request:create failed: ${JSON.stringify(ack?.error)}`);
        }
      }),
    );
    const createMs = performance.now() - t0;
    await sleep(CONFIG.settleMs);
    const rss = await rssMb(child);
    const heap = await heapMb(child);

    const snapshots = [];
    const queues = [];
    for (let i = 0; i < CONFIG.snapshotRuns; i++) {
      const s = await timeSnapshot(server.url, approverToken);
      if (s.count !== CONFIG.memPending || s.total !== CONFIG.memPending) {
        throw new Error(`the approver paged in ${s.count} of ${s.total} pending requests, expected ${CONFIG.memPending}`);
      }
      snapshots.push(s.ms);
      queues.push(s.queueMs);
    }

    // Crash the hub with its agents connected, then time a fresh process on the same port and store.
    await stopServer(child, 'SIGKILL');
    closeAll(agents);
    agents = [];
    const tRestart = performance.now();
    ({ child, ready } = spawnServer(['hub', dataDir, String(server.port)]));
    const healthPolls = await waitForHealth(server.port, CONFIG.restartTimeoutMs);
    const restartMs = performance.now() - tRestart;
    const restarted = await ready;
    const afterRestart = await timeSnapshot(restarted.url, approverToken);
    if (afterRestart.count !== CONFIG.memPending) {
      throw new Error(`after restart the approver paged in ${afterRestart.count} requests, expected ${CONFIG.memPending}`);
    }
    return { rssIdle, rss, heap, createMs, snapshots, queues, restartMs, healthPolls, coldSnapshotMs: afterRestart.ms };
  } finally {
    closeAll(agents);
    await stopServer(child);
  }
}

// ---------------------------------------------------------------------------
// Report

/**
 * @param {keyof typeof TARGETS} key
 * @param {number} value
 */
function verdict(key, value) {
  const t = /** @type {{ max?: number, min?: number }} */ (TARGETS[key]);
  if (t.max !== undefined) return { target: `≤ ${t.max}`, pass: value <= t.max };
  return { target: `≥ ${t.min}`, pass: value >= /** @type {number} */ (t.min) };
}

/**
 * @param {string[][]} rows
 */
function printTable(rows) {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  const line = (/** @type {string[]} */ r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  console.log(line(rows[0] ?? []));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
}

/** @param {number} x @param {number} digits */
const fmt = (x, digits = 2) => x.toFixed(digits);

async function main() {
  const started = performance.now();
  const cpu = cpus();
  console.log(`Signoff bench — node ${process.version}, ${cpu.length} cores (${cpu[0]?.model ?? 'unknown cpu'}), server in a child process, clients here, 127.0.0.1, websocket only`);
  const load = loadavg()[0] ?? 0;
  if (load > 0.5) console.log(`note: load average ${load.toFixed(2)} before starting — other processes are using CPU; figures will be noisy`);

  console.log('\n[1-3/4] bare socket.io baseline, hub decisions and rule-decided requests, interleaved …');
  const { bare, hub, rule } = await withDeadline(benchRoundTrips(), CONFIG.phaseTimeoutMs, 'round trips and throughput');
  console.log(`      bare ack p50 ${fmt(bare.seq.p50, 3)} ms, p99 ${fmt(bare.seq.p99, 3)} ms over ${bare.seq.n}; ${Math.round(bare.acksPerSec)} acks/s with ${CONFIG.concurrency} clients`);
  console.log(`      decision p50 ${fmt(hub.seq.p50, 3)} ms, p99 ${fmt(hub.seq.p99, 3)} ms over ${hub.seq.n}; ${Math.round(hub.decidedPerSec)} decided/s with ${CONFIG.concurrency} agents`);
  console.log(`      rule-decided create p50 ${fmt(rule.seq.p50, 3)} ms, p99 ${fmt(rule.seq.p99, 3)} ms over ${rule.seq.n}; ${Math.round(rule.decidedPerSec)} rule-decided/s with ${CONFIG.concurrency} agents`);

  console.log(`[4/4] ${CONFIG.memAgents} agents, ${CONFIG.memPending} pending: RSS, snapshot, restart …`);
  const scale = await withDeadline(benchScale(), CONFIG.phaseTimeoutMs, 'scale');
  console.log(`      created ${CONFIG.memPending} in ${Math.round(scale.createMs)} ms; snapshots ${scale.snapshots.map((s) => Math.round(s)).join(', ')} ms (whole queue ${scale.queues.map((s) => Math.round(s)).join(', ')} ms); restart ${Math.round(scale.restartMs)} ms (${scale.healthPolls} health polls)`);

  console.log('[5] audit log: 10000 settles, verify over 100000 entries …');
  const audit = await withDeadline(benchAudit(), CONFIG.phaseTimeoutMs, 'audit log');

  const figures = {
    p50_ratio: hub.seq.p50 / (2 * bare.seq.p50),
    p99_ratio: hub.seq.p99 / (2 * bare.seq.p99),
    throughput_ratio: hub.decidedPerSec / bare.acksPerSec,
    rss_mb: scale.rss,
    snapshot_ms: median(scale.snapshots),
    restart_ms: scale.restartMs,
    rule_p50_ratio: rule.seq.p50 / bare.seq.p50,
    rule_throughput_ratio: rule.decidedPerSec / bare.acksPerSec,
  };

  /** @type {string[][]} */
  const rows = [['figure', 'value', 'target', 'result']];
  /** @param {string} name @param {string} value */
  const info = (name, value) => rows.push([name, value, '', 'info']);
  /** @param {string} name @param {keyof typeof TARGETS} key @param {number} digits */
  const judged = (name, key, digits) => {
    const v = verdict(key, figures[key]);
    rows.push([name, fmt(figures[key], digits), v.target, v.pass ? 'PASS' : 'FAIL']);
  };
  info('bare ack round trip p50 (ms)', fmt(bare.seq.p50, 3));
  info('bare ack round trip p99 (ms)', fmt(bare.seq.p99, 3));
  info(`bare throughput, ${CONFIG.concurrency} clients (acks/s)`, fmt(bare.acksPerSec, 0));
  info(`decision round trip p50 (ms, n=${hub.seq.n})`, fmt(hub.seq.p50, 3));
  info('decision round trip p99 (ms)', fmt(hub.seq.p99, 3));
  info('decision round trip max (ms)', fmt(hub.seq.max, 3));
  info('  leg create → request:new p50 / p99 (ms)', `${fmt(hub.legs[0]?.p50 ?? NaN, 3)} / ${fmt(hub.legs[0]?.p99 ?? NaN, 3)}`);
  info('  leg respond → request:decided p50 / p99 (ms)', `${fmt(hub.legs[1]?.p50 ?? NaN, 3)} / ${fmt(hub.legs[1]?.p99 ?? NaN, 3)}`);
  judged('p50_ratio = p50 / (2 × bare p50)', 'p50_ratio', 2);
  judged('p99_ratio = p99 / (2 × bare p99)', 'p99_ratio', 2);
  info(`bare: server / client CPU per ack (µs)`, `${fmt(bare.tp.serverUsPerOp, 0)} / ${fmt(bare.tp.clientUsPerOp, 0)}`);
  info(`hub throughput, ${CONFIG.concurrency} agents + 1 bot (decided/s)`, fmt(hub.decidedPerSec, 0));
  info(`hub: server / client CPU per decision (µs)`, `${fmt(hub.tp.serverUsPerOp, 0)} / ${fmt(hub.tp.clientUsPerOp, 0)}`);
  info(`cores busy in throughput, bare / hub (server+client)`, `${fmt(bare.tp.serverCores + bare.tp.clientCores, 2)} / ${fmt(hub.tp.serverCores + hub.tp.clientCores, 2)}`);
  judged('throughput_ratio = decided/s ÷ bare acks/s', 'throughput_ratio', 2);
  info(`rule-decided create round trip p50 (ms, n=${rule.seq.n})`, fmt(rule.seq.p50, 3));
  info('rule-decided create round trip p99 / max (ms)', `${fmt(rule.seq.p99, 3)} / ${fmt(rule.seq.max, 3)}`);
  judged('rule_p50_ratio = rule-decided p50 / bare p50', 'rule_p50_ratio', 2);
  info(`hub throughput, ${CONFIG.concurrency} agents, rule-decided (decided/s)`, fmt(rule.decidedPerSec, 0));
  info(`hub: server / client CPU per rule decision (µs)`, `${fmt(rule.tp.serverUsPerOp, 0)} / ${fmt(rule.tp.clientUsPerOp, 0)}`);
  judged('rule_throughput_ratio = rule-decided/s ÷ bare acks/s', 'rule_throughput_ratio', 2);
  info('hub RSS after phases 2-3r (MB)', fmt(hub.rssAfter, 1));
  info('hub RSS idle, fresh store (MB)', fmt(scale.rssIdle, 1));
  info(`hub heap used, ${CONFIG.memAgents} agents + ${CONFIG.memPending} pending (MB)`, fmt(scale.heap, 1));
  judged(`hub RSS, ${CONFIG.memAgents} agents + ${CONFIG.memPending} pending (MB)`, 'rss_mb', 1);
  info(`snapshot (first page) runs (ms)`, scale.snapshots.map((s) => fmt(s, 0)).join(' / '));
  judged(`approver snapshot (first page + total), median of ${CONFIG.snapshotRuns} (ms)`, 'snapshot_ms', 0);
  info(`whole queue of ${CONFIG.memPending} paged in, runs (ms)`, scale.queues.map((s) => fmt(s, 0)).join(' / '));
  info('snapshot right after restart, cold (ms)', fmt(scale.coldSnapshotMs, 0));
  judged('restart: spawn → /health answers (ms)', 'restart_ms', 0);
  console.log('');
  printTable(rows);
  console.log(`\ntotal bench time ${fmt((performance.now() - started) / 1000, 1)} s`);
  console.log(
    `bench: p50_ratio=${fmt(figures.p50_ratio, 2)} p99_ratio=${fmt(figures.p99_ratio, 2)} throughput_ratio=${fmt(figures.throughput_ratio, 2)} ` +
      `rss_mb=${fmt(figures.rss_mb, 1)} snapshot_ms=${fmt(figures.snapshot_ms, 0)} restart_ms=${fmt(figures.restart_ms, 0)} ` +
      `rule_p50_ratio=${fmt(figures.rule_p50_ratio, 2)} rule_throughput_ratio=${fmt(figures.rule_throughput_ratio, 2)}`,
  );
  console.log(auditLine(audit));
}

main().then(
  () => {
    cleanupSync();
    process.exit(0);
  },
  (error) => {
    console.error('bench failed:', error instanceof Error ? (error.stack ?? error.message) : error);
    cleanupSync();
    process.exit(1);
  },
);
