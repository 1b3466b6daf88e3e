import { approvedAction, type Decision } from '@signoff/shared';
import { actionDigest } from '@signoff/shared/agent';
import { describe, expect, it } from 'vitest';
import { useHubs } from '../support/harness.js';
import { ROUND_TRIPS, approvalRequest, echoedFields, notifyRequest } from '../support/requests.js';

describe('REST API', () => {
  const hubs = useHubs();

  it('answers GET /health without a token', async () => {
    const t = await hubs.start();
    const res = await hubs.agentRest(t).as(undefined).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, version: expect.any(String) });
  });

  describe.each(ROUND_TRIPS)('round trip: $name', ({ request, response }) => {
    it('creates, is answered, and the agent reads the decision', async () => {
      const t = await hubs.start();
      const agent = hubs.agentRest(t);
      const approver = await hubs.approverRest(t, 'Dana (laptop)');

      const created = await agent.post('/requests', request);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ ...echoedFields(request), id: expect.any(String), status: 'pending' });
      expect(created.body.expiresAt).toBeGreaterThan(created.body.createdAt);
      expect(created.body).not.toHaveProperty('decision');
      const id: string = created.body.id;

      // The approver sees it in the queue with the full content.
      const pending = await approver.get('/requests?status=pending');
      expect(pending.status).toBe(200);
      expect(pending.body.requests).toEqual([created.body]);

      const decided = await approver.post(`/requests/${id}/respond`, response);
      expect(decided.status).toBe(200);
      expect(decided.body).toEqual({
        requestId: id,
        status: 'resolved',
        response,
        respondedBy: 'Dana (laptop)',
        via: 'rest',
        respondedAt: expect.any(Number),
        waitMs: expect.any(Number),
        // The receipt: its audit entry, and the digest of the action as approved (edited arguments included).
        receipt: { seq: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/), actionDigest: await actionDigest(approvedAction(request, response as Decision['response'])) },
      });

      const got = await agent.get(`/requests/${id}`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual({ ...created.body, status: 'resolved', decision: decided.body });

      // An approver may read any request too.
      expect((await approver.get(`/requests/${id}`)).body).toEqual(got.body);
    });
  });

  it('settles a notify at once: recorded, shown, nothing waits', async () => {
    const t = await hubs.start();
    const agent = hubs.agentRest(t);
    const approver = await hubs.approverRest(t);

    const created = await agent.post('/requests', notifyRequest);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ...notifyRequest,
      status: 'resolved',
      expiresAt: null,
      decision: { requestId: created.body.id, status: 'resolved', response: null, respondedBy: 'hub', via: 'hub', waitMs: expect.any(Number) },
    });
    expect((await approver.get('/requests?status=pending')).body.requests).toEqual([]);
    expect((await approver.get('/requests?status=resolved')).body.requests.map((r: { id: string }) => r.id)).toEqual([created.body.id]);
    // A long-poll on it returns at once, already settled.
    expect((await agent.get(`/requests/${created.body.id}?wait=60`)).body.status).toBe('resolved');
    // Nobody can answer it afterwards.
    const late = await approver.post(`/requests/${created.body.id}/respond`, null);
    expect(late.status).toBe(409);
  });

  it('lists requests newest first, filtered by status and capped by limit', async () => {
    const t = await hubs.start();
    const agent = hubs.agentRest(t);
    const approver = await hubs.approverRest(t);
    const ids: string[] = [];
    for (const title of ['first', 'second', 'third', 'fourth']) {
      ids.push((await agent.post('/requests', { kind: 'approval', title })).body.id);
    }
    await approver.post(`/requests/${ids[1]}/respond`, { approved: true });
    await agent.delete(`/requests/${ids[2]}`);

    const all = await approver.get('/requests');
    expect(all.body.requests.map((r: { title: string }) => r.title)).toEqual(['fourth', 'third', 'second', 'first']);
    const pending = await approver.get('/requests?status=pending');
    expect(pending.body.requests.map((r: { title: string }) => r.title)).toEqual(['fourth', 'first']);
    expect((await approver.get('/requests?status=resolved')).body.requests.map((r: { id: string }) => r.id)).toEqual([ids[1]]);
    expect((await approver.get('/requests?status=cancelled')).body.requests.map((r: { id: string }) => r.id)).toEqual([ids[2]]);
    expect((await approver.get('/requests?status=expired')).body.requests).toEqual([]);
    expect((await approver.get('/requests?limit=2')).body.requests.map((r: { title: string }) => r.title)).toEqual(['fourth', 'third']);

    const badStatus = await approver.get('/requests?status=maybe');
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error.message).toContain('status');
    const badLimit = await approver.get('/requests?limit=0');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.message).toContain('limit');
  });

  describe('long-poll GET /requests/:id?wait=N', () => {
    it('returns as soon as the request is decided', async () => {
      const t = await hubs.start();
      const agent = hubs.agentRest(t);
      const approver = await hubs.approverRest(t);
      const { id } = (await agent.post('/requests', approvalRequest)).body;

      // wait=60 is the maximum: if the decision did not wake the poll, the test would time out.
      const poll = agent.get(`/requests/${id}?wait=60`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const decided = await approver.post(`/requests/${id}/respond`, { approved: true, reason: 'go' });
      const res = await poll;
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, status: 'resolved', decision: decided.body });
    });

    it('wakes every poller of the request, and a cancel wakes them too', async () => {
      const t = await hubs.start();
      const agent = hubs.agentRest(t);
      const { id } = (await agent.post('/requests', approvalRequest)).body;
      const polls = [agent.get(`/requests/${id}?wait=60`), agent.get(`/requests/${id}?wait=45`)];
      await new Promise((resolve) => setTimeout(resolve, 50));
      await agent.delete(`/requests/${id}`);
      for (const res of await Promise.all(polls)) expect(res.body).toMatchObject({ id, status: 'cancelled' });
    });

    it('returns the still-pending request when the wait runs out', async () => {
      const t = await hubs.start();
      const agent = hubs.agentRest(t);
      const { id } = (await agent.post('/requests', approvalRequest)).body;
      const res = await agent.get(`/requests/${id}?wait=0.2`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, status: 'pending' });
      expect(res.body).not.toHaveProperty('decision');
    });

    it('refuses a wait that is not a number of seconds', async () => {
      const t = await hubs.start();
      const agent = hubs.agentRest(t);
      const { id } = (await agent.post('/requests', approvalRequest)).body;
      for (const wait of ['soon', '-1']) {
        const res = await agent.get(`/requests/${id}?wait=${wait}`);
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('wait') });
      }
    });
  });

  describe('idempotency', () => {
    it('returns the same request with 200 for the same key from the same agent', async () => {
      const t = await hubs.start();
      const agent = hubs.agentRest(t);
      const body = { ...approvalRequest, idempotencyKey: 'cleanup-2026-01-31' };
      const first = await agent.post('/requests', body);
      const second = await agent.post('/requests', body);
      expect(first.status).toBe(201);
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
      const approver = await hubs.approverRest(t);
      expect((await approver.get('/requests')).body.requests).toHaveLength(1);
    });

    it('returns the decided request, decision included, when the key is reused after the decision', async () => {
      const t = await hubs.start();
      const agent = hubs.agentRest(t);
      const approver = await hubs.approverRest(t);
      const body = { kind: 'approval', title: 'Rotate the API key', idempotencyKey: 'rotate-1' };
      const first = await agent.post('/requests', body);
      await approver.post(`/requests/${first.body.id}/respond`, { approved: true });
      const again = await agent.post('/requests', body);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ id: first.body.id, status: 'resolved', decision: { response: { approved: true } } });
    });

    it('creates one request for simultaneous retries with the same key', async () => {
      const t = await hubs.start();
      const agent = hubs.agentRest(t);
      const body = { ...approvalRequest, idempotencyKey: 'retry-storm' };
      const replies = await Promise.all(Array.from({ length: 6 }, () => agent.post('/requests', body)));
      expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
      expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    });

    it('scopes keys by agentId: another agent with the same key gets a new request', async () => {
      const t = await hubs.start();
      const agent = hubs.agentRest(t);
      const a = await agent.post('/requests', { ...approvalRequest, agentId: 'bot-a', idempotencyKey: 'k1' });
      const b = await agent.post('/requests', { ...approvalRequest, agentId: 'bot-b', idempotencyKey: 'k1' });
      const none = await agent.post('/requests', { ...approvalRequest, agentId: undefined, idempotencyKey: 'k1' });
      const noneAgain = await agent.post('/requests', { ...approvalRequest, agentId: undefined, idempotencyKey: 'k1' });
      expect([a.status, b.status, none.status, noneAgain.status]).toEqual([201, 201, 201, 200]);
      expect(new Set([a.body.id, b.body.id, none.body.id]).size).toBe(3);
      expect(noneAgain.body.id).toBe(none.body.id);
    });
  });

  describe('conflicts', () => {
    it('answers a second respond with 409 naming who decided and how', async () => {
      const t = await hubs.start();
      const agent = hubs.agentRest(t);
      const dana = await hubs.approverRest(t, 'Dana');
      const sam = await hubs.approverRest(t, 'Sam');
      const { id } = (await agent.post('/requests', approvalRequest)).body;

      const first = await dana.post(`/requests/${id}/respond`, { approved: true });
      expect(first.status).toBe(200);
      const second = await sam.post(`/requests/${id}/respond`, { approved: false, reason: 'too risky' });
      expect(second.status).toBe(409);
      expect(second.body.error).toEqual({
        code: 'conflict',
        message: expect.stringMatching(/already resolved by Dana via rest/),
        details: { status: 'resolved', respondedBy: 'Dana', via: 'rest', respondedAt: first.body.respondedAt },
      });
      // The first decision stands.
      expect((await agent.get(`/requests/${id}`)).body.decision).toEqual(first.body);
    });

    it('lets exactly one of several simultaneous answers win', async () => {
      const t = await hubs.start();
      const agent = hubs.agentRest(t);
      const approvers = await Promise.all(['Dana', 'Sam', 'Kim', 'Lee'].map((name) => hubs.approverRest(t, name)));
      const { id } = (await agent.post('/requests', approvalRequest)).body;
      const answers = await Promise.all(approvers.map((a, i) => a.post(`/requests/${id}/respond`, { approved: i % 2 === 0 })));
      const winners = answers.filter((r) => r.status === 200);
      expect(winners).toHaveLength(1);
      expect(answers.filter((r) => r.status === 409)).toHaveLength(3);
      for (const loser of answers.filter((r) => r.status === 409)) {
        expect(loser.body.error.details).toMatchObject({ respondedBy: winners[0]!.body.respondedBy });
      }
      expect((await agent.get(`/requests/${id}`)).body.decision).toEqual(winners[0]!.body);
    });

    it('lets the agent cancel a pending request, and refuses to cancel or answer it afterwards', async () => {
      const t = await hubs.start();
      const agent = hubs.agentRest(t);
      const approver = await hubs.approverRest(t, 'Dana');
      const { id } = (await agent.post('/requests', approvalRequest)).body;

      const cancelled = await agent.delete(`/requests/${id}`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({
        requestId: id,
        status: 'cancelled',
        response: null,
        respondedBy: 'agent',
        via: 'agent',
        reason: expect.stringContaining('Cancelled'),
      });
      expect((await agent.get(`/requests/${id}`)).body).toMatchObject({ status: 'cancelled', decision: cancelled.body });

      const again = await agent.delete(`/requests/${id}`);
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ code: 'conflict', details: { status: 'cancelled', respondedBy: 'agent', via: 'agent' } });
      const answer = await approver.post(`/requests/${id}/respond`, { approved: true });
      expect(answer.status).toBe(409);
      expect(answer.body.error.details).toMatchObject({ status: 'cancelled', respondedBy: 'agent' });
    });

    it('refuses to cancel a request a human already decided (409)', async () => {
      const t = await hubs.start();
      const agent = hubs.agentRest(t);
      const approver = await hubs.approverRest(t, 'Dana');
      const { id } = (await agent.post('/requests', approvalRequest)).body;
      await approver.post(`/requests/${id}/respond`, { approved: false, reason: 'no' });
      const res = await agent.delete(`/requests/${id}`);
      expect(res.status).toBe(409);
      expect(res.body.error.details).toMatchObject({ status: 'resolved', respondedBy: 'Dana', via: 'rest' });
      expect((await agent.get(`/requests/${id}`)).body.status).toBe('resolved');
    });
  });

  describe('not found and wrong method', () => {
    it('answers 404 for unknown requests, runs and routes', async () => {
      const t = await hubs.start();
      const agent = hubs.agentRest(t);
      const approver = await hubs.approverRest(t);
      const unknown = '00000000-0000-4000-8000-000000000000';
      for (const res of [
        await agent.get(`/requests/${unknown}`),
        await approver.get(`/requests/${unknown}`),
        await agent.delete(`/requests/${unknown}`),
        await approver.post(`/requests/${unknown}/respond`, { approved: true }),
        await approver.get('/runs/no-such-run'),
        await agent.get('/no-such-route'),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('not_found');
      }
      const outside = await fetch(`${t.url}/index.php`);
      expect(outside.status).toBe(404);
    });

    it('answers 405 with Allow for a known path and the wrong method', async () => {
      const t = await hubs.start();
      const res = await hubs.agentRest(t).call('PUT', '/requests');
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST, GET');
      expect(res.body.error.code).toBe('invalid_request');
    });

    it('answers a path with broken percent-encoding with 400, not an internal error', async () => {
      const t = await hubs.start();
      const res = await hubs.agentRest(t).get('/requests/%E0%A4%A');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    });
  });
});
