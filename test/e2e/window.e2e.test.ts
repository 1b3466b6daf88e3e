import type { HubChallenge } from '@signoff/shared';
import { connect, type SignoffClient } from '@signoff/shared/agent';
import { keyCredential, type ChallengeContext } from '@signoff/shared/approver';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { FakeClock, startTestHub, type TestHub } from '../support/hub.js';
import { launchWindowBrowser, NARROW, WIDE, WindowPage } from './support/window-page.js';

/** How long a poll waits for what the hub pushes (generous: CI machines have 2 busy cores). */
const SOON = { timeout: 10_000 };

let browser: Browser;
beforeAll(async () => {
  browser = await launchWindowBrowser();
});
afterAll(async () => browser?.close());

/** A hub, a fresh browser profile (context) and an SDK agent for one test; all closed after it. */
function useWindowSession() {
  const opened: { hub: TestHub; context: BrowserContext; agents: SignoffClient[] }[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) {
      for (const agent of s.agents) agent.close();
      await s.context.close();
      await s.hub.dispose();
    }
  });
  return async (options: { clock?: FakeClock; viewport?: { width: number; height: number } } = {}) => {
    const hub = await startTestHub(options.clock ? { clock: options.clock } : {});
    const context = await browser.newContext({ viewport: options.viewport ?? WIDE });
    const session = { hub, context, agents: [] as SignoffClient[] };
    opened.push(session);
    return {
      hub,
      context,
      /** An SDK agent connected to this hub. */
      agent: async (agentId = 'e2e-agent', runId?: string) => {
        const agent = await connect({ agentId, url: hub.url, token: hub.agentToken, ...(runId ? { runId } : {}) });
        session.agents.push(agent);
        return agent;
      },
      /** The hub's page, paired through its form. */
      pairedWindow: async (query = '') => {
        const ui = await WindowPage.open(context, hub.url, query);
        await ui.pairAndWait(hub.hub.createPairingCode().code);
        return ui;
      },
    };
  };
}

describe('the approval window in Chromium, served by a real hub', () => {
  const session = useWindowSession();

  it('pairs with a code, approves a request from an SDK agent, and keeps no credential past the tab: a reload asks for a code again', async () => {
    const s = await session();
    const ui = await WindowPage.open(s.context, s.hub.url);
    expect(await ui.text()).toContain('reloading the page or opening it in another tab asks for a new code');
    await ui.pair('ZZZZ-ZZZZ');
    await ui.expectText(ui.alert(), /Not paired: that pairing code is not valid/);

    await ui.pairAndWait(s.hub.hub.createPairingCode().code);
    const agent = await s.agent();
    const decision = agent.requestApproval({ title: 'Restart the staging database', severity: 'high' });
    await ui.expectRow('Restart the staging database');
    await ui.open('Restart the staging database');
    await ui.button('Approve').click();
    await expect(decision).resolves.toMatchObject({ status: 'resolved', respondedBy: 'Browser window', via: 'socket', response: { approved: true } });
    await ui.expectNoRow('Restart the staging database');

    // The hub's origin holds nothing at all: no token, no key, no database.
    expect(await ui.storedByOrigin()).toEqual({ localStorage: {}, sessionStorage: {}, indexedDB: [], cookies: '' });
    // The hub lists this tab as an ephemeral key device.
    const script = await s.hub.pairApprover('script');
    const listed = (await (await fetch(`${s.hub.url}/api/v1/devices`, { headers: { authorization: `Bearer ${script}` } })).json()) as { devices: { name: string; credential: string; ephemeral: boolean }[] };
    expect(listed.devices).toContainEqual(expect.objectContaining({ name: 'Browser window', credential: 'key', ephemeral: true }));

    // A reload forgets the key with the page: the code form again.
    await ui.page.reload();
    await ui.codeField().waitFor();
    expect(await ui.queue().count()).toBe(0);
    expect(await ui.storedByOrigin()).toEqual({ localStorage: {}, sessionStorage: {}, indexedDB: [], cookies: '' });
    // A new code, and the decision is in the history.
    await ui.pairAndWait(s.hub.hub.createPairingCode().code);
    await ui.queue().getByRole('tab', { name: /History/ }).click();
    await ui.expectRow('Restart the staging database');
    expect(await ui.text()).toContain('by Browser window via socket');
    expect(await ui.allProblems()).toEqual([]);
  });

  it('renders the popup’s views: an edit saved with “Save edits”, a question answered with “Send”, a rejection with its reason', async () => {
    const s = await session();
    const ui = await s.pairedWindow();
    const agent = await s.agent();

    const edit = agent.requestEdit({ title: 'Review the reply to Dana', draft: { format: 'markdown', content: 'Hi Dana,\n\nSorry about the damaged order.\n' } });
    await ui.open('Review the reply to Dana');
    await ui.field(/^Draft/).fill('Hi Dana,\n\nSorry about the damaged order. A full refund is on its way.\n');
    await ui.queue().getByText('A full refund is on its way.', { exact: false }).first().waitFor();
    await ui.button('Save edits').click();
    await expect(edit).resolves.toMatchObject({ response: { action: 'edit', content: 'Hi Dana,\n\nSorry about the damaged order. A full refund is on its way.\n' } });

    const question = agent.requestClarification({
      title: 'Which format for the Q3 report?',
      options: [
        { id: 'pdf', label: 'PDF' },
        { id: 'xlsx', label: 'Spreadsheet' },
      ],
      allowFreeform: false,
    });
    await ui.open('Which format for the Q3 report?');
    await ui.queue().getByRole('radio', { name: 'Spreadsheet' }).check();
    await ui.button('Send').click();
    await expect(question).resolves.toMatchObject({ response: { optionId: 'xlsx' } });

    const risky = agent.requestApproval({ title: 'Force-push to main', severity: 'critical' });
    await ui.open('Force-push to main');
    await ui.field('Reason').fill('Open a pull request instead');
    await ui.button('Reject').click();
    await expect(risky).resolves.toMatchObject({ response: { approved: false, reason: 'Open a pull request instead' } });
    expect(await ui.allProblems()).toEqual([]);
  });

  it('shows what agents send as text, never as markup', async () => {
    const s = await session();
    const ui = await s.pairedWindow();
    const agent = await s.agent('hostile-agent');
    const title = '<img src=x onerror="window.__pwned=1"> **bold** <script>window.__pwned=2</script>';
    const decision = agent.requestApproval({ title, body: '<b>not bold</b> [link](javascript:alert(1))', context: { note: '<svg onload="window.__pwned=3">' } });
    await ui.expectRow(title);
    await ui.open(title);
    await ui.button('Approve').click();
    await expect(decision).resolves.toMatchObject({ response: { approved: true } });
    await ui.showSection('History');
    await expect.poll(() => ui.historyTitles(), SOON).toContain(title);
    expect(await ui.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await ui.page.locator('img, script:not([src]), svg[onload]').count()).toBe(0);
    expect(await ui.allProblems()).toEqual([]);
  });

  it('unpairs: revokes its device at the hub and asks for a code again', async () => {
    const s = await session();
    const ui = await s.pairedWindow();
    await ui.openSettings();
    expect(await ui.text()).toContain(s.hub.url);
    await ui.device(/\(this window\)/).waitFor({ timeout: 10_000 });
    const script = await s.hub.pairApprover('script');
    const listed = async () =>
      ((await (await fetch(`${s.hub.url}/api/v1/devices`, { headers: { authorization: `Bearer ${script}` } })).json()) as { devices: { name: string }[] }).devices.map((d) => d.name);
    expect(await listed()).toContain('Browser window');
    await ui.page.getByRole('button', { name: 'Unpair', exact: true }).click();
    await ui.codeField().waitFor();
    expect(await ui.text()).toContain('Unpaired');
    expect(await listed()).not.toContain('Browser window');
    await ui.page.reload();
    await ui.codeField().waitFor();
  });

  it('lists the devices with the hub key, and revoking another device closes its connection', async () => {
    const s = await session();
    const ui = await s.pairedWindow();
    // Another approver: a second window, in its own browser profile.
    const otherContext = await browser.newContext({ viewport: WIDE });
    try {
      const other = await WindowPage.open(otherContext, s.hub.url);
      await other.pairAndWait(s.hub.hub.createPairingCode().code);
      await ui.openSettings();
      const fingerprint = s.hub.hub.identity.fingerprint;
      await ui.expectText(ui.page.getByRole('region', { name: 'Settings' }), `Hub key${fingerprint}`);
      await expect.poll(() => ui.devices().getByRole('listitem').count(), SOON).toBe(2);
      expect(await ui.device(/\(this window\)/).count()).toBe(1);
      const others = ui.devices().getByRole('listitem').filter({ hasNotText: '(this window)' });
      await others.getByRole('button', { name: 'Revoke' }).click();
      await ui.expectText(ui.page.getByRole('region', { name: 'Settings' }).getByRole('status'), /Revoked “Browser window”: its connections are closed/);
      await expect.poll(() => ui.devices().getByRole('listitem').count(), SOON).toBe(1);
      // The other window is cut off at once, and says why.
      await other.codeField().waitFor({ timeout: 10_000 });
      expect(await other.text()).toMatch(/The hub refused this device \(revoked, or paired with another hub\)/);
      // This one goes on.
      const agent = await s.agent();
      const decision = agent.requestApproval({ title: 'Still here?' });
      await ui.open('Still here?');
      await ui.button('Approve').click();
      await expect(decision).resolves.toMatchObject({ response: { approved: true } });
    } finally {
      await otherContext.close();
    }
  });
});

describe('the dashboard', () => {
  const session = useWindowSession();

  it('shows the stats, history and runs of the requests this test made', async () => {
    // A clock the test moves, so waits and expiries are exact; it starts at the real time so ages read sensibly.
    const clock = new FakeClock(Date.now());
    const s = await session({ clock });
    const ui = await s.pairedWindow();
    const deployBot = await s.agent('deploy-bot', 'run-e2e-deploy');
    const keyBot = await s.agent('key-bot');

    // A run waiting for a human.
    const gate = deployBot.requestApproval({ title: 'Migrate the prod database' });
    await ui.expectRow('Migrate the prod database');
    await ui.showSection('Runs');
    await ui.expectText(ui.runRow('run-e2e-deploy'), 'Waiting for human');
    await ui.expectText(ui.timeline(), /Migrate the prod database.*waiting/);

    // Decided after 20 s (queue and dashboard side by side): the run goes on.
    clock.advance(20_000);
    await ui.open('Migrate the prod database');
    await ui.button('Approve').click();
    await expect(gate).resolves.toMatchObject({ response: { approved: true }, waitMs: 20_000 });
    await ui.expectText(ui.runRow('run-e2e-deploy'), 'Running');
    await ui.expectText(ui.timeline(), /Migrate the prod database.*by Browser window.*waited 20s/);

    // A second step of the run, rejected after 2 minutes.
    const drop = deployBot.requestApproval({ title: 'Drop the old table' });
    await ui.expectRow('Drop the old table');
    clock.advance(120_000);
    await ui.open('Drop the old table');
    await ui.field('Reason').fill('Keep it a week');
    await ui.button('Reject').click();
    await expect(drop).resolves.toMatchObject({ response: { approved: false } });
    await expect.poll(async () => ui.timeline().locator('li').count(), SOON).toBe(2);

    // One nobody answered: it expires at its deadline.
    const rotate = keyBot.requestApproval({ title: 'Rotate the API keys', timeoutMs: 10_000 });
    await ui.expectRow('Rotate the API keys');
    clock.advance(10_000);
    await expect(rotate).resolves.toMatchObject({ status: 'expired' });
    await ui.expectNoRow('Rotate the API keys');

    await ui.showSection('Stats');
    await ui.expectStat('Requests', '3');
    await ui.expectStat('Waiting now', '0');
    await ui.expectStat('Approval rate', '50%');
    await ui.expectText(ui.statCard('Approval rate'), '1 of 2 approvals');
    await ui.expectStat('Expired', '1');
    await ui.expectText(ui.chart('Expiries by agent'), /key-bot\s*1/);
    expect(await ui.chart('Approval rate').getByRole('img').getAttribute('aria-label')).toBe('1 approved, 1 rejected');
    expect(await ui.chart('Response times').getByRole('img').getAttribute('aria-label')).toBe('Response times of 2 answers: 1 ≤30s, 1 ≤5m');

    // History: search by title or agent, filter by status.
    await ui.showSection('History');
    await expect.poll(() => ui.historyTitles(), SOON).toEqual(['Rotate the API keys', 'Drop the old table', 'Migrate the prod database']);
    await ui.historyFilter('Search').fill('drop');
    await expect.poll(() => ui.historyTitles(), SOON).toEqual(['Drop the old table']);
    await ui.historyFilter('Search').fill('KEY-bot');
    await expect.poll(() => ui.historyTitles(), SOON).toEqual(['Rotate the API keys']);
    await ui.historyFilter('Search').fill('');
    await ui.historyFilter('Status').selectOption({ label: 'Expired' });
    await expect.poll(() => ui.historyTitles(), SOON).toEqual(['Rotate the API keys']);
    await ui.dashboard().getByRole('button', { name: 'Clear filters' }).click();
    await ui.historyFilter('Agent').selectOption('deploy-bot');
    await expect.poll(() => ui.historyTitles(), SOON).toEqual(['Drop the old table', 'Migrate the prod database']);
    // A row opens the request read-only, with its decision.
    await ui.dashboard().getByRole('button', { name: /Drop the old table/ }).click();
    await ui.expectText(ui.dashboard(), /Rejected[\s\S]*Keep it a week/);
    expect(await ui.allProblems()).toEqual([]);
  });
});

describe('a narrow window (420 px)', () => {
  const session = useWindowSession();

  it('shows one section at a time without sideways scrolling, and keys in the dashboard never act on the queue', async () => {
    const s = await session({ viewport: NARROW });
    const ui = await s.pairedWindow();
    const agent = await s.agent();
    const request = await agent.submit({ kind: 'approval', title: 'Deploy on a Friday' });
    await ui.open('Deploy on a Friday');

    for (const name of ['Stats', 'History', 'Runs', 'Queue'] as const) {
      await ui.showSection(name);
      expect(await ui.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(NARROW.width);
    }
    await ui.showSection('Stats');
    expect(await ui.queue().isVisible()).toBe(false);
    await ui.expectStat('Waiting now', '1');
    // `a` approves an open approval, but not while the person is looking at something else.
    await ui.page.keyboard.press('a');
    await ui.page.locator('body').click({ position: { x: 5, y: 400 } });
    await ui.page.keyboard.press('a');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(s.hub.hub.store.requests.get(request.id)?.status).toBe('pending');

    await ui.showSection('Queue');
    await ui.button('Approve').click();
    await expect.poll(() => s.hub.hub.store.requests.get(request.id)?.status, SOON).toBe('resolved');
    expect(await ui.allProblems()).toEqual([]);
  });
});

describe('offline', () => {
  const session = useWindowSession();

  it('says the hub is unreachable and that a decision was not sent, then works again when the hub is back', async () => {
    const s = await session();
    const ui = await s.pairedWindow();
    const agent = await s.agent();
    const decision = agent.requestApproval({ title: 'Publish the release notes' });
    await ui.open('Publish the release notes');

    const { dataDir, port } = s.hub;
    await s.hub.stop();
    await ui.expectText(ui.queue().getByRole('status').first(), 'Hub unreachable — retrying');
    expect(await ui.text()).not.toContain('queued');
    await ui.button('Approve').click();
    await ui.expectText(ui.queue().getByRole('alert'), /^Not sent: the hub is not reachable/);

    // The same hub (data dir and port) comes back: the window reconnects and the answer goes through.
    const again = await startTestHub({ dataDir, port });
    s.hub.dispose = async () => {
      await again.dispose();
    };
    await expect.poll(async () => ui.text(), { timeout: 15_000 }).not.toContain('Hub unreachable');
    await ui.button('Approve').click();
    await expect(decision).resolves.toMatchObject({ status: 'resolved', respondedBy: 'Browser window' });
  });
});

describe('inside the tray app', () => {
  const session = useWindowSession();

  it('proves itself through the bridge, says it is the tray, and opens the requests the tray names', async () => {
    const s = await session();
    // The tray's device: its key stays in the tray (here: this Node process), the page only relays challenges.
    const trayDevice = await s.hub.pairDevice('Tray window');
    const tray = keyCredential(trayDevice);
    const relayed: unknown[] = [];
    await s.context.exposeBinding('__trayAnswerChallenge', (_source, challenge: HubChallenge, context: ChallengeContext) => {
      relayed.push(challenge);
      return tray.answer(challenge, context);
    });
    await s.context.addInitScript(() => {
      const listeners: ((id: string) => void)[] = [];
      const answer = (window as unknown as { __trayAnswerChallenge(c: unknown, x: unknown): Promise<unknown> }).__trayAnswerChallenge;
      Object.assign(window, {
        signoffDesktop: {
          answerChallenge: (challenge: unknown, context: unknown) => answer(challenge, context),
          onOpenRequest(callback: (id: string) => void) {
            listeners.push(callback);
            return () => listeners.splice(listeners.indexOf(callback), 1);
          },
        },
        __trayOpens: (id: string) => listeners.forEach((l) => l(id)),
      });
    });
    const agent = await s.agent();
    const first = await agent.submit({ kind: 'approval', title: 'Renew the TLS certificate' });
    const second = await agent.submit({ kind: 'approval', title: 'Archive last year’s logs' });

    const ui = await WindowPage.open(s.context, s.hub.url, `?surface=tray&request=${first.id}`);
    // Straight to the request the tray opened the window for: no pairing form.
    await ui.queue().getByRole('heading', { level: 2, name: 'Renew the TLS certificate' }).waitFor();
    expect(await ui.codeField().count()).toBe(0);
    const observer = io(`${s.hub.url}/approver`, { auth: { token: await s.hub.pairApprover('observer') }, transports: ['websocket'], forceNew: true });
    const presence = await new Promise<Record<string, number>>((resolve) => observer.once('approvers:presence', ({ surfaces }: { surfaces: Record<string, number> }) => resolve(surfaces)));
    observer.close();
    expect(presence).toMatchObject({ tray: 1, window: 0 });

    const decided = agent.waitFor(first.id);
    await ui.button('Approve').click();
    await expect(decided).resolves.toMatchObject({ respondedBy: 'Tray window', via: 'socket' });

    // A click on a notification for the other request.
    await ui.page.evaluate((id) => (window as unknown as { __trayOpens(id: string): void }).__trayOpens(id), second.id);
    await ui.queue().getByRole('heading', { level: 2, name: 'Archive last year’s logs' }).waitFor();

    await ui.openSettings();
    expect(await ui.page.getByRole('button', { name: 'Unpair' }).count()).toBe(0);
    expect(await ui.page.getByRole('button', { name: 'Reconnect' }).count()).toBe(1);
    await ui.device(/Tray window \(this window\)/).waitFor({ timeout: 10_000 });
    expect(relayed.length).toBeGreaterThan(0);
    // Nothing of the tray's is kept by the page.
    expect(await ui.storedByOrigin()).toEqual({ localStorage: {}, sessionStorage: {}, indexedDB: [], cookies: '' });
    expect(await ui.allProblems()).toEqual([]);
  });
});
