import { approvedAction, type Decision } from '@signoff/shared';
import { actionDigest } from '@signoff/shared/agent';
import { describe, expect, it } from 'vitest';
import { useHubs } from '../support/harness.js';
import { ROUND_TRIPS, approvalRequest, checkpointRequest, echoedFields, escalationRequest, notifyRequest } from '../support/requests.js';

describe('Socket.IO API', () => {
  const hubs = useHubs();

  describe.each(ROUND_TRIPS)('round trip: $name', ({ request, response }) => {
    it('agent creates → approver gets request:new → responds → agent gets request:decided', async () => {
      const t = await hubs.start();
      const agent = await hubs.agentSocket(t);
      const approver = await hubs.approverSocket(t, await t.pairApprover('Dana (extension)'));

      const created = await agent.call('request:create', request);
      expect(created).toMatchObject({ ...echoedFields(request), id: expect.any(String), status: 'pending' });
      const id: string = created.id;

      const pushed = await approver.waitFor('request:new', (r) => r.id === id);
      expect(pushed).toEqual(created);

      const decision = await approver.call('request:respond', { id, response });
      expect(decision).toEqual({
        requestId: id,
        status: 'resolved',
        response,
        respondedBy: 'Dana (extension)',
        via: 'socket',
        respondedAt: expect.any(Number),
        waitMs: expect.any(Number),
        // The receipt: its audit entry, and the digest of the action as approved (edited arguments included).
        receipt: { seq: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/), actionDigest: await actionDigest(approvedAction(request, response as Decision['response'])) },
      });

      expect(await agent.waitFor('request:decided', (d) => d.requestId === id)).toEqual(decision);
      expect(await approver.waitFor('request:resolved', (r) => r.id === id)).toEqual({ ...created, status: 'resolved', decision });
      expect(await agent.call('request:get', { id })).toEqual({ ...created, status: 'resolved', decision });
    });
  });

  it('settles a notify at once and tells approvers it is already done', async () => {
    const t = await hubs.start();
    const agent = await hubs.agentSocket(t);
    const approver = await hubs.approverSocket(t);
    const created = await agent.call('request:create', notifyRequest);
    expect(created).toMatchObject({
      ...notifyRequest,
      status: 'resolved',
      expiresAt: null,
      decision: { status: 'resolved', response: null, respondedBy: 'hub', via: 'hub', waitMs: expect.any(Number) },
    });
    // Announced once, already settled: approvers never see it as pending.
    expect(await approver.waitFor('request:new', (r) => r.id === created.id)).toMatchObject({ status: 'resolved', decision: created.decision });
    expect(approver.received('request:updated', (r) => r.id === created.id)).toEqual([]);
    const late = await approver.ack('request:respond', { id: created.id, response: null });
    expect(late).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('mixes transports: REST create, socket answer, REST read', async () => {
    const t = await hubs.start();
    const agent = hubs.agentRest(t);
    const approver = await hubs.approverSocket(t, await t.pairApprover('Sam (tray)'));
    const { id } = (await agent.post('/requests', approvalRequest)).body;
    await approver.waitFor('request:new', (r) => r.id === id);
    const poll = agent.get(`/requests/${id}?wait=60`);
    const decision = await approver.call('request:respond', { id, response: { approved: true, alternativeId: 'archive' } });
    expect((await poll).body).toMatchObject({ id, status: 'resolved', decision });
    expect(decision).toMatchObject({ via: 'socket', respondedBy: 'Sam (tray)' });
  });

  it('mixes transports: socket create, REST answer, socket request:decided', async () => {
    const t = await hubs.start();
    const agent = await hubs.agentSocket(t);
    const approver = await hubs.approverRest(t, 'Dana');
    const { id } = await agent.call('request:create', checkpointRequest);
    const res = await approver.post(`/requests/${id}/respond`, { action: 'continue' });
    expect(res.status).toBe(200);
    expect(await agent.waitFor('request:decided', (d) => d.requestId === id)).toEqual(res.body);
  });

  describe('approver push', () => {
    it('sends a snapshot of every pending request, and only those, on connect', async () => {
      const t = await hubs.start();
      const agent = hubs.agentRest(t);
      const rest = await hubs.approverRest(t);
      const a = (await agent.post('/requests', approvalRequest)).body;
      const b = (await agent.post('/requests', escalationRequest)).body;
      const decided = (await agent.post('/requests', { kind: 'approval', title: 'Already decided' })).body;
      await rest.post(`/requests/${decided.id}/respond`, { approved: true });
      await agent.post('/requests', notifyRequest);

      const approver = await hubs.approverSocket(t);
      const snapshot = await approver.waitFor('snapshot');
      expect(snapshot).toEqual({ requests: [b, a], more: false, total: 2 });
    });

    it('sends an empty snapshot when nothing is pending', async () => {
      const t = await hubs.start();
      const approver = await hubs.approverSocket(t);
      expect(await approver.waitFor('snapshot')).toEqual({ requests: [], more: false, total: 0 });
    });

    it('pushes request:new and request:resolved to every approver, whichever surface answered', async () => {
      const t = await hubs.start();
      const agent = await hubs.agentSocket(t);
      const extension = await hubs.approverSocket(t, await t.pairApprover('extension'));
      const tray = await hubs.approverSocket(t, await t.pairApprover('tray'));
      const { id } = await agent.call('request:create', approvalRequest);
      for (const s of [extension, tray]) await s.waitFor('request:new', (r) => r.id === id);

      await tray.call('request:respond', { id, response: { approved: true } });
      for (const s of [extension, tray]) {
        expect(await s.waitFor('request:resolved', (r) => r.id === id)).toMatchObject({
          id,
          status: 'resolved',
          decision: { respondedBy: 'tray', via: 'socket', response: { approved: true } },
        });
      }
    });

    it('pushes request:updated, not request:resolved, when the agent cancels', async () => {
      const t = await hubs.start();
      const agent = await hubs.agentSocket(t);
      const approver = await hubs.approverSocket(t);
      const { id } = await agent.call('request:create', approvalRequest);
      const cancelled = await agent.call('request:cancel', { id });
      expect(cancelled).toMatchObject({ requestId: id, status: 'cancelled', respondedBy: 'agent', via: 'agent' });
      expect(await approver.waitFor('request:updated', (r) => r.id === id)).toMatchObject({ id, status: 'cancelled', decision: cancelled });
      // Everything pushed before an ack arrives before it: nothing was sent as resolved.
      await approver.call('stats:get', {});
      expect(approver.received('request:resolved')).toEqual([]);
      // The creator is told too, as for any settlement.
      expect(await agent.waitFor('request:decided', (d) => d.requestId === id)).toEqual(cancelled);
    });
  });

  describe('agent pushes', () => {
    it('pushes request:decided only to the creating socket and to watchers', async () => {
      const t = await hubs.start();
      const creator = await hubs.agentSocket(t);
      const watcher = await hubs.agentSocket(t);
      const bystander = await hubs.agentSocket(t);
      const approver = await hubs.approverSocket(t);
      const { id } = await creator.call('request:create', approvalRequest);
      expect(await watcher.call('request:watch', { ids: [id] })).toEqual({ watching: [id], decided: [], unknown: [] });

      const decision = await approver.call('request:respond', { id, response: { approved: true } });
      expect(await creator.waitFor('request:decided', (d) => d.requestId === id)).toEqual(decision);
      expect(await watcher.waitFor('request:decided', (d) => d.requestId === id)).toEqual(decision);
      await bystander.call('request:get', { id });
      expect(bystander.received('request:decided')).toEqual([]);
    });

    it('re-attaches with request:watch and gets at once the decisions made while away', async () => {
      const t = await hubs.start();
      const first = await hubs.agentSocket(t);
      const approver = await hubs.approverSocket(t, await t.pairApprover('Dana'));
      const decidedAway = await first.call('request:create', approvalRequest);
      const stillPending = await first.call('request:create', escalationRequest);
      first.close();

      const decision = await approver.call('request:respond', { id: decidedAway.id, response: { approved: false, reason: 'not today' } });
      const again = await hubs.agentSocket(t);
      const unknownId = '00000000-0000-4000-8000-000000000000';
      const watch = await again.call('request:watch', { ids: [decidedAway.id, stillPending.id, unknownId, decidedAway.id] });
      expect(watch).toEqual({ watching: [stillPending.id], decided: [decidedAway.id], unknown: [unknownId] });
      expect(again.received('request:decided')).toEqual([decision]);

      const later = await approver.call('request:respond', { id: stillPending.id, response: { action: 'takeover' } });
      expect(await again.waitFor('request:decided', (d) => d.requestId === stillPending.id)).toEqual(later);
    });

    it('answers conflict through the ack when a second approver responds', async () => {
      const t = await hubs.start();
      const agent = await hubs.agentSocket(t);
      const dana = await hubs.approverSocket(t, await t.pairApprover('Dana'));
      const sam = await hubs.approverSocket(t, await t.pairApprover('Sam'));
      const { id } = await agent.call('request:create', approvalRequest);
      const first = await dana.call('request:respond', { id, response: { approved: true } });
      const second = await sam.ack('request:respond', { id, response: { approved: false } });
      expect(second).toEqual({
        ok: false,
        error: {
          code: 'conflict',
          message: expect.stringContaining('already resolved by Dana via socket'),
          details: { status: 'resolved', respondedBy: 'Dana', via: 'socket', respondedAt: first.respondedAt },
        },
      });
      // The agent heard exactly one decision.
      await agent.call('request:get', { id });
      expect(agent.received('request:decided')).toEqual([first]);
    });

    it('refuses to cancel a decided request with a conflict ack', async () => {
      const t = await hubs.start();
      const agent = await hubs.agentSocket(t);
      const approver = await hubs.approverSocket(t, await t.pairApprover('Dana'));
      const { id } = await agent.call('request:create', approvalRequest);
      await approver.call('request:respond', { id, response: { approved: true } });
      const res = await agent.ack('request:cancel', { id });
      expect(res).toMatchObject({ ok: false, error: { code: 'conflict', details: { status: 'resolved', respondedBy: 'Dana' } } });
    });

    it('makes request:create idempotent per agentId on the socket too', async () => {
      const t = await hubs.start();
      const agent = await hubs.agentSocket(t);
      const first = await agent.call('request:create', { ...approvalRequest, idempotencyKey: 'sock-1' });
      const second = await agent.call('request:create', { ...approvalRequest, idempotencyKey: 'sock-1' });
      const other = await agent.call('request:create', { ...approvalRequest, agentId: 'another-bot', idempotencyKey: 'sock-1' });
      expect(second).toEqual(first);
      expect(other.id).not.toBe(first.id);
      // A REST create with the same key from the same agentId finds the socket-made request.
      const rest = await hubs.agentRest(t).post('/requests', { ...approvalRequest, idempotencyKey: 'sock-1' });
      expect(rest.status).toBe(200);
      expect(rest.body.id).toBe(first.id);
    });
  });

  describe('approver queries', () => {
    it('lists with status and limit, and reports stats', async () => {
      const t = await hubs.start();
      const agent = await hubs.agentSocket(t);
      const approver = await hubs.approverSocket(t);
      const a = await agent.call('request:create', { kind: 'approval', title: 'one' });
      const b = await agent.call('request:create', { kind: 'approval', title: 'two' });
      await approver.call('request:respond', { id: a.id, response: { approved: true } });

      expect((await approver.call('request:list', {})).requests.map((r: { id: string }) => r.id)).toEqual([b.id, a.id]);
      expect((await approver.call('request:list', { status: 'pending' })).requests.map((r: { id: string }) => r.id)).toEqual([b.id]);
      expect((await approver.call('request:list', { limit: 1 })).requests).toHaveLength(1);
      expect(await approver.ack('request:list', { status: 'nope' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });

      const stats = await approver.call('stats:get', {});
      expect(stats).toMatchObject({ pending: 1, total: 2, approvalRate: 1 });
    });

    it('answers an event sent with an ack but no payload (python-socketio `call(event)`)', async () => {
      const t = await hubs.start();
      const agent = await hubs.agentSocket(t);
      const approver = await hubs.approverSocket(t);
      await agent.call('request:create', approvalRequest);
      expect(await approver.ackWithoutPayload('stats:get')).toMatchObject({ ok: true, data: { pending: 1, total: 1 } });
      expect(await approver.ackWithoutPayload('request:list')).toMatchObject({ ok: true, data: { requests: [{ title: approvalRequest.title }] } });
      expect(await agent.ackWithoutPayload('feedback:list')).toEqual({ ok: true, data: { feedback: [] } });
      expect(await agent.ackWithoutPayload('request:create')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    });
  });
  describe('approver presence', () => {
    it('tells every approver which surfaces are connected, on connect and on leave', async () => {
      const t = await hubs.start();
      const token = await t.pairApprover('Ada');
      const extension = await hubs.approverSocket(t, token, { auth: { token, surface: 'extension' } });
      expect(await extension.waitFor('approvers:presence')).toEqual({ surfaces: { extension: 1, tray: 0, window: 0, other: 0 } });

      const tray = await hubs.approverSocket(t, token, { auth: { token, surface: 'tray' } });
      const both = { surfaces: { extension: 1, tray: 1, window: 0, other: 0 } };
      expect(await tray.waitFor('approvers:presence')).toEqual(both);
      await extension.waitFor('approvers:presence', (p) => JSON.stringify(p) === JSON.stringify(both));

      // An unknown or missing surface counts as other.
      const script = await hubs.approverSocket(t, token, { auth: { token, surface: 'toaster' } });
      expect(await script.waitFor('approvers:presence')).toEqual({ surfaces: { extension: 1, tray: 1, window: 0, other: 1 } });

      tray.close();
      const afterLeave = JSON.stringify({ surfaces: { extension: 1, tray: 0, window: 0, other: 1 } });
      await extension.waitFor('approvers:presence', (p) => JSON.stringify(p) === afterLeave);
    });
  });
});
