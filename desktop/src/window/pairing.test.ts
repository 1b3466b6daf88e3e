import { describe, expect, it } from 'vitest';
import { normalizeCode, pairTab } from './pairing.js';

const HUB_KEY = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE'.padEnd(120, 'A');
const reply = (status: number, body: unknown) => () => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));

describe('pairTab', () => {
  it('registers a fresh key as an ephemeral device and keeps it in memory, non-extractable', async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const fetchImpl = ((url: string, init?: RequestInit) => {
      calls.push({ url: String(url), init });
      return reply(201, { deviceId: 'dev-1', hub: { publicKey: HUB_KEY, fingerprint: 'AAAA-BBBB-CCCC-DDDD' } })();
    }) as typeof fetch;
    const result = await pairTab('http://127.0.0.1:7475', ' k7qx-m2pd ', 'Browser window', fetchImpl);
    expect(result).toMatchObject({ ok: true, device: { deviceId: 'dev-1', hubPublicKey: HUB_KEY, hubFingerprint: 'AAAA-BBBB-CCCC-DDDD', hubUrl: 'http://127.0.0.1:7475' } });
    if (!result.ok) throw new Error('not paired');
    expect(result.device.privateKey.extractable).toBe(false);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('http://127.0.0.1:7475/api/v1/pair');
    expect(calls[0]!.init?.method).toBe('POST');
    const body = JSON.parse(String(calls[0]!.init?.body)) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 'K7QX-M2PD', name: 'Browser window', ephemeral: true });
    expect(body.publicKey).toMatch(/^[A-Za-z0-9_-]{80,}$/);
    expect(body).not.toHaveProperty('token');
  });

  it('passes on the hub’s reason for a refusal', async () => {
    const refused = reply(401, { error: { code: 'unauthorized', message: 'that pairing code has expired; run `signoff pair` for a new one' } }) as typeof fetch;
    expect(await pairTab('http://127.0.0.1:7475', 'ABCD-EFGH', 'Browser window', refused)).toEqual({
      ok: false,
      message: 'Not paired: that pairing code has expired; run `signoff pair` for a new one.',
      unreachable: false,
    });
    const odd = reply(500, 'oops') as typeof fetch;
    expect(await pairTab('http://127.0.0.1:7475', 'ABCD-EFGH', 'x', odd)).toEqual({ ok: false, message: 'Not paired: Pairing failed (HTTP 500).', unreachable: false });
    // A hub that answers 201 without its key is no hub to pin.
    const keyless = reply(201, { deviceId: 'dev-1', token: 'tok' }) as typeof fetch;
    expect((await pairTab('http://127.0.0.1:7475', 'ABCD-EFGH', 'x', keyless)).ok).toBe(false);
  });

  it('says so when the hub is unreachable, and does not call it for a code too short', async () => {
    const down = (() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch;
    expect(await pairTab('http://127.0.0.1:7475', 'ABCD-EFGH', 'x', down)).toEqual({ ok: false, message: 'The hub is not reachable: is it still running?', unreachable: true });
    const never = (() => {
      throw new Error('must not be called');
    }) as typeof fetch;
    expect((await pairTab('http://127.0.0.1:7475', ' ab ', 'x', never)).ok).toBe(false);
  });

  it('registers a lasting device at a public origin (ephemeral: false)', async () => {
    let body: Record<string, unknown> = {};
    const fetchImpl = ((_url: string, init?: RequestInit) => {
      body = JSON.parse(String(init?.body)) as Record<string, unknown>;
      return reply(201, { deviceId: 'dev-2', hub: { publicKey: HUB_KEY, fingerprint: 'AAAA' } })();
    }) as typeof fetch;
    const result = await pairTab('https://signoff.test:8443', 'ABCD-EFGH', 'Pixel 8 · Chrome', fetchImpl, false);
    expect(result).toMatchObject({ ok: true, device: { deviceId: 'dev-2', hubUrl: 'https://signoff.test:8443' } });
    expect(body).toMatchObject({ code: 'ABCD-EFGH', name: 'Pixel 8 · Chrome' });
    expect(body).not.toHaveProperty('ephemeral');
  });

  it('normalizes typed codes', () => {
    expect(normalizeCode('  abcd-efgh\n')).toBe('ABCD-EFGH');
  });
});
