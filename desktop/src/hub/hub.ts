import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_PORT, ErrorCode, MAX_PAYLOAD_BYTES, createLogger, type Logger, type PairingCreated } from '@signoff/shared';
import { Server } from 'socket.io';
import { AgentLimiter, resolveAgentLimits, type AgentLimits } from './agent-limits.js';
import { Authenticator, createPairingCode, loadOrCreateAgentToken } from './auth.js';
import { systemClock, type Clock } from './clock.js';
import { closeUnjoinedSessions, guardEveryEngineRequest } from './engine-guard.js';
import { answerClientErrors, answerEveryRequest, answerExpectations, answerStrayUpgrades } from './http-failsafe.js';
import { loadOrCreateHubIdentity, type HubIdentity } from './hub-identity.js';
import { Lifecycle } from './lifecycle.js';
import { MachineOperations } from './machine-operations.js';
import { Operations } from './operations.js';
import { PolicyDesk } from './policy-desk.js';
import { PolicySource } from '../policy/policy-file.js';
import { NotifySettingsSource } from '../notify/notify-settings.js';
import { PushNotifier } from '../notify/push-notifier.js';
import { loadOrCreateVapidKeys } from '../notify/vapid-keys.js';
import { checkOriginAndHost, PublicRefusalLog, requestSource, type Route } from './origin-guard.js';
import { securePrivateDir } from './private-files.js';
import { parsePublicUrl, type PublicUrl } from './public-url.js';
import { PushOperations } from './push-operations.js';
import type { RequestStore } from './request-store.js';
import { createRestApi, send } from './rest-api.js';
import { attachSocketApi } from './socket-api.js';
import { SqliteStore } from './sqlite-store.js';
import { createStaticUi, DEFAULT_UI_DIR } from './static-ui.js';
import { HUB_VERSION } from './version.js';

export const DB_FILE = 'signoff.db';
/** Socket.IO's default path, named so the stray-upgrade answer and Engine.IO agree. */
const ENGINE_PATH = '/socket.io/';

export interface HubOptions {
  /** Holds `signoff.db` and `agent.token`. */
  dataDir: string;
  /** @default 7475; 0 picks a free port */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default the system clock */
  clock?: Clock;
  /** @default a `[hub]` console logger */
  logger?: Logger;
  /** @default SQLite in `dataDir` */
  store?: RequestStore;
  /**
   * The built approval window, served at `/` (every non-`/api` path). When it holds no
   * `index.html`, `/` answers a short page saying to run `npm run build`.
   * @default `desktop/dist/window`
   */
  uiDir?: string;
  /**
   * What one agent may do (see `agent-limits.ts` and the README's "Limits"); over
   * `<dataDir>/limits.json`, which is over the defaults.
   * @default DEFAULT_AGENT_LIMITS
   */
  limits?: Partial<AgentLimits>;
  /** What `~` stands for in `policy.yaml` paths. @default the user's home directory */
  home?: string;
  /**
   * Where a TLS-terminating reverse proxy the person runs makes this hub reachable from
   * their other machines and phone (`https://name[:port]`, see public-url.ts). Requests
   * under its Host are the public route; the hub itself stays on `host`.
   * @default none: the hub answers only loopback names
   */
  publicUrl?: string | undefined;
  /**
   * The HTTPS agent Web Push requests go through. Only tests set it: their stand-in push
   * service has its own CA and a name only they resolve.
   * @default Node's global agent (the system's trust store and DNS)
   */
  pushAgent?: HttpsAgent;
}

export interface Hub {
  readonly store: RequestStore;
  readonly lifecycle: Lifecycle;
  readonly agentToken: string;
  /** The key this hub proves to approver clients. */
  readonly identity: HubIdentity;
  /** Starts listening and settles requests whose deadline passed while the hub was down. */
  start(): Promise<{ port: number; url: string }>;
  stop(): Promise<void>;
  /** `http://127.0.0.1:PORT` once started. */
  readonly url: string;
  /** The public URL's origin (`https://name[:port]`), or null when the hub has none. */
  readonly publicUrl: string | null;
  /** A one-time pairing code, and its link at the public URL (`null` without one). */
  createPairingCode(): PairingCreated;
}

/**
 * Builds a hub: store, lifecycle, REST and Socket.IO over one HTTP server.
 * Does not listen until `start()`; only the CLI and the tray call it.
 */
export function createHub(options: HubOptions): Hub {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger('hub');
  const host = options.host ?? '127.0.0.1';
  // Checked before anything is opened or written: a bad URL stops the start.
  const publicUrl: PublicUrl | null = options.publicUrl === undefined ? null : parsePublicUrl(options.publicUrl, 'publicUrl');
  // Before anything is written into it: owner-only, whatever the umask.
  securePrivateDir(options.dataDir, logger);
  const limiter = new AgentLimiter(resolveAgentLimits(options.dataDir, options.limits), () => clock.now());
  const agentToken = loadOrCreateAgentToken(options.dataDir);
  const identity = loadOrCreateHubIdentity(options.dataDir);
  // The hub runs for hours: its WAL checkpoints (and their fsyncs) go to a worker thread.
  const store = options.store ?? new SqliteStore(join(options.dataDir, DB_FILE), { backgroundCheckpoints: true });
  // policy.yaml in the data dir: read now, followed from start() on.
  const policy = new PolicySource({ dataDir: options.dataDir, logger, clock: () => clock.now() });
  policy.load();
  const desk = new PolicyDesk(policy, store.grants, () => clock.now(), options.home);
  const lifecycle = new Lifecycle(store, clock, limiter, desk, { reviewCaps: limiter.limits, logger });
  const auth = new Authenticator(agentToken, store, () => clock.now());
  const machines = new MachineOperations(store, () => clock.now());
  const refusals = new PublicRefusalLog(logger, () => clock.now());
  /** A pairing code, with the link the phone opens when the hub has a public URL (`#pair=`: never sent to any server). */
  const mintPairingCode = (): PairingCreated => {
    const { code, expiresAt } = createPairingCode(store, clock);
    return { code, expiresAt, url: publicUrl ? `${publicUrl.origin}/#pair=${code}` : null };
  };
  const ops = new Operations(lifecycle, store, clock, limiter, desk);
  // Pending counts follow the lifecycle; they are loaded from the store in start().
  lifecycle.subscribe({
    created: (request, { owner, payloadBytes }) => {
      if (request.status === 'pending') limiter.created({ id: request.id, owner, agentId: request.agentId, bytes: payloadBytes });
    },
    settled: (request) => limiter.settled(request.id),
  });
  // Web Push and ntfy: content-free, under the tray's notification policy and settings (tray-settings.json).
  const vapid = loadOrCreateVapidKeys(options.dataDir);
  const pushes = new PushOperations(store, vapid.publicKey, () => publicUrl !== null, () => clock.now());
  const notifySettings = new NotifySettingsSource(options.dataDir, logger);
  const notifier = new PushNotifier({
    store,
    vapid,
    settings: () => notifySettings.get(),
    publicUrl: () => publicUrl?.origin ?? null,
    logger,
    now: () => clock.now(),
    ...(options.pushAgent ? { agent: options.pushAgent } : {}),
  });
  lifecycle.subscribe({ created: (request) => notifier.created(request) });
  let port = options.port ?? DEFAULT_PORT;

  const rest = createRestApi({ ops, lifecycle, auth, clock, version: HUB_VERSION, publicUrl: publicUrl?.origin ?? null, logger, refusals, identity, limiter, machines, push: pushes });
  /** The route of every request the guard let through; Socket.IO's handshake request is looked up here too. */
  const routes = new WeakMap<IncomingMessage, Route>();
  const guard = (req: IncomingMessage): string | null => {
    const { route, refusal } = checkOriginAndHost(req.headers, { port, host, publicUrl });
    if (refusal === null) routes.set(req, route);
    else if (route === 'public') refusals.refused(requestSource(req, route), refusal);
    return refusal;
  };
  /** Unknown (never guarded) counts as public: the stricter route. */
  const routeOf = (req: IncomingMessage): Route => routes.get(req) ?? 'public';
  const ui = createStaticUi({ root: options.uiDir ?? DEFAULT_UI_DIR, port: () => port, host, publicUrl });

  const http: HttpServer = createServer(
    answerEveryRequest(async (req, res) => {
      const refusal = guard(req);
      if (refusal) return send(res, 403, { error: { code: ErrorCode.forbidden, message: refusal } });
      if (!(await rest(req, res, routeOf(req)))) await ui(req, res);
    }, logger),
  );
  answerClientErrors(http, logger);
  answerExpectations(http);
  answerStrayUpgrades(http, ENGINE_PATH);

  const io = new Server(http, {
    serveClient: false,
    path: ENGINE_PATH,
    // answerStrayUpgrades answers the others at once, with a reason.
    destroyUpgrade: false,
    // Hard ceiling; messages over MAX_PAYLOAD_BYTES but under this get an ack error instead of a dropped connection.
    maxHttpBufferSize: 4 * MAX_PAYLOAD_BYTES,
  });
  // Every Engine.IO request (polling, upgrade), not only the handshake as `allowRequest` would.
  // A session's later requests must come the way its handshake came: its id is no credential.
  const sessionRoutes = new Map<string, Route>();
  io.engine.on('connection', (conn: { id: string; request: IncomingMessage; once(event: 'close', listener: () => void): void }) => {
    sessionRoutes.set(conn.id, routeOf(conn.request));
    conn.once('close', () => sessionRoutes.delete(conn.id));
  });
  guardEveryEngineRequest(io, (req) => guard(req) ?? sameRouteAsSession(sessionRoutes, req, routeOf(req)));
  // Before the namespaces exist: it sees them created.
  const stopSessionGuard = closeUnjoinedSessions(io, { max: limiter.limits.unjoinedSessions, timeoutMs: limiter.limits.handshakeTimeoutMs });
  const detach = attachSocketApi(io, {
    ops,
    lifecycle,
    store,
    auth,
    identity,
    logger,
    routeOf,
    refusals,
    machines,
    createPairingCode: mintPairingCode,
    now: () => clock.now(),
    desk,
    onPolicyChange: (listener) => policy.onChange(listener),
    push: pushes,
  });

  let url = '';
  return {
    store,
    lifecycle,
    agentToken,
    identity,
    get url() {
      return url;
    },
    publicUrl: publicUrl?.origin ?? null,
    createPairingCode: mintPairingCode,
    async start() {
      // Codes made under an earlier run may have been typed into a program that held the port meanwhile.
      store.pairing.expireCodes(clock.now());
      limiter.load(store.requests.pendingUsage());
      lifecycle.start();
      policy.watch();
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          http.off('error', reject);
          resolve();
        });
      });
      port = (http.address() as AddressInfo).port;
      url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      return { port, url };
    },
    async stop() {
      notifier.stop();
      detach();
      policy.close();
      stopSessionGuard();
      lifecycle.stop();
      io.disconnectSockets(true);
      const closing = io.close(); // also closes the HTTP server
      // Idle keep-alive connections would otherwise hold the close open.
      http.closeAllConnections();
      await closing;
      store.close();
    },
  };
}

/**
 * Refuses an Engine.IO request for an existing session (`sid`) that arrives on another
 * route than the session's handshake. The query is read as Engine.IO reads it (`new URL`,
 * everything after the first `?`), and every `sid` in it is checked: Engine.IO takes the
 * last, so checking only the first let `sid=unknown&sid=<local session>` through.
 */
function sameRouteAsSession(sessions: ReadonlyMap<string, Route>, req: IncomingMessage, route: Route): string | null {
  for (const sid of new URL(req.url ?? '/', 'https://socket.io').searchParams.getAll('sid')) {
    const opened = sessions.get(sid);
    if (opened !== undefined && opened !== route) return `this session was opened on the ${opened} route`;
  }
  return null;
}
