// @ts-check
/**
 * Real clients of the hub: REST over fetch, Socket.IO over socket.io-client (the same
 * library the SDK uses), an approver bot and agents that survive hub restarts the way
 * the contract says they can (re-watch after reconnect, idempotent re-create, long-poll).
 */
import { io } from 'socket.io-client';
import { sleep } from './processes.js';

/** @typedef {import('socket.io-client').Socket} Socket */

/** Longest any single call may take before it counts as a hang. Generous: a guard, not a threshold. */
export const CALL_TIMEOUT_MS = 20_000;

/**
 * One REST call. Never throws for HTTP statuses; throws `{network: true}` or `{hang: true}` errors.
 * @param {string} url
 * @param {{ method?: string, token?: string, body?: unknown, headers?: Record<string, string>, timeoutMs?: number }} [options]
 * @returns {Promise<{ status: number, json: any, text: string, headers: Headers }>}
 */
export async function rest(url, options = {}) {
  const headers = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(url, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? CALL_TIMEOUT_MS),
    });
  } catch (error) {
    const e = /** @type {Error} */ (error);
    if (e.name === 'TimeoutError') throw Object.assign(new Error(`${url}: no answer within ${options.timeoutMs ?? CALL_TIMEOUT_MS} ms`), { hang: true });
    throw Object.assign(new Error(`${url}: ${e.message}`), { network: true });
  }
  let text;
  try {
    text = await res.text();
  } catch (error) {
    throw Object.assign(new Error(`${url}: body: ${/** @type {Error} */ (error).message}`), { network: true });
  }
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: res.status, json, text, headers: res.headers };
}

/**
 * Connects a socket.io-client socket and waits for the namespace handshake.
 * @param {string} url
 * @param {'/agent' | '/approver' | string} namespace
 * @param {Record<string, unknown>} auth
 * @param {{ transports?: ('websocket' | 'polling')[], extraHeaders?: Record<string, string>, reconnection?: boolean, timeoutMs?: number }} [options]
 * @returns {Promise<Socket>}
 */
export function connectSocket(url, namespace, auth, options = {}) {
  const socket = io(`${url}${namespace}`, {
    auth,
    transports: options.transports ?? ['websocket'],
    reconnection: options.reconnection ?? false,
    reconnectionDelay: 100,
    reconnectionDelayMax: 1_000,
    forceNew: true,
    ...(options.extraHeaders ? { extraHeaders: options.extraHeaders } : {}),
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(Object.assign(new Error(`connect ${namespace}: no handshake answer within ${options.timeoutMs ?? CALL_TIMEOUT_MS} ms`), { hang: true }));
    }, options.timeoutMs ?? CALL_TIMEOUT_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (error) => {
      if (options.reconnection) return; // the manager retries by itself
      clearTimeout(timer);
      socket.close();
      reject(Object.assign(error, { refused: true }));
    });
  });
}

/**
 * Tries a handshake that should be refused.
 * @returns {Promise<{ connected: boolean, message: string, socket?: Socket }>} a connected socket is left open for the caller to probe and close
 * @param {string} url
 * @param {string} namespace
 * @param {Record<string, unknown>} auth
 * @param {{ transports?: ('websocket' | 'polling')[], extraHeaders?: Record<string, string>, timeoutMs?: number }} [options]
 */
export async function tryConnect(url, namespace, auth, options = {}) {
  try {
    const socket = await connectSocket(url, namespace, auth, options);
    return { connected: true, message: '', socket };
  } catch (error) {
    const e = /** @type {Error & { hang?: boolean }} */ (error);
    if (e.hang) throw e;
    return { connected: false, message: e.message ?? '' };
  }
}

/**
 * Emits with an ack; resolves with the ack, or `{ hang: true }` when none came in time,
 * or `{ disconnected: true }` when the socket dropped first.
 * @param {Socket} socket
 * @param {string} event
 * @param {unknown[]} args
 * @param {number} [timeoutMs]
 * @returns {Promise<{ ack?: any, hang?: boolean, disconnected?: boolean }>}
 */
export function emitAck(socket, event, args, timeoutMs = CALL_TIMEOUT_MS) {
  return new Promise((resolve) => {
    if (!socket.connected) return resolve({ disconnected: true });
    const done = (/** @type {{ ack?: any, hang?: boolean, disconnected?: boolean }} */ r) => {
      clearTimeout(timer);
      socket.off('disconnect', onDisconnect);
      resolve(r);
    };
    const onDisconnect = () => done({ disconnected: true });
    const timer = setTimeout(() => done({ hang: true }), timeoutMs);
    timer.unref();
    socket.once('disconnect', onDisconnect);
    socket.emit(event, ...args, (/** @type {any} */ ack) => done({ ack }));
  });
}

/**
 * Every pending request, paging past the bounded snapshot with `request:list`.
 * @param {Socket} socket
 * @returns {Promise<any[] | null>} null when the socket dropped or the hub did not answer
 */
export async function listAllPending(socket) {
  /** @type {any[]} */
  const all = [];
  /** @type {string | undefined} */
  let before;
  for (let page = 0; page < 10_000; page++) {
    const r = await emitAck(socket, 'request:list', [{ status: 'pending', limit: 500, ...(before ? { before } : {}) }]);
    if (!r.ack?.ok) return null;
    const requests = /** @type {any[]} */ (r.ack.data.requests ?? []);
    all.push(...requests);
    if (!r.ack.data.more || requests.length === 0) break;
    before = requests[requests.length - 1].id;
  }
  return all;
}

/** A request that an approver bot may answer. */
const approve = () => ({ approved: true });
const reject = () => ({ approved: false, reason: 'proof bot: rejected' });

/**
 * An approver that decides every pending request it learns of, one at a time at a
 * steady pace, over a reconnecting `/approver` socket with a bearer token from pairing.
 * It keeps every decision the hub acknowledged.
 */
export class ApproverBot {
  /**
   * @param {string} url
   * @param {string} token
   * @param {{ paceMs?: number, choose?: (request: any) => any, filter?: (request: any) => boolean }} [options]
   */
  constructor(url, token, options = {}) {
    this.url = url;
    this.token = token;
    this.paceMs = options.paceMs ?? 0;
    this.choose = options.choose ?? ((/** @type {any} */ request) => (request.id.charCodeAt(0) % 2 === 0 ? approve() : reject()));
    this.filter = options.filter ?? (() => true);
    /** @type {Map<string, any>} ids still to decide */
    this.queue = new Map();
    /** @type {Map<string, { response: any, decision: any }>} decisions the hub acknowledged */
    this.acked = new Map();
    /** @type {Set<string>} ids the hub said were already decided when the bot answered */
    this.conflicts = new Set();
    /** @type {string[]} */
    this.errors = [];
    this.hangs = 0;
    this.running = false;
    /** @type {Socket | null} */
    this.socket = null;
    this.connects = 0;
    /** @type {(() => void) | null} */
    this.wake = null;
  }

  /** @param {any} request */
  offer(request) {
    if (request?.status !== 'pending' || !this.filter(request)) return;
    if (this.acked.has(request.id) || this.conflicts.has(request.id)) return;
    this.queue.set(request.id, request);
    this.wake?.();
  }

  async start() {
    this.running = true;
    this.socket = await connectSocket(this.url, '/approver', { token: this.token, surface: 'other' }, { reconnection: true });
    const socket = this.socket;
    socket.on('snapshot', (/** @type {any} */ s) => {
      for (const r of s?.requests ?? []) this.offer(r);
    });
    socket.on('request:new', (/** @type {any} */ r) => this.offer(r));
    socket.on('connect', () => void this.sync());
    void this.sync();
    void this.loop();
  }

  /** After each (re)connect: page through everything pending (the snapshot is bounded). */
  async sync() {
    this.connects += 1;
    const socket = this.socket;
    if (!socket) return;
    const pending = await listAllPending(socket);
    for (const r of pending ?? []) this.offer(r);
  }

  async loop() {
    while (this.running) {
      const socket = this.socket;
      const next = this.queue.values().next();
      if (next.done || !socket?.connected) {
        await new Promise((resolve) => {
          this.wake = () => resolve(undefined);
          setTimeout(resolve, 100);
        });
        this.wake = null;
        continue;
      }
      const request = next.value;
      const response = this.choose(request);
      const r = await emitAck(socket, 'request:respond', [{ id: request.id, response }]);
      if (r.ack?.ok) {
        this.queue.delete(request.id);
        this.acked.set(request.id, { response, decision: r.ack.data });
      } else if (r.ack && !r.ack.ok) {
        this.queue.delete(request.id);
        if (r.ack.error?.code === 'conflict') this.conflicts.add(request.id);
        else this.errors.push(`${request.id}: ${r.ack.error?.code}: ${r.ack.error?.message}`);
      } else if (r.hang) {
        this.hangs += 1;
      }
      // disconnected: it stays queued; the resync after reconnect offers it again anyway
      if (this.paceMs) await sleep(this.paceMs);
    }
  }

  stop() {
    this.running = false;
    this.wake?.();
    this.socket?.close();
  }
}

/**
 * @typedef {object} Entry one request an agent wants answered
 * @property {string} key idempotency key
 * @property {any} payload
 * @property {string | null} id set once the hub acknowledged the create
 * @property {number} submittedAt
 * @property {number | null} ackedAt
 * @property {any} decision the first decision delivered
 * @property {number | null} decidedAt
 * @property {number} duplicates identical re-deliveries (absorbed, as the SDK does)
 * @property {any[]} conflicting deliveries that differ from the first one
 */

/** Shared bookkeeping of an agent: what it asked, what was acknowledged, what it was told. */
class AgentBook {
  /** @param {string} agentId */
  constructor(agentId) {
    this.agentId = agentId;
    /** @type {Map<string, Entry>} */
    this.entries = new Map();
    /** @type {Map<string, Entry>} */
    this.byId = new Map();
    /** @type {Map<string, any>} decisions pushed before their create was acknowledged */
    this.early = new Map();
    this.rateLimited = 0;
    /** @type {string[]} */
    this.errors = [];
    this.fivexx = 0;
    this.hangs = 0;
  }

  /** @param {string} key @param {any} payload */
  add(key, payload) {
    /** @type {Entry} */
    const entry = { key, payload: { ...payload, agentId: this.agentId, idempotencyKey: key }, id: null, submittedAt: Date.now(), ackedAt: null, decision: null, decidedAt: null, duplicates: 0, conflicting: [] };
    this.entries.set(key, entry);
    return entry;
  }

  /** @param {Entry} entry @param {any} request */
  acked(entry, request) {
    if (!entry.id) {
      entry.id = request.id;
      entry.ackedAt = Date.now();
      this.byId.set(request.id, entry);
    }
    if (request.decision) this.deliver(request.decision);
    const early = this.early.get(request.id);
    if (early) {
      this.early.delete(request.id);
      this.deliver(early);
    }
  }

  /** @param {any} decision */
  deliver(decision) {
    const entry = this.byId.get(decision?.requestId);
    if (!entry) {
      this.early.set(decision?.requestId, decision);
      return;
    }
    if (!entry.decision) {
      entry.decision = decision;
      entry.decidedAt = Date.now();
    } else if (sameDecision(entry.decision, decision)) {
      entry.duplicates += 1;
    } else {
      entry.conflicting.push(decision);
    }
  }

  undecided() {
    return [...this.entries.values()].filter((e) => !e.decision);
  }
}

/** @param {any} a @param {any} b */
export function sameDecision(a, b) {
  return a.status === b.status && a.respondedAt === b.respondedAt && JSON.stringify(a.response) === JSON.stringify(b.response);
}

/**
 * An agent on a reconnecting `/agent` socket. After every reconnect it re-attaches to
 * its acknowledged, undecided requests with `request:watch` and re-sends creates that
 * were never acknowledged (same idempotency key, so nothing is made twice).
 */
export class SocketAgent extends AgentBook {
  /**
   * @param {string} url
   * @param {string} token
   * @param {string} agentId
   */
  constructor(url, token, agentId) {
    super(agentId);
    this.url = url;
    this.token = token;
    /** @type {Socket | null} */
    this.socket = null;
    this.reconnects = 0;
    this.closed = false;
    /** @type {Set<string>} creates in flight */
    this.inFlight = new Set();
  }

  async connect() {
    this.socket = await connectSocket(this.url, '/agent', { token: this.token }, { reconnection: true });
    this.socket.on('request:decided', (/** @type {any} */ d) => this.deliver(d));
    this.socket.on('connect', () => {
      this.reconnects += 1;
      void this.resume();
    });
    return this;
  }

  /** After a reconnect: watch what is acknowledged and open, re-create what was never acknowledged. */
  async resume() {
    const socket = this.socket;
    if (!socket) return;
    const open = [...this.entries.values()].filter((e) => e.id && !e.decision).map((e) => /** @type {string} */ (e.id));
    if (open.length) {
      const r = await emitAck(socket, 'request:watch', [{ ids: open }]);
      if (r.hang) this.hangs += 1;
      else if (r.ack && !r.ack.ok) this.errors.push(`watch: ${r.ack.error?.code}: ${r.ack.error?.message}`);
    }
    for (const entry of this.entries.values()) if (!entry.id) void this.create(entry);
  }

  /** @param {string} key @param {any} payload */
  submit(key, payload) {
    void this.create(this.add(key, payload));
  }

  /** @param {Entry} entry */
  async create(entry) {
    if (this.inFlight.has(entry.key) || entry.id || this.closed) return;
    this.inFlight.add(entry.key);
    try {
      for (let attempt = 0; !entry.id && !this.closed; attempt++) {
        const socket = this.socket;
        if (!socket?.connected) return; // resume() re-sends after the reconnect
        const r = await emitAck(socket, 'request:create', [entry.payload]);
        if (r.ack?.ok) return this.acked(entry, r.ack.data);
        if (r.hang) this.hangs += 1;
        if (r.ack && !r.ack.ok) {
          const code = r.ack.error?.code;
          if (code === 'rate_limited' || code === 'unavailable') this.rateLimited += 1;
          else if (code === 'internal_error') this.fivexx += 1;
          else {
            this.errors.push(`create ${entry.key}: ${code}: ${r.ack.error?.message}`);
            return;
          }
          await sleep(Math.min(5_000, Number(r.ack.error?.details?.retryAfterMs ?? 0) || 250 * (attempt + 1)));
        }
        if (r.disconnected) return;
      }
    } finally {
      this.inFlight.delete(entry.key);
    }
  }

  close() {
    this.closed = true;
    this.socket?.close();
  }
}

/**
 * An agent over REST: `POST /requests` with an idempotency key until acknowledged, then
 * long-polls `GET /requests/:id?wait=S` until decided, retrying through hub restarts.
 */
export class RestAgent extends AgentBook {
  /**
   * @param {string} url
   * @param {string} token
   * @param {string} agentId
   */
  constructor(url, token, agentId) {
    super(agentId);
    this.url = url;
    this.token = token;
    this.closed = false;
    this.networkErrors = 0;
  }

  /** @param {string} key @param {any} payload @returns {Promise<void>} resolves once decided or closed */
  async submit(key, payload) {
    const entry = this.add(key, payload);
    for (let attempt = 0; !entry.id && !this.closed; attempt++) {
      try {
        const r = await rest(`${this.url}/api/v1/requests`, { token: this.token, body: entry.payload });
        if (r.status === 200 || r.status === 201) this.acked(entry, r.json);
        else if (r.status === 429 || r.status === 503) {
          this.rateLimited += 1;
          await sleep(Math.min(5_000, 1_000 * Number(r.headers.get('retry-after') ?? 0) || 250 * (attempt + 1)));
        } else if (r.status >= 500) {
          this.fivexx += 1;
          await sleep(250);
        } else {
          this.errors.push(`create ${key}: ${r.status} ${r.text.slice(0, 200)}`);
          return;
        }
      } catch (error) {
        if (/** @type {any} */ (error).hang) this.hangs += 1;
        else this.networkErrors += 1;
        await sleep(200);
      }
    }
    while (!entry.decision && !this.closed) {
      try {
        const r = await rest(`${this.url}/api/v1/requests/${entry.id}?wait=15`, { token: this.token, timeoutMs: 40_000 });
        if (r.status === 200 && r.json?.decision) this.deliver(r.json.decision);
        else if (r.status >= 500) {
          this.fivexx += 1;
          await sleep(250);
        } else if (r.status !== 200) {
          this.errors.push(`poll ${entry.id}: ${r.status} ${r.text.slice(0, 200)}`);
          await sleep(500);
        }
      } catch (error) {
        if (/** @type {any} */ (error).hang) this.hangs += 1;
        else this.networkErrors += 1;
        await sleep(200);
      }
    }
  }

  close() {
    this.closed = true;
  }
}

/**
 * A valid approval request, as a real agent would send it.
 * @param {string} title
 * @param {Record<string, unknown>} [extra]
 */
export function approvalPayload(title, extra = {}) {
  return {
    kind: 'approval',
    title,
    body: 'The agent wants to run the staging deploy script. **Tests passed** on the last commit.',
    severity: 'medium',
    action: { name: 'shell', args: { command: 'npm run deploy -- --env staging' } },
    reversible: true,
    timeoutMs: 3_600_000,
    ...extra,
  };
}
