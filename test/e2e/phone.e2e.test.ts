import { connect, type SignoffClient } from '@signoff/shared/agent';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub.js';
import { CHROMIUM, CHROMIUM_FLAGS } from './support/extension.js';
import { WindowPage } from './support/window-page.js';

/** A Pixel 8 in portrait: what the window must fit without sideways scrolling. */
const PHONE = {
  viewport: { width: 360, height: 740 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
} as const;

/** Hostile agent text: one unbroken word, as long as each field allows, in the title, body, arguments and context. */
const LONG = 'x'.repeat(3000);

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS] });
});
afterAll(async () => browser?.close());

const opened: { hub: TestHub; context: BrowserContext; agents: SignoffClient[] }[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) {
    for (const agent of s.agents) agent.close();
    await s.context.close();
    await s.hub.dispose();
  }
});

/** How far the page scrolls sideways: its scroll width against the 360 px viewport. */
const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('the approval window on a phone', () => {
  it('pairs in one tap from a pairing link, fits 360 px with hostile text, approves with a thumb, and installs with an offline shell', async () => {
    const hub = await startTestHub();
    const context = await browser.newContext(PHONE);
    const session = { hub, context, agents: [] as SignoffClient[] };
    opened.push(session);
    const baseUrl = hub.url;

    // The link another approver shows as a QR code.
    const { code } = hub.hub.createPairingCode();
    const ui = await WindowPage.open(context, baseUrl, `#pair=${code}`);
    await ui.page.getByRole('heading', { name: `Pair this device with Signoff at ${new URL(baseUrl).host}?` }).waitFor();
    await expect.poll(() => ui.page.getByLabel('Device name').inputValue()).toBe('Pixel 8 · Chrome');
    await ui.page.getByRole('button', { name: 'Pair this device' }).tap();
    await ui.queue().waitFor({ timeout: 10_000 });
    expect(ui.page.url()).toBe(`${baseUrl}/`);

    const agent = await connect({ agentId: 'phone-agent', url: hub.url, token: hub.agentToken });
    session.agents.push(agent);
    const decision = agent.requestApproval({
      title: `Deploy ${LONG.slice(0, 480)}`,
      body: `Why: ${LONG}\n\n\`\`\`\n${LONG}\n\`\`\``,
      severity: 'high',
      action: { name: `run_${'y'.repeat(150)}`, args: { command: LONG, [`key_${'k'.repeat(100)}`]: LONG } },
      context: { [`ctx_${'c'.repeat(100)}`]: LONG },
      consequences: [LONG.slice(0, 1900)],
    });
    await ui.expectRow('Deploy');
    expect(await scrollWidth(ui.page)).toBeLessThanOrEqual(360);

    await ui.open('Deploy');
    const approve = ui.button('Approve');
    await approve.waitFor();
    expect(await scrollWidth(ui.page)).toBeLessThanOrEqual(360);
    const box = (await approve.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(740);
    await approve.tap();
    await expect(decision).resolves.toMatchObject({ status: 'resolved', response: { approved: true }, respondedBy: 'Pixel 8 · Chrome' });
  });
});
