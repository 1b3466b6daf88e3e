import { describe, expect, it } from 'vitest';
import { parsePublicUrl } from './public-url.js';

describe('parsePublicUrl', () => {
  it('takes an https URL at the proxy root, with or without a port and a trailing slash', () => {
    expect(parsePublicUrl('https://signoff.example.ts.net', '--public-url')).toEqual({
      origin: 'https://signoff.example.ts.net',
      host: 'signoff.example.ts.net',
      hostname: 'signoff.example.ts.net',
    });
    expect(parsePublicUrl('https://Signoff.Test:8443/', 'SIGNOFF_PUBLIC_URL')).toEqual({
      origin: 'https://signoff.test:8443',
      host: 'signoff.test:8443',
      hostname: 'signoff.test',
    });
  });

  it('leaves the default port out of the host, as a browser does', () => {
    expect(parsePublicUrl('https://box.lan:443', '--public-url').host).toBe('box.lan');
  });

  it.each(['http://localhost:8080', 'http://127.0.0.1:9000/', 'http://[::1]:9000', 'http://signoff.localhost:9000'])(
    'allows plain http for the loopback name in %s (testing)',
    (raw) => {
      expect(parsePublicUrl(raw, '--public-url').origin).toBe(new URL(raw).origin);
    },
  );

  it.each([
    ['http://signoff.example.ts.net', /--public-url: must be https:\/\//],
    ['http://192.168.1.5:7475', /must be https:\/\//],
    ['ftp://signoff.test', /must be an https:\/\/ URL/],
    ['signoff.test', /must be a URL/],
    ['', /must be a URL/],
    ['https://user:pw@signoff.test', /user name or password/],
    ['https://signoff.test/signoff', /no path, query or fragment/],
    ['https://signoff.test/?x=1', /no path, query or fragment/],
    ['https://signoff.test/#pair', /no path, query or fragment/],
    ['https://signoff.test?', /no path, query or fragment/],
  ])('refuses %s, naming the source', (raw, problem) => {
    expect(() => parsePublicUrl(raw, '--public-url')).toThrow(problem);
    expect(() => parsePublicUrl(raw, '--public-url')).toThrow(/^--public-url: /);
  });
});
