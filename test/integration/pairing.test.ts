import { Agent, request } from 'node:http';
import { PAIRING_CODE_TTL_MS } from '@signoff/desktop/hub';
import { exportPublicKey, generateDeviceKeys } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { useHubs } from '../support/harness.js';
import { FakeClock, type TestHub } from '../support/hub.js';
import { RestClient, type Json } from '../support/rest-client.js';
import { waitUntil } from '../support/wait-until.js';

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
    // Without a public key the device is a bearer-token one (a person's scripts); the hub's key comes back to pin.
    expect(first.body).toEqual({ deviceId: expect.any(String), token: expect.any(String), hub: { publicKey: t.hub.identity.publicKey, fingerprint: t.hub.identity.fingerprint } });

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

  it('pairs a key device (the project’s clients): no token, the hub’s key to pin, listed as a key device', async () => {
    const t = await hubs.start({ clock: new FakeClock() });
    const keys = await generateDeviceKeys();
    const res = await new RestClient(t.url).post('/pair', { code: t.hub.createPairingCode().code, name: 'laptop', publicKey: await exportPublicKey(keys.publicKey) });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ deviceId: expect.any(String), hub: { publicKey: t.hub.identity.publicKey, fingerprint: t.hub.identity.fingerprint } });
    expect(t.hub.store.devices.list()).toEqual([expect.objectContaining({ id: res.body.deviceId, name: 'laptop', credential: 'key', ephemeral: false })]);
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

/** One `POST /pair` on `agent`'s connection (node:http, so the test decides which connection). */
function pairOn(port: number, agent: Agent | false, code: string): Promise<{ status: number; connection: string | undefined; body: Json }> {
  const body = JSON.stringify({ code, name: 'guesser' });
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/api/v1/pair', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('pairing under a flood of wrong codes', () => {
  const hubs = useHubs();

  it('closes a connection after 3 wrong codes with 429; the right code still works on a new one', async () => {
    const t = await hubs.start();
    const { code } = t.hub.createPairingCode();
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets: unknown[] = [];
    keepAlive.on('free', (socket) => sockets.push(socket));
    try {
      expect(await pairOn(t.port, keepAlive, 'WRNG-AAAA')).toMatchObject({ status: 401, connection: 'keep-alive' });
      expect(await pairOn(t.port, keepAlive, 'WRNG-AAAB')).toMatchObject({ status: 401, connection: 'keep-alive' });
      const third = await pairOn(t.port, keepAlive, 'WRNG-AAAC');
      expect(third).toMatchObject({ status: 429, connection: 'close' });
      expect(third.body.error).toEqual({
        code: 'rate_limited',
        message: expect.stringMatching(/^that pairing code is not valid; .*too many wrong codes on this connection/),
        details: { limit: 'wrongPairingCodesPerConnection' },
      });
      // The first two answers kept one connection alive; the third closed it.
      expect(new Set(sockets).size).toBe(1);
      expect(await pairOn(t.port, keepAlive, code)).toMatchObject({ status: 201 });
    } finally {
      keepAlive.destroy();
    }
  });

  it('never stops a freshly made code from working while many connections keep guessing', async () => {
    const t = await hubs.start();
    const statuses = new Map<number, number>();
    let guesses = 0;
    let flooding = true;
    // Each guesser keeps its connection alive as long as the hub lets it, then opens a new one.
    const guesser = async (n: number) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (let i = 0; flooding; i++) {
          const res = await pairOn(t.port, agent, `WRNG-${(n * 100_000 + i).toString(36).toUpperCase().padStart(4, 'A').slice(-4)}`);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          guesses += 1;
        }
      } finally {
        agent.destroy();
      }
    };
    const flood = Promise.all(Array.from({ length: 32 }, (_, n) => guesser(n)));
    try {
      // Far past the 5 wrong codes that used to lock every live code.
      await waitUntil(() => guesses >= 500, 'the flood to be under way');
      const { code } = t.hub.createPairingCode();
      await waitUntil(() => guesses >= 1000, 'the flood to go on after the code was made');
      const res = await new RestClient(t.url).post('/pair', { code, name: 'Dana’s laptop' });
      expect(res.status).toBe(201);
      expect(res.body.token).toEqual(expect.any(String));
    } finally {
      flooding = false;
      await flood;
    }
    expect([...statuses.keys()].sort()).toEqual([401, 429]);
  });
});
