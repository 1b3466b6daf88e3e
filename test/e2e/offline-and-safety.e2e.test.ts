import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub } from '../support/hub.js';
import { PopupPage } from './support/popup-page.js';
import { startSession, type E2eSession } from './support/session.js';

describe('popup offline queue and untrusted agent text', () => {
  let s: E2eSession;
  const restarted: { stop(): Promise<void> }[] = [];
  beforeAll(async () => {
    s = await startSession();
  });
  afterAll(async () => {
    for (const hub of restarted) await hub.stop();
    await s?.close();
  });

  it('renders hostile titles and links as inert text', async () => {
    const popup = await PopupPage.open(s.browser);
    const dialogs: string[] = [];
    popup.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const title = '<img src=x onerror=alert(1)>';
    await s.agent.submit({
      kind: 'approval',
      title,
      body: 'Read [the runbook](javascript:alert(2)) or [the docs](https://example.com/docs) first. <script>alert(3)</script>',
    });
    await popup.expectRow(title);
    await popup.open(title);
    const detail = popup.page.getByRole('article');
    expect(await detail.locator('img').count()).toBe(0);
    expect(await detail.locator('script').count()).toBe(0);
    // The javascript: link is not a link; the https one is, opening safely in a new tab.
    expect(await detail.getByRole('link', { name: 'the runbook' }).count()).toBe(0);
    const docs = detail.getByRole('link', { name: 'the docs' });
    expect(await docs.getAttribute('href')).toBe('https://example.com/docs');
    expect(await docs.getAttribute('target')).toBe('_blank');
    expect(await docs.getAttribute('rel')).toContain('noopener');
    await detail.getByText('the runbook').click();
    expect(await detail.innerText()).toContain('<script>alert(3)</script>');
    expect(dialogs).toEqual([]);
    await popup.page.close();
  });

  it('queues a decision while the hub is down and delivers it when the hub is back', async () => {
    const popup = await PopupPage.open(s.browser);
    const request = await s.agent.submit({ kind: 'approval', title: 'Migrate the billing tables', severity: 'high' });
    const decision = s.agent.waitFor(request.id);
    await popup.expectRow('Migrate the billing tables');

    await s.hub.stop();
    await popup.page.getByText(/Hub not reachable/).first().waitFor({ timeout: 15_000 });
    await popup.open('Migrate the billing tables');
    await popup.button('Approve').click();
    await popup.page.getByText(/Queued/).first().waitFor({ timeout: 10_000 });

    const hub = await startTestHub({ dataDir: s.hub.dataDir, port: s.hub.port });
    restarted.push(hub);
    // The extension reconnects, sends the queued decision, and the agent (which reconnected too) gets it.
    await expect(decision).resolves.toMatchObject({ status: 'resolved', response: { approved: true }, respondedBy: 'Browser extension (Chrome)' });
    await popup.expectNoRow('Migrate the billing tables');
    await popup.page.close();
  });
});
