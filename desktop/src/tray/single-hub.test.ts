import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@signoff/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { loadInProcessBackend } from './hub-backends.js';
import {
  HubUnavailableError,
  TRAY_TOKEN_FILE,
  approverTokenWorks,
  probeHub,
  startOrAttach,
  type HubBackend,
  type HubConnection,
} from './single-hub.js';

let dataDir: string;
let backend: HubBackend;
const cleanups: (() => Promise<void> | void)[] = [];

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'signoff-tray-hub-'));
  backend = await loadInProcessBackend(silentLogger);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

async function hubOn(options: { dataDir?: string; port?: number } = {}): Promise<TestHub> {
  const hub = await startTestHub({ dataDir: options.dataDir ?? dataDir, port: options.port ?? 0 });
  cleanups.push(() => hub.stop());
  return hub;
}

async function connect(port: number, over: HubBackend = backend): Promise<HubConnection> {
  const connection = await startOrAttach({ dataDir, port, backend: over, logger: silentLogger });
  cleanups.push(() => connection.stop());
  return connection;
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function otherServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => res.end('<html>not signoff</html>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('probeHub', () => {
  it('recognises a Signoff hub by its health answer', async () => {
    const hub = await hubOn();
    expect(await probeHub(hub.url)).toEqual({ kind: 'signoff', version: expect.any(String) as string });
  });

  it('tells nothing listening from someone else listening', async () => {
    expect(await probeHub(`http://127.0.0.1:${await freePort()}`)).toEqual({ kind: 'none' });
    const { port } = await otherServer();
    expect(await probeHub(`http://127.0.0.1:${port}`)).toEqual({ kind: 'other' });
  });
});

describe('startOrAttach', () => {
  it('attaches to a hub already running on the port, pairing the tray through the data dir', async () => {
    const hub = await hubOn();
    const connection = await connect(hub.port);
    expect(connection).toMatchObject({ mode: 'attached', url: hub.url, port: hub.port });
    const tokenFile = join(dataDir, TRAY_TOKEN_FILE);
    expect(readFileSync(tokenFile, 'utf8')).toBe(`${connection.trayToken}\n`);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(await approverTokenWorks(hub.url, connection.trayToken)).toBe(true);
  });

  it('leaves an attached hub running when the tray stops', async () => {
    const hub = await hubOn();
    const connection = await connect(hub.port);
    await connection.stop();
    expect((await probeHub(hub.url)).kind).toBe('signoff');
  });

  it('reuses the saved tray token on the next start', async () => {
    const hub = await hubOn();
    const first = await connect(hub.port);
    const second = await connect(hub.port);
    expect(second.trayToken).toBe(first.trayToken);
  });

  it('pairs again when the saved token is no longer accepted', async () => {
    const hub = await hubOn();
    writeFileSync(join(dataDir, TRAY_TOKEN_FILE), 'revoked-or-made-up\n', { mode: 0o644 });
    const connection = await connect(hub.port);
    expect(connection.trayToken).not.toBe('revoked-or-made-up');
    expect(await approverTokenWorks(hub.url, connection.trayToken)).toBe(true);
    expect(statSync(join(dataDir, TRAY_TOKEN_FILE)).mode & 0o777).toBe(0o600);
  });

  it('starts the hub in-process when nothing answers on the port, and stops it on quit', async () => {
    const port = await freePort();
    const connection = await connect(port);
    expect(connection).toMatchObject({ mode: 'own', port, url: `http://127.0.0.1:${port}` });
    expect((await probeHub(connection.url)).kind).toBe('signoff');
    expect(await approverTokenWorks(connection.url, connection.trayToken)).toBe(true);
    await connection.stop();
    expect((await probeHub(connection.url)).kind).toBe('none');
  });

  it('a second tray on the same data dir attaches to the first one’s hub instead of starting another', async () => {
    const port = await freePort();
    const first = await connect(port);
    const second = await connect(port);
    expect([first.mode, second.mode]).toEqual(['own', 'attached']);
    expect(second.url).toBe(first.url);
  });

  it('attaches when another process wins the race for the port between probe and listen', async () => {
    const port = await freePort();
    // The rival's hub appears right when this tray tries to listen.
    const racing: HubBackend = {
      name: 'racing',
      async startHub() {
        await hubOn({ port });
        throw Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
      },
      createPairingCode: (dir) => backend.createPairingCode(dir),
    };
    const connection = await connect(port, racing);
    expect(connection).toMatchObject({ mode: 'attached', port });
    expect(await approverTokenWorks(connection.url, connection.trayToken)).toBe(true);
  });

  it('refuses, with a sentence for a person, a port held by another program', async () => {
    const { port } = await otherServer();
    const error = await startOrAttach({ dataDir, port, backend, logger: silentLogger }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubUnavailableError);
    expect(error).toMatchObject({ reason: 'port-taken', message: expect.stringContaining(`Port ${port} is used by another program`) as string });
  });

  it('refuses a hub on the port that keeps its data in another dir', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'signoff-other-'));
    cleanups.push(() => rmSync(elsewhere, { recursive: true, force: true }));
    const hub = await hubOn({ dataDir: elsewhere });
    const error = await startOrAttach({ dataDir, port: hub.port, backend, logger: silentLogger }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'other-data-dir', message: expect.stringContaining('uses another data dir') as string });
  });

  it('gives out fresh pairing codes that pair a browser, and pairs the window', async () => {
    const hub = await hubOn();
    const connection = await connect(hub.port);
    const { code, expiresAt } = await connection.createPairingCode();
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(expiresAt).toBeGreaterThan(Date.now());
    const res = await fetch(`${hub.url}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name: 'browser' }) });
    expect(res.status).toBe(201);
    const windowToken = await connection.pairApprover('Signoff window');
    expect(windowToken).not.toBe(connection.trayToken);
    expect(await approverTokenWorks(hub.url, windowToken)).toBe(true);
  });
});
