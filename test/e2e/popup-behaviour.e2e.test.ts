import type { Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub } from '../support/hub.js';
import { RecordedSocket } from '../support/socket-client.js';
import { PopupPage } from './support/popup-page.js';
import { startSession, type E2eSession } from './support/session.js';

const notificationIds = (worker: Worker) =>
  worker.evaluate(async () => Object.keys(await (globalThis as unknown as { chrome: { notifications: { getAll(): Promise<object> } } }).chrome.notifications.getAll()));

describe('popup behaviour', () => {
  let s: E2eSession;
  beforeAll(async () => {
    s = await startSession();
  });
  afterAll(async () => s?.close());

  it('works from the keyboard: Enter opens the first request, a approves', async () => {
    const popup = await PopupPage.open(s.browser);
    const request = await s.agent.submit({ kind: 'approval', title: 'Keyboard: scale the workers to 8', severity: 'critical' });
    await popup.expectRow('Keyboard: scale the workers to 8');
    await popup.page.keyboard.press('Enter');
    await popup.page.getByRole('heading', { level: 2, name: 'Keyboard: scale the workers to 8' }).waitFor();
    await popup.page.keyboard.press('a');
    await expect(s.agent.waitFor(request.id)).resolves.toMatchObject({ response: { approved: true } });
    await popup.page.close();
  });

  it('raises a browser notification for a critical request, unless the tray is connected', async () => {
    const worker = await s.browser.worker();
    const first = await s.agent.submit({ kind: 'approval', title: 'Wipe the staging cluster', severity: 'critical' });
    await expect.poll(() => notificationIds(worker), { timeout: 10_000 }).toContain(`request:${first.id}`);

    const token = await s.hub.pairApprover('Tray');
    const tray = await RecordedSocket.connect(s.hub.url, '/approver', token, { auth: { token, surface: 'tray' } });
    // The hub tells the extension about the tray before it pushes the next request.
    const second = await s.agent.submit({ kind: 'approval', title: 'Wipe the production cluster', severity: 'critical' });
    const popup = await PopupPage.open(s.browser);
    await popup.expectRow('Wipe the production cluster');
    expect(await notificationIds(worker)).not.toContain(`request:${second.id}`);
    tray.close();

    // Deciding the first one clears its notification.
    await popup.open('Wipe the staging cluster');
    await popup.field('Reason').fill('Not during the demo');
    await popup.button('Reject').click();
    await expect.poll(() => notificationIds(worker), { timeout: 10_000 }).not.toContain(`request:${first.id}`);
    await popup.page.close();
  });

  it('tells the person when a queued decision lost to someone else, and sends nothing', async () => {
    const popup = await PopupPage.open(s.browser);
    const request = await s.agent.submit({ kind: 'approval', title: 'Purge the CDN cache' });
    const decision = s.agent.waitFor(request.id);
    await popup.expectRow('Purge the CDN cache');

    await s.hub.stop();
    await popup.page.getByText(/Hub not reachable/).first().waitFor({ timeout: 15_000 });
    await popup.open('Purge the CDN cache');
    await popup.field('Reason').fill('Wait for the release');
    await popup.button('Reject').click();
    await popup.page.getByText(/Queued/).first().waitFor({ timeout: 10_000 });

    // Meanwhile someone else decides it, on a hub the extension does not know about.
    const elsewhere = await startTestHub({ dataDir: s.hub.dataDir });
    const grace = await elsewhere.pairApprover('Grace (terminal)');
    const res = await fetch(`${elsewhere.url}/api/v1/requests/${request.id}/respond`, {
      method: 'POST',
      headers: { authorization: `Bearer ${grace}`, 'content-type': 'application/json' },
      body: JSON.stringify({ approved: true }),
    });
    expect(res.status).toBe(200);
    await elsewhere.stop();

    const back = await startTestHub({ dataDir: s.hub.dataDir, port: s.hub.port });
    try {
      await expect(decision).resolves.toMatchObject({ respondedBy: 'Grace (terminal)', response: { approved: true } });
      await popup.page
        .getByText(/Your decision on “Purge the CDN cache” was not sent: it was already decided by Grace \(terminal\)/)
        .waitFor({ timeout: 15_000 })
        .catch(async (error: unknown) => {
          throw new Error(`${String(error)}\npopup shows:\n${await popup.text()}`);
        });
      // Still Grace's decision: the queued rejection was never applied.
      const approver = await back.pairApprover('checker');
      const got = await fetch(`${back.url}/api/v1/requests/${request.id}`, { headers: { authorization: `Bearer ${approver}` } });
      expect(await got.json()).toMatchObject({ decision: { respondedBy: 'Grace (terminal)', response: { approved: true } } });
    } finally {
      await popup.page.close();
      s.hub = back;
    }
  });

  it('stays usable at 200 % zoom (no sideways scrolling) and follows the system dark mode', async () => {
    await s.agent.submit({ kind: 'approval', title: 'A long title that has to wrap at two hundred percent zoom without clipping anything', severity: 'high' });
    const popup = await PopupPage.open(s.browser);
    // Chrome sizes a popup to its content, up to 800 × 600 device px: at 200 % zoom that is
    // 400 × 300 CSS px, and the popup asks for its minimum width (22rem = 352 px).
    await popup.page.setViewportSize({ width: 352, height: 300 });
    await popup.expectRow('A long title that has to wrap');
    const overflow = () => popup.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await popup.open('A long title that has to wrap at two hundred percent zoom without clipping anything');
    expect(await overflow()).toBeLessThanOrEqual(0);

    const background = () => popup.page.evaluate(() => getComputedStyle(document.querySelector('.so-app')!).backgroundColor);
    await popup.page.emulateMedia({ colorScheme: 'light' });
    const light = await background();
    await popup.page.emulateMedia({ colorScheme: 'dark' });
    const dark = await background();
    const luminance = (rgb: string) => {
      const [r, g, b] = (rgb.match(/\d+/g) ?? ['0', '0', '0']).map(Number) as [number, number, number];
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    };
    expect(luminance(light)).toBeGreaterThan(0.8);
    expect(luminance(dark)).toBeLessThan(0.2);
    await popup.page.close();
  });
});
