// @ts-check
/**
 * A server for the benchmark, run in its own process so its RSS and restart time
 * mean something, and so the bare baseline and the hub share one process topology
 * (server in a child, clients in the parent).
 *
 *   node test/bench/hub-process.js hub  <dataDir> [port]   the real hub (SQLite in dataDir)
 *   node test/bench/hub-process.js bare [port]             bare socket.io 4.8, namespace /bench, event `echo`
 *
 * Prints `listening on http://127.0.0.1:N` when ready. Under `fork` it also sends
 * `{type:'ready', port, url, agentToken?}` over IPC and answers
 * `{type:'pair-code'}` → `{type:'pair-code', code}` and `{type:'memory'}` → `{type:'memory', ...process.memoryUsage()}`;
 * `{type:'stop'}` (or SIGTERM) stops the server and exits. It exits by itself when the parent goes away.
 *
 * SIGNOFF_BENCH_HUB_MODULE=/abs/path/to/hub/index.js benchmarks another build of the hub
 * (for A/B comparisons while optimising); the default is the workspace's `@signoff/desktop/hub`.
 */
import { createServer } from 'node:http';

const HOST = '127.0.0.1';
const [mode, ...args] = process.argv.slice(2);

/** @param {unknown} message */
function tell(message) {
  if (process.send) process.send(message);
}

/**
 * @param {unknown} error
 * @returns {never}
 */
function die(error) {
  console.error('[bench server]', error);
  process.exit(1);
}

/** @type {() => Promise<void>} */
let stop = async () => {};
/** @type {() => { code: string } | null} */
let pairCode = () => null;
let stopping = false;

async function shutdown() {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(0), 3000);
  force.unref();
  try {
    await stop();
  } finally {
    process.exit(0);
  }
}

process.on('message', (raw) => {
  const message = /** @type {{ type?: string }} */ (raw);
  if (message?.type === 'pair-code') tell({ type: 'pair-code', code: pairCode()?.code ?? null });
  else if (message?.type === 'memory') tell({ type: 'memory', ...process.memoryUsage() });
  else if (message?.type === 'stop') void shutdown();
});
// No orphans: when the parent dies or closes the channel, go.
process.on('disconnect', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

if (mode === 'bare') {
  const { Server } = await import('socket.io');
  const port = Number(args[0] ?? 0);
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  io.of('/bench').on('connection', (socket) => {
    socket.on('echo', (payload, ack) => {
      if (typeof ack === 'function') ack({ ok: true, data: payload });
    });
  });
  await new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, HOST, () => resolve(undefined));
  }).catch(die);
  const address = /** @type {import('node:net').AddressInfo} */ (http.address());
  const url = `http://${HOST}:${address.port}`;
  stop = () =>
    new Promise((resolve) => {
      io.disconnectSockets(true);
      io.close(() => resolve());
      http.closeAllConnections();
    });
  console.log(`bare socket.io listening on ${url}`);
  tell({ type: 'ready', port: address.port, url });
} else if (mode === 'hub') {
  const [dataDir, portArg] = args;
  if (!dataDir) die(new Error('usage: hub-process.js hub <dataDir> [port]'));
  const hubModule = process.env.SIGNOFF_BENCH_HUB_MODULE || '@signoff/desktop/hub';
  const { createHub } = /** @type {typeof import('@signoff/desktop/hub')} */ (await import(hubModule));
  const { silentLogger } = await import('@signoff/shared');
  // The benchmark measures how fast the hub works, not how it refuses: the agent limits
  // (10 creates/s per agentId, 100/s per token by default) are lifted far out of reach.
  const unlimited = 1_000_000;
  const limits = {
    pendingPerAgentId: unlimited * 1000,
    pendingPerToken: unlimited * 1000,
    pendingBytesPerAgentId: Number.MAX_SAFE_INTEGER,
    pendingBytesPerToken: Number.MAX_SAFE_INTEGER,
    createsPerSecondPerAgentId: unlimited,
    createBurstPerAgentId: unlimited,
    createsPerSecondPerToken: unlimited,
    createBurstPerToken: unlimited,
  };
  const hub = createHub({ dataDir: /** @type {string} */ (dataDir), port: Number(portArg ?? 0), logger: silentLogger, limits });
  const { port, url } = await hub.start().catch(die);
  stop = () => hub.stop();
  pairCode = () => hub.createPairingCode();
  console.log(`listening on ${url}`);
  tell({ type: 'ready', port, url, agentToken: hub.agentToken });
} else {
  die(new Error(`unknown mode ${JSON.stringify(mode)}: use hub or bare`));
}
