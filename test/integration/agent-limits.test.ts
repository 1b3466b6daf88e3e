import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_AGENT_LIMITS, LIMITS_FILE } from '@signoff/desktop/hub';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { recordingLogger, useHubs } from '../support/harness.js';
import { FakeClock } from '../support/hub.js';
import { waitUntil } from '../support/wait-until.js';

const ask = (agentId: string | undefined, title = 'Deploy?') => ({ kind: 'approval', title, ...(agentId === undefined ? {} : { agentId }) });
const feedback = (agentId: string) => ({ agentId, type: 'praise', aspect: 'tone', content: 'good' });

describe('agent limits over REST', () => {
  const hubs = useHubs();

  it('caps the pending requests of one agentId with 429, and the token\'s other agentIds still get through', async () => {
    const t = await hubs.start({ clock: new FakeClock(), limits: { pendingPerAgentId: 3 } });
    const agent = hubs.agentRest(t);
    for (let i = 0; i < 3; i++) expect((await agent.post('/requests', ask('flood'))).status).toBe(201);
    const refused = await agent.post('/requests', ask('flood'));
    expect(refused.status).toBe(429);
    expect(refused.body.error).toEqual({
      code: 'rate_limited',
      message: expect.stringMatching(/^agentId "flood" already has 3 requests waiting for a decision; .*\(limit pendingPerAgentId\)$/),
      details: { limit: 'pendingPerAgentId' },
    });
    expect(refused.headers.get('retry-after')).toBeNull();
    expect((await agent.post('/requests', ask('quiet'))).status).toBe(201);
    expect((await agent.post('/requests', ask(undefined))).status).toBe(201);

    // Deciding one frees a place.
    const approver = await hubs.approverRest(t);
    const { requests } = (await approver.get('/requests?status=pending')).body;
    const floodId = requests.find((r: { agentId?: string }) => r.agentId === 'flood').id;
    expect((await approver.post(`/requests/${floodId}/respond`, { approved: false })).status).toBe(200);
    expect((await agent.post('/requests', ask('flood'))).status).toBe(201);
  });

  it('answers a create past the rate with 429 and Retry-After, and a retried create with its idempotency key still answers', async () => {
    const clock = new FakeClock();
    const t = await hubs.start({ clock, limits: { createsPerSecondPerAgentId: 0.5, createBurstPerAgentId: 2 } });
    const agent = hubs.agentRest(t);
    const first = await agent.post('/requests', { ...ask('fast'), idempotencyKey: 'k1' });
    expect(first.status).toBe(201);
    expect((await agent.post('/requests', ask('fast'))).status).toBe(201);
    const limited = await agent.post('/requests', ask('fast'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.body.error).toMatchObject({ code: 'rate_limited', details: { limit: 'createsPerSecondPerAgentId', retryAfterSeconds: 2 } });
    // A retry of a create that was made adds nothing, so no limit stands in its way.
    const retried = await agent.post('/requests', { ...ask('fast'), idempotencyKey: 'k1' });
    expect(retried.status).toBe(200);
    expect(retried.body.id).toBe(first.body.id);
    clock.advance(2000);
    expect((await agent.post('/requests', ask('fast'))).status).toBe(201);
  });

  it('keeps the pending counts across a restart: they are loaded from the database', async () => {
    const limits = { pendingPerAgentId: 2 };
    const first = await hubs.start({ limits });
    const agent = hubs.agentRest(first);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) ids.push((await agent.post('/requests', ask('steady'))).body.id);
    await first.stop();
    const second = await hubs.start({ dataDir: first.dataDir, limits });
    const again = hubs.agentRest(second);
    expect((await again.post('/requests', ask('steady'))).status).toBe(429);
    expect((await again.delete(`/requests/${ids[0]}`)).status).toBe(200);
    expect((await again.post('/requests', ask('steady'))).status).toBe(201);
  });

  it('caps the stored bytes of one agentId\'s waiting requests', async () => {
    const t = await hubs.start({ clock: new FakeClock(), limits: { pendingBytesPerAgentId: 100_000 } });
    const agent = hubs.agentRest(t);
    const big = { ...ask('bulky'), context: { blob: 'x'.repeat(60_000) } };
    expect((await agent.post('/requests', big)).status).toBe(201);
    const refused = await agent.post('/requests', big);
    expect(refused.status).toBe(429);
    expect(refused.body.error.details).toEqual({ limit: 'pendingBytesPerAgentId' });
    expect((await agent.post('/requests', ask('bulky'))).status).toBe(201);
  });

  it('limits feedback: the rate per agentId, and the total stored about one agentId', async () => {
    const clock = new FakeClock();
    const t = await hubs.start({ clock, limits: { feedbackBurstPerAgentId: 2, feedbackTotalPerAgentId: 3 } });
    const agent = hubs.agentRest(t);
    expect((await agent.post('/feedback', feedback('writer'))).status).toBe(201);
    expect((await agent.post('/feedback', feedback('writer'))).status).toBe(201);
    const tooFast = await agent.post('/feedback', feedback('writer'));
    expect(tooFast.status).toBe(429);
    expect(tooFast.headers.get('retry-after')).toBe('1');
    expect(tooFast.body.error.details).toEqual({ limit: 'feedbackPerSecondPerAgentId', retryAfterSeconds: 1 });
    expect((await agent.post('/feedback', feedback('reader'))).status).toBe(201);
    clock.advance(10_000);
    expect((await agent.post('/feedback', feedback('writer'))).status).toBe(201);
    clock.advance(10_000);
    const full = await agent.post('/feedback', feedback('writer'));
    expect(full.status).toBe(429);
    expect(full.body.error.details).toEqual({ limit: 'feedbackTotalPerAgentId' });
    // The person's own feedback is not an agent's, and is not limited.
    const approver = await hubs.approverRest(t);
    expect((await approver.post('/feedback', feedback('writer'))).status).toBe(201);
  });

  it('caps concurrent long-polls per token with 429 and Retry-After, and frees the place of a client that hangs up', async () => {
    const t = await hubs.start({ limits: { longPollsPerToken: 2 } });
    const agent = hubs.agentRest(t);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await agent.post('/requests', ask(`poller-${i}`))).body.id);
    const first = agent.get(`/requests/${ids[0]}?wait=30`);
    const hangUp = new AbortController();
    const second = fetch(`${t.url}/api/v1/requests/${ids[1]}?wait=30`, { headers: { authorization: `Bearer ${t.agentToken}` }, signal: hangUp.signal }).catch(() => null);
    const third = await waitUntil(async () => {
      const res = await agent.get(`/requests/${ids[2]}?wait=0.01`);
      return res.status === 429 ? res : null;
    }, 'the third long-poll to be refused');
    expect(third.headers.get('retry-after')).toBe('1');
    expect(third.body.error.details).toEqual({ limit: 'longPollsPerToken', retryAfterSeconds: 1 });
    // A plain read is not a long-poll, and always answers.
    expect((await agent.get(`/requests/${ids[2]}`)).status).toBe(200);

    hangUp.abort();
    await second;
    await waitUntil(async () => (await agent.get(`/requests/${ids[2]}?wait=0.01`)).status === 200, 'the hung-up long-poll to free its place');
    const approver = await hubs.approverRest(t);
    await approver.post(`/requests/${ids[0]}/respond`, { approved: true });
    expect((await first).body).toMatchObject({ id: ids[0], status: 'resolved' });
  });

  it('applies <data-dir>/limits.json', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signoff-test-'));
    writeFileSync(join(dataDir, LIMITS_FILE), JSON.stringify({ pendingPerToken: 1 }));
    const t = await hubs.start({ dataDir, clock: new FakeClock() });
    const agent = hubs.agentRest(t);
    expect((await agent.post('/requests', ask('a'))).status).toBe(201);
    expect((await agent.post('/requests', ask('b'))).body.error.details).toEqual({ limit: 'pendingPerToken' });
  });
});

describe('agent limits over Socket.IO', () => {
  const hubs = useHubs();

  it('answers a create past the rate with an ack error naming the limit and the seconds to wait', async () => {
    const t = await hubs.start({ clock: new FakeClock(), limits: { createBurstPerAgentId: 1, createsPerSecondPerAgentId: 0.2 } });
    const agent = await hubs.agentSocket(t);
    expect(await agent.call('request:create', ask('eager'))).toMatchObject({ status: 'pending' });
    expect(await agent.ack('request:create', ask('eager'))).toEqual({
      ok: false,
      error: {
        code: 'rate_limited',
        message: 'agentId "eager" creates requests faster than 0.2 per second (limit createsPerSecondPerAgentId); retry in 5 s',
        details: { limit: 'createsPerSecondPerAgentId', retryAfterSeconds: 5 },
      },
    });
    expect(agent.connected).toBe(true);
  });

  it('stops a 5,000-request flood from one agentId while another agentId creates and gets its decision', async () => {
    const logger = recordingLogger();
    const t = await hubs.start({ logger });
    const flooder = await hubs.agentSocket(t);
    const worker = await hubs.agentSocket(t);
    const approver = await hubs.approverRest(t);

    const flood = Array.from({ length: 5000 }, (_, i) => flooder.ack('request:create', ask('flood', `Flood ${i}`)));
    // While the flood is in flight, another agentId of the same token asks and is answered.
    const mine = await worker.call('request:create', ask('worker', 'Rotate the staging keys'));
    expect(mine.status).toBe('pending');
    const decided = worker.waitFor('request:decided', (d) => d.requestId === mine.id);
    expect((await approver.post(`/requests/${mine.id}/respond`, { approved: true })).status).toBe(200);
    expect(await decided).toMatchObject({ status: 'resolved', response: { approved: true } });

    const results = await Promise.all(flood);
    const accepted = results.filter((r) => r.ok).length;
    const refusedLimits = new Set(results.filter((r) => !r.ok).map((r) => (r as { error: { details: { limit: string } } }).error.details.limit));
    // The burst went through, a little rate on top, then nothing more: never the pending cap of 200.
    expect(accepted).toBeGreaterThanOrEqual(DEFAULT_AGENT_LIMITS.createBurstPerAgentId);
    expect(accepted).toBeLessThan(DEFAULT_AGENT_LIMITS.pendingPerAgentId);
    expect([...refusedLimits]).toEqual(['createsPerSecondPerAgentId']);
    expect(logger.errors).toEqual([]);
    // And the worker can go on asking.
    expect(await worker.call('request:create', ask('worker', 'And the prod keys'))).toMatchObject({ status: 'pending' });
  });

  it('caps the ids one socket watches, and a watch writes nothing to the audit trail', async () => {
    const t = await hubs.start({ clock: new FakeClock(), limits: { watchesPerSocket: 3 } });
    const creator = await hubs.agentSocket(t);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await creator.call('request:create', ask(`w${i}`))).id);

    const watcher = await hubs.agentSocket(t);
    expect(await watcher.call('request:watch', { ids: ids.slice(0, 2) })).toEqual({ watching: ids.slice(0, 2), decided: [], unknown: [] });
    // Watching the same ids again adds nothing; one more fits, two more do not.
    expect(await watcher.call('request:watch', { ids: ids.slice(0, 3) })).toMatchObject({ watching: ids.slice(0, 3) });
    expect(await watcher.ack('request:watch', { ids: [ids[3]] })).toEqual({
      ok: false,
      error: { code: 'rate_limited', message: expect.stringContaining('watchesPerSocket'), details: { limit: 'watchesPerSocket' } },
    });
    for (let i = 0; i < 50; i++) await watcher.call('request:watch', { ids: ids.slice(0, 3) });
    expect(t.hub.store.requests.events(ids[0]!).map((e) => e.type)).toEqual(['created']);

    // A decided request leaves its room, which makes space.
    const approver = await hubs.approverRest(t);
    await approver.post(`/requests/${ids[0]}/respond`, { approved: true });
    await watcher.waitFor('request:decided', (d) => d.requestId === ids[0]);
    expect(await watcher.call('request:watch', { ids: [ids[3]] })).toMatchObject({ watching: [ids[3]] });
  });

  it('counts notify only against the rate, never the pending caps', async () => {
    const t = await hubs.start({ clock: new FakeClock(), limits: { pendingPerAgentId: 1 } });
    const agent = await hubs.agentSocket(t);
    await agent.call('request:create', ask('auditor'));
    for (let i = 0; i < 5; i++) {
      expect(await agent.call('request:create', { kind: 'notify', title: `Backup ${i} done`, agentId: 'auditor' })).toMatchObject({ status: 'resolved' });
    }
  });
});

describe('a bad limits.json', () => {
  it('makes `signoff hub` exit with a message naming the field', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signoff-test-'));
    try {
      writeFileSync(join(dataDir, LIMITS_FILE), JSON.stringify({ pendingPerAgentId: 0 }));
      const { code, stdout, stderr } = await runCli(['hub', '--port', '0', '--data-dir', dataDir]).done;
      expect(code).not.toBe(0);
      expect(stdout).not.toContain('listening on');
      expect(stderr).toMatch(/limits\.json: pendingPerAgentId: /);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
