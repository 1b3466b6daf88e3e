import { describe, expect, it } from 'vitest';
import { discloseLink } from './link-target.js';

describe('discloseLink', () => {
  it('shows the host when the words are not a place', () => {
    expect(discloseLink('https://example.com/docs', 'the docs')).toEqual({ kind: 'host', host: 'example.com' });
    expect(discloseLink('https://example.com/docs', 'Read example.com/docs.')).toEqual({ kind: 'host', host: 'example.com' });
  });

  it('shows the host when the words name the same place', () => {
    for (const words of ['example.com', 'www.example.com', 'https://example.com', 'http://example.com/docs', 'example.com/docs/', 'EXAMPLE.com']) {
      expect(discloseLink('https://example.com/docs', words), words).toEqual({ kind: 'host', host: 'example.com' });
    }
    expect(discloseLink('mailto:help@example.com', 'help@example.com')).toEqual({ kind: 'host', host: 'help@example.com' });
  });

  it('shows the whole target when the words name another host, path or address', () => {
    expect(discloseLink('https://evil.example/login', 'paypal.com')).toEqual({ kind: 'target', target: 'https://evil.example/login' });
    expect(discloseLink('https://paypal.com.evil.example/', 'https://paypal.com')).toEqual({ kind: 'target', target: 'https://paypal.com.evil.example/' });
    expect(discloseLink('https://example.com/delete', 'example.com/docs')).toEqual({ kind: 'target', target: 'https://example.com/delete' });
    expect(discloseLink('mailto:thief@evil.example', 'help@example.com')).toEqual({ kind: 'target', target: 'mailto:thief@evil.example' });
    expect(discloseLink('https://evil.example/', 'pay\u200Bpal.com')).toEqual({ kind: 'target', target: 'https://evil.example/' });
    expect(discloseLink('https://evil.example/', 'Log in at (paypal.com).')).toEqual({ kind: 'target', target: 'https://evil.example/' });
  });

  it('judges by the host, never the userinfo, and never shows userinfo', () => {
    expect(discloseLink('https://paypal.com@evil.example/x', 'https://paypal.com@evil.example/x')).toEqual({ kind: 'host', host: 'evil.example' });
    expect(discloseLink('https://paypal.com@evil.example/x', 'paypal.com')).toEqual({ kind: 'target', target: 'https://evil.example/x' });
  });

  it('cuts a long target after the host', () => {
    const disclosure = discloseLink(`https://evil.example/${'a'.repeat(500)}`, 'bank.example');
    expect(disclosure.kind === 'target' && disclosure.target).toBe(`https://evil.example/${'a'.repeat(59)}…`);
  });
});
