import type { SignoffRequest } from '@signoff/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectSocket, startTestHub, type TestHub } from '../../../test/support/hub.js';
import { RestClient } from '../../../test/support/rest-client.js';
import { ApproverLink, type LinkState } from './approver-link.js';

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

function record(url: string, token: string) {
  const arrived: SignoffRequest[] = [];
  const left: string[] = [];
  let state: LinkState = { pending: [], presence: {}, connection: 'connecting' };
  const link = new ApproverLink(url, token, {
    changed: (next) => void (state = next),
    arrived: (request) => void arrived.push(request),
    left: (id) => void left.push(id),
  });
  links.push(link);
  return { link, arrived, left, state: () => state };
}

const ask = (t: TestHub, title: string, severity = 'critical') =>
  new RestClient(t.url, t.agentToken).post('/requests', { kind: 'approval', title, severity, agentId: 'build-agent' }).then((r) => r.body as SignoffRequest);

describe('ApproverLink', () => {
  it('takes the snapshot on connect as arrivals and says the tray is present', async () => {
    const t = await hub();
    const waiting = await ask(t, 'Rotate keys');
    const { link, arrived, state } = record(t.url, await t.pairApprover());
    link.connect();
    await eventually(() => expect(state().connection).toBe('connected'));
    await eventually(() => expect(arrived.map((r) => r.id)).toEqual([waiting.id]));
    await eventually(() => expect(state().presence.tray).toBe(1));
    expect(state().pending.map((r) => r.id)).toEqual([waiting.id]);
  });

  it('follows new, decided and cancelled requests', async () => {
    const t = await hub();
    const { link, arrived, left, state } = record(t.url, await t.pairApprover());
    link.connect();
    await eventually(() => expect(state().connection).toBe('connected'));
    const first = await ask(t, 'First');
    const second = await ask(t, 'Second', 'low');
    await eventually(() => expect(arrived.map((r) => r.id)).toEqual([first.id, second.id]));

    const decided = await link.respond(first.id, { approved: false, reason: 'not today' });
    expect(decided).toMatchObject({ ok: true, data: { requestId: first.id, status: 'resolved' } });
    await new RestClient(t.url, t.agentToken).delete(`/requests/${second.id}`);
    await eventually(() => expect(left).toEqual([first.id, second.id]));
    expect(state().pending).toEqual([]);
  });

  it('ignores notify-kind records: nothing waits on them', async () => {
    const t = await hub();
    const { link, arrived, state } = record(t.url, await t.pairApprover());
    link.connect();
    await eventually(() => expect(state().connection).toBe('connected'));
    await new RestClient(t.url, t.agentToken).post('/requests', { kind: 'notify', title: 'Backup done' });
    const after = await ask(t, 'After the notice');
    await eventually(() => expect(arrived.map((r) => r.id)).toEqual([after.id]));
  });

  it('answers a refusal from the hub through the result, not by throwing', async () => {
    const t = await hub();
    const { link, state } = record(t.url, await t.pairApprover());
    link.connect();
    await eventually(() => expect(state().connection).toBe('connected'));
    const result = await link.respond('no-such-id', { approved: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('says "offline" while the hub is down and catches up through the snapshot when it is back', async () => {
    const t = await hub();
    const token = await t.pairApprover();
    const before = await ask(t, 'Before the restart');
    const { link, arrived, left, state } = record(t.url, token);
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

  it('says "rejected" when the hub refuses the token', async () => {
    const t = await hub();
    const { link, state } = record(t.url, 'not-a-token');
    link.connect();
    await eventually(() => expect(state().connection).toBe('rejected'));
  });

  it('tells other approvers that a tray is connected, and when it leaves', async () => {
    const t = await hub();
    const browser = await connectSocket(t.url, '/approver', await t.pairApprover('browser'));
    const seen: Record<string, number>[] = [];
    browser.on('approvers:presence', ({ surfaces }: { surfaces: Record<string, number> }) => void seen.push(surfaces));
    const { link } = record(t.url, await t.pairApprover());
    link.connect();
    await eventually(() => expect(seen.at(-1)?.tray).toBe(1));
    link.close();
    await eventually(() => expect(seen.at(-1)?.tray).toBe(0));
    browser.close();
  });
});
