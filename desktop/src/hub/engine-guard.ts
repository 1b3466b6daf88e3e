import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Namespace, Server, Socket } from 'socket.io';

/**
 * Defences at the Engine.IO layer, under Socket.IO's namespaces.
 *
 * - Origin and Host on every request. Socket.IO's `allowRequest` runs for the
 *   handshake only; a session's later polling requests and its WebSocket upgrade are
 *   separate HTTP requests that a web page could make with the session id. Engine.IO 6
 *   runs `engine.use` middleware for every HTTP request it handles, upgrades included
 *   (`handleRequest` and `handleUpgrade` in engine.io/build/server.js), so the rule is
 *   checked there.
 * - Sessions that never join a namespace. Opening an Engine.IO session needs no token,
 *   so a flood of half-open sessions could hold sockets and memory; each is closed
 *   after a timeout, and past a cap the oldest is closed first — so a flood cannot
 *   refuse the session of a real client, which joins within milliseconds.
 */

type EngineSocket = Socket['conn'];

/** Refuses any Engine.IO request, upgrade or not, for which `refuse` gives a reason (403). */
export function guardEveryEngineRequest(io: Server, refuse: (req: IncomingMessage) => string | null): void {
  io.engine.use((req: IncomingMessage, res: ServerResponse, next: (error?: Error) => void) => {
    const reason = refuse(req);
    if (reason === null) return next();
    const refusal = new Error(reason);
    if (res instanceof ServerResponse) {
      // Engine.IO's own shape for a refusal (code 4 = Forbidden); it only ends what we answered.
      const body = JSON.stringify({ code: 4, message: reason });
      res.writeHead(403, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
      res.end(body);
      return next(refusal);
    }
    // An upgrade: Engine.IO hands middleware a stand-in response over the raw socket.
    const socket = (res as unknown as { socket: Duplex }).socket;
    socket.on('error', () => {}); // a peer that hangs up first has nothing more to hear
    const body = `${reason}\n`;
    socket.end(
      `HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      () => next(refusal),
    );
  });
}

export interface UnjoinedSessionOptions {
  /** Most sessions allowed without a namespace at once; past it the oldest is closed. */
  max: number;
  /** How long a session may stay without a namespace. */
  timeoutMs: number;
}

/**
 * Closes Engine.IO sessions that have joined no namespace within `timeoutMs` (also
 * after leaving their last one), and keeps at most `max` of them. Attach before the
 * namespaces are created: joins are seen through `new_namespace`. Returns a stop function.
 */
export function closeUnjoinedSessions(io: Server, options: UnjoinedSessionOptions): () => void {
  /** In insertion order, so the first is the oldest. */
  const waiting = new Map<EngineSocket, NodeJS.Timeout>();
  const joined = new WeakMap<EngineSocket, number>();

  const forget = (conn: EngineSocket) => {
    const timer = waiting.get(conn);
    if (timer === undefined) return;
    clearTimeout(timer);
    waiting.delete(conn);
  };
  const close = (conn: EngineSocket) => {
    forget(conn);
    conn.close(true); // discard: a polling session that never polls again closes now, not in 30 s
  };
  const track = (conn: EngineSocket) => {
    if (conn.readyState !== 'open' || waiting.has(conn)) return;
    const timer = setTimeout(() => close(conn), options.timeoutMs);
    timer.unref();
    waiting.set(conn, timer);
    while (waiting.size > options.max) close(waiting.keys().next().value!);
  };

  const onConnection = (conn: EngineSocket) => {
    conn.once('close', () => forget(conn));
    track(conn);
  };
  const onNamespace = (nsp: Namespace) => {
    nsp.on('connection', (socket: Socket) => {
      const conn = socket.conn;
      forget(conn);
      joined.set(conn, (joined.get(conn) ?? 0) + 1);
      socket.once('disconnect', () => {
        const left = (joined.get(conn) ?? 1) - 1;
        joined.set(conn, left);
        if (left === 0) track(conn);
      });
    });
  };
  io.engine.on('connection', onConnection);
  io.on('new_namespace', onNamespace);
  return () => {
    io.engine.off('connection', onConnection);
    io.off('new_namespace', onNamespace);
    for (const timer of waiting.values()) clearTimeout(timer);
    waiting.clear();
  };
}
