import { DEFAULT_TIMEOUT_MS, TIMEOUT_BOUNDS } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { useHubs } from '../support/harness.js';
import { FakeClock } from '../support/hub.js';
import { approvalRequest, checkpointRequest, clarificationWithOptions, editRequest, escalationRequest, externalRequest } from '../support/requests.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('timeouts (injected clock)', () => {
  const hubs = useHubs();

  async function setup() {
    const clock = new FakeClock();
    const t = await hubs.start({ clock });
    const agent = await hubs.agentSocket(t);
    const approver = await hubs.approverSocket(t);
    return { clock, t, agent, approver, rest: hubs.agentRest(t) };
  }

  it('gives each severity its default deadline, shorter for more urgent requests', async () => {
    const { clock, agent, approver } = await setup();
    expect(DEFAULT_TIMEOUT_MS.critical).toBeLessThan(DEFAULT_TIMEOUT_MS.high);
    expect(DEFAULT_TIMEOUT_MS.high).toBeLessThan(DEFAULT_TIMEOUT_MS.medium);
    expect(DEFAULT_TIMEOUT_MS.medium).toBeLessThan(DEFAULT_TIMEOUT_MS.low);

    // Latest deadline first, so each new, earlier one must re-arm the timer.
    const start = clock.now();
    const bySeverity: Record<string, { id: string; expiresAt: number; createdAt: number }> = {};
    for (const severity of ['low', 'medium', 'high', 'critical'] as const) {
      bySeverity[severity] = await agent.call('request:create', { kind: 'approval', title: `${severity} one`, severity });
    }
    const unspecified = await agent.call('request:create', { kind: 'approval', title: 'no severity given' });
    for (const severity of ['low', 'medium', 'high', 'critical'] as const) {
      expect(bySeverity[severity]!.expiresAt - bySeverity[severity]!.createdAt).toBe(DEFAULT_TIMEOUT_MS[severity]);
    }
    expect(unspecified).toMatchObject({ severity: 'medium', expiresAt: unspecified.createdAt + DEFAULT_TIMEOUT_MS.medium });

    const expiredTitles = async () => (await approver.call('request:list', { status: 'expired' })).requests.map((r: { title: string }) => r.title).sort();
    clock.advance(DEFAULT_TIMEOUT_MS.critical - 1);
    expect(await expiredTitles()).toEqual([]);
    clock.advance(1);
    expect(await expiredTitles()).toEqual(['critical one']);
    clock.advance(start + DEFAULT_TIMEOUT_MS.high - clock.now());
    expect(await expiredTitles()).toEqual(['critical one', 'high one']);
    clock.advance(start + DEFAULT_TIMEOUT_MS.medium - clock.now());
    expect(await expiredTitles()).toEqual(['critical one', 'high one', 'medium one', 'no severity given']);
    clock.advance(start + DEFAULT_TIMEOUT_MS.low - clock.now());
    expect((await approver.call('request:list', { status: 'pending' })).requests).toEqual([]);

    // The creating socket heard every expiry, each after exactly its own wait.
    for (const severity of ['low', 'medium', 'high', 'critical'] as const) {
      const decided = await agent.waitFor('request:decided', (d) => d.requestId === bySeverity[severity]!.id);
      expect(decided).toMatchObject({ status: 'expired', respondedBy: 'timeout', via: 'timeout', waitMs: DEFAULT_TIMEOUT_MS[severity] });
    }
  });

  it('clamps timeoutMs into 10 s … 7 days', async () => {
    const { clock, agent, approver } = await setup();
    const cases = [
      { timeoutMs: 1, expected: TIMEOUT_BOUNDS.minMs },
      { timeoutMs: 9_999, expected: TIMEOUT_BOUNDS.minMs },
      { timeoutMs: 90 * SECOND, expected: 90 * SECOND },
      { timeoutMs: 7 * DAY, expected: 7 * DAY },
      { timeoutMs: 30 * DAY, expected: TIMEOUT_BOUNDS.maxMs },
      { timeoutMs: Number.MAX_SAFE_INTEGER, expected: TIMEOUT_BOUNDS.maxMs },
    ];
    expect(TIMEOUT_BOUNDS).toEqual({ minMs: 10 * SECOND, maxMs: 7 * DAY });
    const made = [];
    for (const c of cases) {
      const r = await agent.call('request:create', { kind: 'approval', title: `asked ${c.timeoutMs}`, timeoutMs: c.timeoutMs });
      expect(r.expiresAt - r.createdAt, `timeoutMs ${c.timeoutMs}`).toBe(c.expected);
      made.push(r);
    }
    clock.advance(10 * SECOND - 1);
    expect((await approver.call('request:list', { status: 'expired' })).requests).toEqual([]);
    clock.advance(1);
    expect((await approver.call('request:list', { status: 'expired' })).requests.map((r: { id: string }) => r.id).sort()).toEqual(
      [made[0].id, made[1].id].sort(),
    );
    clock.advance(7 * DAY);
    expect((await approver.call('request:list', { status: 'pending' })).requests).toEqual([]);
  });

  const outcomes: [string, object, unknown, RegExp][] = [
    ['approval, expire (default)', { ...approvalRequest }, null, /Do not proceed/],
    ['approval, reject', { ...approvalRequest, onTimeout: 'reject' }, { approved: false, reason: expect.stringMatching(/Do not proceed/) }, /Do not proceed/],
    [
      'low approval, approve',
      { ...approvalRequest, severity: 'low', onTimeout: 'approve' },
      { approved: true, reason: expect.stringContaining('auto-approved') },
      /approved automatically/,
    ],
    [
      'medium approval, approve',
      { ...approvalRequest, severity: 'medium', onTimeout: 'approve' },
      { approved: true, reason: expect.stringContaining('auto-approved') },
      /approved automatically/,
    ],
    ['edit, reject', { ...editRequest, onTimeout: 'reject' }, { action: 'reject', reason: expect.stringMatching(/Do not proceed/) }, /Do not proceed/],
    ['checkpoint, reject', { ...checkpointRequest, onTimeout: 'reject' }, { action: 'abort', notes: expect.stringMatching(/Do not proceed/) }, /Do not proceed/],
    ['escalation, reject', { ...escalationRequest, onTimeout: 'reject' }, { action: 'abort', guidance: expect.stringMatching(/Do not proceed/) }, /Do not proceed/],
    ['clarification, reject', { ...clarificationWithOptions, onTimeout: 'reject' }, null, /Do not proceed/],
    ['external, expire', { ...externalRequest, onTimeout: 'expire' }, null, /Do not proceed/],
  ];

  it.each(outcomes)('settles %s as expired with the rule’s answer and a plain reason', async (_name, request, response, reason) => {
    const { clock, agent, approver, rest } = await setup();
    const created = await agent.call('request:create', { ...request, timeoutMs: 2 * MINUTE });
    expect(created.onTimeout).toBe((request as { onTimeout?: string }).onTimeout ?? 'expire');
    clock.advance(2 * MINUTE);

    const decision = await agent.waitFor('request:decided', (d) => d.requestId === created.id);
    expect(decision).toEqual({
      requestId: created.id,
      status: 'expired',
      response,
      respondedBy: 'timeout',
      via: 'timeout',
      respondedAt: created.createdAt + 2 * MINUTE,
      waitMs: 2 * MINUTE,
      reason: expect.stringMatching(reason),
      // Timeouts are audited like every other decision.
      receipt: { seq: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/), actionDigest: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(decision.reason).toContain('2m');
    expect(await approver.waitFor('request:updated', (r) => r.id === created.id)).toMatchObject({ status: 'expired', decision });
    expect((await rest.get(`/requests/${created.id}`)).body).toMatchObject({ status: 'expired', decision });
    // Settled for good: a late cancel is a conflict naming the timeout.
    expect(await agent.ack('request:cancel', { id: created.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { status: 'expired', respondedBy: 'timeout', via: 'timeout' } },
    });
  });

  it('refuses onTimeout approve for high and critical severity, and for kinds other than approval (400)', async () => {
    const { agent, rest } = await setup();
    for (const severity of ['high', 'critical'] as const) {
      const res = await rest.post('/requests', { ...approvalRequest, severity, onTimeout: 'approve' });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(new RegExp(`^onTimeout: approve is refused for ${severity}`)) });
      const ack = await agent.ack('request:create', { ...approvalRequest, severity, onTimeout: 'approve' });
      expect(ack).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('onTimeout') } });
    }
    const edit = await rest.post('/requests', { ...editRequest, severity: 'low', onTimeout: 'approve' });
    expect(edit.status).toBe(400);
    expect(edit.body.error.message).toMatch(/^onTimeout: approve is only possible for approval requests/);
    expect((await rest.post('/requests', { ...approvalRequest, severity: 'low', onTimeout: 'approve' })).status).toBe(201);
  });

  it('does not count an auto-approval or an expiry as a human decision', async () => {
    const { clock, agent, approver } = await setup();
    await agent.call('request:create', { kind: 'approval', title: 'auto', severity: 'low', onTimeout: 'approve', timeoutMs: 10 * SECOND });
    await agent.call('request:create', { kind: 'approval', title: 'lapse', timeoutMs: 10 * SECOND });
    clock.advance(10 * SECOND);
    const stats = await approver.call('stats:get', {});
    expect(stats).toMatchObject({ expired: 2, approvalRate: null, responseTimeMs: { mean: null, p50: null, p90: null } });
  });

  it('wakes a REST long-poll when the request expires', async () => {
    const { clock, rest } = await setup();
    const { id } = (await rest.post('/requests', { ...approvalRequest, timeoutMs: 30 * SECOND })).body;
    const poll = rest.get(`/requests/${id}?wait=60`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    clock.advance(30 * SECOND);
    expect((await poll).body).toMatchObject({ id, status: 'expired', decision: { via: 'timeout', reason: expect.stringContaining('Do not proceed') } });
  });

  it('never expires a request a human answered before its deadline', async () => {
    const { clock, agent, approver } = await setup();
    const early = await agent.call('request:create', { ...approvalRequest, timeoutMs: MINUTE });
    const late = await agent.call('request:create', { ...approvalRequest, title: 'later', timeoutMs: 2 * MINUTE });
    clock.advance(30 * SECOND);
    const answered = await approver.call('request:respond', { id: early.id, response: { approved: true } });
    expect(answered.waitMs).toBe(30 * SECOND);
    clock.advance(2 * MINUTE);
    expect(await agent.call('request:get', { id: early.id })).toMatchObject({ status: 'resolved', decision: answered });
    expect(await agent.call('request:get', { id: late.id })).toMatchObject({ status: 'expired' });
    expect(agent.received('request:decided', (d) => d.requestId === early.id)).toEqual([answered]);
    // Pushes arrive in order and the early deadline came first: had it fired, it would be listed.
    await approver.waitFor('request:updated', (r) => r.id === late.id);
    expect(approver.received('request:updated').map((r) => r.id)).toEqual([late.id]);
  });

  it('does not expire a cancelled request either', async () => {
    const { clock, agent } = await setup();
    const r = await agent.call('request:create', { ...approvalRequest, timeoutMs: MINUTE });
    const cancelled = await agent.call('request:cancel', { id: r.id });
    clock.advance(2 * MINUTE);
    expect(await agent.call('request:get', { id: r.id })).toMatchObject({ status: 'cancelled', decision: cancelled });
  });
});

describe('timeouts (system clock)', () => {
  const hubs = useHubs();

  // The one slow test of the suite: the shortest deadline the hub allows is 10 s.
  it(
    'expires a request at the minimum 10 s deadline and pushes the decision',
    async () => {
      const t = await hubs.start();
      const agent = await hubs.agentSocket(t);
      const approver = await hubs.approverSocket(t);
      const created = await agent.call('request:create', { ...approvalRequest, timeoutMs: 1, onTimeout: 'reject' });
      expect(created.expiresAt - created.createdAt).toBe(TIMEOUT_BOUNDS.minMs);
      const decision = await agent.waitFor('request:decided', (d) => d.requestId === created.id, 20_000);
      expect(decision).toMatchObject({
        status: 'expired',
        via: 'timeout',
        response: { approved: false },
        reason: expect.stringContaining('Do not proceed'),
      });
      expect(decision.respondedAt).toBeGreaterThanOrEqual(created.expiresAt);
      expect(await approver.waitFor('request:updated', (r) => r.id === created.id)).toMatchObject({ status: 'expired' });
    },
    30_000,
  );
});
