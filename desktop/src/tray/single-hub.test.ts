import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@signoff/shared';
import { ApproverConnection } from '@signoff/shared/approver';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { loadInProcessBackend } from './hub-backends.js';
import { HubUnavailableError, probeHub, startOrAttach, type HubBackend, type HubConnection } from './single-hub.js';
import { TRAY_DEVICE_NAME, TRAY_KEY_FILE, type SecretCodec } from './tray-device.js';

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

async function connect(port: number, options: { over?: HubBackend; codec?: SecretCodec | null } = {}): Promise<HubConnection> {
  const connection = await startOrAttach({ dataDir, port, backend: options.over ?? backend, logger: silentLogger, codec: options.codec ?? null });
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

/** Another program on a port, recording every request it gets. */
async function otherServer(): Promise<{ server: Server; port: number; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${body}`);
      res.end('<html>not signoff</html>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

/** Connects the tray's device as the tray would, and says how the hub took it. */
async function deviceState(url: string, connection: HubConnection): Promise<string> {
  const conn = new ApproverConnection({ url, credential: connection.device.credential, surface: 'tray' });
  conn.start();
  try {
    await conn.whenConnected(5000);
  } catch {
    // the state says why
  } finally {
    conn.close();
  }
  return conn.status.state;
}

/** A stand-in for Electron's safeStorage: reversible, and visibly not plain text. */
const sealing: SecretCodec = {
  name: 'test sealing',
  available: () => Promise.resolve(true),
  encrypt: (plain) => Promise.resolve(new TextEncoder().encode(`sealed:${[...plain].reverse().join('')}`)),
  decrypt: (data) => Promise.resolve({ plain: [...new TextDecoder().decode(data).replace(/^sealed:/, '')].reverse().join('') }),
};

describe('probeHub', () => {
  it('recognises the data dir’s hub by the key it proves', async () => {
    const hub = await hubOn();
    expect(await probeHub(hub.url, dataDir)).toEqual({ kind: 'signoff' });
  });

  it('tells nothing listening from someone else listening, and a hub of another data dir is someone else', async () => {
    expect(await probeHub(`http://127.0.0.1:${await freePort()}`, dataDir)).toEqual({ kind: 'none' });
    const { port } = await otherServer();
    expect(await probeHub(`http://127.0.0.1:${port}`, dataDir)).toMatchObject({ kind: 'other' });
    await hubOn(); // this data dir now has a hub key…
    const elsewhere = mkdtempSync(join(tmpdir(), 'signoff-other-'));
    cleanups.push(() => rmSync(elsewhere, { recursive: true, force: true }));
    const other = await hubOn({ dataDir: elsewhere }); // …which this hub does not hold
    expect(await probeHub(other.url, dataDir)).toMatchObject({ kind: 'other' });
  });
});

describe('startOrAttach', () => {
  it('attaches to the data dir’s hub once it proved its key, and pairs the tray as a key device pinned to it', async () => {
    const hub = await hubOn();
    const connection = await connect(hub.port);
    expect(connection).toMatchObject({ mode: 'attached', url: hub.url, port: hub.port, hubPublicKey: hub.hub.identity.publicKey });
    const keyFile = join(dataDir, TRAY_KEY_FILE);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(keyFile, 'utf8')) as { deviceId: string; hubPublicKey: string; privateKey: { jwk?: unknown } };
    expect(saved).toMatchObject({ deviceId: connection.device.deviceId, hubPublicKey: hub.hub.identity.publicKey });
    expect(saved.privateKey.jwk).toBeDefined();
    expect(hub.hub.store.devices.list()).toEqual([expect.objectContaining({ id: connection.device.deviceId, name: TRAY_DEVICE_NAME, credential: 'key' })]);
    expect(await deviceState(hub.url, connection)).toBe('connected');
  });

  it('retires an older tray’s tray.token: its device is revoked and the file deleted', async () => {
    const hub = await hubOn();
    const token = await hub.pairApprover('Signoff tray');
    writeFileSync(join(dataDir, 'tray.token'), `${token}\n`, { mode: 0o600 });
    const connection = await connect(hub.port);
    expect(() => statSync(join(dataDir, 'tray.token'))).toThrow();
    expect(hub.hub.store.devices.list()).toEqual([expect.objectContaining({ id: connection.device.deviceId, credential: 'key' })]);
  });

  it('leaves an attached hub running when the tray stops', async () => {
    const hub = await hubOn();
    const connection = await connect(hub.port);
    await connection.stop();
    expect((await probeHub(hub.url, dataDir)).kind).toBe('signoff');
  });

  it('reuses its device on the next start: no pairing, no new device row', async () => {
    const hub = await hubOn();
    const first = await connect(hub.port);
    await first.stop();
    const second = await connect(hub.port);
    expect(second.device.deviceId).toBe(first.device.deviceId);
    expect(hub.hub.store.devices.list()).toHaveLength(1);
    expect(await deviceState(hub.url, second)).toBe('connected');
  });

  it('keeps the key sealed by the codec when it has one, and reads it back', async () => {
    const hub = await hubOn();
    const first = await connect(hub.port, { codec: sealing });
    const text = readFileSync(join(dataDir, TRAY_KEY_FILE), 'utf8');
    expect(JSON.parse(text)).toMatchObject({ privateKey: { sealed: expect.any(String), by: 'test sealing' } });
    expect(text).not.toContain('"d"');
    const second = await connect(hub.port, { codec: sealing });
    expect(second.device.deviceId).toBe(first.device.deviceId);
    expect(await deviceState(hub.url, second)).toBe('connected');
  });

  it('pairs anew, and revokes the old device, when the saved one cannot be used (its seal is gone)', async () => {
    const hub = await hubOn();
    const first = await connect(hub.port, { codec: sealing });
    const unavailable: SecretCodec = { ...sealing, available: () => Promise.resolve(false) };
    const second = await connect(hub.port, { codec: unavailable });
    expect(second.device.deviceId).not.toBe(first.device.deviceId);
    expect(hub.hub.store.devices.list().map((d) => d.id)).toEqual([second.device.deviceId]);
    expect(await deviceState(hub.url, second)).toBe('connected');
  });

  it('pairs anew when the data dir’s hub key changed since the device was saved', async () => {
    const hub = await hubOn();
    await connect(hub.port);
    const saved = JSON.parse(readFileSync(join(dataDir, TRAY_KEY_FILE), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dataDir, TRAY_KEY_FILE), JSON.stringify({ ...saved, hubPublicKey: 'AAAA' + String(saved.hubPublicKey).slice(4) }), { mode: 0o644 });
    const again = await connect(hub.port);
    expect(again.device.deviceId).not.toBe(saved.deviceId);
    expect(statSync(join(dataDir, TRAY_KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it('renewDevice pairs a revoked tray again', async () => {
    const hub = await hubOn();
    const connection = await connect(hub.port);
    hub.hub.store.devices.revoke(connection.device.deviceId, Date.now());
    expect(await deviceState(hub.url, connection)).toBe('rejected');
    const renewed = await connection.renewDevice();
    expect(renewed.deviceId).not.toBe(connection.device.deviceId);
    expect(await deviceState(hub.url, { ...connection, device: renewed })).toBe('connected');
  });

  it('starts the hub in-process when nothing answers on the port, and stops it on quit', async () => {
    const port = await freePort();
    const connection = await connect(port);
    expect(connection).toMatchObject({ mode: 'own', port, url: `http://127.0.0.1:${port}` });
    expect((await probeHub(connection.url, dataDir)).kind).toBe('signoff');
    expect(await deviceState(connection.url, connection)).toBe('connected');
    await connection.stop();
    expect((await probeHub(connection.url, dataDir)).kind).toBe('none');
  });

  it('a second tray on the same data dir attaches to the first one’s hub, with the same device', async () => {
    const port = await freePort();
    const first = await connect(port);
    const second = await connect(port);
    expect([first.mode, second.mode]).toEqual(['own', 'attached']);
    expect(second.url).toBe(first.url);
    expect(second.device.deviceId).toBe(first.device.deviceId);
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
      createPairingCode: (dir, url) => backend.createPairingCode(dir, url),
      revokeDevice: (dir, id) => backend.revokeDevice(dir, id),
    };
    const connection = await connect(port, { over: racing });
    expect(connection).toMatchObject({ mode: 'attached', port });
    expect(await deviceState(connection.url, connection)).toBe('connected');
  });

  it('refuses another program on the port with the impostor sentence, and sends it no code and no key', async () => {
    await hubOn().then((hub) => hub.stop()); // the data dir has a hub key, as after any earlier run
    const other = await otherServer();
    const error = await startOrAttach({ dataDir, port: other.port, backend, logger: silentLogger, codec: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubUnavailableError);
    expect(error).toMatchObject({ reason: 'impostor', message: expect.stringContaining(`Something else is answering on 127.0.0.1:${other.port} — not your Signoff hub`) as string });
    // Only the identity question (a fresh nonce) reached it.
    expect(other.seen).toHaveLength(1);
    expect(other.seen[0]).toMatch(/^POST \/api\/v1\/hub\/identity \{"nonce":"[A-Za-z0-9_-]+"\}$/);
    expect(() => readFileSync(join(dataDir, TRAY_KEY_FILE))).toThrow();
  });

  it('refuses a Signoff hub of another data dir the same way: it cannot prove this data dir’s key', async () => {
    await hubOn().then((hub) => hub.stop());
    const elsewhere = mkdtempSync(join(tmpdir(), 'signoff-other-'));
    cleanups.push(() => rmSync(elsewhere, { recursive: true, force: true }));
    const impostor = await hubOn({ dataDir: elsewhere });
    const error = await startOrAttach({ dataDir, port: impostor.port, backend, logger: silentLogger, codec: null }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'impostor', message: expect.stringContaining('not your Signoff hub') as string });
    expect(impostor.hub.store.devices.list()).toEqual([]);
  });

  it('a port held by another program on a fresh data dir: refused without a word to it', async () => {
    const other = await otherServer();
    const error = await startOrAttach({ dataDir, port: other.port, backend, logger: silentLogger, codec: null }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'impostor' });
    expect(other.seen).toEqual([]);
  });

  it('gives out fresh pairing codes that pair a browser, only while the hub proves its key', async () => {
    const hub = await hubOn();
    const connection = await connect(hub.port);
    const { code, expiresAt } = await connection.createPairingCode();
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(expiresAt).toBeGreaterThan(Date.now());
    const res = await fetch(`${hub.url}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name: 'browser' }) });
    expect(res.status).toBe(201);

    // The hub goes away and another one (another data dir) takes the port: no code for it.
    await hub.stop();
    await expect(connection.createPairingCode()).rejects.toMatchObject({ reason: 'gone' });
    const elsewhere = mkdtempSync(join(tmpdir(), 'signoff-other-'));
    cleanups.push(() => rmSync(elsewhere, { recursive: true, force: true }));
    await hubOn({ dataDir: elsewhere, port: hub.port });
    await expect(connection.createPairingCode()).rejects.toMatchObject({ reason: 'impostor', message: expect.stringContaining('not your Signoff hub') as string });
  });
});
