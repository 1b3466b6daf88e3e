import { describe, expect, it } from 'vitest';
import { keepsDevice, pairCodeFromHash, withoutPairCode } from './pair-link.js';

describe('pairing links', () => {
  it.each([
    ['#pair=K7QX-M2PD', 'K7QX-M2PD'],
    ['#pair=k7qx-m2pd', 'K7QX-M2PD'],
    ['#pair=K7QXM2PD', 'K7QX-M2PD'],
    ['#x=1&pair=ABCD-EFGH', 'ABCD-EFGH'],
    ['pair=ABCD-EFGH', 'ABCD-EFGH'],
  ])('reads the code from %s', (hash, code) => {
    expect(pairCodeFromHash(hash)).toBe(code);
  });

  it.each(['', '#', '#pair=', '#pair=ABC', '#pair=ABCD-EFG0', '#pair=ABCD-EFGHI', '#pair=IIII-OOOO', '#pair=<script>', '#code=ABCD-EFGH'])('finds no code in %j', (hash) => {
    expect(pairCodeFromHash(hash)).toBeNull();
  });

  it('removes only the code from the address', () => {
    expect(withoutPairCode('https://signoff.test:8443/#pair=ABCD-EFGH')).toBe('https://signoff.test:8443/');
    expect(withoutPairCode('https://signoff.test/?request=r1#pair=ABCD-EFGH')).toBe('https://signoff.test/?request=r1');
    expect(withoutPairCode('https://signoff.test/#x=1&pair=ABCD-EFGH')).toBe('https://signoff.test/#x=1');
    expect(withoutPairCode('https://signoff.test/')).toBe('https://signoff.test/');
  });

  it('keeps a device only at an https origin that is not loopback', () => {
    expect(keepsDevice({ protocol: 'https:', hostname: 'signoff.example.net' })).toBe(true);
    expect(keepsDevice({ protocol: 'https:', hostname: '192.168.1.20' })).toBe(true);
    expect(keepsDevice({ protocol: 'http:', hostname: 'signoff.example.net' })).toBe(false);
    expect(keepsDevice({ protocol: 'http:', hostname: '127.0.0.1' })).toBe(false);
    expect(keepsDevice({ protocol: 'https:', hostname: '127.0.0.1' })).toBe(false);
    expect(keepsDevice({ protocol: 'https:', hostname: 'localhost' })).toBe(false);
    expect(keepsDevice({ protocol: 'https:', hostname: 'hub.localhost' })).toBe(false);
    expect(keepsDevice({ protocol: 'https:', hostname: '[::1]' })).toBe(false);
  });
});
