import { request as httpRequest } from 'node:http';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { toError, type Logger } from '@signoff/shared';
import { checkHubIdentity, impostorMessage, type HubCheck } from '@signoff/shared/approver';
import { HUB_KEY_FILE, readHubPublicKey } from '../hub/hub-identity.js';
import { loadTrayDevice, pairTrayDevice, type SecretCodec, type TrayDevice } from './tray-device.js';

/** How long the tray waits for a hub's identity proof. */
const PROBE_TIMEOUT_MS = 2000;

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

/** How the tray starts a hub and works on a data dir's store. */
export interface HubBackend {
  /** For logs: `in-process` or `node-process`. */
  readonly name: string;
  /** Starts a hub; rejects with `code: 'EADDRINUSE'` when the port is taken. */
  startHub(options: { dataDir: string; port: number; publicUrl?: string | undefined }): Promise<RunningHub>;
  /**
   * Writes a one-time pairing code into the data dir's store (as `signoff pair` does),
   * for the hub at `hubUrl`, which the caller has just verified.
   */
  createPairingCode(dataDir: string, hubUrl: string): Promise<PairingCode>;
  /** Revokes a device in the data dir's store (as `signoff devices revoke` does); false when there was none. */
  revokeDevice(dataDir: string, deviceId: string): Promise<boolean>;
}

/** The hub the tray works with, proven to hold the data dir's key, and the tray's device for it. */
export interface HubConnection {
  /** `own`: started by this tray, stopped on quit. `attached`: another process runs it. */
  mode: 'own' | 'attached';
  url: string;
  port: number;
  /** The data dir's hub key (`hub.key`), which the hub at `url` proved it holds. */
  hubPublicKey: string;
  /** The tray's one approver device (from `tray.key`, or paired at this start). */
  device: TrayDevice;
  /**
   * Pairs the tray anew (its device was refused: revoked) and saves it to `tray.key`;
   * only after the hub at `url` proves again that it holds the data dir's key.
   */
  renewDevice(): Promise<TrayDevice>;
  /** A fresh one-time code for pairing a browser; only after the hub at `url` proves again that it is ours. */
  createPairingCode(): Promise<PairingCode>;
  /** Stops the hub if this tray started it; leaves another process's hub alone. */
  stop(): Promise<void>;
}

/** Why the tray could not get a hub; `message` is meant for a person. */
export class HubUnavailableError extends Error {
  override readonly name = 'HubUnavailableError';
  constructor(
    /** `impostor`: something that cannot prove the data dir's hub key answers on the port (another program, or a hub of another data dir). */
    readonly reason: 'impostor' | 'gone' | 'refused',
    message: string,
  ) {
    super(message);
  }
}

/** What older trays kept: a bearer approver token. */
export const LEGACY_TRAY_TOKEN_FILE = 'tray.token';

/**
 * An older tray's `tray.token`: its device is revoked (with the token itself, sent only
 * to the hub that has just proved the data dir's key) and the file deleted, so the
 * tray's key device is its only one.
 */
async function retireLegacyTrayToken(url: string, dataDir: string, logger: Logger): Promise<void> {
  const file = join(dataDir, LEGACY_TRAY_TOKEN_FILE);
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch {
    return;
  }
  try {
    const headers = { authorization: `Bearer ${token}` };
    const res = await freshConnectionFetch(`${url}/api/v1/devices`, { headers });
    if (res.status === 200) {
      const { self } = (await res.json()) as { self?: unknown };
      if (typeof self === 'string') await freshConnectionFetch(`${url}/api/v1/devices/${encodeURIComponent(self)}`, { method: 'DELETE', headers });
    }
    logger.info(`retired ${LEGACY_TRAY_TOKEN_FILE}: the tray is a key device now`);
  } catch (error) {
    logger.warn(`could not revoke the device of the old ${LEGACY_TRAY_TOKEN_FILE}: ${toError(error).message}`);
  }
  rmSync(file, { force: true });
}

function hubUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/**
 * `fetch` over a fresh connection each time (no keep-alive pool): a pooled socket to a
 * hub that has just stopped fails with a reset, which the identity check would have to
 * read as "something else answers", not as the refusal that means "nothing here".
 */
export const freshConnectionFetch: typeof fetch = (input, init = {}) =>
  new Promise<Response>((resolve, reject) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers as Record<string, string>, agent: false, signal: init.signal ?? undefined }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
      res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 502 })));
    });
    // As undici's fetch does: the socket error is the `cause`, so ECONNREFUSED reads as "nothing here".
    req.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
    req.end(typeof init.body === 'string' ? init.body : undefined);
  });

/**
 * Who answers at `url`: the hub holding the data dir's key (`hub.key`), something else,
 * or nothing. No key in the data dir means no hub of ours ever ran there: anything
 * answering is someone else.
 */
export async function probeHub(url: string, dataDir: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<HubCheck> {
  if (!existsSync(join(dataDir, HUB_KEY_FILE))) {
    return (await somethingListens(url, timeoutMs)) ? { kind: 'other', why: `no ${HUB_KEY_FILE} in ${dataDir}` } : { kind: 'none' };
  }
  return checkHubIdentity(url, readHubPublicKey(dataDir), freshConnectionFetch, timeoutMs);
}

/** Whether anything accepts a TCP connection at `url`'s host and port (nothing is sent). */
function somethingListens(url: string, timeoutMs: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port), timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'ECONNREFUSED'));
  });
}

/** "Something else is answering on 127.0.0.1:PORT — not your Signoff hub…", with what to do. */
export function impostorSentence(url: string): string {
  return `${impostorMessage(url)} It may be another program or a Signoff hub with another data dir: stop it, or choose another port (SIGNOFF_PORT or "port" in the tray settings).`;
}

/**
 * One hub per data dir. The tray trusts a hub only when it proves it holds the data
 * dir's key (`POST /api/v1/hub/identity`, checked with `checkHubIdentity`): then it
 * becomes one of its approvers (say `signoff hub` runs in a terminal). When nothing
 * answers it starts one; something else on the port gets nothing, no code, no
 * credential. Two trays racing for a free port settle the same way: the loser of
 * `listen` checks again and attaches.
 *
 * The tray's device comes from `tray.key` when there is one for this hub key; else it
 * pairs, with a code written into the data dir's store, once the hub is verified.
 */
export async function startOrAttach(options: {
  dataDir: string;
  port: number;
  /** The hub's public URL, for a hub the tray starts (an attached hub keeps its own). */
  publicUrl?: string | undefined;
  backend: HubBackend;
  logger: Logger;
  codec: SecretCodec | null;
}): Promise<HubConnection> {
  const { dataDir, port, publicUrl, backend, logger, codec } = options;
  // Port 0 (tests) means "any free port": nothing can already answer there.
  let check: HubCheck = port === 0 ? { kind: 'none' } : await probeHub(hubUrl(port), dataDir);
  let running: RunningHub | null = null;
  if (check.kind === 'none') {
    try {
      running = await backend.startHub({ dataDir, port, publicUrl });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      check = await probeHub(hubUrl(port), dataDir);
    }
  }
  if (!running && check.kind !== 'signoff') {
    const why = check.kind === 'other' ? check.why : 'it stopped answering';
    logger.warn(`not attaching to ${hubUrl(port)}: ${why}`);
    throw new HubUnavailableError('impostor', impostorSentence(hubUrl(port)));
  }

  const url = running ? running.url : hubUrl(port);
  const actualPort = running ? running.port : port;
  try {
    const hubPublicKey = readHubPublicKey(dataDir);
    /** Nothing goes to the hub's address (no code, no key) unless it proves it holds `hub.key` right now. */
    const verified = async () => {
      const now = await checkHubIdentity(url, hubPublicKey, freshConnectionFetch, PROBE_TIMEOUT_MS);
      if (now.kind === 'other') throw new HubUnavailableError('impostor', impostorSentence(url));
      if (now.kind === 'none') throw new HubUnavailableError('gone', `No Signoff hub answers at ${url} any more.`);
    };
    const createPairingCode = async (): Promise<PairingCode> => {
      await verified();
      return running?.createPairingCode?.() ?? backend.createPairingCode(dataDir, url);
    };
    const pair = async (): Promise<TrayDevice> => {
      const { code } = await createPairingCode();
      try {
        return await pairTrayDevice({ dataDir, hubUrl: url, hubPublicKey, code, codec, logger });
      } catch (error) {
        throw new HubUnavailableError('refused', `The hub at ${url} did not pair the tray: ${toError(error).message}`);
      }
    };
    // An own hub proves its key too: the URL the backend reported is what the tray will dial.
    if (running) await verified();

    const loaded = await loadTrayDevice({ dataDir, hubPublicKey, codec, logger });
    let device: TrayDevice;
    if (loaded.kind === 'device') {
      device = loaded.device;
    } else {
      if (loaded.kind === 'unusable') logger.warn(`pairing the tray anew: the saved device in tray.key cannot be used (${loaded.why})`);
      device = await pair();
      logger.info(`paired the tray as device ${device.deviceId}`);
      // The old device would otherwise stay listed (and able to approve, for whoever has its key).
      if (loaded.kind === 'unusable' && loaded.deviceId) await backend.revokeDevice(dataDir, loaded.deviceId).catch((error: unknown) => logger.warn(`could not revoke the old tray device: ${toError(error).message}`));
    }
    await retireLegacyTrayToken(url, dataDir, logger);
    logger.info(running ? `started the hub (${backend.name}) at ${url}` : `attached to the Signoff hub at ${url} (it proved the data dir's key)`);
    return {
      mode: running ? 'own' : 'attached',
      url,
      port: actualPort,
      hubPublicKey,
      device,
      renewDevice: async () => {
        const renewed = await pair();
        logger.info(`the hub refused the tray's device; paired it anew as ${renewed.deviceId}`);
        return renewed;
      },
      createPairingCode,
      stop: async () => {
        await running?.stop();
      },
    };
  } catch (error) {
    await running?.stop().catch(() => {});
    throw error;
  }
}
