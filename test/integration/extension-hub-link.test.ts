import 'fake-indexeddb/auto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SignoffRequest } from '@signoff/shared';
import type { PairedDevice } from '@signoff/shared/approver';
import { afterEach, describe, expect, it } from 'vitest';
import { openSignoffDB, SignoffStore, type DeviceRecord } from '../../extension/lib/db.js';
import { HubLink } from '../../extension/lib/hub-link.js';
import { useHubs } from '../support/harness.js';
import { startTestHub } from '../support/hub.js';

/** How long a poll waits for what the hub pushes (generous: CI machines have 2 busy cores). */
const SOON = { timeout: 15_000 };

let dbCount = 0;

/** The extension worker's hub link, in Node against a real hub, over fake IndexedDB. */
describe('the extension’s link to the hub', () => {
  const hubs = useHubs();
  const links: HubLink[] = [];
  afterEach(() => {
    for (const link of links.splice(0)) link.close();
  });

  const record = (device: PairedDevice, hubUrl = device.hubUrl): DeviceRecord => ({ ...device, hubUrl, slot: 'current', name: 'Browser extension (Chrome)', pairedAt: 1 });

  async function open(device: DeviceRecord | null) {
    const store = new SignoffStore(await openSignoffDB(undefined, `hub-link-${++dbCount}`));
    const seen = { arrived: [] as SignoffRequest[], left: [] as SignoffRequest[] };
    const link = new HubLink(store, { changed: () => {}, arrived: (r) => seen.arrived.push(r), left: (r) => seen.left.push(r) }, device?.hubUrl ?? 'http://127.0.0.1:7475');
    links.push(link);
    link.connect(device);
    return { link, store, seen };
  }

  it('mirrors the complete pending queue, beyond the snapshot’s first page, and decides', async () => {
    const t = await hubs.start();
    // Five agents, so no one of them reaches the hub's per-agent burst limit.
    for (let i = 0; i < 230; i++) t.hub.lifecycle.create('agent-x', { kind: 'approval', title: `r${i}`, severity: 'low', agentId: `bot-${i % 5}` } as never);
    const { link, store } = await open(record(await t.pairDevice('Browser extension (Chrome)')));
    await expect.poll(() => link.connection.state, SOON).toBe('connected');
    await expect.poll(async () => (await store.pendingPage(1)).total, SOON).toBe(230);
    expect(link.connection.device?.hubFingerprint).toMatch(/^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);

    const [first] = await store.allPending();
    expect(await link.submit(first!.id, { approved: true })).toEqual({ ok: true, queued: false });
    expect(t.hub.store.requests.get(first!.id)?.decision).toMatchObject({ respondedBy: 'Browser extension (Chrome)', via: 'socket' });
    await expect.poll(async () => (await store.pendingPage(1)).total, SOON).toBe(229);
  });

  it('announces a request once: the repeat that brings a reviewer’s verdict only updates the stored request', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signoff-hub-link-review-'));
    const ask = `process.stdout.write(JSON.stringify({decision:'ask',reason:'not sure'}))`;
    const policy = { reviewers: { unsure: { command: [process.execPath, '-e', ask] } }, rules: [{ name: 'deploys', when: { action: 'deploy' }, then: 'review', reviewer: 'unsure' }] };
    writeFileSync(join(dataDir, 'policy.yaml'), JSON.stringify(policy));
    // One review at a time for an agent: the second request's "not reviewed" verdict follows its first push at once.
    const t = await hubs.start({ dataDir, limits: { reviewsRunningPerAgentId: 1 } });
    const { link, store, seen } = await open(record(await t.pairDevice('Browser extension (Chrome)')));
    await expect.poll(() => link.connection.state, SOON).toBe('connected');
    const deploy = (title: string) => t.hub.lifecycle.create('agent-x', { kind: 'approval', title, severity: 'critical', agentId: 'ops', action: { name: 'deploy', args: {} } } as never).request;
    const reviewed = deploy('Deploy, reviewed');
    const busy = deploy('Deploy, not reviewed');
    await expect.poll(async () => (await store.getPending(reviewed.id))?.review?.reasoning, SOON).toBe('not sure');
    await expect.poll(async () => (await store.getPending(busy.id))?.review?.reasoning, SOON).toMatch(/^Not reviewed: too many reviews running/);
    expect(seen.arrived.map((r) => r.title)).toEqual(['Deploy, reviewed', 'Deploy, not reviewed']);
  });

  it('queues a decision while the hub is down and sends it once the hub is back', async () => {
    const first = await startTestHub();
    const request = first.hub.lifecycle.create('agent-x', { kind: 'approval', title: 'Across a restart', severity: 'medium' } as never).request;
    const { link, store } = await open(record(await first.pairDevice()));
    await expect.poll(async () => (await store.allPending()).map((r) => r.title), SOON).toEqual(['Across a restart']);
    await first.stop();
    await expect.poll(() => link.connection.state, SOON).toBe('offline');
    expect(link.connection.detail).toMatch(/queued and sent when it is back/);
    expect(await link.submit(request.id, { approved: true })).toEqual({ ok: true, queued: true });

    const again = await hubs.start({ dataDir: first.dataDir, port: first.port });
    await expect.poll(() => again.hub.store.requests.get(request.id)?.status, SOON).toBe('resolved');
    await expect.poll(() => store.outbox(), SOON).toEqual([]);
  });

  it('sends nothing to another program on the hub’s address, keeps the decision, and says so', async () => {
    const real = await hubs.start();
    const request = real.hub.lifecycle.create('agent-x', { kind: 'approval', title: 'Wipe production', severity: 'critical' } as never).request;
    const device = await real.pairDevice();
    const impostor = await hubs.start(); // a Signoff hub, but with another key
    const { link, store } = await open(record(device, impostor.url));
    await store.putPending(request);
    await expect.poll(() => link.connection.state, SOON).toBe('impostor');
    expect(link.connection.detail).toMatch(new RegExp(`^Something else is answering on 127\\.0\\.0\\.1:${impostor.port} — not your Signoff hub`));
    expect(await link.submit(request.id, { approved: true })).toEqual({ ok: true, queued: true });
    expect((await store.outbox()).map((q) => q.requestId)).toEqual([request.id]);
    expect(impostor.hub.store.devices.list()).toEqual([]);
    expect(real.hub.store.requests.get(request.id)?.status).toBe('pending');
  });

  it('unpairing revokes the device at the hub, or says the hub could not be asked', async () => {
    const t = await hubs.start();
    const { link } = await open(record(await t.pairDevice('to revoke')));
    await expect.poll(() => link.connection.state, SOON).toBe('connected');
    expect(await link.revokeAtHub()).toBe('revoked');
    expect(t.hub.store.devices.list().map((d) => d.name)).not.toContain('to revoke');

    const down = await startTestHub();
    const { link: orphan } = await open(record(await down.pairDevice('left behind')));
    await expect.poll(() => orphan.connection.state, SOON).toBe('connected');
    await down.dispose();
    await expect.poll(() => orphan.connection.state, SOON).toBe('offline');
    expect(await orphan.revokeAtHub()).toBe('unreachable');
  });

  it('asks to pair when it has no device', async () => {
    const { link } = await open(null);
    expect(link.connection).toMatchObject({ state: 'unpaired', device: null, detail: expect.stringContaining('npx signoff pair') });
    expect(await link.submit('x', { approved: true })).toEqual({ ok: false, message: link.connection.detail });
  });
});
