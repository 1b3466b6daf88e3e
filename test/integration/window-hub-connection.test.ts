import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyCredential, NOT_SENT_OFFLINE, type PairedDevice } from '@signoff/shared/approver';
import { afterEach, describe, expect, it } from 'vitest';
import { HubConnection } from '../../desktop/src/window/hub-connection.js';
import { pairTab } from '../../desktop/src/window/pairing.js';
import { useHubs } from '../support/harness.js';
import { startTestHub } from '../support/hub.js';

/** How long a poll waits for what the hub pushes (generous: CI machines have 2 busy cores). */
const SOON = { timeout: 10_000 };

/** The window's hub connection, in Node against a real hub. */
describe('the window’s link to the hub', () => {
  const hubs = useHubs();
  const connections: HubConnection[] = [];
  afterEach(() => {
    for (const c of connections.splice(0)) c.close();
  });
  const open = (url: string, device: PairedDevice, surface: 'window' | 'tray' = 'window') => {
    const connection = new HubConnection({ url, credential: keyCredential(device), surface, ackTimeoutMs: 2000 });
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

    const link = open(t.url, await t.pairDevice('Browser window'));
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

  it('loads the whole queue beyond the snapshot’s first page, saying how many while it loads', async () => {
    const t = await hubs.start();
    // Five agents, so no one of them reaches the hub's per-agent burst limit.
    for (let i = 0; i < 180; i++) t.hub.lifecycle.create('agent-x', { kind: 'approval', title: `r${i}`, severity: 'low', agentId: `bot-${i % 5}` } as never);
    const totals: (number | null)[] = [];
    const link = open(t.url, await t.pairDevice());
    link.subscribe((s) => totals.push(s.pendingTotal));
    await expect.poll(() => link.state.queue.pending.length, SOON).toBe(180);
    expect(totals).toContain(180);
    expect(link.state.pendingTotal).toBeNull();
  });

  it('lists the grants and the policy, follows grants:changed and policy:changed, and revokes a grant', async () => {
    const t = await hubs.start();
    const agent = hubs.agentRest(t);
    const dana = await hubs.approverRest(t, 'Dana');
    const asked = (await agent.post('/requests', { kind: 'approval', title: 'Deploy staging', action: { name: 'deploy', args: { env: 'staging' } } })).body;
    const link = open(t.url, await t.pairDevice('Browser window'));
    await expect.poll(() => link.state.grants, SOON).toEqual([]);
    expect(link.state.policy).toMatchObject({ present: false, rules: 0, error: null, guardrails: { 'code-safety': true, pii: true } });

    await dana.post(`/requests/${asked.id}/respond`, { approved: true, remember: { for: '1h', scope: 'agent' } });
    await expect.poll(() => link.state.grants?.length, SOON).toBe(1);
    expect(link.state.grants![0]).toMatchObject({ createdBy: 'Dana', requestId: asked.id, match: { type: 'exact', action: 'deploy', args: { env: 'staging' } } });

    writeFileSync(join(t.dataDir, 'policy.yaml'), 'rules:\n  - name: x\n    when: { action: 12 }\n    then: maybe\n');
    await expect.poll(() => link.state.policy?.error ?? null, SOON).toContain('then');

    expect(await link.revokeGrant(link.state.grants![0]!.id)).toEqual({ ok: true });
    await expect.poll(() => link.state.grants, SOON).toEqual([]);
  });

  it('announces the tray surface when it is the tray’s window', async () => {
    const t = await hubs.start();
    const tray = open(t.url, await t.pairDevice('Tray window'), 'tray');
    await expect.poll(() => tray.state.surfaces, SOON).toMatchObject({ tray: 1, window: 0 });
  });

  it('is refused once its device is revoked, and calls something else on the address an impostor, in the shared words', async () => {
    const t = await hubs.start();
    const device = await t.pairDevice();
    const link = open(t.url, device);
    await expect.poll(() => link.state.connection, SOON).toBe('connected');
    // Revoked by the person's own script (a token approver), over REST.
    const script = await hubs.approverRest(t, 'script');
    expect((await script.delete(`/devices/${device.deviceId}`)).status).toBe(200);
    await expect.poll(() => link.state.connection, SOON).toBe('rejected');
    expect(link.state.detail).toMatch(/refused this device .*pair again/);

    const other = await hubs.start(); // a Signoff hub, but not the one this device pinned
    const fooled = open(other.url, await t.pairDevice());
    await expect.poll(() => fooled.state.connection, SOON).toBe('impostor');
    expect(fooled.state.detail).toBe(`Something else is answering on 127.0.0.1:${other.port} — not your Signoff hub. Nothing was sent to it.`);
    expect(other.hub.store.devices.list()).toEqual([]);
  });

  it('says "not sent" while the hub is down, and reconnects by itself when it is back', async () => {
    const first = await startTestHub();
    const agent = hubs.agentRest(first);
    const request = (await agent.post('/requests', { kind: 'approval', title: 'Across a restart' })).body;
    const link = open(first.url, await first.pairDevice());
    await expect.poll(() => link.state.queue.pending.length, SOON).toBe(1);

    await first.stop();
    await expect.poll(() => link.state.connection, SOON).toBe('offline');
    expect(await link.respond(request.id, { approved: true })).toEqual({ ok: false, message: NOT_SENT_OFFLINE });
    await expect(link.stats()).rejects.toThrow('not reachable');

    const again = await hubs.start({ dataDir: first.dataDir, port: first.port });
    await expect.poll(() => link.state.connection, { timeout: 10_000 }).toBe('connected');
    expect(await link.respond(request.id, { approved: true })).toEqual({ ok: true });
    expect(again.hub.store.requests.get(request.id)?.status).toBe('resolved');
  });

  it('reads runs over the socket, in the hub’s words when refused', async () => {
    const t = await hubs.start();
    const agent = hubs.agentRest(t);
    await agent.post('/requests', { kind: 'approval', title: 'Gate', runId: 'run-1', agentId: 'bot' });
    const link = open(t.url, await t.pairDevice());
    await expect.poll(() => link.state.connection, SOON).toBe('connected');
    expect(await link.runs()).toMatchObject([{ runId: 'run-1', status: 'waiting for human', pending: 1 }]);
    expect(await link.run('run-1')).toMatchObject({ runId: 'run-1', timeline: [{ title: 'Gate', status: 'pending' }] });
    await expect(link.run('no such run')).rejects.toThrow('no run no such run');
  });

  it('lists the devices, revokes another (its connection closes), and unpairs itself', async () => {
    const t = await hubs.start();
    // Paired as the page does: an ephemeral device whose key never leaves memory.
    const paired = await pairTab(t.url, t.hub.createPairingCode().code, 'Browser window');
    if (!paired.ok) throw new Error(paired.message);
    const window = open(t.url, paired.device);
    const phone = open(t.url, await t.pairDevice('phone'));
    await expect.poll(() => [window.state.connection, phone.state.connection], SOON).toEqual(['connected', 'connected']);

    const { devices, self } = await window.devices();
    expect(self).toBe(paired.device.deviceId);
    expect(devices.find((d) => d.id === self)).toMatchObject({ name: 'Browser window', credential: 'key', ephemeral: true });
    const phoneId = devices.find((d) => d.name === 'phone')!.id;

    expect(await window.revoke(phoneId)).toEqual({ revoked: true });
    await expect.poll(() => phone.state.connection, SOON).toBe('rejected');

    expect(await window.revokeSelf()).toEqual({ revoked: true });
    expect(t.hub.store.devices.list().map((d) => d.id)).not.toContain(self);
  });
});
