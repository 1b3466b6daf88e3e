import {
  APPROVER_SURFACES,
  ErrorCode,
  MAX_JSON_DEPTH,
  MAX_PAYLOAD_BYTES,
  SignoffError,
  WatchSchema,
  fail,
  nestedDeeperThan,
  ok,
  validate,
  type AgentToHub,
  type ApproverSurface,
  type ApproverToHub,
  type HubToAgent,
  type HubToApprover,
  type Logger,
  type Result,
  type SocketData,
} from '@signoff/shared';
import type { Namespace, Server, Socket } from 'socket.io';
import type { Authenticator, Identity } from './auth.js';
import type { Lifecycle } from './lifecycle.js';
import type { Operations } from './operations.js';
import type { RequestStore } from './request-store.js';
import { toWireError } from './rest-api.js';

type AgentNamespace = Namespace<AgentToHub, HubToAgent, Record<string, never>, SocketData>;
type ApproverNamespace = Namespace<ApproverToHub, HubToApprover, Record<string, never>, SocketData>;

const TRANSPORT_MAX_DEPTH = 2 * MAX_JSON_DEPTH;

/** Room of the agent sockets waiting on one request: its creator and any watcher. */
const roomOf = (requestId: string) => `req:${requestId}`;

export interface SocketDeps {
  ops: Operations;
  lifecycle: Lifecycle;
  store: RequestStore;
  auth: Authenticator;
  logger: Logger;
  now(): number;
}

/**
 * Registers a client event whose ack is always a {@link Result}: bad input and
 * refusals come back through the ack; nothing a client sends can throw out of here.
 */
function answer<T>(
  socket: Socket,
  event: string,
  logger: Logger,
  run: (payload: unknown) => T,
): void {
  socket.on(event, (...args: unknown[]) => {
    // Socket.IO passes the ack as the last argument, so a client that sends no payload
    // (`emitWithAck(event)`, python-socketio's `call(event)`) hands us the ack first.
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as (r: Result<T>) => void) : undefined;
    const payload = args[0];
    // A client that sends no ack gets no answer; still never let it throw.
    const reply = ack ?? (() => {});
    try {
      // Guards the size check's JSON.stringify against hostile nesting; the schemas
      // then name the field for anything deeper than MAX_JSON_DEPTH within it.
      if (nestedDeeperThan(payload, TRANSPORT_MAX_DEPTH)) {
        throw new SignoffError(ErrorCode.invalid, `payload: nested deeper than ${TRANSPORT_MAX_DEPTH} levels`);
      }
      if (payload !== undefined && Buffer.byteLength(JSON.stringify(payload)) > MAX_PAYLOAD_BYTES) {
        throw new SignoffError(ErrorCode.tooLarge, `payload exceeds ${MAX_PAYLOAD_BYTES} bytes`);
      }
      reply(ok(run(payload)));
    } catch (error) {
      const wire = toWireError(error, logger);
      reply(fail(wire.code, wire.message, wire.details));
    }
  });
}

/** Authenticates the handshake and admits only the namespace's role. */
function admit(auth: Authenticator, role: Identity['role']) {
  return (socket: Socket, next: (err?: Error) => void) => {
    const identity = auth.identify((socket.handshake.auth as { token?: unknown } | undefined)?.token);
    if (!identity) return next(Object.assign(new Error('unauthorized: missing or unknown token'), { data: { code: ErrorCode.unauthorized } }));
    if (identity.role !== role) {
      return next(Object.assign(new Error(`forbidden: this namespace is for ${role}s`), { data: { code: ErrorCode.forbidden } }));
    }
    (socket.data as SocketData) = { role: identity.role, principal: identity.principal };
    next();
  };
}

const identityOf = (socket: Socket): Identity => socket.data as SocketData;

/** Wires `/agent` and `/approver` onto `io`, and pushes lifecycle changes to them. */
export function attachSocketApi(io: Server, deps: SocketDeps): () => void {
  const { ops, lifecycle, store, auth, logger } = deps;
  // Nothing is served on the main namespace; refuse it outright.
  io.of('/').use((_socket, next) => next(new Error('use the /agent or /approver namespace')));

  const agents = io.of('/agent') as unknown as AgentNamespace;
  const approvers = io.of('/approver') as unknown as ApproverNamespace;
  agents.use(admit(auth, 'agent') as never);
  approvers.use(admit(auth, 'approver') as never);

  agents.on('connection', (socket) => {
    const s = socket as unknown as Socket;
    const me = identityOf(s);
    answer(s, 'request:create', logger, (payload) => {
      const { request } = ops.createRequest(me, payload);
      if (request.status === 'pending') void socket.join(roomOf(request.id));
      return request;
    });
    answer(s, 'request:get', logger, (payload) => ops.getRequest(me, payload));
    answer(s, 'request:cancel', logger, (payload) => ops.cancelRequest(me, payload));
    answer(s, 'request:watch', logger, (payload) => {
      const parsed = validate(WatchSchema, payload);
      if (!parsed.ok) throw new SignoffError(parsed.error.code, parsed.error.message, parsed.error.details);
      const result = { watching: [] as string[], decided: [] as string[], unknown: [] as string[] };
      for (const id of new Set(parsed.data.ids)) {
        const stored = store.getRequest(id);
        if (!stored || stored.owner !== me.principal) {
          result.unknown.push(id);
        } else if (stored.decision) {
          result.decided.push(id);
          socket.emit('request:decided', stored.decision);
        } else {
          result.watching.push(id);
          void socket.join(roomOf(id));
          store.addEvent(id, { at: deps.now(), type: 'watched' });
        }
      }
      return result;
    });
    answer(s, 'feedback:record', logger, (payload) => ops.recordFeedback(me, payload));
    answer(s, 'feedback:list', logger, (payload) => ops.listFeedback(me, payload));
  });

  /** Counts connected approvers per surface; a socket has left `approvers.sockets` by its `disconnect`. */
  const presence = () => {
    const surfaces: Record<ApproverSurface, number> = { extension: 0, tray: 0, window: 0, other: 0 };
    for (const socket of approvers.sockets.values()) surfaces[socket.data.surface ?? 'other'] += 1;
    return { surfaces };
  };

  approvers.on('connection', (socket) => {
    const s = socket as unknown as Socket;
    const me = identityOf(s);
    const surface = (socket.handshake.auth as { surface?: unknown } | undefined)?.surface;
    socket.data.surface = APPROVER_SURFACES.find((known) => known === surface) ?? 'other';
    socket.emit('snapshot', { requests: store.listRequests({ status: 'pending', limit: Number.MAX_SAFE_INTEGER }) });
    approvers.emit('approvers:presence', presence());
    socket.on('disconnect', () => approvers.emit('approvers:presence', presence()));
    answer(s, 'request:list', logger, (payload) => ops.listRequests(me, payload));
    answer(s, 'request:respond', logger, (payload) => ops.respond(me, payload, 'socket'));
    answer(s, 'stats:get', logger, () => ops.stats(me));
  });

  return lifecycle.subscribe({
    created: (request) => approvers.emit('request:new', request),
    settled: (request, decision) => {
      const room = roomOf(decision.requestId);
      agents.to(room).emit('request:decided', decision);
      agents.in(room).socketsLeave(room);
      approvers.emit(decision.via === 'rest' || decision.via === 'socket' ? 'request:resolved' : 'request:updated', request);
    },
  });
}
