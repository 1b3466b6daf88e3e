import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { toError, type Logger } from '@signoff/shared';
import { PAIRING_CODE_TTL_MS } from '../hub/auth.js';
import type { HubBackend, PairingCode, RunningHub } from './single-hub.js';

/** The `signoff` command of this checkout (used by the Node-process backend). */
export const SIGNOFF_BIN = fileURLToPath(new URL('../../bin/signoff.js', import.meta.url));

/** How long a child hub may take to print its "listening on" line. */
const CHILD_START_TIMEOUT_MS = 30_000;
/** How long a child hub may take to stop after SIGTERM before it is killed. */
const CHILD_STOP_TIMEOUT_MS = 5000;
/** How long `signoff pair` or `signoff devices revoke` may take. */
const PAIR_TIMEOUT_MS = 30_000;

/**
 * The hub in this process, as DESIGN.md wants for the tray. The hub module is
 * imported here, not at the top of the tray, and SQLite is opened once at once:
 * under Electron, a better-sqlite3 built for Node's ABI fails right here, where
 * the caller can still choose {@link nodeProcessBackend}.
 */
export async function loadInProcessBackend(logger: Logger): Promise<HubBackend> {
  const [hubModule, auth] = await Promise.all([import('../hub/index.js'), import('../hub/auth.js')]);
  new hubModule.SqliteStore(':memory:').close();
  return {
    name: 'in-process',
    async startHub({ dataDir, port, publicUrl }): Promise<RunningHub> {
      // The tray process is the hub's entry point here: what it writes is the owner's only.
      hubModule.usePrivateUmask();
      const hub = hubModule.createHub({ dataDir, port, logger, publicUrl });
      try {
        const started = await hub.start();
        return { ...started, stop: () => hub.stop(), createPairingCode: () => hub.createPairingCode() };
      } catch (error) {
        await hub.stop().catch(() => {});
        throw error;
      }
    },
    async createPairingCode(dataDir): Promise<PairingCode> {
      auth.ensureDataDir(dataDir);
      const store = new hubModule.SqliteStore(join(dataDir, hubModule.DB_FILE));
      try {
        return auth.createPairingCode(store, hubModule.systemClock);
      } finally {
        store.close();
      }
    },
    async revokeDevice(dataDir, deviceId): Promise<boolean> {
      const store = new hubModule.SqliteStore(join(dataDir, hubModule.DB_FILE));
      try {
        // The running hub notices within a second and closes the device's sockets.
        return store.devices.revoke(deviceId, hubModule.systemClock.now());
      } finally {
        store.close();
      }
    },
  };
}

/**
 * The hub as a child process of a plain Node (`signoff hub`, `signoff pair`). For
 * running the tray from a checkout: there better-sqlite3 is built for Node, not for
 * Electron's ABI (a packaged app has it rebuilt, and uses the in-process hub).
 */
export function nodeProcessBackend(options: { node: string; logger: Logger; bin?: string }): HubBackend {
  const { node, logger } = options;
  const bin = options.bin ?? SIGNOFF_BIN;
  return {
    name: 'node-process',
    startHub: ({ dataDir, port, publicUrl }) => startChildHub(node, bin, dataDir, port, logger, publicUrl),
    async createPairingCode(dataDir, hubUrl): Promise<PairingCode> {
      // `signoff pair` checks the hub's identity itself before it writes a code.
      const { code, stdout, stderr } = await run(node, [bin, 'pair', '--data-dir', dataDir], hubUrl);
      const last = stdout.trim().split('\n').pop()?.trim() ?? '';
      if (code !== 0 || !/^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(last)) throw new Error(`signoff pair failed (exit ${code}): ${stderr.trim() || stdout.trim()}`);
      return { code: last, expiresAt: Date.now() + PAIRING_CODE_TTL_MS };
    },
    async revokeDevice(dataDir, deviceId): Promise<boolean> {
      const { code } = await run(node, [bin, 'devices', 'revoke', deviceId, '--data-dir', dataDir]);
      return code === 0;
    },
  };
}

function startChildHub(node: string, bin: string, dataDir: string, port: number, logger: Logger, publicUrl?: string): Promise<RunningHub> {
  const child = spawn(node, [bin, 'hub', '--port', String(port), '--data-dir', dataDir, ...(publicUrl ? ['--public-url', publicUrl] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SIGNOFF_URL: '' },
  });
  // 'close', not 'exit': by then everything the child printed has been read.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  let output = '';
  return new Promise<RunningHub>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`the hub did not start within ${CHILD_START_TIMEOUT_MS / 1000} s`)), CHILD_START_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (!listening) return;
      clearTimeout(timer);
      // From here on the hub's own log goes to the tray's log, line by line.
      child.stdout.off('data', onData);
      child.stderr.off('data', onData);
      forwardLines(child.stdout, (line) => logger.info(line));
      forwardLines(child.stderr, (line) => logger.warn(line));
      const url = listening[1]!;
      resolve({ url, port: Number(new URL(url).port), stop: () => stopChild() });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => fail(error));
    void exited.then((code) => {
      if (/listening on/.test(output)) return;
      clearTimeout(timer);
      const error = new Error(`signoff hub exited with ${code}: ${output.trim()}`) as NodeJS.ErrnoException;
      if (/is in use/.test(output)) error.code = 'EADDRINUSE';
      reject(error);
    });
  });

  async function stopChild(): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}

function forwardLines(stream: NodeJS.ReadableStream, write: (line: string) => void): void {
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) write(line.replace(/^\[hub\]\s*/, ''));
  });
}

function run(command: string, args: string[], hubUrl = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SIGNOFF_URL: hubUrl }, timeout: PAIR_TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error) => reject(toError(error)));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
