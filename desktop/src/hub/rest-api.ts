import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ErrorCode,
  HTTP_STATUS,
  MAX_WAIT_SECONDS,
  IdentityRequestSchema,
  PairSchema,
  SignoffError,
  toError,
  validate,
  type ExportFormat,
  type Logger,
  type PairResult,
  type WireError,
} from '@signoff/shared';
import type { AgentLimiter } from './agent-limits.js';
import { EXPORT_CONTENT_TYPE } from './audit-export.js';
import { UNKNOWN_TOKEN, type Authenticator, type Identity } from './auth.js';
import type { Clock } from './clock.js';
import type { HubIdentity } from './hub-identity.js';
import { requestSource, type PublicRefusalLog, type Route as Arrival } from './origin-guard.js';
import { readJsonBody } from './http-body.js';
import type { Lifecycle } from './lifecycle.js';
import type { MachineOperations } from './machine-operations.js';
import type { Operations } from './operations.js';
import { PairingAttempts } from './pairing-attempts.js';
import type { PushOperations } from './push-operations.js';

export const API_PREFIX = '/api/v1';

interface Context {
  req: IncomingMessage;
  res: ServerResponse;
  params: string[];
  query: URLSearchParams;
  identity: Identity;
  /** `public`: the request came through the proxy at the public URL. */
  arrival: Arrival;
}

type Reply = { status: number; body: unknown };
type Route = {
  method: string;
  pattern: RegExp;
  /** `false`: no token needed. */
  auth: boolean;
  handle(ctx: Context): Reply | Promise<Reply>;
};

const okReply = (body: unknown, status = 200): Reply => ({ status, body });
const queryObject = (query: URLSearchParams) => Object.fromEntries(query);

export interface RestDeps {
  ops: Operations;
  lifecycle: Lifecycle;
  auth: Authenticator;
  clock: Clock;
  version: string;
  logger: Logger;
  identity: HubIdentity;
  limiter: AgentLimiter;
  /** Web Push subscriptions, for approvers' devices. */
  push: PushOperations;
  /** Machine tokens, for approvers. */
  machines: MachineOperations;
  /** Where refusals on the public route are logged. */
  refusals: PublicRefusalLog;
  /** The hub's public URL (origin), told to `GET /health`; null without one. */
  publicUrl: string | null;
}

/** The `/api/v1` routes of DESIGN.md. Returns a handler that answers or says it does not own the path. */
export function createRestApi(deps: RestDeps): (req: IncomingMessage, res: ServerResponse, arrival: Arrival) => Promise<boolean> {
  const { ops, lifecycle, auth, clock, limiter } = deps;
  const { limits } = limiter;
  const pairing = new PairingAttempts(
    limits.wrongPairingCodesPerConnection,
    { perSource: limits.wrongPairingCodesPerSource, total: limits.wrongPairingCodesPublic, windowMs: limits.pairingWindowMs },
    () => clock.now(),
  );

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: /^\/health$/,
      auth: false,
      // The public URL, when set, for `signoff pair` to print the phone's pairing link.
      handle: () => okReply({ ok: true, version: deps.version, ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}) }),
    },
    {
      method: 'POST',
      pattern: /^\/pair$/,
      auth: false,
      handle: async ({ req, res, arrival }) => {
        // Through the proxy the TCP peer is the proxy (shared by everyone): count by source there instead.
        const source = arrival === 'public' ? requestSource(req, arrival) : null;
        const refusePublic = (from: string) => {
          const refused = pairing.publicRefusal(from);
          if (!refused) return;
          deps.refusals.refused(from, `pairing locked (${refused.reason === 'public' ? 'too many wrong codes from all sources' : 'too many wrong codes from this source'})`);
          throw tooManyPublicCodes(refused);
        };
        if (source !== null) refusePublic(source);
        else if (pairing.exhausted(req.socket)) throw closing(res, tooManyWrongCodes('this connection already sent too many wrong codes'));
        const parsed = validate(PairSchema, await readJsonBody(req));
        if (!parsed.ok) throw new SignoffError(parsed.error.code, parsed.error.message, parsed.error.details);
        // Again, now that the code is here: requests sent at once on many connections all
        // passed the first check before any was counted, and each would try its code past
        // the limits. (Node answers one connection's pipelined requests one at a time.)
        if (source !== null) refusePublic(source);
        const result = auth.pair(parsed.data, clock.now());
        if ('device' in result) {
          const paired: PairResult = { deviceId: result.device.id, hub: { publicKey: deps.identity.publicKey, fingerprint: deps.identity.fingerprint } };
          if (result.token) paired.token = result.token;
          return okReply(paired, 201);
        }
        const why = {
          invalid: 'that pairing code is not valid; run `signoff pair` for a new one',
          expired: 'that pairing code has expired; run `signoff pair` for a new one',
        }[result.error];
        if (source !== null) {
          pairing.failPublic(source);
          deps.refusals.refused(source, 'wrong pairing code');
        } else if (pairing.fail(req.socket)) throw closing(res, tooManyWrongCodes(why));
        throw new SignoffError(ErrorCode.unauthorized, why);
      },
    },
    {
      // No token: anyone may ask the hub to prove its key (clients check it before they send anything of value).
      method: 'POST',
      pattern: /^\/hub\/identity$/,
      auth: false,
      handle: async ({ req }) => {
        const parsed = validate(IdentityRequestSchema, await readJsonBody(req));
        if (!parsed.ok) throw new SignoffError(parsed.error.code, parsed.error.message, parsed.error.details);
        return okReply(deps.identity.identify(req.headers.host!.toLowerCase(), parsed.data.nonce));
      },
    },
    { method: 'GET', pattern: /^\/devices$/, auth: true, handle: ({ identity }) => okReply(ops.listDevices(identity)) },
    {
      method: 'DELETE',
      pattern: /^\/devices\/([^/]+)$/,
      auth: true,
      handle: ({ identity, params }) => okReply(ops.revokeDevice(identity, { id: params[0] })),
    },
    { method: 'GET', pattern: /^\/machines$/, auth: true, handle: ({ identity }) => okReply(deps.machines.list(identity)) },
    {
      method: 'POST',
      pattern: /^\/machines$/,
      auth: true,
      handle: async ({ req, identity }) => okReply(deps.machines.create(identity, await readJsonBody(req)), 201),
    },
    {
      method: 'DELETE',
      pattern: /^\/machines\/([^/]+)$/,
      auth: true,
      handle: ({ identity, params }) => okReply(deps.machines.revoke(identity, params[0]!)),
    },
    { method: 'GET', pattern: /^\/grants$/, auth: true, handle: ({ identity }) => okReply(ops.listGrants(identity)) },
    {
      method: 'DELETE',
      pattern: /^\/grants\/([^/]+)$/,
      auth: true,
      handle: ({ identity, params }) => okReply(ops.revokeGrant(identity, { id: params[0] })),
    },
    { method: 'GET', pattern: /^\/policy$/, auth: true, handle: ({ identity }) => okReply(ops.policyStatus(identity)) },
    { method: 'GET', pattern: /^\/push\/key$/, auth: true, handle: ({ identity }) => okReply(deps.push.key(identity)) },
    {
      method: 'POST',
      pattern: /^\/push\/subscriptions$/,
      auth: true,
      handle: async ({ req, identity }) => {
        const subscribed = deps.push.subscribe(identity, await readJsonBody(req));
        return okReply(subscribed, subscribed.created ? 201 : 200);
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/push\/subscriptions$/,
      auth: true,
      handle: ({ identity, query }) => okReply(deps.push.unsubscribe(identity, queryObject(query))),
    },
    {
      method: 'POST',
      pattern: /^\/requests$/,
      auth: true,
      handle: async ({ req, identity }) => {
        const { request, created } = ops.createRequest(identity, await readJsonBody(req));
        return okReply(request, created ? 201 : 200);
      },
    },
    {
      method: 'GET',
      pattern: /^\/requests$/,
      auth: true,
      handle: ({ identity, query }) => okReply(ops.listRequests(identity, queryObject(query))),
    },
    {
      method: 'GET',
      pattern: /^\/requests\/([^/]+)$/,
      auth: true,
      handle: async ({ res, identity, params, query }) => {
        const id = params[0]!;
        let request = ops.getRequest(identity, { id });
        const wait = parseWait(query.get('wait'));
        if (request.status === 'pending' && wait > 0) {
          const end = identity.role === 'agent' ? limiter.beginLongPoll(identity.principal, request.agentId) : () => {};
          // A client that hangs up frees its long-poll at once, not when the wait runs out.
          const gone = new AbortController();
          const hangUp = () => gone.abort();
          res.once('close', hangUp);
          try {
            await lifecycle.waitForSettle(id, wait * 1000, gone.signal);
          } finally {
            res.off('close', hangUp);
            end();
          }
          if (!auth.stillHolds(identity)) throw new SignoffError(ErrorCode.unauthorized, 'this token was revoked while the request was awaited');
          request = ops.getRequest(identity, { id });
        }
        return okReply(request);
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/requests\/([^/]+)$/,
      auth: true,
      handle: ({ identity, params }) => okReply(ops.cancelRequest(identity, { id: params[0] })),
    },
    {
      method: 'POST',
      pattern: /^\/requests\/([^/]+)\/respond$/,
      auth: true,
      handle: async ({ req, identity, params }) =>
        okReply(ops.respond(identity, { id: params[0], response: await readJsonBody(req) }, 'rest')),
    },
    { method: 'GET', pattern: /^\/stats$/, auth: true, handle: ({ identity }) => okReply(ops.stats(identity)) },
    {
      method: 'POST',
      pattern: /^\/feedback$/,
      auth: true,
      handle: async ({ req, identity }) => okReply(ops.recordFeedback(identity, await readJsonBody(req)), 201),
    },
    {
      method: 'GET',
      pattern: /^\/feedback$/,
      auth: true,
      handle: ({ identity, query }) => okReply(ops.listFeedback(identity, queryObject(query))),
    },
    {
      method: 'GET',
      pattern: /^\/audit$/,
      auth: true,
      handle: async ({ res, identity, query }) => {
        const { format, chunks } = ops.exportDecisions(identity, queryObject(query));
        await stream(res, format, chunks);
        return okReply(null); // already sent
      },
    },
    { method: 'GET', pattern: /^\/runs$/, auth: true, handle: ({ identity, query }) => okReply(ops.listRuns(identity, queryObject(query))) },
    {
      method: 'GET',
      pattern: /^\/runs\/([^/]+)$/,
      auth: true,
      handle: ({ identity, params }) => okReply(ops.getRun(identity, params[0]!)),
    },
  ];

  return async (req, res, arrival) => {
    // The request target as sent, split by hand: `new URL` throws on some targets
    // (`/\`) and reads others (`/\host/…`) as another host.
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const pathname = queryAt === -1 ? target : target.slice(0, queryAt);
    if (pathname !== API_PREFIX && !pathname.startsWith(`${API_PREFIX}/`)) return false;
    const path = pathname.slice(API_PREFIX.length) || '/';
    try {
      const query = new URLSearchParams(queryAt === -1 ? '' : target.slice(queryAt + 1));
      const matching = routes.filter((r) => r.pattern.test(path));
      if (matching.length === 0) throw new SignoffError(ErrorCode.notFound, `no route ${path}`);
      const route = matching.find((r) => r.method === req.method);
      if (!route) {
        res.setHeader('Allow', matching.map((r) => r.method).join(', '));
        send(res, 405, { error: { code: ErrorCode.invalid, message: `${req.method} is not allowed on ${path}` } });
        return true;
      }
      const params = (route.pattern.exec(path) ?? []).slice(1).map(decodePathSegment);
      let identity = null as Identity | null;
      if (route.auth) {
        const who = auth.identify(bearerToken(req), arrival);
        if (!who.ok) {
          if (arrival === 'public') deps.refusals.refused(requestSource(req, arrival), who.reason);
          // How to send a token helps only when none (or an unknown one) came; a refused one has its own reason.
          throw new SignoffError(ErrorCode.unauthorized, who.reason === UNKNOWN_TOKEN ? `${who.reason}: send Authorization: Bearer <token>` : who.reason);
        }
        identity = who.identity;
      }
      const reply = await route.handle({ req, res, params, query, identity: identity!, arrival });
      send(res, reply.status, reply.body);
    } catch (error) {
      const wire = toWireError(error, deps.logger);
      const retryAfter = (wire.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      if (wire.code === ErrorCode.rateLimited && typeof retryAfter === 'number' && !res.headersSent) res.setHeader('Retry-After', String(retryAfter));
      send(res, HTTP_STATUS[wire.code], { error: wire });
    }
    return true;
  };
}

/** The refusal for a connection that sent its last allowed wrong pairing code. */
function tooManyWrongCodes(why: string): SignoffError {
  return new SignoffError(
    ErrorCode.rateLimited,
    `${why}; too many wrong codes on this connection, so it is closed (a new connection may try again)`,
    { limit: 'wrongPairingCodesPerConnection' },
  );
}

/** The refusal for public pairing while its source, or all public sources together, used up the window's wrong codes. */
function tooManyPublicCodes({ reason, retryAfterSeconds }: { reason: 'source' | 'public'; retryAfterSeconds: number }): SignoffError {
  const who = reason === 'public' ? 'through the public URL from everywhere' : 'from your address';
  return new SignoffError(
    ErrorCode.rateLimited,
    `too many wrong pairing codes ${who}; try again in ${retryAfterSeconds} s (pairing on the hub's own machine still works)`,
    { limit: reason === 'public' ? 'wrongPairingCodesPublic' : 'wrongPairingCodesPerSource', retryAfterSeconds },
  );
}

/**
 * Streams an export: chunks batched to about 64 KiB, waiting for the socket to drain, so
 * neither the whole export nor a statement of the store is held while the client reads.
 */
async function stream(res: ServerResponse, format: ExportFormat, chunks: Iterable<string>): Promise<void> {
  res.writeHead(200, { 'Content-Type': EXPORT_CONTENT_TYPE[format], 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  let batch = '';
  const flush = async () => {
    if (!res.write(batch)) await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
    batch = '';
  };
  try {
    for (const chunk of chunks) {
      if (res.destroyed) return; // the client went away
      batch += chunk;
      if (batch.length >= 65_536) await flush();
    }
    if (batch) await flush();
    res.end();
  } catch (error) {
    // The status line is gone: all that is left to say is that the body is cut short.
    res.destroy();
    throw error;
  }
}

/** Marks the answer as the connection's last: Node closes it once the response is sent. */
function closing(res: ServerResponse, error: SignoffError): SignoffError {
  if (!res.headersSent) res.setHeader('Connection', 'close');
  return error;
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new SignoffError(ErrorCode.invalid, `path: ${JSON.stringify(segment)} is not valid percent-encoding`);
  }
}

function parseWait(raw: string | null): number {
  if (raw === null) return 0;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) throw new SignoffError(ErrorCode.invalid, 'wait: must be a number of seconds ≥ 0');
  return Math.min(seconds, MAX_WAIT_SECONDS);
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/** Known refusals keep their code; anything else is logged and answered with a fixed message, never a stack. */
export function toWireError(error: unknown, logger: Logger): WireError {
  if (error instanceof SignoffError) return error.toWire();
  logger.error('internal error:', toError(error).stack ?? toError(error).message);
  return { code: ErrorCode.internal, message: 'internal error in the hub; see its log' };
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}
