import { connect } from '@signoff/shared/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub } from '../support/hub.js';
import { startImpostor, type Impostor } from './support/impostor.js';
import { OptionsPage } from './support/options-page.js';
import { PopupPage } from './support/popup-page.js';
import { startSession, type E2eSession } from './support/session.js';

/** The extension looks again at an address held by something else every 10 s; give it two tries and a slow machine. */
const BACK = { timeout: 40_000 };

describe('an impostor on the hub’s port (built extension in Chromium)', () => {
  let s: E2eSession;
  let impostor: Impostor | null = null;
  beforeAll(async () => {
    s = await startSession();
  });
  afterAll(async () => {
    await impostor?.close();
    await s?.close();
  });

  it('gets nothing but a nonce, the person is told, decisions wait; the real hub back → they are sent, and deciding works as before', { timeout: 120_000 }, async () => {
    const popup = await PopupPage.open(s.browser);
    const request = await s.agent.submit({ kind: 'approval', title: 'Wipe production', severity: 'critical' });
    await popup.expectRow('Wipe production');

    // The hub stops; an agent's program takes its port at once.
    const { dataDir, port } = s.hub;
    await s.hub.stop();
    impostor = await startImpostor(port);
    const sentence = `Something else is answering on 127.0.0.1:${port} — not your Signoff hub. Nothing was sent to it.`;

    // The person is told, on the options page, the toolbar button and the popup.
    const options = await OptionsPage.open(s.browser);
    await options.expectState(`Not your Signoff hub — ${sentence}`);
    await expect.poll(() => s.badgeTitle(), BACK).toBe(`Signoff: ${sentence} Decisions you make wait here until your hub is back.`);
    await expect.poll(() => s.badgeText(), BACK).toBe('!');
    await popup.page.getByRole('alert').filter({ hasText: sentence }).waitFor({ timeout: 10_000 });

    // A decision made now is kept in the outbox, not sent.
    await popup.open('Wipe production');
    await popup.field('Reason').fill('Not without a backup');
    await popup.button('Reject').click();
    await popup.page.getByText(/Queued/).first().waitFor({ timeout: 10_000 });

    // All the impostor ever saw: a fresh nonce and the surface, per connection. No token, no proof, no decision.
    const seen = impostor.record;
    expect(seen.handshakes.length).toBeGreaterThan(0);
    for (const auth of seen.handshakes) {
      expect(Object.keys(auth).sort()).toEqual(['nonce', 'surface']);
      expect(auth).toMatchObject({ nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), surface: 'extension' });
    }
    expect(new Set(seen.handshakes.map((a) => a.nonce)).size).toBe(seen.handshakes.length);
    expect(seen.events).toEqual([]);
    expect(seen.http.filter((r) => r.authorization !== undefined || /token|signature/i.test(r.body))).toEqual([]);

    // The real hub comes back on the port: the extension proves itself to it and sends the queued decision.
    await impostor.close();
    impostor = null;
    const hub = await startTestHub({ dataDir, port });
    s.hub = hub;
    await options.expectState(/^Connected/);
    await expect.poll(() => hub.hub.store.requests.get(request.id)?.decision, BACK).toMatchObject({
      status: 'resolved',
      respondedBy: 'Browser extension (Chrome)',
      response: { approved: false, reason: 'Not without a backup' },
    });
    await expect.poll(() => s.badgeText(), BACK).toBe('');
    await popup.expectNoRow('Wipe production');

    // And deciding works as before. (A fresh agent: the session's SDK agent met the impostor too, and stays refused.)
    const agent = await connect({ agentId: 'e2e-agent-after', url: hub.url, token: hub.agentToken });
    try {
      const next = agent.requestApproval({ title: 'Restore from the backup', severity: 'high' });
      await popup.expectRow('Restore from the backup');
      await popup.open('Restore from the backup');
      await popup.button('Approve').click();
      await expect(next).resolves.toMatchObject({ status: 'resolved', respondedBy: 'Browser extension (Chrome)', response: { approved: true } });
    } finally {
      agent.close();
    }
    await popup.page.close();
    await options.page.close();
  });
});
