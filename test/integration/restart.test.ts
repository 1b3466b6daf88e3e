import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_TOKEN_FILE } from '@signoff/desktop/hub';
import { describe, expect, it } from 'vitest';
import { useHubs } from '../support/harness.js';
import { FakeClock } from '../support/hub.js';
import { approvalRequest, checkpointRequest, escalationRequest } from '../support/requests.js';
import { RestClient } from '../support/rest-client.js';

const MINUTE = 60_000;

describe('hub restart', () => {
  const hubs = useHubs();

  it('keeps pending requests, decisions, approver tokens and the agent token', async () => {
    const clock = new FakeClock();
    const first = await hubs.start({ clock });
    const tokenFile = join(first.dataDir, AGENT_TOKEN_FILE);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const tokenBefore = readFileSync(tokenFile, 'utf8');
    expect(tokenBefore.trim()).toBe(first.agentToken);

    const approverToken = await first.pairApprover('Dana');
    const agent = hubs.agentRest(first);
    const approver = new RestClient(first.url, approverToken);
    const pendingA = (await agent.post('/requests', approvalRequest)).body;
    const pendingB = (await agent.post('/requests', { ...escalationRequest, idempotencyKey: 'esc-1' })).body;
    const decidedReq = (await agent.post('/requests', checkpointRequest)).body;
    clock.advance(5_000);
    const decision = (await approver.post(`/requests/${decidedReq.id}/respond`, { action: 'continue', notes: 'looks fine' })).body;
    await first.stop();

    const second = await hubs.start({ clock, dataDir: first.dataDir });
    expect(second.agentToken).toBe(first.agentToken);
    expect(readFileSync(tokenFile, 'utf8')).toBe(tokenBefore);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);

    // The old approver token still works, on REST and on the socket.
    const approverAgain = new RestClient(second.url, approverToken);
    const pending = await approverAgain.get('/requests?status=pending');
    expect(pending.status).toBe(200);
    expect(pending.body.requests).toEqual([pendingB, pendingA]);
    const socket = await hubs.approverSocket(second, approverToken);
    expect(await socket.waitFor('snapshot')).toEqual({ requests: [pendingB, pendingA], more: false, total: 2 });

    // The decision made before the restart is still there, as it was.
    const agentAgain = hubs.agentRest(second);
    expect((await agentAgain.get(`/requests/${decidedReq.id}`)).body).toEqual({ ...decidedReq, status: 'resolved', decision });
    // Idempotency keys still find their request.
    const retry = await agentAgain.post('/requests', { ...escalationRequest, idempotencyKey: 'esc-1' });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(pendingB.id);
    // A pending request can be answered after the restart, and still only once.
    const answer = await approverAgain.post(`/requests/${pendingA.id}/respond`, { approved: true });
    expect(answer.body).toMatchObject({ status: 'resolved', respondedBy: 'Dana' });
    expect((await approverAgain.post(`/requests/${pendingA.id}/respond`, { approved: false })).status).toBe(409);
  });

  it('settles as expired on start the requests whose deadline passed while the hub was down', async () => {
    const clock = new FakeClock();
    const first = await hubs.start({ clock });
    const agent = hubs.agentRest(first);
    const short = (await agent.post('/requests', { ...approvalRequest, timeoutMs: MINUTE, onTimeout: 'reject' })).body;
    const long = (await agent.post('/requests', { ...approvalRequest, title: 'later', timeoutMs: 30 * MINUTE })).body;
    await first.stop();

    clock.advance(10 * MINUTE); // the hub is down: no timer of its fires
    const second = await hubs.start({ clock, dataDir: first.dataDir });
    const agentAgain = hubs.agentRest(second);
    const expired = (await agentAgain.get(`/requests/${short.id}`)).body;
    expect(expired).toMatchObject({
      status: 'expired',
      decision: {
        status: 'expired',
        via: 'timeout',
        respondedBy: 'timeout',
        response: { approved: false },
        respondedAt: short.createdAt + 10 * MINUTE,
        waitMs: 10 * MINUTE,
        reason: expect.stringContaining('Do not proceed'),
      },
    });
    expect((await agentAgain.get(`/requests/${long.id}`)).body.status).toBe('pending');

    // The restarted hub re-armed the remaining deadline.
    clock.advance(20 * MINUTE - 1);
    expect((await agentAgain.get(`/requests/${long.id}`)).body.status).toBe('pending');
    clock.advance(1);
    expect((await agentAgain.get(`/requests/${long.id}`)).body).toMatchObject({ status: 'expired', decision: { waitMs: 30 * MINUTE } });
  });

  it('delivers at once, on request:watch, the decisions made while the agent and the hub were away', async () => {
    const clock = new FakeClock();
    const first = await hubs.start({ clock });
    const approverToken = await first.pairApprover('Dana');
    const agentBefore = await hubs.agentSocket(first);
    const toAnswer = await agentBefore.call('request:create', approvalRequest);
    const toExpire = await agentBefore.call('request:create', { ...checkpointRequest, timeoutMs: MINUTE, onTimeout: 'reject' });
    const stillOpen = await agentBefore.call('request:create', escalationRequest);
    agentBefore.close();
    await first.stop();

    clock.advance(2 * MINUTE);
    const second = await hubs.start({ clock, dataDir: first.dataDir });
    const approver = await hubs.approverSocket(second, approverToken);
    const answered = await approver.call('request:respond', { id: toAnswer.id, response: { approved: true, reason: 'fine' } });

    const agentAfter = await hubs.agentSocket(second);
    const watch = await agentAfter.call('request:watch', { ids: [toAnswer.id, toExpire.id, stillOpen.id] });
    expect(watch).toEqual({ watching: [stillOpen.id], decided: [toAnswer.id, toExpire.id], unknown: [] });
    // Pushed before the ack, so already here.
    expect(agentAfter.received('request:decided')).toEqual([
      answered,
      expect.objectContaining({ requestId: toExpire.id, status: 'expired', response: { action: 'abort', notes: expect.stringContaining('Do not proceed') } }),
    ]);

    const later = await approver.call('request:respond', { id: stillOpen.id, response: { action: 'takeover', guidance: 'I will fix the sandbox' } });
    expect(await agentAfter.waitFor('request:decided', (d) => d.requestId === stillOpen.id)).toEqual(later);
  });

  it('treats requests as owned by the agent token: after the token is rotated they are no longer the agent’s own', async () => {
    const first = await hubs.start();
    const approverToken = await first.pairApprover();
    const { id } = (await hubs.agentRest(first).post('/requests', approvalRequest)).body;
    await first.stop();

    rmSync(join(first.dataDir, AGENT_TOKEN_FILE)); // the person rotates the agent token
    const second = await hubs.start({ dataDir: first.dataDir });
    expect(second.agentToken).not.toBe(first.agentToken);
    expect(statSync(join(first.dataDir, AGENT_TOKEN_FILE)).mode & 0o777).toBe(0o600);
    expect((await new RestClient(second.url, first.agentToken).get(`/requests/${id}`)).status).toBe(401);

    const agent = hubs.agentRest(second);
    expect((await agent.get(`/requests/${id}`)).status).toBe(404);
    expect((await agent.delete(`/requests/${id}`)).status).toBe(404);
    const socket = await hubs.agentSocket(second);
    expect(await socket.call('request:watch', { ids: [id] })).toEqual({ watching: [], decided: [], unknown: [id] });
    // The approver still sees and can answer it.
    const approver = new RestClient(second.url, approverToken);
    expect((await approver.post(`/requests/${id}/respond`, { approved: false, reason: 'stale' })).status).toBe(200);
  });

  it('voids unused pairing codes at a restart: a code is only good for the hub run that made it', async () => {
    // A program that held the port while the hub was down may have captured a code typed meanwhile.
    const clock = new FakeClock();
    const first = await hubs.start({ clock });
    const { code } = first.hub.createPairingCode();
    await first.stop();
    const second = await hubs.start({ clock, dataDir: first.dataDir });
    const refused = await new RestClient(second.url).post('/pair', { code, name: 'after restart' });
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/expired/);
    const fresh = second.hub.createPairingCode();
    const paired = await new RestClient(second.url).post('/pair', { code: fresh.code, name: 'after restart' });
    expect(paired.status).toBe(201);
    expect((await new RestClient(second.url, paired.body.token).get('/stats')).status).toBe(200);
  });
});
