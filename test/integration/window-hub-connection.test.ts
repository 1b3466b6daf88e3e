import { afterEach, describe, expect, it } from 'vitest';
import { createHubRest } from '../../desktop/src/window/hub-rest.js';
import { HubConnection } from '../../desktop/src/window/hub-connection.js';
import { NOT_SENT_OFFLINE } from '../../desktop/src/window/refusal-text.js';
import { useHubs } from '../support/harness.js';
import { startTestHub } from '../support/hub.js';

/** How long a poll waits for what the hub pushes (generous: CI machines have 2 busy cores). */
const SOON = { timeout: 10_000 };

/** The window's hub connection and REST client, in Node against a real hub. */
describe('the window’s link to the hub', () => {
  const hubs = useHubs();
  const connections: HubConnection[] = [];
  afterEach(() => {
    for (const c of connections.splice(0)) c.close();
  });
  const open = (url: string, token: string, surface: 'window' | 'tray' = 'window') => {
    const connection = new HubConnection({ url, token, surface, ackTimeoutMs: 2000 });
    connections.push(connection);
    connection.start();
    return connection;
  };

  it('follows the queue, loads recent history, and says who was first when a decision loses', async () => {
    const t = await hubs.start();
    const agent = hubs.agentRest(t);
    const dana = await hubs.approverRest(t, 'Dana');
    const decided = (await agent.post('/requests', { kind: 'approval', title: 'Already done' })).body;
    await dana.post(`/requests/${decided.id}/respond`, { approved: true });
    const waiting = (await agent.post('/requests', { kind: 'approval', title: 'Waiting' })).body;

    const link = open(t.url, await t.pairApprover('Browser window'));
    await expect.poll(() => link.state.connection, SOON).toBe('connected');
    await expect.poll(() => link.state.queue.pending.map((r) => r.title), SOON).toEqual(['Waiting']);
    await expect.poll(() => link.state.queue.settled.map((r) => r.title), SOON).toEqual(['Already done']);
    await expect.poll(() => link.state.surfaces, SOON).toMatchObject({ window: 1 });

    // Pushed as it happens.
    const late = (await agent.post('/requests', { kind: 'approval', title: 'Late' })).body;
    await expect.poll(() => link.state.queue.pending.map((r) => r.title).sort(), SOON).toEqual(['Late', 'Waiting']);

    expect(await link.respond(waiting.id, { approved: true })).toEqual({ ok: true });
    await expect.poll(() => link.state.queue.pending.map((r) => r.title), SOON).toEqual(['Late']);
    expect(link.state.queue.settled[0]).toMatchObject({ title: 'Waiting', decision: { respondedBy: 'Browser window', via: 'socket' } });

    await dana.post(`/requests/${late.id}/respond`, { approved: false, reason: 'no' });
    expect(await link.respond(late.id, { approved: true })).toEqual({ ok: false, message: 'Not sent: it was already decided by Dana (via rest).' });

    const stats = await link.stats();
    expect(stats).toMatchObject({ total: 3, approvals: { approved: 2, rejected: 1 } });
  });

  it('announces the tray surface when it is the tray’s window', async () => {
    const t = await hubs.start();
    const tray = open(t.url, await t.pairApprover('Tray window'), 'tray');
    await expect.poll(() => tray.state.surfaces, SOON).toMatchObject({ tray: 1, window: 0 });
  });

  it('reports a refused token as rejected', async () => {
    const t = await hubs.start();
    const link = open(t.url, 'not-a-token');
    await expect.poll(() => link.state.connection, SOON).toBe('rejected');
    // The agent token is not an approver's either.
    const agentAsApprover = open(t.url, t.agentToken);
    await expect.poll(() => agentAsApprover.state.connection, SOON).toBe('rejected');
  });

  it('says "not sent" while the hub is down, and reconnects by itself when it is back', async () => {
    const first = await startTestHub();
    const agent = hubs.agentRest(first);
    const request = (await agent.post('/requests', { kind: 'approval', title: 'Across a restart' })).body;
    const link = open(first.url, await first.pairApprover());
    await expect.poll(() => link.state.queue.pending.length, SOON).toBe(1);

    await first.stop();
    await expect.poll(() => link.state.connection, SOON).toBe('offline');
    expect(await link.respond(request.id, { approved: true })).toEqual({ ok: false, message: NOT_SENT_OFFLINE });
    await expect(link.stats()).rejects.toThrow('The hub is not reachable.');

    const again = await hubs.start({ dataDir: first.dataDir, port: first.port });
    await expect.poll(() => link.state.connection, { timeout: 10_000 }).toBe('connected');
    expect(await link.respond(request.id, { approved: true })).toEqual({ ok: true });
    expect(again.hub.store.getRequest(request.id)?.status).toBe('resolved');
  });

  it('reads runs over REST with its token, in the hub’s words when refused', async () => {
    const t = await hubs.start();
    const agent = hubs.agentRest(t);
    await agent.post('/requests', { kind: 'approval', title: 'Gate', runId: 'run-1', agentId: 'bot' });
    const rest = createHubRest(t.url, await t.pairApprover());
    expect(await rest.runs()).toMatchObject([{ runId: 'run-1', status: 'waiting for human', pending: 1 }]);
    expect(await rest.run('run-1')).toMatchObject({ runId: 'run-1', timeline: [{ title: 'Gate', status: 'pending' }] });
    await expect(rest.run('no such run')).rejects.toThrow('no run no such run');
    await expect(createHubRest(t.url, 'bad-token').runs()).rejects.toThrow('pair again');
    await expect(createHubRest('http://127.0.0.1:9', 'x').runs()).rejects.toThrow('The hub is not reachable.');
  });
});
