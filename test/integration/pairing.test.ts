import { PAIRING_CODE_TTL_MS } from '@signoff/desktop/hub';
import { describe, expect, it } from 'vitest';
import { useHubs } from '../support/harness.js';
import { FakeClock, type TestHub } from '../support/hub.js';
import { RestClient } from '../support/rest-client.js';

describe('pairing', () => {
  const hubs = useHubs();
  const pair = (t: TestHub, code: string, name = 'Dana’s laptop') => new RestClient(t.url).post('/pair', { code, name });

  it('turns a code into an approver token once, and only once', async () => {
    const t = await hubs.start({ clock: new FakeClock() });
    const { code } = t.hub.createPairingCode();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(code).not.toMatch(/[01OIL]/);

    const first = await pair(t, code);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ token: expect.any(String) });

    // The token is an approver's: it lists and connects to /approver, and answers as its name.
    const approver = new RestClient(t.url, first.body.token);
    expect((await approver.get('/requests')).status).toBe(200);
    const { id } = (await hubs.agentRest(t).post('/requests', { kind: 'approval', title: 'Ship it' })).body;
    expect((await approver.post(`/requests/${id}/respond`, { approved: true })).body.respondedBy).toBe('Dana’s laptop');
    expect((await hubs.approverSocket(t, first.body.token)).connected).toBe(true);

    const again = await pair(t, code, 'someone else');
    expect(again.status).toBe(401);
    expect(again.body.error).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('not valid') });
  });

  it('accepts the code however it is typed: lower case, spaces, no dash', async () => {
    const t = await hubs.start({ clock: new FakeClock() });
    const { code } = t.hub.createPairingCode();
    const typed = ` ${code.slice(0, 4).toLowerCase()} ${code.slice(5).toLowerCase()} `;
    expect((await pair(t, typed)).status).toBe(201);
  });

  it('gives each pairing its own token; every code stays valid until used', async () => {
    const t = await hubs.start({ clock: new FakeClock() });
    const a = t.hub.createPairingCode().code;
    const b = t.hub.createPairingCode().code;
    const tokenB = (await pair(t, b, 'tray')).body.token;
    const tokenA = (await pair(t, a, 'extension')).body.token;
    expect(tokenA).not.toBe(tokenB);
    expect(tokenA).not.toBe(t.agentToken);
  });

  it('refuses wrong codes with 401', async () => {
    const t = await hubs.start({ clock: new FakeClock() });
    t.hub.createPairingCode();
    for (const wrong of ['ABCD-EFGH', 'ZZZZ-9999']) {
      const res = await pair(t, wrong);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });

  it('refuses an expired code', async () => {
    const clock = new FakeClock();
    const t = await hubs.start({ clock });
    const { code, expiresAt } = t.hub.createPairingCode();
    expect(expiresAt - clock.now()).toBe(PAIRING_CODE_TTL_MS);
    expect(PAIRING_CODE_TTL_MS).toBe(5 * 60_000);
    const fine = t.hub.createPairingCode().code;
    clock.advance(PAIRING_CODE_TTL_MS - 1);
    expect((await pair(t, fine)).status).toBe(201);
    clock.advance(1);
    const res = await pair(t, code);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('expired') });
  });

  it('validates the pairing body', async () => {
    const t = await hubs.start({ clock: new FakeClock() });
    const client = new RestClient(t.url);
    const { code } = t.hub.createPairingCode();
    const noName = await client.post('/pair', { code });
    expect(noName.status).toBe(400);
    expect(noName.body.error.message).toMatch(/^name: /);
    const extra = await client.post('/pair', { code, name: 'x', role: 'agent' });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('"role"');
    // Refused bodies did not use up the code.
    expect((await client.post('/pair', { code, name: 'Dana' })).status).toBe(201);
  });
});
