import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PairingAttempts } from './pairing-attempts.js';

describe('PairingAttempts', () => {
  it('gives each connection its own wrong tries, the last one saying so', () => {
    const attempts = new PairingAttempts(3);
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
});
