import { chmodSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { toError, type Logger } from '@signoff/shared';
import { writeFileAtomic } from './settings.js';

/** The tray's own approver token, kept across restarts (mode 0600). */
export const TRAY_TOKEN_FILE = 'tray.token';
/** The approver name the hub records for the tray's decisions. */
export const TRAY_APPROVER_NAME = 'Signoff tray';

/** How long the tray waits for a hub's health answer. */
const PROBE_TIMEOUT_MS = 2000;
/** How long one REST call of the pairing flow may take. */
const CALL_TIMEOUT_MS = 10_000;

export interface PairingCode {
  code: string;
  expiresAt: number;
}

/** A hub this tray started (in-process, or as a child Node process). */
export interface RunningHub {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Present when the hub runs in this process: codes go straight into its store. */
  createPairingCode?(): PairingCode;
}

/** How the tray starts a hub and writes pairing codes into a data dir's store. */
export interface HubBackend {
  /** For logs: `in-process` or `node-process`. */
  readonly name: string;
  /** Starts a hub; rejects with `code: 'EADDRINUSE'` when the port is taken. */
  startHub(options: { dataDir: string; port: number }): Promise<RunningHub>;
  /** Writes a one-time pairing code into the data dir's store (as `signoff pair` does). */
  createPairingCode(dataDir: string): Promise<PairingCode>;
}

/** The hub the tray works with, and the tray's approver token for it. */
export interface HubConnection {
  /** `own`: started by this tray, stopped on quit. `attached`: another process runs it. */
  mode: 'own' | 'attached';
  url: string;
  port: number;
  version: string;
  /** The tray's approver token (from `tray.token`, or freshly paired). */
  trayToken: string;
  /** A fresh one-time code for pairing a browser. */
  createPairingCode(): Promise<PairingCode>;
  /** Pairs a new approver (e.g. the window) and returns its token. */
  pairApprover(name: string): Promise<string>;
  /** Stops the hub if this tray started it; leaves another process's hub alone. */
  stop(): Promise<void>;
}

/** Why the tray could not get a hub; `message` is meant for a person. */
export class HubUnavailableError extends Error {
  override readonly name = 'HubUnavailableError';
  constructor(
    readonly reason: 'port-taken' | 'other-data-dir' | 'refused',
    message: string,
  ) {
    super(message);
  }
}

export type ProbeResult = { kind: 'signoff'; version: string } | { kind: 'other' } | { kind: 'none' };

/**
 * Asks `GET /api/v1/health` at `url`. `signoff`: a Signoff hub answered;
 * `other`: something else holds the port; `none`: nothing listens there.
 */
export function probeHub(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  // A fresh connection each time (no keep-alive pool): a pooled socket to a hub that
  // has just stopped would fail with a reset, not the refusal that means "nothing here".
  return new Promise((resolve) => {
    const req = get(`${url}/api/v1/health`, { agent: false, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('error', () => resolve({ kind: 'other' }));
      res.on('end', () => {
        try {
          const body = JSON.parse(text) as { ok?: unknown; version?: unknown };
          if (res.statusCode === 200 && body.ok === true && typeof body.version === 'string') return resolve({ kind: 'signoff', version: body.version });
        } catch {
          // not JSON: someone else's server
        }
        resolve({ kind: 'other' });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' ? { kind: 'none' } : { kind: 'other' }));
  });
}

function hubUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/**
 * One hub per data dir: if a Signoff hub already answers at `port` (say `signoff hub`
 * in a terminal), the tray becomes one of its approvers; otherwise it starts one.
 * Two trays racing for a free port settle the same way: the loser of `listen`
 * probes again and attaches. Either way the tray ends up with its approver token.
 */
export async function startOrAttach(options: { dataDir: string; port: number; backend: HubBackend; logger: Logger }): Promise<HubConnection> {
  const { dataDir, port, backend, logger } = options;
  // Port 0 (tests) means "any free port": nothing can already answer there.
  let probe: ProbeResult = port === 0 ? { kind: 'none' } : await probeHub(hubUrl(port));
  let running: RunningHub | null = null;
  if (probe.kind === 'none') {
    try {
      running = await backend.startHub({ dataDir, port });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      probe = await probeHub(hubUrl(port));
    }
  }
  if (!running && probe.kind !== 'signoff') {
    throw new HubUnavailableError('port-taken', `Port ${port} is used by another program, not a Signoff hub. Choose another port (SIGNOFF_PORT or "port" in the tray settings).`);
  }

  const url = running ? running.url : hubUrl(port);
  const actualPort = running ? running.port : port;
  const createPairingCode = async (): Promise<PairingCode> => running?.createPairingCode?.() ?? backend.createPairingCode(dataDir);
  const pairApprover = async (name: string): Promise<string> => {
    const { code } = await createPairingCode();
    return exchangePairingCode(url, code, name, dataDir);
  };
  try {
    const version = probe.kind === 'signoff' ? probe.version : await versionOf(url);
    const trayToken = await ensureTrayToken({ dataDir, url, pair: () => pairApprover(TRAY_APPROVER_NAME) });
    logger.info(running ? `started the hub (${backend.name}) at ${url}` : `attached to the Signoff hub ${version} at ${url}`);
    return {
      mode: running ? 'own' : 'attached',
      url,
      port: actualPort,
      version,
      trayToken,
      createPairingCode,
      pairApprover,
      stop: async () => {
        await running?.stop();
      },
    };
  } catch (error) {
    await running?.stop().catch(() => {});
    throw error;
  }
}

async function versionOf(url: string): Promise<string> {
  const probe = await probeHub(url);
  if (probe.kind !== 'signoff') throw new Error(`the hub started at ${url} does not answer its health check`);
  return probe.version;
}

/**
 * The tray's approver token: `<dataDir>/tray.token` when the hub still accepts it,
 * else a new pairing (code written into the data dir's store, exchanged by
 * `POST /api/v1/pair`), saved 0600 for the next start.
 */
export async function ensureTrayToken(options: { dataDir: string; url: string; pair: () => Promise<string> }): Promise<string> {
  const file = join(options.dataDir, TRAY_TOKEN_FILE);
  const saved = readToken(file);
  if (saved && (await approverTokenWorks(options.url, saved))) return saved;
  const token = await options.pair();
  writeFileAtomic(file, `${token}\n`, 0o600);
  return token;
}

function readToken(file: string): string | null {
  try {
    chmodSync(file, 0o600);
    const token = readFileSync(file, 'utf8').trim();
    return token.length > 0 ? token : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** True when the hub takes `token` as an approver's (an approver-only call answers 200). */
export async function approverTokenWorks(url: string, token: string): Promise<boolean> {
  const res = await fetch(`${url}/api/v1/requests?status=pending&limit=1`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  await res.body?.cancel();
  if (res.status === 200) return true;
  if (res.status === 401 || res.status === 403) return false;
  throw new Error(`the hub at ${url} answered ${res.status} when checking the tray's token`);
}

/** `POST /api/v1/pair {code, name}` → the new approver token. */
export async function exchangePairingCode(url: string, code: string, name: string, dataDir: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`${url}/api/v1/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, name }),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
  } catch (error) {
    throw new Error(`cannot reach the hub at ${url} to pair: ${toError(error).message}`);
  }
  const body = (await res.json().catch(() => ({}))) as { token?: unknown; error?: { code?: string; message?: string } };
  if (res.status === 201 && typeof body.token === 'string') return body.token;
  if (res.status === 401) {
    // The code was written into our data dir's store a moment ago, so it cannot have
    // expired: a hub that does not know it keeps its store somewhere else.
    throw new HubUnavailableError(
      'other-data-dir',
      `The Signoff hub at ${url} uses another data dir than ${dataDir}. Stop it, or start the tray with the same SIGNOFF_HOME.`,
    );
  }
  throw new HubUnavailableError('refused', `The hub at ${url} refused to pair the tray (${res.status}: ${body.error?.message ?? 'no reason given'}).`);
}
