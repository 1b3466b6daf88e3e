import type { Logger } from '@signoff/shared';
import { afterEach } from 'vitest';
import { startTestHub, type TestHub } from './hub.js';
import { RestClient } from './rest-client.js';
import { RecordedSocket, type ConnectOptions } from './socket-client.js';

/** A logger that keeps what the hub logged, so a test can assert that nothing went wrong inside. */
export function recordingLogger(): Logger & { errors: unknown[][]; warnings: unknown[][] } {
  const errors: unknown[][] = [];
  const warnings: unknown[][] = [];
  return {
    errors,
    warnings,
    info() {},
    warn: (...args: unknown[]) => void warnings.push(args),
    error: (...args: unknown[]) => void errors.push(args),
  };
}

export interface HubHarness {
  /** Starts a real hub (port 0, SQLite in a temp dir unless `dataDir` is given), disposed after the test. */
  start(options?: Parameters<typeof startTestHub>[0]): Promise<TestHub>;
  /** An agent's REST client (the hub's agent token). */
  agentRest(t: TestHub): RestClient;
  /** A freshly paired approver's REST client. */
  approverRest(t: TestHub, name?: string): Promise<RestClient>;
  /** An `/agent` socket with the agent token, closed after the test. */
  agentSocket(t: TestHub, options?: ConnectOptions): Promise<RecordedSocket>;
  /** An `/approver` socket; pairs a new approver unless a token is given. Closed after the test. */
  approverSocket(t: TestHub, token?: string, options?: ConnectOptions): Promise<RecordedSocket>;
  /** Connects any namespace with any token; closed after the test. */
  connect(t: TestHub, namespace: '/agent' | '/approver', token: string | undefined, options?: ConnectOptions): Promise<RecordedSocket>;
}

/**
 * Registers an `afterEach` that closes every socket and disposes every hub the
 * test made (newest first, so a restarted hub stops before its data dir goes).
 * Call it once at the top of a `describe`.
 */
export function useHubs(): HubHarness {
  let hubs: TestHub[] = [];
  let sockets: RecordedSocket[] = [];

  afterEach(async () => {
    for (const s of sockets) s.close();
    sockets = [];
    for (const t of hubs.reverse()) await t.dispose();
    hubs = [];
  });

  const connect: HubHarness['connect'] = async (t, namespace, token, options) => {
    const socket = await RecordedSocket.connect(t.url, namespace, token, options);
    sockets.push(socket);
    return socket;
  };

  return {
    async start(options) {
      const t = await startTestHub(options);
      hubs.push(t);
      return t;
    },
    agentRest: (t) => new RestClient(t.url, t.agentToken),
    approverRest: async (t, name) => new RestClient(t.url, await t.pairApprover(name)),
    agentSocket: (t, options) => connect(t, '/agent', t.agentToken, options),
    approverSocket: async (t, token, options) => connect(t, '/approver', token ?? (await t.pairApprover()), options),
    connect,
  };
}
