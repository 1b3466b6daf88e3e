import { join } from 'node:path';
import type { SignoffRequest } from '@signoff/shared';
import { keyCredential, type ApproverCredential } from '@signoff/shared/approver';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectSocket, startTestHub, type TestHub } from '../../../test/support/hub.js';
import { RestClient } from '../../../test/support/rest-client.js';
import { DB_FILE } from '../hub/hub.js';
import { SqliteStore } from '../hub/sqlite-store.js';
import { pendingRequest } from '../../../test/support/tray-requests.js';
import { ApproverLink, PendingList, type LinkState } from './approver-link.js';

/** Retries an assertion until it holds; the long guard only stops a hung test (a busy CI machine is slow, not wrong). */
const eventually = <T>(assertion: () => T | Promise<T>) => vi.waitFor(assertion, { timeout: 15_000, interval: 20 });

const hubs: TestHub[] = [];
const links: ApproverLink[] = [];
afterEach(async () => {
  for (const link of links.splice(0)) link.close();
  for (const hub of hubs.splice(0).reverse()) await hub.dispose();
});

async function hub(dataDir?: string): Promise<TestHub> {
  const started = await startTestHub(dataDir ? { dataDir } : {});
  hubs.push(started);
  return started;
}

/** A key device paired with the hub, as the tray's own. */
async function trayCredential(t: TestHub): Promise<ApproverCredential & { deviceId: string }> {
  const device = await t.pairDevice('Signoff tray');
  return { ...keyCredential(device), deviceId: device.deviceId };
}

function record(url: string, credential: ApproverCredential, renew?: () => Promise<ApproverCredential>) {
  const arrived: SignoffRequest[] = [];
  const left: string[] = [];
  let state: LinkState = { pending: [], presence: {}, connection: 'connecting' };
  const link = new ApproverLink(
    { url, credential, reconnectDelayMaxMs: 500, ...(renew ? { renew } : {}) },
    {
      changed: (next) => void (state = next),
      arrived: (request) => void arrived.push(request),
      left: (id) => void left.push(id),
    },
  );
  links.push(link);
  return { link, arrived, left, state: () => state };
}

const ask = (t: TestHub, title: string, severity = 'critical') =>
  new RestClient(t.url, t.agentToken).post('/requests', { kind: 'approval', title, severity, agentId: 'build-agent' }).then((r) => r.body as SignoffRequest);

describe('ApproverLink', () => {
  it('takes the snapshot on connect as arrivals and says the tray is present', async () => {
    const t = await hub();
    const waiting = await ask(t, 'Rotate keys');
    const { link, arrived, state } = record(t.url, await trayCredential(t));
    link.connect();
    await eventually(() => expect(state().connection).toBe('connected'));
    await eventually(() => expect(arrived.map((r) => r.id)).toEqual([waiting.id]));
    await eventually(() => expect(state().presence.tray).toBe(1));
    expect(state().pending.map((r) => r.id)).toEqual([waiting.id]);
  });

  it('follows new, decided and cancelled requests', async () => {
    const t = await hub();
    const { link, arrived, left, state } = record(t.url, await trayCredential(t));
    link.connect();
    await eventually(() => expect(state().connection).toBe('connected'));
    const first = await ask(t, 'First');
    const second = await ask(t, 'Second', 'low');
    await eventually(() => expect(arrived.map((r) => r.id)).toEqual([first.id, second.id]));

    const decided = await link.respond(first.id, { approved: false, reason: 'not today' });
    expect(decided).toMatchObject({ ok: true, decision: { requestId: first.id, status: 'resolved', respondedBy: 'Signoff tray', via: 'socket' } });
    await new RestClient(t.url, t.agentToken).delete(`/requests/${second.id}`);
    await eventually(() => expect(left).toEqual([first.id, second.id]));
    expect(state().pending).toEqual([]);
  });

  it('ignores notify-kind records: nothing waits on them', async () => {
    const t = await hub();
    const { link, arrived, state } = record(t.url, await trayCredential(t));
    link.connect();
    await eventually(() => expect(state().connection).toBe('connected'));
    await new RestClient(t.url, t.agentToken).post('/requests', { kind: 'notify', title: 'Backup done' });
    const after = await ask(t, 'After the notice');
    await eventually(() => expect(arrived.map((r) => r.id)).toEqual([after.id]));
  });

  it('answers a refusal from the hub through the result, not by throwing', async () => {
    const t = await hub();
    const { link, state } = record(t.url, await trayCredential(t));
    link.connect();
    await eventually(() => expect(state().connection).toBe('connected'));
    const result = await link.respond('no-such-id', { approved: true });
    expect(result).toMatchObject({ ok: false, reason: 'refused', error: { code: expect.stringMatching(/not_found|invalid_request/) as string } });
  });

  it('says "offline" while the hub is down and catches up through the snapshot when it is back', async () => {
    const t = await hub();
    const credential = await trayCredential(t);
    const before = await ask(t, 'Before the restart');
    const { link, arrived, left, state } = record(t.url, credential);
    link.connect();
    await eventually(() => expect(arrived.map((r) => r.id)).toEqual([before.id]));
    await t.stop();
    await eventually(() => expect(state().connection).toBe('offline'));

    // While the tray is away: one request is answered elsewhere, another one arrives.
    const again = await startTestHub({ dataDir: t.dataDir, port: t.port });
    hubs.push(again);
    const approver = new RestClient(again.url, await again.pairApprover('browser'));
    await approver.post(`/requests/${before.id}/respond`, { approved: true });
    const during = await ask(again, 'While the tray was away');

    await eventually(() => expect(state().connection).toBe('connected'));
    await eventually(() => expect(arrived.map((r) => r.id)).toEqual([before.id, during.id]));
    expect(left).toEqual([before.id]);
    expect(state().pending.map((r) => r.id)).toEqual([during.id]);
  });

  it('follows a queue larger than the snapshot’s first page, with requests coming and going while it is paged', async () => {
    const t = await hub();
    const created: SignoffRequest[] = [];
    for (let i = 0; i < 250; i++) created.push(t.hub.lifecycle.create('agent-x', { kind: 'approval', title: `r${i}`, severity: 'low', agentId: `agent-${i % 10}` } as never).request);
    const { link, state } = record(t.url, await trayCredential(t));
    link.connect();
    const late = await ask(t, 'Arrived while paging');
    await new RestClient(t.url, await t.pairApprover('browser')).post(`/requests/${created[0]!.id}/respond`, { approved: true });
    await eventually(() => expect(state().pending).toHaveLength(250));
    const ids = new Set(state().pending.map((r) => r.id));
    expect(ids.has(late.id)).toBe(true);
    expect(ids.has(created[0]!.id)).toBe(false);
  });

  it('says "rejected" when the hub refuses the device, and pairs again once when it never got in', async () => {
    const t = await hub();
    const revoked = await trayCredential(t);
    t.hub.store.devices.revoke(revoked.deviceId, Date.now());
    const fresh = await trayCredential(t);
    const renew = vi.fn(() => Promise.resolve<ApproverCredential>(fresh));
    const { link, state } = record(t.url, revoked, renew);
    link.connect();
    await eventually(() => expect(state().connection).toBe('connected'));
    expect(renew).toHaveBeenCalledTimes(1);

    // Revoked while running (by `signoff devices revoke`, another process on the file): the
    // person meant it. The tray stays refused, and pairs no more.
    const other = new SqliteStore(join(t.dataDir, DB_FILE));
    other.devices.revoke(fresh.deviceId, Date.now());
    other.close();
    await eventually(() => expect(state().connection).toBe('rejected'));
    expect(renew).toHaveBeenCalledTimes(1);
  });

  it('says "rejected" when there is nothing to renew with, or renewing fails', async () => {
    const t = await hub();
    const revoked = await trayCredential(t);
    t.hub.store.devices.revoke(revoked.deviceId, Date.now());
    const plain = record(t.url, revoked);
    plain.link.connect();
    await eventually(() => expect(plain.state().connection).toBe('rejected'));
    const failing = record(t.url, revoked, () => Promise.reject(new Error('no hub')));
    failing.link.connect();
    await eventually(() => expect(failing.state().connection).toBe('rejected'));
  });

  it('says "impostor" and proves nothing to a hub that is not the one it paired with', async () => {
    const real = await hub();
    const credential = await trayCredential(real);
    const impostor = await hub();
    const { link, state } = record(impostor.url, credential);
    link.connect();
    await eventually(() => expect(state().connection).toBe('impostor'));
    expect(impostor.hub.store.devices.list()).toEqual([]);
  });

  it('tells other approvers that a tray is connected, and when it leaves', async () => {
    const t = await hub();
    const browser = await connectSocket(t.url, '/approver', await t.pairApprover('browser'));
    const seen: Record<string, number>[] = [];
    browser.on('approvers:presence', ({ surfaces }: { surfaces: Record<string, number> }) => void seen.push(surfaces));
    const { link } = record(t.url, await trayCredential(t));
    link.connect();
    await eventually(() => expect(seen.at(-1)?.tray).toBe(1));
    link.close();
    await eventually(() => expect(seen.at(-1)?.tray).toBe(0));
    browser.close();
  });
});

describe('PendingList', () => {
  const at = (id: string, createdAt: number, extra: Partial<SignoffRequest> = {}) => pendingRequest({ id, createdAt, ...extra });
  const mirror = () => {
    const arrived: string[] = [];
    const left: string[] = [];
    const list = new PendingList({ arrived: (r) => void arrived.push(r.id), left: (id) => void left.push(id) });
    return { list, arrived, left, ids: () => list.list().map((r) => r.id).sort() };
  };

  it('announces a snapshot’s requests oldest first, and what a later snapshot no longer holds as gone', () => {
    const m = mirror();
    m.list.snapshot([at('b', 2), at('a', 1), at('n', 3, { kind: 'notify' })], true);
    expect(m.arrived).toEqual(['a', 'b']);
    m.list.snapshot([at('b', 2), at('c', 4)], true);
    expect(m.arrived).toEqual(['a', 'b', 'c']);
    expect(m.left).toEqual(['a']);
    expect(m.ids()).toEqual(['b', 'c']);
  });

  it('while a snapshot is paged, keeps what arrived live and drops what left live, whatever the pages say', () => {
    const m = mirror();
    m.list.snapshot([at('a', 1)], true);
    // A reconnect: first page, then live events, then the whole (by now stale) queue.
    m.list.snapshot([at('z', 9)], false);
    expect(m.ids()).toEqual(['a', 'z']);
    m.list.arrive(at('live', 10)); // newer than every page: no page holds it
    m.list.leave('y'); // decided after its page was fetched: the pages still hold it
    m.list.snapshot([at('z', 9), at('y', 8), at('a', 1)], true);
    expect(m.ids()).toEqual(['a', 'live', 'z']);
    expect(m.left).toEqual([]);
  });

  it('a dropped connection ends the paging: the next complete snapshot is the truth', () => {
    const m = mirror();
    m.list.snapshot([at('z', 9)], false);
    m.list.arrive(at('live', 10));
    m.list.stopPaging();
    m.list.snapshot([at('z', 9)], true);
    expect(m.ids()).toEqual(['z']);
    expect(m.left).toEqual(['live']);
  });

  it('says whether a live event changed the list', () => {
    const m = mirror();
    expect(m.list.arrive(at('a', 1))).toBe(true);
    expect(m.list.arrive(at('a', 1))).toBe(false);
    expect(m.list.arrive(at('n', 2, { kind: 'notify' }))).toBe(false);
    expect(m.list.leave('a')).toBe(true);
    expect(m.list.leave('a')).toBe(false);
  });
});
