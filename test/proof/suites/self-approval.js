// @ts-check
/**
 * The self-approval chain of issue 8, scripted end to end with a real hub, the built
 * extension in Chromium, the CLI, and an impostor on the hub's port. The agent holds only
 * the agent token and tries, in order:
 *
 * 1. to crash the hub by storing huge pending `edit` requests (it once died building the
 *    approver snapshot and again at every restart);
 * 2. while the hub is down, to capture approver credentials by listening on its port:
 *    the extension reconnects to it, `signoff list` dials it, `signoff pair` looks for it;
 * 3. with the real hub back, to approve its own "Wipe production" request with whatever
 *    it captured, with its own token, by replaying handshakes and by pairing.
 *
 * Held when the hub stays up and serves snapshots, the impostor records nothing but
 * nonces and surface names (no token, no proof, no pairing code), every attempt of step 3
 * is refused, the request is still pending afterwards, and the extension reconnects to
 * the real hub.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { connectSocket, emitAck, rest, tryConnect } from '../lib/clients.js';
import { launchPairedExtension, requireExtensionBuild } from '../lib/browser.js';
import { runCli } from '../lib/hub-process.js';
import { runPool, sleep } from '../lib/processes.js';

/** About the size of the requests in the original report (240 KB): a draft at its 200,000-character limit and 40 KB of context. */
const DRAFT = 'x'.repeat(199_000);
const CONTEXT = { notes: 'y'.repeat(40_000) };

/** @type {import('../run.js').Scenario} */
export default {
  name: 'chain',
  title: 'Self-approval chain',
  budgetMs: { full: 4 * 60_000, quick: 3 * 60_000 },
  async run(ctx) {
    requireExtensionBuild();
    const tried = [];
    const held = [];
    const failed = [];
    const hub = await ctx.startHub('chain');
    const agentToken = hub.agentToken;
    const wipe = await rest(`${hub.url}/api/v1/requests`, {
      method: 'POST',
      token: agentToken,
      body: { kind: 'approval', title: 'Wipe production', severity: 'critical', agentId: 'hostile', action: { name: 'db.wipe', args: { env: 'prod' } }, reversible: false },
    });
    if (wipe.status !== 201) throw new Error(`could not create the request: ${wipe.status} ${wipe.text}`);
    const wipeId = /** @type {string} */ (wipe.json.id);

    // The person's approvers: the extension, and this terminal (`signoff pair --save`).
    const extension = await launchPairedExtension(hub);
    const saved = await runCli(['pair', '--save', '--data-dir', hub.dataDir, '--port', String(hub.port)], { env: { SIGNOFF_HOME: hub.dataDir } });
    if (saved.code !== 0) throw new Error(`signoff pair --save failed: ${saved.stderr}`);

    // 1. Store as much as the hub lets one agent store, as fast as it can, under many agentIds.
    const floodMs = ctx.quick ? 8_000 : 40_000;
    const attempts = ctx.quick ? 400 : 2_300;
    let accepted = 0;
    let refused = 0;
    const deadline = Date.now() + floodMs;
    // Eight at once: a hostile agent does not wait for one answer before the next.
    await runPool(Array.from({ length: attempts }, (_, i) => i), 8, async (i) => {
      if (Date.now() > deadline) return;
      const res = await rest(`${hub.url}/api/v1/requests`, {
        method: 'POST',
        token: agentToken,
        body: { kind: 'edit', title: `Flood ${i}`, agentId: `flood-${i % 40}`, timeoutMs: 7 * 24 * 3600 * 1000, draft: { format: 'text', content: DRAFT }, context: CONTEXT },
      });
      if (res.status === 201) accepted += 1;
      else if (res.status === 429 || res.status === 413) refused += 1;
      else if (failed.length < 3) failed.push(`flood: unexpected ${res.status}: ${res.text.slice(0, 200)}`);
    });
    tried.push(`1. ${accepted + refused} edit requests of 240 KB under 40 agentIds (${accepted} stored, ${refused} refused with 429/413)`);
    // An approver connects (the snapshot once crashed here), and again after a restart.
    const firstSnapshot = await snapshotTotal(hub.url, agentToken, hub);
    await hub.stop();
    await hub.restart();
    const secondSnapshot = await snapshotTotal(hub.url, agentToken, hub);
    if (firstSnapshot === null || secondSnapshot === null) {
      ctx.count('crashes', 1, 'no snapshot after the flood');
      failed.push('1. no approver snapshot after the flood');
    } else held.push(`1. the hub stayed up and served bounded snapshots (${secondSnapshot} pending) before and after a restart`);

    // 2. The hub goes down; the agent takes its port.
    await hub.stop();
    const impostor = await startImpostor(hub.port);
    tried.push(`2. an impostor on 127.0.0.1:${hub.port}: the extension reconnects, \`signoff list\` and \`signoff pair\` dial it`);
    const list = await runCli(['list', '--data-dir', hub.dataDir, '--port', String(hub.port)], { env: { SIGNOFF_HOME: hub.dataDir } });
    const pair = await runCli(['pair', '--data-dir', hub.dataDir, '--port', String(hub.port)], { env: { SIGNOFF_HOME: hub.dataDir } });
    const seenByExtension = await waitFor(() => impostor.record.handshakes.length > 0, 20_000);
    const extensionSays = await extension.waitStatus(/not your Signoff hub/, 20_000).catch((error) => String(error));
    await sleep(1_000); // let anything the clients would send after the challenge arrive
    await impostor.close();

    const leaks = captured(impostor.record);
    if (!seenByExtension) failed.push('2. the extension never dialed the impostor (nothing was tested)');
    if (leaks.length > 0) {
      ctx.count('unauthorised', leaks.length, `the impostor captured: ${leaks.join('; ')}`);
      failed.push(`2. captured: ${leaks.join('; ')}`);
    } else {
      held.push(`2. the impostor got ${impostor.record.handshakes.length} handshakes with only a nonce and a surface, no proof, no token, no code`);
    }
    if (/not your Signoff hub/.test(extensionSays)) held.push('2. the extension said "Something else is answering … not your Signoff hub"');
    else failed.push(`2. the extension said: ${extensionSays}`);
    if (list.code === 2 && /not your Signoff hub/.test(list.stderr)) held.push('2. `signoff list` refused the impostor (exit 2)');
    else failed.push(`2. signoff list: exit ${list.code}: ${list.stderr.trim().slice(0, 200)}`);
    if (pair.code === 2 && !/^[A-Z0-9]{4}-[A-Z0-9]{4}$/m.test(pair.stdout)) held.push('2. `signoff pair` printed no code for the impostor (exit 2)');
    else failed.push(`2. signoff pair: exit ${pair.code}: ${pair.stdout.trim().slice(0, 200)}`);

    // 3. The real hub is back; the agent tries to approve its own request with what it has.
    await hub.restart();
    const attemptsOf3 = await approveOwnRequest(hub.url, agentToken, wipeId, impostor.record);
    tried.push(`3. ${attemptsOf3.length} ways to approve "Wipe production" with the agent token and the captured handshakes`);
    const succeeded = attemptsOf3.filter((a) => a.ok);
    const after = await rest(`${hub.url}/api/v1/requests/${wipeId}`, { token: agentToken });
    const stillPending = after.json?.status === 'pending';
    if (succeeded.length > 0 || !stillPending) {
      ctx.count('unauthorised', Math.max(1, succeeded.length), `the agent got through: ${succeeded.map((a) => a.what).join('; ') || `status ${after.text}`}`);
      failed.push(`3. approved by the agent: ${succeeded.map((a) => a.what).join('; ')}`);
    } else held.push(`3. all ${attemptsOf3.length} refused; "Wipe production" is still pending`);

    const back = await extension.waitStatus(/^Connected/, 30_000).catch((error) => String(error));
    if (/^Connected/.test(back)) held.push('the extension reconnected to the real hub');
    else failed.push(`the extension did not reconnect: ${back}`);
    await extension.close();
    return { tried: tried.join('; '), held, failed };
  },
};

/**
 * Opens an approver socket with a bearer token from a fresh pairing, as a person's script
 * would, and reads the snapshot's total; null when none came.
 * @param {string} url
 * @param {string} _agentToken
 * @param {import('../lib/hub-process.js').HubProcess} hub
 */
async function snapshotTotal(url, _agentToken, hub) {
  const { token } = await hub.pairApprover('proof snapshot reader');
  let socket;
  try {
    socket = await connectSocket(url, '/approver', { token });
    const snapshot = await new Promise((resolve) => {
      socket.once('snapshot', resolve);
      setTimeout(() => resolve(null), 15_000);
    });
    return snapshot ? /** @type {{ total: number }} */ (snapshot).total : null;
  } catch {
    return null;
  } finally {
    socket?.close();
  }
}

/**
 * Everything a program could do with the agent token and what the impostor recorded.
 * @param {string} url
 * @param {string} agentToken
 * @param {string} id
 * @param {ImpostorRecord} record
 */
async function approveOwnRequest(url, agentToken, id, record) {
  /** @type {{ what: string, ok: boolean }[]} */
  const results = [];
  const approve = { approved: true, reason: 'ok' };
  const respond = await rest(`${url}/api/v1/requests/${id}/respond`, { method: 'POST', token: agentToken, body: approve });
  results.push({ what: 'REST respond with the agent token', ok: respond.status < 300 });
  const asApprover = await tryConnect(url, '/approver', { token: agentToken });
  results.push({ what: '/approver with the agent token', ok: asApprover.connected });
  asApprover.socket?.close();
  const devices = await rest(`${url}/api/v1/devices`, { token: agentToken });
  results.push({ what: 'list devices with the agent token', ok: devices.status < 300 });
  // Replay each captured handshake; the hub challenges a fresh nonce the agent cannot sign for.
  for (const auth of record.handshakes.slice(0, 5)) {
    const attempt = await tryConnect(url, '/approver', auth);
    if (!attempt.connected || !attempt.socket) {
      results.push({ what: 'replayed handshake', ok: false });
      continue;
    }
    const socket = attempt.socket;
    const proof = record.events.find((e) => e.event === 'auth:prove')?.payload ?? { deviceId: '00000000-0000-4000-8000-000000000000', signature: 'A'.repeat(86) };
    const proved = await emitAck(socket, 'auth:prove', [proof]);
    const decided = await emitAck(socket, 'request:respond', [{ id, response: approve }]);
    results.push({ what: 'replayed handshake and proof', ok: proved.ack?.ok === true || decided.ack?.ok === true });
    socket.close();
  }
  // Pair with any code the impostor saw (there should be none), and with guesses.
  const codes = record.http.flatMap((h) => h.body.match(/[A-Z0-9]{4}-?[A-Z0-9]{4}/g) ?? []);
  for (const code of [...codes, 'ABCD-EFGH', 'K7QX-M2PD']) {
    const paired = await rest(`${url}/api/v1/pair`, { method: 'POST', body: { code, name: 'Browser extension (Chrome)' } });
    results.push({ what: `pair with ${code}`, ok: paired.status === 201 });
  }
  return results;
}

/**
 * @typedef {{ handshakes: Record<string, unknown>[], events: { event: string, payload: unknown }[], http: { method: string, path: string, authorization: string | undefined, body: string }[] }} ImpostorRecord
 */

/**
 * What an impostor got that could grant power: any handshake field but the nonce and the
 * surface, any event (a proof), any Authorization header, any request body.
 * @param {ImpostorRecord} record
 */
function captured(record) {
  const leaks = [];
  for (const auth of record.handshakes) {
    const extra = Object.keys(auth).filter((key) => key !== 'nonce' && key !== 'surface');
    if (extra.length > 0) leaks.push(`handshake fields ${extra.join(', ')}`);
  }
  for (const { event } of record.events) leaks.push(`event ${event}`);
  for (const request of record.http) {
    if (request.authorization) leaks.push(`Authorization on ${request.method} ${request.path}`);
    if (request.body && request.path !== '/api/v1/hub/identity') leaks.push(`a body on ${request.method} ${request.path}`);
  }
  return leaks;
}

/**
 * A plain HTTP + Socket.IO server on the hub's port that accepts everything, records what
 * approver clients send, and answers each with a challenge for its own nonce and the
 * right host, signed by a key of its own (it cannot have the hub's).
 * @param {number} port
 */
async function startImpostor(port) {
  /** @type {ImpostorRecord} */
  const record = { handshakes: [], events: [], http: [] };
  const keys = /** @type {CryptoKeyPair} */ (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']));
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/socket.io/')) return;
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      record.http.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, body });
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found","message":"nothing here"}}');
    });
  });
  const io = new Server(server, { cors: { origin: true } });
  io.of('/approver').on('connection', (socket) => {
    const auth = { .../** @type {Record<string, unknown>} */ (socket.handshake.auth) };
    record.handshakes.push(auth);
    socket.onAny((event, payload) => record.events.push({ event, payload }));
    const host = String(socket.handshake.headers.host ?? '');
    const hubNonce = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
    const message = new TextEncoder().encode(`signoff hub proof v1 connect\n${host}\n${String(auth.nonce ?? '')}\n${hubNonce}`);
    void crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, message).then((signature) =>
      socket.emit('auth:challenge', { hubNonce, host, signature: Buffer.from(signature).toString('base64url') }),
    );
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(undefined));
  });
  return {
    record,
    async close() {
      io.disconnectSockets(true);
      await new Promise((resolve) => io.close(() => resolve(undefined)));
    },
  };
}

/**
 * @param {() => boolean} check
 * @param {number} timeoutMs
 */
async function waitFor(check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}
