import { describe, expect, it } from 'vitest';
import { normalizeCode, pairWithCode } from './pairing.js';

const reply = (status: number, body: unknown) => () => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));

describe('pairWithCode', () => {
  it('posts the code and this window’s name to /api/v1/pair and returns the token', async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const fetchImpl = ((url: URL, init?: RequestInit) => {
      calls.push({ url: String(url), init });
      return reply(201, { token: 'tok-123' })();
    }) as typeof fetch;
    expect(await pairWithCode('http://127.0.0.1:7475', ' k7qx-m2pd ', 'Browser window', fetchImpl)).toEqual({ ok: true, token: 'tok-123' });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('http://127.0.0.1:7475/api/v1/pair');
    expect(calls[0]!.init?.method).toBe('POST');
    expect(JSON.parse(String(calls[0]!.init?.body))).toEqual({ code: 'K7QX-M2PD', name: 'Browser window' });
  });

  it('passes on the hub’s reason for a refusal', async () => {
    const refused = reply(401, { error: { code: 'unauthorized', message: 'that pairing code has expired; run `signoff pair` for a new one' } }) as typeof fetch;
    expect(await pairWithCode('http://127.0.0.1:7475', 'ABCD-EFGH', 'Browser window', refused)).toEqual({
      ok: false,
      message: 'Not paired: that pairing code has expired; run `signoff pair` for a new one.',
    });
    const odd = reply(500, 'oops') as typeof fetch;
    expect(await pairWithCode('http://127.0.0.1:7475', 'ABCD-EFGH', 'x', odd)).toEqual({ ok: false, message: 'Not paired: the hub answered 500.' });
  });

  it('says so when the hub is unreachable, and does not call it for a code too short', async () => {
    const down = (() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch;
    expect(await pairWithCode('http://127.0.0.1:7475', 'ABCD-EFGH', 'x', down)).toEqual({ ok: false, message: 'The hub is not reachable: is it still running?' });
    const never = (() => {
      throw new Error('must not be called');
    }) as typeof fetch;
    expect((await pairWithCode('http://127.0.0.1:7475', ' ab ', 'x', never)).ok).toBe(false);
  });

  it('normalizes typed codes', () => {
    expect(normalizeCode('  abcd-efgh\n')).toBe('ABCD-EFGH');
  });
});
