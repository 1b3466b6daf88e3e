import { createServer as createTcpServer, type Socket as TcpSocket } from 'node:net';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SignoffRequest } from '@signoff/shared';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { waitUntil } from '../support/wait-until.js';

/**
 * `signoff ask` on Ctrl-C: the built CLI, spawned, gets SIGINT while it waits —
 * for a hub that went down, for an ack that never comes, for a handshake that never
 * comes — and exits 130 at once. The only bound is the test's own timeout.
 */
describe('signoff ask on Ctrl-C', () => {
  let t: TestHub | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
    await t?.dispose();
    t = undefined;
  });

  it('exits 130 while waiting for a decision after the hub went down', async () => {
    t = await startTestHub();
    const approverToken = await t.pairApprover();
    const run = runCli(['ask', 'Deploy to production?'], { SIGNOFF_URL: t.url, SIGNOFF_HOME: t.dataDir });
    cleanups.push(() => void run.child.kill('SIGKILL'));
    await waitUntil(async () => {
      const res = await fetch(`${t!.url}/api/v1/requests?status=pending`, { headers: { authorization: `Bearer ${approverToken}` } });
      return ((await res.json()) as { requests: SignoffRequest[] }).requests.length > 0;
    }, 'the request to reach the hub');
    await t.stop();
    run.child.kill('SIGINT');
    const { code, stdout, stderr } = await run.done;
    expect(code).toBe(130);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^signoff: interrupted; /);
  });

  it('exits 130 and cancels the request when the hub is up', async () => {
    t = await startTestHub();
    const approverToken = await t.pairApprover();
    const headers = { authorization: `Bearer ${approverToken}` };
    const run = runCli(['ask', 'Rotate the keys?'], { SIGNOFF_URL: t.url, SIGNOFF_HOME: t.dataDir });
    cleanups.push(() => void run.child.kill('SIGKILL'));
    const request = await waitUntil(async () => {
      const res = await fetch(`${t!.url}/api/v1/requests?status=pending`, { headers });
      return ((await res.json()) as { requests: SignoffRequest[] }).requests[0];
    }, 'the request to reach the hub');
    run.child.kill('SIGINT');
    const { code, stderr } = await run.done;
    expect(code).toBe(130);
    expect(stderr).toContain('signoff: interrupted; the request was cancelled');
    const res = await fetch(`${t.url}/api/v1/requests/${request.id}`, { headers });
    expect(((await res.json()) as SignoffRequest).status).toBe('cancelled');
  });

  it('exits 130 while the hub never acknowledges the request', async () => {
    const http = createServer();
    const io = new Server(http, { transports: ['websocket'] });
    let creates = 0;
    io.of('/agent').on('connection', (socket) => socket.on('request:create', () => void creates++));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      io.disconnectSockets(true);
      http.closeAllConnections();
      await io.close();
    });
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const run = runCli(['ask', 'Anyone?'], { SIGNOFF_URL: url, SIGNOFF_TOKEN: 'x' });
    cleanups.push(() => void run.child.kill('SIGKILL'));
    await waitUntil(() => creates > 0, 'the create to reach the silent server');
    run.child.kill('SIGINT');
    const { code, stderr } = await run.done;
    expect(code).toBe(130);
    expect(stderr).toContain('signoff: interrupted; the request was not created');
  });

  it('exits 130 while connecting to a port that never answers the handshake', async () => {
    const sockets: TcpSocket[] = [];
    const tcp = createTcpServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      for (const s of sockets) s.destroy();
      tcp.close();
    });
    const url = `http://127.0.0.1:${(tcp.address() as AddressInfo).port}`;
    const run = runCli(['ask', 'Hello?'], { SIGNOFF_URL: url, SIGNOFF_TOKEN: 'x' });
    cleanups.push(() => void run.child.kill('SIGKILL'));
    await waitUntil(() => sockets.length > 0, 'the CLI to dial the port');
    run.child.kill('SIGINT');
    const { code, stderr } = await run.done;
    expect(code).toBe(130);
    expect(stderr).toContain('signoff: interrupted; nothing was asked');
  });
});
