import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PopupPage } from './support/popup-page.js';
import { startSession, type E2eSession } from './support/session.js';

describe('"Always allow this" from the popup (built extension in Chromium, real hub, SDK agent)', () => {
  let s: E2eSession;
  beforeAll(async () => {
    s = await startSession();
  });
  afterAll(async () => s?.close());

  it('remembers an approval, lets the identical request through at once, lists the grant, and asks again once revoked', async () => {
    const ask = { title: 'Run the unit tests', severity: 'medium' as const, action: { name: 'shell', args: { command: 'npm run test:unit' } } };
    const popup = await PopupPage.open(s.browser);

    const first = s.agent.requestApproval(ask);
    await popup.open(ask.title);
    await popup.page.getByRole('checkbox', { name: 'Always allow this' }).check();
    expect(await popup.field('Commands to allow').inputValue()).toBe('npm run test:unit');
    await popup.button('Approve').click();
    await expect(first).resolves.toMatchObject({ status: 'resolved', via: 'socket', response: { approved: true } });

    // The same command again: the hub's grant approves it without a person.
    await expect(s.agent.requestApproval(ask)).resolves.toMatchObject({ status: 'resolved', via: 'grant', response: { approved: true } });

    await popup.expectBackAtQueue();
    await popup.page.getByRole('button', { name: /^Allowed/ }).click();
    const grant = popup.page.locator('.so-grant');
    await expect.poll(() => grant.count(), { timeout: 10_000 }).toBe(1);
    const shown = await grant.innerText();
    expect(shown).toContain('npm run test:unit');
    expect(shown).toContain('until');
    expect(shown).toContain('used once');
    await popup.page.getByRole('button', { name: /^Revoke/ }).click();
    await popup.page.getByText('Nothing is allowed without asking').waitFor({ timeout: 10_000 });

    // Revoked: the third identical request waits for a person.
    const third = s.agent.requestApproval(ask);
    await popup.button('← Back').click();
    await popup.expectRow(ask.title);
    await popup.open(ask.title);
    await popup.button('Approve').click();
    await expect(third).resolves.toMatchObject({ via: 'socket', response: { approved: true } });
    await popup.page.close();
  });
});
