import {
  APPROVER_SURFACES,
  ErrorCode,
  MAX_JSON_DEPTH,
  MAX_PAYLOAD_BYTES,
  PROOF_WINDOW_MS,
  SignoffError,
  fail,
  nestedDeeperThan,
  ok,
  toError,
  type Ack,
  type AgentToHub,
  type ApproverSurface,
  type ApproverToHub,
  type HubToAgent,
  type HubToApprover,
  type Logger,
  type PairingCreated,
  type Result,
  type SocketData,
} from '@signoff/shared';
import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Namespace, Server, Socket } from 'socket.io';
import { approverIdentity, type Authenticator, type Identification, type Identity } from './auth.js';
import { deviceInfo, PendingProof } from './approver-handshake.js';
import type { HubIdentity } from './hub-identity.js';
import { requestSource, type PublicRefusalLog, type Route } from './origin-guard.js';
import { MAX_PAGE_BYTES } from './operations.js';
import type { Lifecycle } from './lifecycle.js';
import type { MachineOperations } from './machine-operations.js';
import type { PolicyDesk } from './policy-desk.js';
import type { PushOperations } from './push-operations.js';
import type { Operations } from './operations.js';
import type { RequestStore } from './request-store.js';
import { withReviews } from './review-store.js';
import { toWireError } from './rest-api.js';

/** Events between hub processes: none (one hub per data file). */
type NoServerEvents = Record<string, never>;
export type AgentNamespace = Namespace<AgentToHub, HubToAgent, NoServerEvents, SocketData>;
export type ApproverNamespace = Namespace<ApproverToHub, HubToApprover, NoServerEvents, SocketData>;
export type AgentSocket = Socket<AgentToHub, HubToAgent, NoServerEvents, SocketData>;
export type ApproverSocket = Socket<ApproverToHub, HubToApprover, NoServerEvents, SocketData>;

/** A client-to-hub event map whose every event ends with an {@link Ack}. */
type AckedEvents<Events> = { [E in keyof Events]: (payload: never, ack: never) => void };
/** The data an event's ack carries when it succeeds. */
export type AckData<Handler> = Handler extends (payload: never, ack: Ack<infer T>) => void ? T : never;

const TRANSPORT_MAX_DEPTH = 2 * MAX_JSON_DEPTH;

/** Room of the agent sockets waiting on one request: its creator and any watcher. */
const roomOf = (requestId: string) => `req:${requestId}`;

export interface SocketDeps {
  ops: Operations;
  lifecycle: Lifecycle;
  store: Pick<RequestStore, 'requests' | 'devices' | 'machines' | 'dataVersion'> & Partial<Pick<RequestStore, 'reviews'>>;
  auth: Authenticator;
  identity: HubIdentity;
  logger: Logger;
  /** The route the handshake came by (origin-guard.ts); unknown requests count as `public`. */
  routeOf(req: IncomingMessage): Route;
  /** Where refusals on the public route are logged; none: not logged (unit tests). */
  refusals?: Pick<PublicRefusalLog, 'refused'>;
  /** Mints a pairing code (and its link at the public URL) for `pairing:create`; none: the event answers unavailable (unit tests). */
  createPairingCode?(): PairingCreated;
  /** Machine tokens revoked through the hub close their machine's sockets at once. */
  machines?: Pick<MachineOperations, 'onRevoked'>;
  now(): number;
  /** Rules and grants, whose changes are pushed to approvers; none: no pushes (unit tests). */
  desk?: PolicyDesk;
  /** Subscribes to policy file reloads; returns an unsubscribe. */
  onPolicyChange?(listener: () => void): () => void;
  /** Web Push subscriptions; none: the `push:*` events are not served (unit tests). */
  push?: PushOperations;
}

/**
 * Registers a client event whose ack is always a {@link Result}: bad input and
 * refusals come back through the ack; nothing a client sends can throw out of here.
 * `event` must be one of the socket's contract events and `run` must return what that
 * event's ack carries. The payload reaches `run` unchecked (`unknown`): the operations
 * validate it with the contract's schemas.
 */
export function answer<Events extends AckedEvents<Events>, Emits extends HubToAgent | HubToApprover, E extends keyof Events & string>(
  socket: Socket<Events, Emits, NoServerEvents, SocketData>,
  event: E,
  logger: Logger,
  run: (payload: unknown) => AckData<Events[E]>,
): void {
  const listener = (...args: unknown[]): void => {
    // Socket.IO passes the ack as the last argument, so a client that sends no payload
    // (`emitWithAck(event)`, python-socketio's `call(event)`) hands us the ack first.
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as (r: Result<AckData<Events[E]>>) => void) : undefined;
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
  };
  // The contract says what a well-behaved client sends; this listener takes whatever arrives,
  // so it is registered through Node's untyped emitter, which Socket.IO's typed `on` wraps.
  const emitter: EventEmitter = socket;
  emitter.on(event, listener);
}

/** Identifies a handshake's bearer token on the route it came by; a refusal on the public route is logged. */
function identifySocket(deps: Pick<SocketDeps, 'auth' | 'refusals' | 'routeOf'>, socket: AgentSocket | ApproverSocket, token: unknown): Identification & { route: Route } {
  const route = deps.routeOf(socket.request);
  const who = deps.auth.identify(token, route);
  if (!who.ok && route === 'public') deps.refusals?.refused(requestSource(socket.request, route), who.reason);
  return { ...who, route };
}

/** Authenticates an `/agent` handshake by its token. */
function admitAgent(deps: Pick<SocketDeps, 'auth' | 'refusals' | 'routeOf'>) {
  return (socket: AgentSocket, next: (err?: Error) => void) => {
    const who = identifySocket(deps, socket, (socket.handshake.auth as { token?: unknown } | undefined)?.token);
    if (!who.ok) return next(refusal(ErrorCode.unauthorized, `unauthorized: ${who.reason}`));
    const { identity } = who;
    if (identity.role !== 'agent') return next(refusal(ErrorCode.forbidden, 'forbidden: this namespace is for agents'));
    socket.data = { role: identity.role, principal: identity.principal, route: who.route };
    if (identity.machineId !== undefined) Object.assign(socket.data, { machineId: identity.machineId, machine: identity.machine });
    next();
  };
}

/**
 * Admits an `/approver` handshake: a bearer token (a person's own scripts) is checked at
 * once; a device connection (`auth: { nonce }`) is admitted unproven and must answer the
 * hub's challenge before anything is served to it (see {@link serveApprover}).
 */
function admitApprover(deps: Pick<SocketDeps, 'auth' | 'refusals' | 'routeOf'>, proofs: Map<ApproverSocket, PendingProof>) {
  return (socket: ApproverSocket, next: (err?: Error) => void) => {
    const hello = socket.handshake.auth as Record<string, unknown> | undefined;
    if (hello?.token !== undefined) {
      const who = identifySocket(deps, socket, hello.token);
      if (!who.ok) return next(refusal(ErrorCode.unauthorized, `unauthorized: ${who.reason}`));
      const { identity } = who;
      if (identity.role !== 'approver') return next(refusal(ErrorCode.forbidden, 'forbidden: this namespace is for approvers'));
      socket.data = { role: identity.role, principal: identity.principal, route: who.route, ...(identity.deviceId ? { deviceId: identity.deviceId } : {}) };
      return next();
    }
    socket.data.route = deps.routeOf(socket.request);
    try {
      const pending = PendingProof.fromHandshake(hello, socket.handshake.headers.host ?? '');
      if (!pending) return next(refusal(ErrorCode.unauthorized, 'unauthorized: send auth.token, or auth.nonce to authenticate a paired device'));
      // Each holds a timer and a nonce until it proves itself or times out: cap them, so opening
      // connections that never prove cannot exhaust the hub. A person has a handful of devices.
      // Each route has its own cap: a stranger at the public URL (no token needed to get this
      // far) can delay the phone, never this machine's extension, window or tray.
      const route = socket.data.route;
      let waiting = 0;
      for (const other of proofs.keys()) if (other.data.route === route) waiting += 1;
      if (waiting >= MAX_UNPROVEN) return next(refusal(ErrorCode.rateLimited, 'too many connections waiting to prove a device; try again in a few seconds'));
      proofs.set(socket, pending);
      next();
    } catch (error) {
      next(refusal(ErrorCode.invalid, toError(error).message));
    }
  };
}

function refusal(code: ErrorCode, message: string): Error {
  return Object.assign(new Error(message), { data: { code } });
}

/** Room of one machine token's agent sockets, closed together when it is revoked. */
const MACHINE_ROOM_PREFIX = 'machine:';
const machineRoom = (machineId: string) => `${MACHINE_ROOM_PREFIX}${machineId}`;

/** Room of the approver sockets that proved who they are: the only ones that see requests. */
const PROVEN = 'proven';
/** Room of one device's sockets, closed together when it is revoked. */
const DEVICE_ROOM_PREFIX = 'device:';
const deviceRoom = (deviceId: string) => `${DEVICE_ROOM_PREFIX}${deviceId}`;
/** How long an ephemeral device (a browser tab's) outlives its last connection. */
const EPHEMERAL_GRACE_MS = 10 * 60 * 1000;
/** How often the hub looks for devices revoked by another process and for gone tabs. */
const DEVICE_SWEEP_MS = 1000;
/** Device connections admitted but not yet proved, at most, per route. */
const MAX_UNPROVEN = 200;
/** Pending requests in a snapshot; the rest are paged with `request:list`. */
export const SNAPSHOT_LIMIT = 100;

const identityOf = (socket: AgentSocket | ApproverSocket): Identity => socket.data;

/**
 * `/agent` and `/approver` under their own contracts. Socket.IO types `io.of()` by the
 * server's event maps, and one server cannot carry two namespaces' maps; this is the one
 * place the hub says which contract a namespace speaks.
 */
function namespaces(io: Server): { agents: AgentNamespace; approvers: ApproverNamespace } {
  return {
    agents: io.of('/agent') as unknown as AgentNamespace,
    approvers: io.of('/approver') as unknown as ApproverNamespace,
  };
}

/** Wires `/agent` and `/approver` onto `io`, and pushes lifecycle changes to them. */
export function attachSocketApi(io: Server, deps: SocketDeps): () => void {
  const { ops, lifecycle, store, auth, logger } = deps;
  // Nothing is served on the main namespace; refuse it outright.
  io.of('/').use((_socket, next) => next(new Error('use the /agent or /approver namespace')));

  const { agents, approvers } = namespaces(io);
  const proofs = new Map<ApproverSocket, PendingProof>();
  agents.use(admitAgent(deps));
  approvers.use(admitApprover(deps, proofs));

  agents.on('connection', (socket) => {
    const me = identityOf(socket);
    const { machineId } = me;
    if (machineId !== undefined) {
      void socket.join(machineRoom(machineId));
      // Each event checks the token again: a revocation by another process (the CLI) counts before the next sweep.
      socket.use(([, ...rest], next) => {
        if (store.machines.isLive(machineId)) return next();
        const ack = rest.at(-1);
        if (typeof ack === 'function') ack(fail(ErrorCode.unauthorized, 'this machine token was revoked'));
        socket.disconnect(true);
      });
    }
    answer(socket, 'request:create', logger, (payload) => {
      const { request } = ops.createRequest(me, payload);
      if (request.status === 'pending') void socket.join(roomOf(request.id));
      return request;
    });
    answer(socket, 'request:get', logger, (payload) => ops.getRequest(me, payload));
    answer(socket, 'request:cancel', logger, (payload) => ops.cancelRequest(me, payload));
    answer(socket, 'request:watch', logger, (payload) => {
      // Rooms are this socket's own id plus one per request it receives decisions for.
      const watches = { size: socket.rooms.size - 1, has: (id: string) => socket.rooms.has(roomOf(id)) };
      const { watching, decided, unknown } = ops.watchRequests(me, payload, watches);
      for (const decision of decided) socket.emit('request:decided', decision);
      for (const id of watching) void socket.join(roomOf(id));
      return { watching, decided: decided.map((decision) => decision.requestId), unknown };
    });
    answer(socket, 'feedback:record', logger, (payload) => ops.recordFeedback(me, payload));
    answer(socket, 'feedback:list', logger, (payload) => ops.listFeedback(me, payload));
  });

  /** Counts proven approvers per surface; a socket has left the room by its `disconnect`. */
  const presence = () => {
    const surfaces: Record<ApproverSurface, number> = { extension: 0, tray: 0, window: 0, other: 0 };
    for (const id of approvers.adapter.rooms.get(PROVEN) ?? []) surfaces[approvers.sockets.get(id)?.data.surface ?? 'other'] += 1;
    return { surfaces };
  };

  /** Everything an approver may do, served only once the socket proved its device (or came with a token). */
  const serveApprover = (socket: ApproverSocket, me: Identity) => {
    void socket.join(PROVEN);
    if (me.deviceId) {
      void socket.join(deviceRoom(me.deviceId));
      store.devices.touch(me.deviceId, deps.now());
      socket.on('disconnect', () => store.devices.touch(me.deviceId!, deps.now()));
    }
    const first = withReviews(store.requests.page({ status: 'pending', limit: SNAPSHOT_LIMIT }, MAX_PAGE_BYTES), store.reviews, MAX_PAGE_BYTES);
    socket.emit('snapshot', { ...first, total: store.requests.countByStatus('pending') });
    approvers.to(PROVEN).emit('approvers:presence', presence());
    socket.on('disconnect', () => approvers.to(PROVEN).emit('approvers:presence', presence()));
    answer(socket, 'request:list', logger, (payload) => ops.listRequests(me, payload));
    answer(socket, 'request:get', logger, (payload) => ops.getRequest(me, payload));
    answer(socket, 'request:respond', logger, (payload) => ops.respond(me, payload, 'socket'));
    answer(socket, 'stats:get', logger, () => ops.stats(me));
    answer(socket, 'runs:list', logger, (payload) => ops.listRuns(me, payload));
    answer(socket, 'runs:get', logger, (payload) => ops.getRun(me, (payload as { runId?: unknown } | undefined)?.runId));
    answer(socket, 'devices:list', logger, () => ops.listDevices(me));
    answer(socket, 'devices:revoke', logger, (payload) => ops.revokeDevice(me, payload));
    answer(socket, 'grants:list', logger, () => ops.listGrants(me));
    answer(socket, 'grants:revoke', logger, (payload) => ops.revokeGrant(me, payload));
    answer(socket, 'policy:status', logger, () => ops.policyStatus(me));
    answer(socket, 'pairing:create', logger, () => {
      if (!deps.createPairingCode) throw new SignoffError(ErrorCode.unavailable, 'this hub mints no pairing codes');
      return deps.createPairingCode();
    });
    const { push } = deps;
    if (push) {
      answer(socket, 'push:key', logger, () => push.key(me));
      answer(socket, 'push:subscribe', logger, (payload) => push.subscribe(me, payload));
      answer(socket, 'push:unsubscribe', logger, (payload) => push.unsubscribe(me, payload));
    }
    answer(socket, 'audit:page', logger, (payload) => ops.auditPage(me, payload));
  };

  /** Whatever the store holds, a failure to serve one approver is logged and closes that socket, never the hub. */
  const serveSafely = (socket: ApproverSocket, me: Identity) => {
    try {
      serveApprover(socket, me);
    } catch (error) {
      toWireError(error, logger); // logged once; the client reconnects and tries again
      socket.disconnect(true);
    }
  };

  approvers.on('connection', (socket) => {
    const surface = (socket.handshake.auth as { surface?: unknown } | undefined)?.surface;
    socket.data.surface = APPROVER_SURFACES.find((known) => known === surface) ?? 'other';
    const pending = proofs.get(socket);
    if (!pending) return serveSafely(socket, identityOf(socket));

    // Nothing but the proof is served before it; a socket that never proves is closed.
    const deadline = setTimeout(() => socket.disconnect(true), PROOF_WINDOW_MS);
    socket.on('disconnect', () => {
      clearTimeout(deadline);
      proofs.delete(socket);
    });
    socket.use(([event, ...rest], next) => {
      if (event === 'auth:prove' || socket.data.deviceId) return next();
      const ack = rest.at(-1);
      if (typeof ack === 'function') ack(fail(ErrorCode.unauthorized, 'answer the hub\'s challenge (auth:prove) first'));
    });
    answer(socket, 'auth:prove', logger, (payload) => {
      try {
        const device = pending.verify(payload, store.devices);
        clearTimeout(deadline);
        proofs.delete(socket);
        const me = approverIdentity(device);
        Object.assign(socket.data, { role: me.role, principal: me.principal, deviceId: device.id });
        // After the ack: the client learns it is in before the snapshot arrives.
        queueMicrotask(() => serveSafely(socket, me));
        return { device: deviceInfo(device) };
      } catch (error) {
        setTimeout(() => socket.disconnect(true), 0);
        throw error;
      }
    });
    socket.emit('auth:challenge', pending.challenge(deps.identity));
  });

  // Revocation ends a device's power at once: through the hub, or by another process on the file.
  // On the next turn: a device revoking itself gets its ack before its socket closes.
  const closeDevice = (deviceId: string) => setImmediate(() => approvers.in(deviceRoom(deviceId)).disconnectSockets(true));
  const stopRevocations = ops.onDeviceRevoked(closeDevice);
  const closeMachine = (machineId: string) => setImmediate(() => agents.in(machineRoom(machineId)).disconnectSockets(true));
  const stopMachineRevocations = deps.machines?.onRevoked(closeMachine);
  let seenVersion = store.dataVersion();
  const sweep = setInterval(() => {
    const now = deps.now();
    const version = store.dataVersion();
    if (version !== seenVersion) {
      // Another process wrote to the file: check the devices connected now (a handful), by
      // state rather than by revocation time, so no two clocks need to agree.
      seenVersion = version;
      for (const room of approvers.adapter.rooms.keys()) {
        if (room.startsWith(DEVICE_ROOM_PREFIX) && !store.devices.byId(room.slice(DEVICE_ROOM_PREFIX.length))) {
          closeDevice(room.slice(DEVICE_ROOM_PREFIX.length));
        }
      }
      for (const room of agents.adapter.rooms.keys()) {
        if (room.startsWith(MACHINE_ROOM_PREFIX) && !store.machines.isLive(room.slice(MACHINE_ROOM_PREFIX.length))) {
          closeMachine(room.slice(MACHINE_ROOM_PREFIX.length));
        }
      }
    }
    for (const id of store.devices.staleEphemeral(now - EPHEMERAL_GRACE_MS)) {
      if (!approvers.adapter.rooms.has(deviceRoom(id))) store.devices.revoke(id, now);
    }
  }, DEVICE_SWEEP_MS);
  sweep.unref();

  const { desk } = deps;
  const pushGrants = () => {
    if (desk) approvers.to(PROVEN).emit('grants:changed', { grants: desk.listGrants() });
  };
  const stopGrantRevocations = ops.onGrantsChanged(pushGrants);
  const stopPolicyPushes = deps.onPolicyChange?.(() => {
    if (desk) approvers.to(PROVEN).emit('policy:changed', desk.status());
  });
  const unsubscribe = lifecycle.subscribe({
    grantsChanged: pushGrants,
    created: (request) => approvers.to(PROVEN).emit('request:new', request),
    // Still pending, now with a reviewer's verdict: approvers upsert a repeated request:new by id
    // (`request:updated` would tell them it left the queue).
    reviewed: (request) => approvers.to(PROVEN).emit('request:new', request),
    settled: (request, decision) => {
      const room = roomOf(decision.requestId);
      agents.to(room).emit('request:decided', decision);
      agents.in(room).socketsLeave(room);
      approvers.to(PROVEN).emit(decision.via === 'rest' || decision.via === 'socket' ? 'request:resolved' : 'request:updated', request);
    },
  });
  return () => {
    unsubscribe();
    stopGrantRevocations();
    stopPolicyPushes?.();
    stopRevocations();
    stopMachineRevocations?.();
    clearInterval(sweep);
  };
}
