import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, SignoffError, type SignoffClient, type SignoffRequest } from '@signoff/shared/agent';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub.js';
import { waitUntil } from '../support/wait-until.js';

/** A Socket.IO server with an `/agent` namespace that behaves as each test says: a hub that misbehaves on purpose. */
async function startScriptedAgentServer(script: (socket: ServerSocket) => void) {
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'] });
  io.of('/agent').on('connection', script);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      io.disconnectSockets(true);
      http.closeAllConnections();
      await io.close();
    },
  };
}

const pendingRequest = (payload: { title: string }, expiresAt: number): SignoffRequest =>
  ({ id: 'req-1', kind: 'approval', title: payload.title, severity: 'medium', createdAt: Date.now(), expiresAt, status: 'pending', onTimeout: 'expire' }) as SignoffRequest;

describe('the SDK never waits forever', () => {
  let t: TestHub | undefined;
  let client: SignoffClient | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    client?.close();
    client = undefined;
    for (const c of cleanups.splice(0)) await c();
    await t?.dispose();
    t = undefined;
  });

  it('close() rejects calls and waits that are parked until a reconnect', async () => {
    t = await startTestHub();
    client = await connect({ agentId: 'deadline-test', url: t.url, token: t.agentToken });
    const request = await client.submit({ kind: 'approval', title: 'Parked' });
    await t.stop();
    await waitUntil(() => !client!.connected, 'the client to see the hub go');
    const get = client.get(request.id).catch((e: unknown) => e);
    const cancel = client.cancel(request.id).catch((e: unknown) => e);
    const wait = client.waitFor(request.id).catch((e: unknown) => e);
    client.close();
    for (const error of await Promise.all([get, cancel, wait])) {
      expect(error).toBeInstanceOf(SignoffError);
      expect(error).toMatchObject({ code: 'unavailable', message: 'the Signoff client was closed' });
    }
  });

  it('get, cancel and submit fail with a clear error when the hub stays down past their timeout', async () => {
    t = await startTestHub();
    client = await connect({ agentId: 'deadline-test', url: t.url, token: t.agentToken, callTimeoutMs: 300 });
    const request = await client.submit({ kind: 'approval', title: 'Before the outage' });
    await t.stop();
    await waitUntil(() => !client!.connected, 'the client to see the hub go');
    const outcomes = await Promise.all([
      client.get(request.id).catch((e: unknown) => e),
      client.cancel(request.id).catch((e: unknown) => e),
      client.submit({ kind: 'approval', title: 'During the outage', idempotencyKey: 'outage-1' }).catch((e: unknown) => e),
      client.requestApproval({ title: 'Also during the outage' }).catch((e: unknown) => e),
      client.get(request.id, { callTimeoutMs: 50 }).catch((e: unknown) => e),
    ]);
    const events = ['request:get', 'request:cancel', 'request:create', 'request:create', 'request:get'];
    expect(outcomes[2]).toMatchObject({ details: { idempotencyKey: 'outage-1' } });
    expect((outcomes[3] as SignoffError).details).toHaveProperty('idempotencyKey');
    outcomes.forEach((error, i) => {
      expect(error).toBeInstanceOf(SignoffError);
      expect(error).toMatchObject({ code: 'unavailable', details: { event: events[i] } });
      expect((error as Error).message).toMatch(/^the Signoff hub at http:\/\/127\.0\.0\.1:\d+ was unreachable for \d+ ms( \(.+\))?; request:(get|cancel|create) gave up\. Start it with: npx signoff hub$/);
    });
  });

  it('an abort during submit rejects at once while the hub is down, and no request is made when it returns', async () => {
    t = await startTestHub();
    const approverToken = await t.pairApprover();
    client = await connect({ agentId: 'deadline-test', url: t.url, token: t.agentToken });
    await t.stop();
    await waitUntil(() => !client!.connected, 'the client to see the hub go');
    const abort = new AbortController();
    const asked = client.requestApproval({ title: 'Abandoned during the outage' }, { signal: abort.signal }).catch((e: unknown) => e);
    abort.abort(new Error('agent shutting down'));
    expect(await asked).toMatchObject({ message: 'agent shutting down' });

    const again = await startTestHub({ dataDir: t.dataDir, port: t.port });
    cleanups.push(() => again.stop());
    await waitUntil(() => client!.connected, 'the client to reconnect');
    // A call made after the reconnect is answered after anything the abandoned call could have sent.
    await client.notify({ title: 'marker' });
    const res = await fetch(`${again.url}/api/v1/requests?limit=100`, { headers: { authorization: `Bearer ${approverToken}` } });
    const titles = ((await res.json()) as { requests: SignoffRequest[] }).requests.map((r) => r.title);
    expect(titles).toEqual(['marker']);
  });

  it('a request the hub acknowledges after the agent aborted is cancelled at once', async () => {
    const acks: ((result: unknown) => void)[] = [];
    const cancelled: string[] = [];
    const server = await startScriptedAgentServer((socket) => {
      socket.on('request:create', (payload: { title: string }, ack: (result: unknown) => void) =>
        acks.push(() => ack({ ok: true, data: pendingRequest(payload, Date.now() + 60_000) })),
      );
      socket.on('request:cancel', ({ id }: { id: string }, ack: (result: unknown) => void) => {
        cancelled.push(id);
        ack({ ok: true, data: { requestId: id, status: 'cancelled', response: null, respondedBy: 'agent', via: 'socket', respondedAt: Date.now(), waitMs: 0 } });
      });
    });
    cleanups.push(() => server.close());
    client = await connect({ agentId: 'deadline-test', url: server.url, token: 'x' });
    const abort = new AbortController();
    const asked = client.requestApproval({ title: 'Slow hub' }, { signal: abort.signal }).catch((e: unknown) => e);
    await waitUntil(() => acks.length === 1, 'the create to reach the server');
    abort.abort(new Error('gave up'));
    expect(await asked).toMatchObject({ message: 'gave up' });
    acks[0]!({});
    await waitUntil(() => cancelled.length === 1, 'the late request to be cancelled');
    expect(cancelled).toEqual(['req-1']);
  });

  it('a connected hub that never answers fails the call with timeout', async () => {
    const server = await startScriptedAgentServer(() => {});
    cleanups.push(() => server.close());
    client = await connect({ agentId: 'deadline-test', url: server.url, token: 'x', ackTimeoutMs: 100, callTimeoutMs: 300 });
    const error = await client.get('req-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignoffError);
    expect(error).toMatchObject({ code: 'timeout', details: { event: 'request:get', timeoutMs: 300 } });
    expect((error as Error).message).toContain('did not answer request:get within 300 ms');
  });

  it('a wait ends with unavailable when the hub is still down after the request’s deadline', async () => {
    const server = await startScriptedAgentServer((socket) => {
      // Acknowledges a request whose deadline has already passed, then the "hub" is gone for good.
      socket.on('request:create', (payload: { title: string }, ack: (result: unknown) => void) => ack({ ok: true, data: pendingRequest(payload, Date.now()) }));
    });
    client = await connect({ agentId: 'deadline-test', url: server.url, token: 'x', callTimeoutMs: 200 });
    const request = await client.submit({ kind: 'approval', title: 'Hub vanishes' });
    await server.close();
    const error = await client.waitFor(request.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignoffError);
    expect(error).toMatchObject({ code: 'unavailable' });
    expect((error as Error).message).toContain('request req-1 is past its deadline and the hub could not be asked for its decision');
  });

  it('aborting connect stops it with the signal’s reason', async () => {
    const abort = new AbortController();
    abort.abort(new Error('not now'));
    await expect(connect({ agentId: 'x', url: 'http://127.0.0.1:9', token: 'x', signal: abort.signal })).rejects.toThrow('not now');
  });
});
