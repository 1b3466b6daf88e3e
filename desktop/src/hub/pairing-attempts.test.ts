import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PairingAttempts } from './pairing-attempts.js';

const PUBLIC = { perSource: 2, total: 5, windowMs: 60_000 };

describe('PairingAttempts', () => {
  it('gives each connection its own wrong tries, the last one saying so', () => {
    const attempts = new PairingAttempts(3, PUBLIC, () => 0);
    const a = new Socket();
    const b = new Socket();
    expect([attempts.fail(a), attempts.fail(a)]).toEqual([false, false]);
    expect(attempts.exhausted(a)).toBe(false);
    expect(attempts.fail(a)).toBe(true);
    expect(attempts.exhausted(a)).toBe(true);
    // Another connection is untouched: a stranger's guesses cost the stranger only.
    expect(attempts.exhausted(b)).toBe(false);
    expect(attempts.fail(b)).toBe(false);
  });

  it('limits public wrong codes per source and in total, each within the window', () => {
    let now = 1_000;
    const attempts = new PairingAttempts(3, PUBLIC, () => now);
    expect(attempts.publicRefusal('203.0.113.1')).toBeNull();
    attempts.failPublic('203.0.113.1');
    attempts.failPublic('203.0.113.1');
    expect(attempts.publicRefusal('203.0.113.1')).toEqual({ reason: 'source', retryAfterSeconds: 60 });
    // Another source still may try, until all sources together used the window's tries.
    attempts.failPublic('203.0.113.2');
    attempts.failPublic('203.0.113.3');
    expect(attempts.publicRefusal('203.0.113.4')).toBeNull();
    attempts.failPublic('203.0.113.4');
    now += 30_000;
    expect(attempts.publicRefusal('203.0.113.5')).toEqual({ reason: 'public', retryAfterSeconds: 30 });
    // A new window forgets every count.
    now += 30_000;
    expect(attempts.publicRefusal('203.0.113.1')).toBeNull();
    expect(attempts.publicRefusal('203.0.113.5')).toBeNull();
  });
});
