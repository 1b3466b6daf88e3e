import { describe, expect, it } from 'vitest';
import { useHubs } from '../support/harness.js';
import { approvalRequest } from '../support/requests.js';
import { rawRequest } from '../support/rest-client.js';
import { RecordedSocket, expectConnectRefused } from '../support/socket-client.js';

describe('roles and tokens', () => {
  const hubs = useHubs();

  it('answers 401 on every authenticated route without a token, with a bad one, or with another scheme', async () => {
    const t = await hubs.start();
    const id = (await hubs.agentRest(t).post('/requests', approvalRequest)).body.id;
    const routes: [string, string, unknown?][] = [
      ['POST', '/requests', approvalRequest],
      ['GET', '/requests'],
      ['GET', `/requests/${id}`],
      ['DELETE', `/requests/${id}`],
      ['POST', `/requests/${id}/respond`, { approved: true }],
      ['GET', '/stats'],
      ['POST', '/feedback', { agentId: 'x', type: 'praise', aspect: 'tone', content: 'nice' }],
      ['GET', '/feedback'],
      ['GET', '/runs'],
      ['GET', '/runs/run-1'],
    ];
    const anonymous = hubs.agentRest(t).as(undefined);
    for (const [method, path, json] of routes) {
      const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer not-a-real-token' }, { authorization: `Basic ${t.agentToken}` }, { authorization: 'Bearer ' }];
      for (const headers of attempts) {
        const res = await anonymous.call(method, path, { json, headers });
        expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.body.error.code).toBe('unauthorized');
      }
    }
    // Nothing was changed by the refused calls.
    expect((await hubs.agentRest(t).get(`/requests/${id}`)).body.status).toBe('pending');
  });

  it('keeps agents to agent work: no respond, list, stats or runs (403)', async () => {
    const t = await hubs.start();
    const agent = hubs.agentRest(t);
    const { id } = (await agent.post('/requests', approvalRequest)).body;
    for (const res of [
      await agent.post(`/requests/${id}/respond`, { approved: true }),
      await agent.get('/requests'),
      await agent.get('/requests?status=pending'),
      await agent.get('/stats'),
      await agent.get('/runs'),
      await agent.get(`/runs/${approvalRequest.runId}`),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('approver') });
    }
    expect((await agent.get(`/requests/${id}`)).body.status).toBe('pending');
  });

  it('keeps approvers to approver work: no create or cancel (403)', async () => {
    const t = await hubs.start();
    const agent = hubs.agentRest(t);
    const approver = await hubs.approverRest(t);
    const { id } = (await agent.post('/requests', approvalRequest)).body;
    const create = await approver.post('/requests', approvalRequest);
    expect(create.status).toBe(403);
    expect(create.body.error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('agent') });
    const cancel = await approver.delete(`/requests/${id}`);
    expect(cancel.status).toBe(403);
    expect((await approver.get('/requests')).body.requests.map((r: { id: string }) => r.id)).toEqual([id]);
    expect((await approver.get(`/requests/${id}`)).body.status).toBe('pending');
  });

  it('lets both roles record and read feedback', async () => {
    const t = await hubs.start();
    const agent = hubs.agentRest(t);
    const approver = await hubs.approverRest(t);
    const body = { agentId: 'writer', type: 'preference', aspect: 'tone', content: 'Shorter summaries' };
    expect((await agent.post('/feedback', body)).status).toBe(201);
    expect((await approver.post('/feedback', body)).status).toBe(201);
    expect((await agent.get('/feedback')).body.feedback).toHaveLength(2);
    expect((await approver.get('/feedback')).body.feedback).toHaveLength(2);
  });

  it('refuses socket handshakes without a token or with a bad one', async () => {
    const t = await hubs.start();
    for (const namespace of ['/agent', '/approver'] as const) {
      for (const auth of [{}, { token: 'nope' }, { token: 42 }, { token: '' }]) {
        const error = await expectConnectRefused(t.url, namespace, undefined, { auth });
        expect(error.message).toContain('unauthorized');
        expect(error.data).toEqual({ code: 'unauthorized' });
      }
    }
  });

  it('admits each token only to its own namespace', async () => {
    const t = await hubs.start();
    const approverToken = await t.pairApprover();
    const agentOnApprover = await expectConnectRefused(t.url, '/approver', t.agentToken);
    expect(agentOnApprover.message).toContain('forbidden');
    expect(agentOnApprover.data).toEqual({ code: 'forbidden' });
    const approverOnAgent = await expectConnectRefused(t.url, '/agent', approverToken);
    expect(approverOnAgent.data).toEqual({ code: 'forbidden' });
    // Nothing is served on the main namespace.
    await expectConnectRefused(t.url, '/', t.agentToken);
    // The right pairings connect.
    expect((await hubs.agentSocket(t)).connected).toBe(true);
    expect((await hubs.approverSocket(t, approverToken)).connected).toBe(true);
  });

  it('ignores approver events on /agent and agent events on /approver', async () => {
    const t = await hubs.start();
    const agent = await hubs.agentSocket(t);
    const approver = await hubs.approverSocket(t);
    const { id } = await agent.call('request:create', approvalRequest);
    agent.socket.emit('request:respond', { id, response: { approved: true } });
    approver.socket.emit('request:cancel', { id });
    approver.socket.emit('request:create', { kind: 'approval', title: 'sneaked in by an approver' });
    // Events on one socket are handled in order, so once these acks are back the
    // stray events above have been seen, and they changed nothing.
    expect(await agent.call('request:get', { id })).toMatchObject({ status: 'pending' });
    const listed = (await approver.call('request:list', {})).requests;
    expect(listed.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([[id, 'pending']]);
  });
});

describe('origins and hosts', () => {
  const hubs = useHubs();

  async function restWithHeaders(port: number, headers: Record<string, string>, token?: string) {
    return rawRequest({
      port,
      path: '/api/v1/requests',
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: JSON.stringify(approvalRequest),
    });
  }

  it('refuses web origins on REST, even for routes without a token', async () => {
    const t = await hubs.start();
    const evil = [
      'https://evil.example',
      'http://evil.example',
      `http://127.0.0.1:${t.port + 1}`,
      `https://127.0.0.1:${t.port}`,
      'null',
      'file://',
      'not a url',
    ];
    for (const origin of evil) {
      const res = await restWithHeaders(t.port, { origin }, t.agentToken);
      expect(res.status, origin).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      const health = await rawRequest({ port: t.port, path: '/api/v1/health', headers: { origin } });
      expect(health.status, origin).toBe(403);
    }
    const pair = await rawRequest({
      port: t.port,
      path: '/api/v1/pair',
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ code: t.hub.createPairingCode().code, name: 'evil' }),
    });
    expect(pair.status).toBe(403);
    // None of the refused creates got through.
    expect((await (await hubs.approverRest(t)).get('/requests')).body.requests).toEqual([]);
  });

  it('lets extensions, native clients and the hub’s own origin through to the token check', async () => {
    const t = await hubs.start();
    const allowed: Record<string, string>[] = [
      { origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' },
      { origin: 'chrome-extension://abc' },
      { origin: 'moz-extension://0b4c1d2e-1111-2222-3333-444455556666' },
      {},
      { origin: `http://127.0.0.1:${t.port}` },
      { origin: `http://localhost:${t.port}` },
      { origin: `http://[::1]:${t.port}` },
    ];
    for (const headers of allowed) {
      const created = await restWithHeaders(t.port, headers, t.agentToken);
      expect(created.status, JSON.stringify(headers)).toBe(201);
      const noToken = await restWithHeaders(t.port, headers);
      expect(noToken.status, JSON.stringify(headers)).toBe(401);
    }
  });

  it('refuses a Host that is not loopback at the hub’s port (DNS rebinding)', async () => {
    const t = await hubs.start();
    for (const host of [`evil.example:${t.port}`, `127.0.0.1:${t.port + 1}`, '127.0.0.1', `localhost.evil.example:${t.port}`, `192.168.1.5:${t.port}`]) {
      const res = await rawRequest({ port: t.port, path: '/api/v1/health', headers: { host } });
      expect(res.status, host).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('Host') });
    }
    // An HTTP/1.1 request without Host never reaches the hub: Node's parser answers 400 itself.
    const noHost = await rawRequest({ port: t.port, path: '/api/v1/health', setHost: false });
    expect(noHost.status).toBe(400);
    for (const host of [`127.0.0.1:${t.port}`, `localhost:${t.port}`, `LOCALHOST:${t.port}`, `[::1]:${t.port}`]) {
      const res = await rawRequest({ port: t.port, path: '/api/v1/health', headers: { host } });
      expect(res.status, host).toBe(200);
    }
  });

  it.each(['websocket', 'polling'] as const)('refuses a web origin in the Socket.IO handshake (%s)', async (transport) => {
    const t = await hubs.start();
    const approverToken = await t.pairApprover();
    for (const origin of ['https://evil.example', `http://127.0.0.1:${t.port + 1}`]) {
      await expectConnectRefused(t.url, '/agent', t.agentToken, { transports: [transport], extraHeaders: { origin } });
      await expectConnectRefused(t.url, '/approver', approverToken, { transports: [transport], extraHeaders: { origin } });
    }
  });

  it('refuses a foreign Host in the Socket.IO handshake, on both transports', async () => {
    const t = await hubs.start();
    // socket.io-client's Node websocket transport sends the Host we give it…
    await expectConnectRefused(t.url, '/agent', t.agentToken, { extraHeaders: { host: `evil.example:${t.port}` } });
    await expectConnectRefused(t.url, '/agent', t.agentToken, { extraHeaders: { host: `127.0.0.1:${t.port + 1}` } });
    // …its polling transport overrides it, so speak Engine.IO's polling handshake by hand.
    const handshake = '/socket.io/?EIO=4&transport=polling';
    for (const headers of [{ host: `evil.example:${t.port}` }, { origin: 'https://evil.example' }]) {
      const refused = await rawRequest({ port: t.port, path: handshake, headers });
      expect(refused.status, JSON.stringify(headers)).toBe(403);
      expect(refused.text).not.toContain('"sid"');
    }
    const accepted = await rawRequest({ port: t.port, path: handshake, headers: { origin: 'chrome-extension://abc' } });
    expect(accepted.status).toBe(200);
    expect(accepted.text).toContain('"sid"');
  });

  it.each(['websocket', 'polling'] as const)('admits extension, native and own-origin sockets (%s)', async (transport) => {
    const t = await hubs.start();
    const approverToken = await t.pairApprover();
    for (const extraHeaders of [{ origin: 'chrome-extension://abc' }, { origin: `http://127.0.0.1:${t.port}` }, { origin: `http://localhost:${t.port}` }, undefined]) {
      const agent = await hubs.connect(t, '/agent', t.agentToken, { transports: [transport], ...(extraHeaders ? { extraHeaders } : {}) });
      const approver = await hubs.connect(t, '/approver', approverToken, { transports: [transport], ...(extraHeaders ? { extraHeaders } : {}) });
      const { id } = await agent.call('request:create', { kind: 'approval', title: `via ${JSON.stringify(extraHeaders)}` });
      expect(await approver.waitFor('request:new', (r) => r.id === id)).toMatchObject({ id });
    }
  });

  it('still needs a token from an allowed origin on the socket', async () => {
    const t = await hubs.start();
    const error = await expectConnectRefused(t.url, '/agent', undefined, { extraHeaders: { origin: 'chrome-extension://abc' } });
    expect(error.data).toEqual({ code: 'unauthorized' });
    // A refused handshake does not disturb anyone connected.
    const agent = await RecordedSocket.connect(t.url, '/agent', t.agentToken);
    try {
      expect((await agent.ack('request:create', approvalRequest)).ok).toBe(true);
    } finally {
      agent.close();
    }
  });
});
