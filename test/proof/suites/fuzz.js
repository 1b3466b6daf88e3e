// @ts-check
/**
 * Fuzz: thousands of generated inputs (fast-check) against one real hub — REST bodies,
 * paths, queries and headers sent as raw bytes, Socket.IO events on both namespaces,
 * handshakes with fuzzed `auth`, and raw Socket.IO packets over a bare WebSocket.
 *
 * Held when: the hub process never exits; every HTTP request and every acked event is
 * answered within a generous guard; no 5xx or `internal_error`; every 4xx names the
 * problem (`error.message` on the API, Engine.IO's `message` on /socket.io, a text on
 * the window's paths); nothing without the right credential succeeds; the requests and
 * decisions stored before the fuzz are byte-for-byte unchanged; a valid request still
 * goes through create → decide → answer afterwards.
 */
import fc from 'fast-check';
import { approvalPayload, connectSocket, emitAck, listAllPending, rest, tryConnect } from '../lib/clients.js';
import { checksumRequests } from '../lib/db.js';
import { runPool, sleep } from '../lib/processes.js';
import { RawSocketIo, buildRequest, rawHttp } from '../lib/raw-http.js';
import {
  AGENT_EVENTS,
  APPROVER_EVENTS,
  bodyInput,
  frameInput,
  handshakeInput,
  headerInput,
  pathInput,
  queryInput,
  socketInput,
} from './fuzz-inputs.js';

const PROFILES = {
  full: { body: 3_000, path: 2_000, query: 1_200, headers: 1_200, agentEvents: 1_500, approverEvents: 1_000, handshakes: 300, frames: 400 },
  quick: { body: 250, path: 180, query: 120, headers: 120, agentEvents: 150, approverEvents: 100, handshakes: 40, frames: 40 },
};
/** Longest any one input may go unanswered before it counts as a hang. */
const GUARD_MS = 15_000;
/** REST inputs in flight at once. */
const CONCURRENCY = 32;
/** Engine.IO closes a connection whose message exceeds its maxHttpBufferSize (1 MiB here): a refusal, not a failure. */
const TRANSPORT_LIMIT = 1024 * 1024;
const READ_ONLY_EVENTS = new Set(['request:get', 'request:watch', 'request:list', 'feedback:list', 'stats:get', 'devices:list', 'runs:list', 'runs:get']);

/** @typedef {{ category: string, what: string, size: number }} Example */

/** @type {import('../run.js').Scenario} */
export default {
  name: 'fuzz',
  title: 'Fuzz',
  budgetMs: { full: 10 * 60_000, quick: 4 * 60_000 },
  async run(ctx) {
    const cfg = PROFILES[ctx.profile];
    let hub = await ctx.startHub('hub');
    const approver = await hub.pairApprover('proof fuzz approver');
    const approverToken = approver.token;

    // What the fuzz must not change: requests decided before it (anything may be tried on
    // them) and requests still pending (only read).
    /** @type {string[]} */
    const decided = [];
    /** @type {string[]} */
    const pending = [];
    for (let i = 0; i < 12; i++) {
      const created = await rest(`${hub.url}/api/v1/requests`, { token: hub.agentToken, body: approvalPayload(`Fuzz baseline ${i}`, { agentId: 'fuzz-baseline', context: { i } }) });
      if (created.status !== 201) throw new Error(`baseline create: ${created.status} ${created.text}`);
      if (i % 2 === 0) {
        const answered = await rest(`${hub.url}/api/v1/requests/${created.json.id}/respond`, { token: approverToken, body: { approved: i % 4 === 0, reason: 'baseline' } });
        if (answered.status !== 200) throw new Error(`baseline respond: ${answered.status} ${answered.text}`);
        decided.push(created.json.id);
      } else pending.push(created.json.id);
    }
    const baselineIds = [...decided, ...pending];
    const before = checksumRequests(hub.dbPath, baselineIds);

    // Findings, each with its smallest example (the minimal reproduction).
    /** @type {Map<string, { n: number, example: Example }>} */
    const findings = new Map();
    const note = (/** @type {string} */ kind, /** @type {Example} */ example) => {
      const f = findings.get(kind);
      if (!f) findings.set(kind, { n: 1, example });
      else {
        f.n += 1;
        if (example.size < f.example.size) f.example = example;
      }
    };
    const stats = { sent: 0, ok: 0, refused: 0, dropped: 0, crashSuspects: /** @type {string[]} */ ([]) };
    /** @type {Record<string, number>} */
    const perCategory = {};

    const tokens = { agent: hub.agentToken, approver: approverToken };
    const wrongToken = 'so_' + 'x'.repeat(40);
    let randomCounter = 0;
    /** @param {string} text @param {boolean} readOnly */
    const fill = (text, readOnly = true) =>
      text
        .replaceAll('{AGENT}', tokens.agent)
        .replaceAll('{APPROVER}', tokens.approver)
        .replaceAll('{PORT}', String(hub.port))
        .replaceAll('{DECIDED}', () => /** @type {string} */ (ctx.random.pick(decided)))
        .replaceAll('{PENDING}', () => (readOnly ? /** @type {string} */ (ctx.random.pick(pending)) : `no-such-request-${randomCounter++}`))
        .replaceAll('{RANDOM}', () => `no-such-request-${randomCounter++}`);
    /** Deep copy with placeholders filled, keeping `__proto__` keys as own data and Buffers as bytes. @param {unknown} v @param {boolean} readOnly @returns {unknown} */
    const fillValue = (v, readOnly) => {
      if (typeof v === 'string') return fill(v, readOnly);
      if (Buffer.isBuffer(v) || v === null || typeof v !== 'object') return v;
      // Array.from, not map: a fuzzed array may carry an own `constructor` that map's species lookup would call.
      if (Array.isArray(v)) return Array.from({ length: v.length }, (_, i) => fillValue(v[i], readOnly));
      /** @type {Record<string, unknown>} */
      const out = {};
      for (const key of Object.keys(v)) Object.defineProperty(out, key, { value: fillValue(/** @type {any} */ (v)[key], readOnly), enumerable: true, writable: true, configurable: true });
      return out;
    };
    const show = (/** @type {unknown} */ v) => {
      const text = Buffer.isBuffer(v) ? JSON.stringify(v.toString('latin1')) : (JSON.stringify(v, (_k, x) => (Buffer.isBuffer(x) || x?.type === 'Buffer' ? `<${(x.data ?? x).length} bytes>` : x)) ?? String(v));
      return text.length > 240 ? `${text.slice(0, 200)}… (${text.length} chars)` : text;
    };

    /** If the hub died, count the suspects and bring it back on the same data dir. */
    let restarting = /** @type {Promise<void> | null} */ (null);
    const ensureHub = async (/** @type {string} */ suspect) => {
      if (hub.alive()) return false;
      stats.crashSuspects.push(suspect);
      restarting ??= hub.restart().then(() => void (restarting = null));
      await restarting;
      return true;
    };

    // -----------------------------------------------------------------------
    // REST, as raw bytes

    /** @param {{ category: string, method: string, path: string, auth: string, body?: Buffer, headers?: [string, string][] }} input */
    const sendRest = async (input) => {
      const pathText = fill(input.path, input.method === 'GET' || input.method === 'HEAD');
      /** @type {[string, string][]} */
      const headers = (input.headers ?? []).map(([n, v]) => [n, fill(v)]);
      if (input.auth === 'agent' || input.auth === 'approver') headers.push(['Authorization', `Bearer ${tokens[input.auth]}`]);
      if (input.auth === 'wrong') headers.push(['Authorization', `Bearer ${wrongToken}`]);
      if (input.body !== undefined && !headers.some(([n]) => n.toLowerCase() === 'content-type')) headers.push(['Content-Type', 'application/json']);
      const bodyBytes = input.body === undefined ? undefined : Buffer.from(fill(input.body.toString('latin1'), false), 'latin1');
      const bytes = buildRequest({ method: input.method, path: pathText, port: hub.port, headers, body: bodyBytes });
      stats.sent += 1;
      perCategory[input.category] = (perCategory[input.category] ?? 0) + 1;
      const answer = await rawHttp(hub.port, bytes, GUARD_MS, { head: input.method === 'HEAD' });
      const example = { category: input.category, what: `${input.method} ${show(pathText)} headers=${show(headers.map(([n, v]) => `${n}: ${v.length > 60 ? `${v.slice(0, 40)}…` : v}`))} body=${bodyBytes === undefined ? '-' : show(bodyBytes)}`, size: bytes.length };
      if (await ensureHub(example.what)) return;
      if (answer.hang) return note('hang', example);
      if (answer.cutMidUpload) return note('connection closed while the request body was still being sent (informational)', example);
      if (answer.silent) return note('closed without an answer', example);
      const { status } = answer;
      if (status >= 500) return note(`${status} answer`, example);
      if (status >= 400) {
        stats.refused += 1;
        if (input.method !== 'HEAD' && !namesProblem(pathText, answer)) note(answer.body.length === 0 ? `${status} with an empty body` : `${status} without a message`, example);
      } else stats.ok += 1;
      if (status >= 200 && status < 300) {
        const why = unauthorisedSuccess(input, pathText, headers, answer, tokens, hub.port);
        if (why) note(`unauthorised: ${why}`, example);
      }
    };

    const seedFor = (/** @type {number} */ k) => ctx.seed + k;
    /** @template T @param {fc.Arbitrary<T>} arb @param {number} n @param {number} k */
    const sample = (arb, n, k) => fc.sample(arb, { numRuns: n, seed: seedFor(k) });

    const restInputs = [
      ...sample(bodyInput, cfg.body, 1),
      ...sample(pathInput, cfg.path, 2),
      ...sample(queryInput, cfg.query, 3),
      ...sample(headerInput, cfg.headers, 4),
    ];
    // Shuffle so a slow class of input does not cluster.
    restInputs.sort(() => ctx.random.next() - 0.5);
    ctx.log(`${restInputs.length} REST inputs (bodies ${cfg.body}, paths ${cfg.path}, queries ${cfg.query}, headers ${cfg.headers})`);
    await runPool(/** @type {any[]} */ (restInputs), CONCURRENCY, sendRest);

    // -----------------------------------------------------------------------
    // Socket.IO events on both namespaces

    /** @typedef {Record<'agent' | 'approver', import('socket.io-client').Socket | null>} LaneSockets */
    /** @param {'agent' | 'approver'} ns @param {LaneSockets} sockets */
    const socketFor = async (ns, sockets) => {
      if (sockets[ns]?.connected) return /** @type {import('socket.io-client').Socket} */ (sockets[ns]);
      sockets[ns]?.close();
      const token = ns === 'agent' ? tokens.agent : tokens.approver;
      sockets[ns] = await connectSocket(hub.url, `/${ns}`, { token });
      return /** @type {import('socket.io-client').Socket} */ (sockets[ns]);
    };
    /** @param {{ category: string, namespace: 'agent' | 'approver', event: string, args: unknown[] }} input @param {LaneSockets} sockets */
    const sendEvent = async (input, sockets) => {
      const own = (input.namespace === 'agent' ? AGENT_EVENTS : APPROVER_EVENTS).includes(input.event);
      const readOnly = READ_ONLY_EVENTS.has(input.event);
      const args = input.args.map((a) => fillValue(a, readOnly));
      const size = approxSize(args);
      const example = { category: input.category, what: `${input.namespace} emit ${show(input.event)} ${show(args)}`, size };
      stats.sent += 1;
      perCategory[input.category] = (perCategory[input.category] ?? 0) + 1;
      let socket;
      try {
        socket = await socketFor(input.namespace, sockets);
      } catch (error) {
        if (await ensureHub(`(reconnect after) ${example.what}`)) return;
        return note(`could not reconnect: ${/** @type {Error} */ (error).message}`, example);
      }
      if (own) {
        const r = await emitAck(socket, input.event, args, GUARD_MS);
        if (await ensureHub(example.what)) return;
        if (r.hang) return note('unacknowledged event', example);
        if (r.disconnected) {
          stats.dropped += 1;
          if (size <= TRANSPORT_LIMIT) note('connection dropped (informational)', example);
          return;
        }
        const ack = r.ack;
        if (ack?.ok === true) {
          stats.ok += 1;
          return;
        }
        if (ack?.ok !== false || typeof ack.error?.message !== 'string' || ack.error.message.trim() === '') return note('malformed ack or refusal without a message', example);
        stats.refused += 1;
        if (ack.error.code === 'internal_error') note('internal_error ack', example);
        return;
      }
      // Events the namespace does not serve: no ack to wait for; the connection must still answer.
      try {
        socket.emit(input.event, ...args);
      } catch (error) {
        return note(`client refused to send (${/** @type {Error} */ (error).message})`, example);
      }
      const probe = await emitAck(socket, input.namespace === 'agent' ? 'request:get' : 'stats:get', [{ id: 'probe' }], GUARD_MS);
      if (await ensureHub(example.what)) return;
      if (probe.hang) note('connection stopped answering after an unserved event', example);
      else if (probe.disconnected) {
        stats.dropped += 1;
        if (size <= TRANSPORT_LIMIT) note('connection dropped (informational)', example);
      }
    };
    const eventInputs = [...sample(socketInput('agent'), cfg.agentEvents, 5), ...sample(socketInput('approver'), cfg.approverEvents, 6)];
    ctx.log(`${eventInputs.length} Socket.IO events (/agent ${cfg.agentEvents}, /approver ${cfg.approverEvents})`);
    // A few connections at once, each sending its share in order.
    const LANES = 4;
    await runPool(Array.from({ length: LANES }, (_, lane) => lane), LANES, async (lane) => {
      /** @type {LaneSockets} */
      const sockets = { agent: null, approver: null };
      for (let k = lane; k < eventInputs.length; k += LANES) await sendEvent(/** @type {any} */ (eventInputs[k]), sockets);
      sockets.agent?.close();
      sockets.approver?.close();
    });

    // -----------------------------------------------------------------------
    // Handshakes with fuzzed auth, both transports

    const handshakes = sample(handshakeInput, cfg.handshakes, 7);
    ctx.log(`${handshakes.length} handshakes`);
    await runPool(/** @type {any[]} */ (handshakes), 8, async (input) => {
      const auth = /** @type {Record<string, unknown>} */ (fillValue(input.auth, true));
      const example = { category: 'handshake', what: `${input.transport} ${input.namespace} auth=${show(auth)}`, size: approxSize(auth) };
      stats.sent += 1;
      perCategory.handshake = (perCategory.handshake ?? 0) + 1;
      let result;
      try {
        result = await tryConnect(hub.url, input.namespace, auth, { transports: [input.transport], timeoutMs: GUARD_MS });
      } catch {
        if (await ensureHub(example.what)) return;
        return note('handshake unanswered', example);
      }
      if (await ensureHub(example.what)) return;
      if (!result.connected) {
        stats.refused += 1;
        if (!result.message.trim()) note('handshake refused without a message', example);
        return;
      }
      const socket = /** @type {import('socket.io-client').Socket} */ (result.socket);
      const token = Object.prototype.hasOwnProperty.call(auth, 'token') ? auth.token : undefined;
      const expected = (input.namespace === '/agent' && token === tokens.agent) || (input.namespace === '/approver' && (token === tokens.approver || token === undefined));
      if (!expected) note('handshake accepted without the right token (informational unless it grants power)', example);
      // Whatever got in must hold no power it was not given.
      if (input.namespace === '/agent' && token !== tokens.agent) {
        const r = await emitAck(socket, 'request:create', [approvalPayload('fuzz: should be refused')], GUARD_MS);
        if (r.ack?.ok) note('unauthorised: created a request without the agent token', example);
      }
      if (input.namespace === '/approver' && token !== tokens.approver) {
        const r = await emitAck(socket, 'request:list', [{ status: 'pending' }], GUARD_MS);
        if (r.ack?.ok) note('unauthorised: listed requests without an approver credential', example);
      }
      socket.close();
    });

    // -----------------------------------------------------------------------
    // Raw Socket.IO packets over a bare WebSocket

    const frames = sample(frameInput, cfg.frames, 8);
    ctx.log(`${frames.length} raw frame sequences`);
    /** @type {RawSocketIo | null} */
    let raw = null;
    let rawCloses = 0;
    for (const input of frames) {
      const example = { category: 'raw frames', what: `frames ${show(input.frames.map((f) => (typeof f.data === 'string' ? f.data : f.data.toString('latin1'))))}`, size: input.frames.reduce((n, f) => n + f.data.length, 0) };
      stats.sent += 1;
      perCategory['raw frames'] = (perCategory['raw frames'] ?? 0) + 1;
      if (!raw || raw.closed) {
        raw = new RawSocketIo(hub.port, '/agent', { token: tokens.agent });
        try {
          await raw.open(GUARD_MS);
        } catch (error) {
          if (await ensureHub(`(reopen after) ${example.what}`)) {
            raw = null;
            continue;
          }
          note(`raw socket could not connect: ${/** @type {Error} */ (error).message}`, example);
          raw = null;
          continue;
        }
      }
      for (const f of input.frames) raw.send(typeof f.data === 'string' ? fill(f.data) : f.data, f.binary);
      const outcome = await raw.probe('request:get', { id: 'probe' }, GUARD_MS);
      if (await ensureHub(example.what)) continue;
      if (outcome === 'hang') {
        note('raw connection neither answered nor closed', example);
        raw.close();
      } else if (outcome === 'closed') rawCloses += 1;
    }
    raw?.close();

    // -----------------------------------------------------------------------
    // Afterwards: alive, unchanged, and a valid request still works

    /** @type {string[]} */
    const failed = [];
    /** @type {string[]} */
    const held = [];
    if (!hub.alive()) await ensureHub('(found dead at the end)');
    const healthy = await hub.waitHealthy();
    if (!healthy) failed.push('hub not healthy after the fuzz');
    const after = checksumRequests(hub.dbPath, baselineIds);
    if (after !== before) ctx.count('lost', 1, 'requests/decisions stored before the fuzz changed during it');

    // Clear what the fuzz created (an agent cancelling its own requests), so limits do not refuse the last check.
    let cleared = 0;
    try {
      const list = await connectSocket(hub.url, '/approver', { token: tokens.approver });
      const open = (await listAllPending(list)) ?? [];
      list.close();
      await runPool(open.filter((r) => !pending.includes(r.id)), 8, async (r) => {
        const c = await rest(`${hub.url}/api/v1/requests/${encodeURIComponent(r.id)}`, { method: 'DELETE', token: tokens.agent }).catch(() => null);
        if (c?.status === 200) cleared += 1;
      });
    } catch (error) {
      failed.push(`could not clear fuzz requests: ${/** @type {Error} */ (error).message}`);
    }
    const works = await validRoundTrip(hub.url, tokens.agent, tokens.approver);
    if (works !== true) failed.push(`a valid request no longer works after the fuzz: ${works}`);

    // Count and describe.
    /** @type {string[]} */
    const repros = [];
    let hangs = 0;
    let unauthorised = 0;
    for (const [kind, { n, example }] of findings) {
      repros.push(`${kind} ×${n}, e.g. [${example.category}] ${example.what}`);
      if (kind === 'hang' || kind === 'unacknowledged event' || kind.startsWith('connection stopped') || kind.startsWith('raw connection neither') || kind === 'handshake unanswered') hangs += n;
      else if (kind.startsWith('unauthorised')) unauthorised += n;
      else if (!kind.includes('informational')) failed.push(`${kind} ×${n}`);
    }
    ctx.count('hangs', hangs, `fuzz inputs left unanswered (guard ${GUARD_MS / 1000} s)`);
    ctx.count('unauthorised', unauthorised, 'fuzz inputs that succeeded without the right credential');
    if (stats.crashSuspects.length) failed.push(`hub died ${stats.crashSuspects.length}×; last input(s) before: ${stats.crashSuspects.slice(0, 3).join(' | ')}`);
    for (const r of repros) ctx.log(r);

    held.push(
      `hub alive throughout${hub.starts > 1 ? ` (restarted ${hub.starts - 1}× after crashes)` : ''}`,
      `${stats.ok} accepted, ${stats.refused} refused with a named problem`,
      `stored requests/decisions ${after === before ? 'unchanged' : 'CHANGED'} (sha256 of ${baselineIds.length} rows)`,
      `valid create → decide → answer ${works === true ? 'works' : 'FAILED'} afterwards (${cleared} fuzz requests cancelled first)`,
      `${stats.dropped} socket and ${rawCloses} raw connections closed by the hub on broken or oversized packets`,
    );
    return {
      tried: `${stats.sent} generated inputs (fast-check, seed ${ctx.seed}): ${Object.entries(perCategory).map(([k, v]) => `${v} ${k}`).join(', ')} — wrong types, __proto__/constructor keys, deep (to 60,000 levels) and huge (to 2 MB) payloads, invalid UTF-8, binary attachments, unknown events, broken packets`,
      held: [...held, ...repros.filter((r) => r.includes('informational')).map((r) => `(noted) ${r}`)],
      failed: [...failed, ...repros.filter((r) => !r.includes('informational')).map((r) => `repro: ${r}`)],
    };
  },
};

/**
 * Whether a 4xx says what is wrong: `error.message` on the API, Engine.IO's `message`
 * on /socket.io, a non-empty text on the window's paths.
 * @param {string} path
 * @param {import('../lib/raw-http.js').RawAnswer} answer
 */
function namesProblem(path, answer) {
  const text = answer.body.toString('utf8');
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  const message = json?.error?.message ?? (path.startsWith('/socket.io') ? json?.message : undefined);
  if (typeof message === 'string' && message.trim()) return true;
  const api = /^\/api\/v1(\/|\?|$)/.test(path);
  if (!api && !path.startsWith('/socket.io') && !json && text.trim() && /^text\/plain/.test(answer.headers['content-type'] ?? '')) return true;
  return false;
}

/**
 * Why a 2xx should not have been one, or null.
 * @param {{ auth: string, method: string }} input
 * @param {string} path
 * @param {[string, string][]} headers
 * @param {import('../lib/raw-http.js').RawAnswer} answer
 * @param {{ agent: string, approver: string }} tokens
 * @param {number} port
 */
function unauthorisedSuccess(input, path, headers, answer, tokens, port) {
  const first = (/** @type {string} */ name) => headers.find(([n]) => n.toLowerCase() === name)?.[1];
  const origin = first('origin');
  const host = first('host') ?? `127.0.0.1:${port}`;
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  if (!allowedHosts.includes(host.toLowerCase())) return `answered 2xx to Host ${JSON.stringify(host)}`;
  if (origin !== undefined && !/^(chrome|moz)-extension:\/\//.test(origin) && !allowedHosts.map((h) => `http://${h}`).includes(origin)) return `answered 2xx to Origin ${JSON.stringify(origin)}`;
  const pathname = path.split('?')[0] ?? '';
  if (!pathname.startsWith('/api')) return null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(first('authorization') ?? '')?.[1];
  const role = bearer === tokens.agent ? 'agent' : bearer === tokens.approver ? 'approver' : null;
  let body = null;
  try {
    body = JSON.parse(answer.body.toString('utf8'));
  } catch {
    // not JSON
  }
  const publicAnswer = body?.ok === true || (typeof body?.signature === 'string' && typeof body?.publicKey === 'string');
  if (!role && !publicAnswer) return `no valid token, yet ${answer.status}`;
  if (role === 'agent' && (/\/(stats|runs|devices)(\/|$)/.test(pathname) || /\/respond\/?$/.test(pathname) || (input.method === 'GET' && /\/requests\/?$/.test(pathname)))) {
    return `agent token did approver work (${pathname})`;
  }
  if (role === 'approver' && input.method === 'POST' && /\/requests\/?$/.test(pathname)) return 'approver token created a request';
  return null;
}

/** Rough byte size of what a socket would carry. @param {unknown} v */
function approxSize(v) {
  try {
    return Buffer.byteLength(JSON.stringify(v, (_k, x) => (Buffer.isBuffer(x) ? 'b'.repeat(x.length) : x)) ?? '');
  } catch {
    return Number.MAX_SAFE_INTEGER;
  }
}

/**
 * Create over REST (retrying a rate limit as a client should), decide over the approver
 * socket, read the answer back: true, or why not.
 * @param {string} url
 * @param {string} agentToken
 * @param {string} approverToken
 */
export async function validRoundTrip(url, agentToken, approverToken) {
  let created;
  for (let i = 0; i < 30; i++) {
    created = await rest(`${url}/api/v1/requests`, { token: agentToken, body: approvalPayload('Proof: still works', { agentId: `proof-check-${Date.now()}` }) });
    if (created.status !== 429) break;
    await sleep(Math.min(10_000, 1_000 * Number(created.headers.get('retry-after') ?? 1)));
  }
  if (created?.status !== 201) return `create answered ${created?.status} ${created?.text.slice(0, 200)}`;
  const socket = await connectSocket(url, '/approver', { token: approverToken });
  try {
    const r = await emitAck(socket, 'request:respond', [{ id: created.json.id, response: { approved: true } }]);
    if (!r.ack?.ok) return `respond: ${JSON.stringify(r.ack?.error ?? r)}`;
  } finally {
    socket.close();
  }
  const read = await rest(`${url}/api/v1/requests/${created.json.id}?wait=5`, { token: agentToken });
  if (read.json?.decision?.response?.approved !== true) return `read back: ${read.status} ${read.text.slice(0, 200)}`;
  return true;
}
