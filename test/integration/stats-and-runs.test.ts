import { describe, expect, it } from 'vitest';
import { useHubs } from '../support/harness.js';
import { FakeClock } from '../support/hub.js';
import { approvalRequest, checkpointRequest, clarificationWithOptions, editRequest, escalationRequest, notifyRequest } from '../support/requests.js';

describe('GET /stats', () => {
  const hubs = useHubs();

  it('reports counts, approval rate, response times, expiries and escalations by reason', async () => {
    const clock = new FakeClock();
    const t = await hubs.start({ clock });
    const agent = hubs.agentRest(t);
    const approver = await hubs.approverRest(t, 'Dana');
    const approverSocket = await hubs.approverSocket(t);
    const create = async (body: object) => (await agent.post('/requests', body)).body.id as string;

    // Human decisions after known waits: 1 s, 3 s, 5 s (approvals), 2 s (clarification), 4 s (escalation).
    let id = await create({ kind: 'approval', title: 'A1' });
    clock.advance(1_000);
    await approver.post(`/requests/${id}/respond`, { approved: true });
    id = await create({ kind: 'approval', title: 'A2' });
    clock.advance(3_000);
    await approverSocket.call('request:respond', { id, response: { approved: true } });
    id = await create({ kind: 'approval', title: 'A3' });
    clock.advance(5_000);
    await approver.post(`/requests/${id}/respond`, { approved: false, reason: 'no' });
    id = await create(clarificationWithOptions);
    clock.advance(2_000);
    await approver.post(`/requests/${id}/respond`, { optionId: 'eu' });
    id = await create({ ...escalationRequest, reason: 'tests still failing' });
    clock.advance(4_000);
    await approver.post(`/requests/${id}/respond`, { action: 'takeover' });
    // Still pending.
    await create({ ...escalationRequest, reason: 'tests still failing' });
    await create({ ...escalationRequest, reason: 'missing credentials' });
    // Cancelled by the agent, notified, and two expiries (one auto-approved).
    await agent.delete(`/requests/${await create(editRequest)}`);
    await create(notifyRequest);
    await create({ kind: 'approval', title: 'A4', severity: 'low', onTimeout: 'approve', timeoutMs: 10_000 });
    await create({ ...checkpointRequest, timeoutMs: 10_000 });
    clock.advance(10_000);

    const stats = await approver.get('/stats');
    expect(stats.status).toBe(200);
    expect(stats.body).toEqual({
      pending: 2,
      total: 11,
      byKind: {
        approval: { resolved: 3, expired: 1 },
        clarification: { resolved: 1 },
        escalation: { resolved: 1, pending: 2 },
        edit: { cancelled: 1 },
        notify: { resolved: 1 },
        checkpoint: { expired: 1 },
      },
      byStatus: { resolved: 6, pending: 2, cancelled: 1, expired: 2 },
      approvalRate: 2 / 3,
      responseTimeMs: { mean: 3_000, p50: 3_000, p90: 5_000 },
      expired: 2,
      escalationsByReason: [
        { reason: 'tests still failing', count: 2 },
        { reason: 'missing credentials', count: 1 },
      ],
      approvals: { approved: 2, rejected: 1 },
      // The five human answers (1–5 s) fall in the first bucket.
      responseTimeHistogram: histogram({ 10_000: 5 }),
      // The checkpoint's agent, then A4 (no agentId): ties go by name, unnamed last.
      expiredByAgent: [
        { agentId: checkpointRequest.agentId, count: 1 },
        { agentId: null, count: 1 },
      ],
      // No policy.yaml: nothing decided without a person.
      policy: { byRule: [], byGrant: 0, blockedByGuardrail: 0 },
      reviewers: [],
    });
    // The socket reports the same numbers.
    expect(await approverSocket.call('stats:get', {})).toEqual(stats.body);
  });

  it('starts empty', async () => {
    const t = await hubs.start();
    const stats = await (await hubs.approverRest(t)).get('/stats');
    expect(stats.body).toEqual({
      pending: 0,
      total: 0,
      byKind: {},
      byStatus: {},
      approvalRate: null,
      responseTimeMs: { mean: null, p50: null, p90: null },
      expired: 0,
      escalationsByReason: [],
      approvals: { approved: 0, rejected: 0 },
      responseTimeHistogram: histogram({}),
      expiredByAgent: [],
      policy: { byRule: [], byGrant: 0, blockedByGuardrail: 0 },
      reviewers: [],
    });
  });

  it('gives what the window charts: response times across buckets and expiries by agent', async () => {
    const clock = new FakeClock();
    const t = await hubs.start({ clock });
    const agent = hubs.agentRest(t);
    const approver = await hubs.approverRest(t, 'Dana');
    const create = async (body: object) => (await agent.post('/requests', body)).body.id as string;

    for (const [wait, approved] of [[20_000, true], [2 * 60_000, false], [2 * 3_600_000, true]] as const) {
      const id = await create({ kind: 'approval', title: `after ${wait} ms`, agentId: 'deploy-bot' });
      clock.advance(wait);
      await approver.post(`/requests/${id}/respond`, approved ? { approved } : { approved, reason: 'no' });
    }
    await create({ kind: 'approval', title: 'nobody looked', agentId: 'deploy-bot', timeoutMs: 10_000 });
    await create({ kind: 'approval', title: 'nobody looked either', agentId: 'deploy-bot', timeoutMs: 10_000 });
    await create({ kind: 'clarification', title: 'which one?', agentId: 'report-bot', options: [{ id: 'a', label: 'A' }], timeoutMs: 10_000 });
    clock.advance(10_000);

    const stats = (await approver.get('/stats')).body;
    expect(stats).toMatchObject({
      approvals: { approved: 2, rejected: 1 },
      approvalRate: 2 / 3,
      responseTimeHistogram: histogram({ 30_000: 1, 300_000: 1, 14_400_000: 1 }),
      expiredByAgent: [
        { agentId: 'deploy-bot', count: 2 },
        { agentId: 'report-bot', count: 1 },
      ],
      expired: 3,
    });
  });
});

/** The response-time histogram with every bucket empty but those given (`{ upToMs: count }`). */
function histogram(counts: Record<number, number>): { upToMs: number | null; count: number }[] {
  const bounds = [10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000, 14_400_000, 86_400_000];
  return [...bounds.map((upToMs) => ({ upToMs, count: counts[upToMs] ?? 0 })), { upToMs: null, count: 0 }];
}

describe('runs', () => {
  const hubs = useHubs();

  it('shows a run as waiting for human while one of its requests is pending, then running, with a timeline', async () => {
    const clock = new FakeClock();
    const t = await hubs.start({ clock });
    const agent = hubs.agentRest(t);
    const approver = await hubs.approverRest(t, 'Dana');
    const run = { runId: 'run-deploy-88', agentId: 'deploy-bot' };

    const started = clock.now();
    const note = (await agent.post('/requests', { ...notifyRequest, ...run, title: 'Starting the deploy' })).body;
    clock.advance(2_000);
    const gate = (await agent.post('/requests', { ...approvalRequest, ...run, title: 'Migrate the prod database' })).body;
    await agent.post('/requests', { kind: 'approval', title: 'Not part of any run' });
    clock.advance(5_000);
    const other = (await agent.post('/requests', { kind: 'approval', title: 'Other run', runId: 'run-other' })).body;

    const listed = await approver.get('/runs');
    expect(listed.status).toBe(200);
    expect(listed.body.runs).toEqual([
      { runId: 'run-other', agentId: null, status: 'waiting for human', requests: 1, pending: 1, firstAt: other.createdAt, lastAt: other.createdAt, waitedMs: 0 },
      {
        runId: 'run-deploy-88',
        agentId: 'deploy-bot',
        status: 'waiting for human',
        requests: 2,
        pending: 1,
        firstAt: started,
        lastAt: started + 2_000,
        waitedMs: 5_000, // the notify waited 0, the pending gate 5 s so far
      },
    ]);
    expect((await approver.get('/runs?limit=1')).body.runs.map((r: { runId: string }) => r.runId)).toEqual(['run-other']);

    const waiting = await approver.get('/runs/run-deploy-88');
    expect(waiting.body).toEqual({
      runId: 'run-deploy-88',
      agentId: 'deploy-bot',
      status: 'waiting for human',
      requests: 2,
      pending: 1,
      firstAt: started,
      lastAt: started + 2_000,
      waitedMs: 5_000,
      timeline: [
        { requestId: note.id, kind: 'notify', title: 'Starting the deploy', status: 'resolved', createdAt: started, respondedBy: 'hub', respondedAt: started, waitMs: 0 },
        { requestId: gate.id, kind: 'approval', title: 'Migrate the prod database', status: 'pending', createdAt: started + 2_000, respondedBy: null, respondedAt: null, waitMs: 5_000 },
      ],
    });

    clock.advance(1_000);
    await approver.post(`/requests/${gate.id}/respond`, { approved: true });
    clock.advance(60_000); // time after the decision no longer counts as waiting
    const running = await approver.get('/runs/run-deploy-88');
    expect(running.body).toMatchObject({ status: 'running', pending: 0, waitedMs: 6_000 });
    expect(running.body.timeline[1]).toEqual({
      requestId: gate.id,
      kind: 'approval',
      title: 'Migrate the prod database',
      status: 'resolved',
      createdAt: started + 2_000,
      respondedBy: 'Dana',
      respondedAt: started + 8_000,
      waitMs: 6_000,
    });
    const again = (await approver.get('/runs')).body.runs.find((r: { runId: string }) => r.runId === 'run-deploy-88');
    expect(again).toMatchObject({ status: 'running', pending: 0, waitedMs: 6_000 });
  });

  it('treats a run whose last request expired or was cancelled as running again', async () => {
    const clock = new FakeClock();
    const t = await hubs.start({ clock });
    const agent = hubs.agentRest(t);
    const approver = await hubs.approverRest(t);
    await agent.post('/requests', { ...checkpointRequest, timeoutMs: 10_000 });
    const cancelMe = (await agent.post('/requests', { ...checkpointRequest, title: 'second look' })).body;
    expect((await approver.get(`/runs/${checkpointRequest.runId}`)).body).toMatchObject({ status: 'waiting for human', pending: 2 });
    clock.advance(10_000);
    expect((await approver.get(`/runs/${checkpointRequest.runId}`)).body).toMatchObject({ status: 'waiting for human', pending: 1 });
    await agent.delete(`/requests/${cancelMe.id}`);
    const run = (await approver.get(`/runs/${checkpointRequest.runId}`)).body;
    expect(run).toMatchObject({ status: 'running', pending: 0 });
    expect(run.timeline.map((s: { status: string; respondedBy: string }) => [s.status, s.respondedBy])).toEqual([
      ['expired', 'timeout'],
      ['cancelled', 'agent'],
    ]);
  });

  it('answers 404 for an unknown run and 400 for a bad limit', async () => {
    const t = await hubs.start();
    const approver = await hubs.approverRest(t);
    expect((await approver.get('/runs/nope')).status).toBe(404);
    expect((await approver.get('/runs')).body).toEqual({ runs: [] });
    expect((await approver.get('/runs?limit=0')).status).toBe(400);
    expect((await approver.get('/runs?limit=lots')).status).toBe(400);
  });
});
