import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_PORT, ErrorCode, MAX_PAYLOAD_BYTES, createLogger, type Logger } from '@signoff/shared';
import { Server } from 'socket.io';
import { AgentLimiter, resolveAgentLimits, type AgentLimits } from './agent-limits.js';
import { Authenticator, createPairingCode, loadOrCreateAgentToken } from './auth.js';
import { systemClock, type Clock } from './clock.js';
import { closeUnjoinedSessions, guardEveryEngineRequest } from './engine-guard.js';
import { answerClientErrors, answerEveryRequest, answerExpectations, answerStrayUpgrades } from './http-failsafe.js';
import { loadOrCreateHubIdentity, type HubIdentity } from './hub-identity.js';
import { Lifecycle } from './lifecycle.js';
import { Operations } from './operations.js';
import { PolicyDesk } from './policy-desk.js';
import { PolicySource } from '../policy/policy-file.js';
import { refuseByOriginOrHost } from './origin-guard.js';
import { securePrivateDir } from './private-files.js';
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
  createPairingCode(): { code: string; expiresAt: number };
}

/**
 * Builds a hub: store, lifecycle, REST and Socket.IO over one HTTP server.
 * Does not listen until `start()`; only the CLI and the tray call it.
 */
export function createHub(options: HubOptions): Hub {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger('hub');
  const host = options.host ?? '127.0.0.1';
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
  const auth = new Authenticator(agentToken, store);
  const ops = new Operations(lifecycle, store, clock, limiter, desk);
  // Pending counts follow the lifecycle; they are loaded from the store in start().
  lifecycle.subscribe({
    created: (request, { owner, payloadBytes }) => {
      if (request.status === 'pending') limiter.created({ id: request.id, owner, agentId: request.agentId, bytes: payloadBytes });
    },
    settled: (request) => limiter.settled(request.id),
  });
  let port = options.port ?? DEFAULT_PORT;

  const rest = createRestApi({ ops, lifecycle, auth, clock, version: HUB_VERSION, logger, identity, limiter });
  const guard = (headers: { host?: string; origin?: string }) => refuseByOriginOrHost(headers, { port, host });
  const ui = createStaticUi({ root: options.uiDir ?? DEFAULT_UI_DIR, port: () => port, host });

  const http: HttpServer = createServer(
    answerEveryRequest(async (req, res) => {
      const refusal = guard(req.headers);
      if (refusal) return send(res, 403, { error: { code: ErrorCode.forbidden, message: refusal } });
      if (!(await rest(req, res))) await ui(req, res);
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
  guardEveryEngineRequest(io, guard);
  // Before the namespaces exist: it sees them created.
  const stopSessionGuard = closeUnjoinedSessions(io, { max: limiter.limits.unjoinedSessions, timeoutMs: limiter.limits.handshakeTimeoutMs });
  const detach = attachSocketApi(io, {
    ops,
    lifecycle,
    store,
    auth,
    identity,
    logger,
    now: () => clock.now(),
    desk,
    onPolicyChange: (listener) => policy.onChange(listener),
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
    createPairingCode: () => createPairingCode(store, clock),
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
