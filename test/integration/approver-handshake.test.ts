import { createServer as createNetServer, connect as netConnect, type Server as NetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ApproverConnection, keyCredential, type ApproverConnectionStatus, type PairedDevice } from '@signoff/shared/approver';
import { deviceProofMessage, newNonce, signMessage, type HubChallenge } from '@signoff/shared';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub.js';
import { waitUntil } from '../support/wait-until.js';

const hubs: TestHub[] = [];
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await Promise.all(hubs.splice(0).map((h) => h.dispose()));
});

async function hub(): Promise<TestHub> {
  const h = await startTestHub();
  hubs.push(h);
  return h;
}

function connection(url: string, device: PairedDevice, statuses: ApproverConnectionStatus[] = []) {
  const conn = new ApproverConnection(
    { url, credential: keyCredential(device), surface: 'other', reconnectDelayMaxMs: 500 },
    { status: (s) => statuses.push(s) },
  );
  closers.push(() => conn.close());
  conn.start();
  return conn;
}

/** A raw TCP relay that rewrites the Host header to the real hub's, as a program holding the port could. */
async function hostRewritingRelay(target: number): Promise<{ port: number; server: NetServer }> {
  const server = createNetServer((client) => {
    const upstream = netConnect(target, '127.0.0.1');
    let first = true;
    client.on('data', (chunk) => {
      if (first) {
        first = false;
        upstream.write(chunk.toString('latin1').replace(/\r\nHost: [^\r]+/i, `\r\nHost: 127.0.0.1:${target}`), 'latin1');
      } else upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  return { port: (server.address() as AddressInfo).port, server };
}

describe('approver handshake (both ways)', () => {
  it('connects a paired key device, then serves it the queue and its decisions', async () => {
    const h = await hub();
    const device = await h.pairDevice('laptop');
    expect(device.hubPublicKey).toBe(h.hub.identity.publicKey);
    const conn = connection(h.url, device);
    await conn.whenConnected(5000);
    expect(conn.status.state).toBe('connected');
    const { devices, self } = await conn.devices();
    expect(self).toBe(device.deviceId);
    expect(devices).toEqual([expect.objectContaining({ id: device.deviceId, name: 'laptop', credential: 'key', ephemeral: false })]);
  });

  it('sends nothing of value to a program that holds the port with another key', async () => {
    const real = await hub();
    const device = await real.pairDevice();
    const impostor = await hub(); // a real Signoff hub, but not the one this device paired with
    const statuses: ApproverConnectionStatus[] = [];
    const conn = connection(impostor.url, device, statuses);
    await expect(conn.whenConnected(5000)).rejects.toThrow(/not your Signoff hub/);
    expect(conn.status).toEqual({ state: 'impostor', detail: expect.stringContaining(`127.0.0.1:${impostor.port}`) });
    expect(impostor.hub.store.devices.list()).toEqual([]);
  });

  it('refuses a relay to the real hub: the hub signs the host it was reached at', async () => {
    const real = await hub();
    const device = await real.pairDevice();
    const relay = await hostRewritingRelay(real.port);
    const conn = connection(`http://127.0.0.1:${relay.port}`, device);
    await expect(conn.whenConnected(5000)).rejects.toThrow(/not your Signoff hub/);
  });

  it('serves nothing before the proof, and accepts no replayed or forged proof', async () => {
    const h = await hub();
    const device = await h.pairDevice();
    await h.hub.lifecycle.create('agent-x', { kind: 'approval', title: 'Wipe production', severity: 'critical' } as never);
    const nonce = newNonce();
    const socket = io(`${h.url}/approver`, { auth: { nonce }, transports: ['websocket'], reconnection: false, forceNew: true });
    closers.push(() => socket.close());
    const received: string[] = [];
    socket.onAny((event) => received.push(event));
    const challenge = await new Promise<HubChallenge>((resolve) => socket.once('auth:challenge', resolve));
    // Before proving: no snapshot, no request, and calls are refused.
    const early = await socket.timeout(2000).emitWithAck('request:list', { status: 'pending' });
    expect(early).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(received).toEqual(['auth:challenge']);
    // A proof signed over another nonce (captured from another connection) is refused, and the socket closed.
    const forged = await signMessage(device.privateKey, deviceProofMessage(challenge.host, newNonce(), nonce, device.deviceId));
    const answer = await socket.timeout(2000).emitWithAck('auth:prove', { deviceId: device.deviceId, signature: forged });
    expect(answer).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    await waitUntil(() => socket.disconnected, 'the hub to close the socket');
    expect(received).not.toContain('snapshot');
  });

  it('revoking a device closes its open connection at once, and it cannot come back', async () => {
    const h = await hub();
    const device = await h.pairDevice('phone');
    const admin = await h.pairDevice('laptop');
    const statuses: ApproverConnectionStatus[] = [];
    const phone = connection(h.url, device, statuses);
    await phone.whenConnected(5000);
    const laptop = connection(h.url, admin);
    await laptop.whenConnected(5000);
    expect(await laptop.revoke(device.deviceId)).toEqual({ revoked: true });
    await waitUntil(() => phone.status.state === 'rejected', 'the revoked phone to be refused');
    expect((await laptop.devices()).devices.map((d) => d.name)).toEqual(['laptop']);
  });

  it('a device that revokes itself (unpairing) gets its answer before its connection closes', async () => {
    const h = await hub();
    const device = await h.pairDevice('old laptop');
    const conn = connection(h.url, device);
    await conn.whenConnected(5000);
    expect(await conn.revoke(device.deviceId)).toEqual({ revoked: true });
    await waitUntil(() => conn.status.state === 'rejected', 'the unpaired device to be refused');
    expect(h.hub.store.devices.list()).toEqual([]);
  });

  it('a device revoked by another process on the same data dir is cut off too', async () => {
    const h = await hub();
    const device = await h.pairDevice('tablet');
    const conn = connection(h.url, device);
    await conn.whenConnected(5000);
    // As `signoff devices revoke` does: a second connection to the file.
    const { SqliteStore } = await import('@signoff/desktop/hub');
    const other = new SqliteStore(`${h.dataDir}/signoff.db`);
    other.devices.revoke(device.deviceId, Date.now());
    other.close();
    await waitUntil(() => conn.status.state === 'rejected', 'the revoked tablet to be refused');
  });

  it('stays up when what is stored cannot be served: the approver is closed, the hub answers on', async () => {
    const h = await hub();
    const { request } = h.hub.lifecycle.create('agent-x', { kind: 'approval', title: 'damaged', severity: 'low' } as never);
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(`${h.dataDir}/signoff.db`);
    db.prepare('UPDATE requests SET payload = ? WHERE id = ?').run('{not json', request.id);
    db.close();
    const token = await h.pairApprover();
    const socket = io(`${h.url}/approver`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    closers.push(() => socket.close());
    let connected = false;
    socket.once('connect', () => (connected = true));
    await waitUntil(() => connected && socket.disconnected, 'the hub to admit, then close, the approver it cannot serve');
    expect((await fetch(`${h.url}/api/v1/health`)).status).toBe(200);
  });

  it('pages a queue larger than the snapshot', async () => {
    const h = await hub();
    // Spread over agents: one agentId alone would meet its create rate limit.
    for (let i = 0; i < 250; i++) h.hub.lifecycle.create('agent-x', { kind: 'approval', title: `r${i}`, severity: 'low', agentId: `bot-${i % 10}` } as never);
    const device = await h.pairDevice();
    const pages: { n: number; total: number; complete: boolean }[] = [];
    const conn = new ApproverConnection(
      { url: h.url, credential: keyCredential(device), surface: 'other' },
      { pending: (requests, info) => pages.push({ n: new Set(requests.map((r) => r.id)).size, ...info }) },
    );
    closers.push(() => conn.close());
    conn.start();
    await waitUntil(() => pages.some((p) => p.complete), 'the whole queue');
    expect(pages[0]).toEqual({ n: 100, total: 250, complete: false });
    expect(pages.at(-1)).toEqual({ n: 250, total: 250, complete: true });
  });

  it('caps connections that never prove a device, and a real device still gets in once they go', async () => {
    const h = await hub();
    const device = await h.pairDevice();
    const idle = [];
    for (let i = 0; i < 200; i++) {
      const socket = io(`${h.url}/approver`, { auth: { nonce: newNonce() }, transports: ['websocket'], reconnection: false, forceNew: true });
      closers.push(() => socket.close());
      idle.push(new Promise<void>((resolve) => socket.once('auth:challenge', () => resolve())));
    }
    await Promise.all(idle);
    const extra = io(`${h.url}/approver`, { auth: { nonce: newNonce() }, transports: ['websocket'], reconnection: false, forceNew: true });
    closers.push(() => extra.close());
    const refused = await new Promise<{ data?: { code?: string } }>((resolve) => extra.once('connect_error', resolve));
    expect(refused.data?.code).toBe('rate_limited');
    for (const close of closers.splice(0)) close();
    const conn = connection(h.url, device);
    await conn.whenConnected(5000);
  });
});
