import { describe, expect, it } from 'vitest';
import { checkOriginAndHost, PUBLIC_REFUSAL_LINES_PER_MINUTE, PublicRefusalLog, requestSource, type GuardOptions } from './origin-guard.js';

/** The refusal alone, for the cases where the route does not matter. */
const refuseByOriginOrHost = (headers: Parameters<typeof checkOriginAndHost>[0], options: GuardOptions) => checkOriginAndHost(headers, options).refusal;

const PORT = 7475;
const local = { port: PORT, host: '127.0.0.1' };

describe('checkOriginAndHost', () => {
  describe('Host header', () => {
    it.each(['127.0.0.1:7475', 'localhost:7475', '[::1]:7475', 'LOCALHOST:7475'])('lets loopback %s at our port pass', (host) => {
      expect(refuseByOriginOrHost({ host }, local)).toBeNull();
    });

    it.each(['127.0.0.1:8080', 'localhost:80', '127.0.0.1', 'localhost'])('refuses %s: another port or none', (host) => {
      expect(refuseByOriginOrHost({ host }, local)).toBe(`Host ${JSON.stringify(host)} is not this hub`);
    });

    it.each(['evil.example:7475', 'attacker.localhost.example:7475', '192.168.1.20:7475', '127.0.0.2:7475', '[::2]:7475'])(
      'refuses %s: not loopback (DNS rebinding)',
      (host) => {
        expect(refuseByOriginOrHost({ host }, local)).toMatch(/is not this hub/);
      },
    );

    it('refuses a missing or empty Host', () => {
      expect(refuseByOriginOrHost({}, local)).toBe('Host "" is not this hub');
      expect(refuseByOriginOrHost({ host: '' }, local)).toBe('Host "" is not this hub');
      expect(refuseByOriginOrHost({ host: undefined, origin: 'chrome-extension://abc' }, local)).toMatch(/is not this hub/);
    });
  });

  describe('Origin header', () => {
    const host = '127.0.0.1:7475';

    it('lets native clients (no Origin) pass', () => {
      expect(refuseByOriginOrHost({ host }, local)).toBeNull();
    });

    it.each([
      'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
      'moz-extension://6f1c3b7e-7a0e-4b8e-9d1a-2f7e1c0d9a11',
      'safari-web-extension://3F2504E0-4F89-11D3-9A0C-0305E82C3301',
    ])('lets extension origin %s pass', (origin) => {
      expect(refuseByOriginOrHost({ host, origin }, local)).toBeNull();
    });

    it.each(['http://127.0.0.1:7475', 'http://localhost:7475', 'http://[::1]:7475'])("lets the hub's own origin %s pass", (origin) => {
      expect(refuseByOriginOrHost({ host, origin }, local)).toBeNull();
    });

    it.each([
      'https://evil.example',
      'http://evil.example',
      'http://evil.example:7475',
      'https://127.0.0.1:7475',
      'http://127.0.0.1:3000',
      'http://localhost:8080',
      'file://',
    ])('refuses web origin %s', (origin) => {
      expect(refuseByOriginOrHost({ host, origin }, local)).toBe(`web origin ${origin} is not allowed to use this hub`);
    });

    it("refuses the opaque 'null' origin and anything unparseable", () => {
      expect(refuseByOriginOrHost({ host, origin: 'null' }, local)).toBe('Origin "null" is not allowed');
      expect(refuseByOriginOrHost({ host, origin: '' }, local)).toBe('Origin "" is not allowed');
    });

    it('refuses an own-looking origin that is not in canonical form', () => {
      expect(refuseByOriginOrHost({ host, origin: 'http://127.0.0.1:7475/' }, local)).toMatch(/not allowed/);
    });
  });

  describe('--host', () => {
    it.each(['0.0.0.0', '::'])('with the wildcard %s accepts only loopback names', (host) => {
      const options = { port: PORT, host };
      expect(refuseByOriginOrHost({ host: '127.0.0.1:7475' }, options)).toBeNull();
      expect(refuseByOriginOrHost({ host: `${host}:7475` }, options)).toMatch(/is not this hub/);
      expect(refuseByOriginOrHost({ host: '[::]:7475' }, options)).toMatch(/is not this hub/);
      expect(refuseByOriginOrHost({ host: '192.168.1.20:7475' }, options)).toMatch(/is not this hub/);
    });

    it('with a specific address also accepts that address, as Host and as origin', () => {
      const options = { port: PORT, host: '192.168.1.20' };
      expect(refuseByOriginOrHost({ host: '192.168.1.20:7475' }, options)).toBeNull();
      expect(refuseByOriginOrHost({ host: 'localhost:7475' }, options)).toBeNull();
      expect(refuseByOriginOrHost({ host: '192.168.1.20:7475', origin: 'http://192.168.1.20:7475' }, options)).toBeNull();
      expect(refuseByOriginOrHost({ host: '192.168.1.21:7475' }, options)).toMatch(/is not this hub/);
    });

    it('with a specific name accepts it case-insensitively, however --host was spelt', () => {
      for (const host of ['signoff.lan', 'Signoff.LAN']) {
        const options = { port: PORT, host };
        expect(refuseByOriginOrHost({ host: 'Signoff.LAN:7475' }, options)).toBeNull();
        expect(refuseByOriginOrHost({ host: 'signoff.lan:7475' }, options)).toBeNull();
        expect(refuseByOriginOrHost({ host: 'signoff.lan:7475', origin: 'http://signoff.lan:7475' }, options)).toBeNull();
        expect(refuseByOriginOrHost({ host: 'other.lan:7475' }, options)).toMatch(/is not this hub/);
      }
    });

    it('with a specific IPv6 address accepts it bracketed', () => {
      const options = { port: PORT, host: 'fd00::5' };
      expect(refuseByOriginOrHost({ host: '[fd00::5]:7475' }, options)).toBeNull();
      expect(refuseByOriginOrHost({ host: 'fd00::5:7475' }, options)).toMatch(/is not this hub/);
    });

    it('with ::1 adds nothing beyond loopback', () => {
      const options = { port: PORT, host: '::1' };
      expect(refuseByOriginOrHost({ host: '[::1]:7475' }, options)).toBeNull();
      expect(refuseByOriginOrHost({ host: '::1:7475' }, options)).toMatch(/is not this hub/);
    });
  });

  describe('public URL', () => {
    const withPublic = { ...local, publicUrl: { host: 'signoff.example.ts.net', origin: 'https://signoff.example.ts.net' } };

    it('puts loopback Hosts on the local route and the public Host (any case) on the public one', () => {
      expect(checkOriginAndHost({ host: '127.0.0.1:7475' }, withPublic)).toEqual({ route: 'local', refusal: null });
      expect(checkOriginAndHost({ host: 'signoff.example.ts.net' }, withPublic)).toEqual({ route: 'public', refusal: null });
      expect(checkOriginAndHost({ host: 'Signoff.Example.TS.net' }, withPublic)).toEqual({ route: 'public', refusal: null });
    });

    it('accepts exactly the public origin, on either route', () => {
      const origin = 'https://signoff.example.ts.net';
      expect(checkOriginAndHost({ host: 'signoff.example.ts.net', origin }, withPublic)).toEqual({ route: 'public', refusal: null });
      expect(checkOriginAndHost({ host: '127.0.0.1:7475', origin: 'http://127.0.0.1:7475' }, withPublic).refusal).toBeNull();
      for (const other of ['http://signoff.example.ts.net', 'https://signoff.example.ts.net:8443', 'https://evil.example', 'https://signoff.example.ts.net/']) {
        expect(checkOriginAndHost({ host: 'signoff.example.ts.net', origin: other }, withPublic)).toEqual({ route: 'public', refusal: `web origin ${other} is not allowed to use this hub` });
      }
    });

    it('refuses another Host, or the public Host at another port, on the public route as on the local one', () => {
      expect(checkOriginAndHost({ host: 'signoff.example.ts.net:8443' }, withPublic).refusal).toMatch(/is not this hub/);
      expect(checkOriginAndHost({ host: 'evil.example' }, withPublic).refusal).toMatch(/is not this hub/);
    });

    it('without a public URL refuses the proxy\'s Host', () => {
      expect(checkOriginAndHost({ host: 'signoff.example.ts.net' }, local)).toEqual({ route: 'local', refusal: 'Host "signoff.example.ts.net" is not this hub' });
    });

    it.each(['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'forwarded'])('treats a request carrying %s as public, whatever its Host', (name) => {
      expect(checkOriginAndHost({ host: '127.0.0.1:7475', [name]: '203.0.113.9' }, withPublic)).toEqual({ route: 'public', refusal: null });
      expect(checkOriginAndHost({ host: '127.0.0.1:7475', [name]: '203.0.113.9' }, local)).toEqual({ route: 'public', refusal: null });
    });
  });
});

describe('PublicRefusalLog', () => {
  it('logs each refusal with its source and reason, at most 60 lines a minute, then says how many it left out', () => {
    const lines: string[] = [];
    let now = 0;
    const log = new PublicRefusalLog({ warn: (line: unknown) => void lines.push(String(line)) }, () => now);
    for (let i = 0; i < PUBLIC_REFUSAL_LINES_PER_MINUTE + 5; i++) log.refused('203.0.113.7', 'wrong pairing code');
    expect(lines).toHaveLength(PUBLIC_REFUSAL_LINES_PER_MINUTE);
    expect(lines[0]).toBe('refused on the public route from 203.0.113.7: wrong pairing code');
    now = 60_000;
    log.refused('203.0.113.8', 'missing or unknown token');
    expect(lines.slice(-2)).toEqual([
      'refused on the public route: 5 more refusals in the last minute were not logged',
      'refused on the public route from 203.0.113.8: missing or unknown token',
    ]);
  });
});

describe('requestSource', () => {
  const req = (forwarded?: string) => ({ headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded }, socket: { remoteAddress: '127.0.0.1' } });

  it('takes the last X-Forwarded-For entry on the public route (the proxy appended it), the peer otherwise', () => {
    expect(requestSource(req('10.0.0.1, 203.0.113.9'), 'public')).toBe('203.0.113.9');
    expect(requestSource(req('10.0.0.1, 203.0.113.9'), 'local')).toBe('127.0.0.1');
    expect(requestSource(req(), 'public')).toBe('127.0.0.1');
  });
});
