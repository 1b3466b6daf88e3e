import { create } from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrPath } from './qr-path.js';

/** Reads the path back into a grid of dark modules. */
function paint(path: { size: number; d: string }): boolean[][] {
  const grid = Array.from({ length: path.size }, () => Array<boolean>(path.size).fill(false));
  for (const [, x, y, w] of path.d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
    for (let i = 0; i < Number(w); i++) grid[Number(y)]![Number(x) + i] = true;
  }
  return grid;
}

describe('qrPath', () => {
  it('draws exactly the dark modules of the QR code, as runs', () => {
    const text = 'https://signoff.example.ts.net/#pair=K7QX-M2PD';
    const path = qrPath(text);
    const { modules } = create(text, { errorCorrectionLevel: 'M' });
    expect(path.size).toBe(modules.size);
    const expected = Array.from({ length: modules.size }, (_, row) => Array.from({ length: modules.size }, (_, col) => modules.get(row, col) === 1));
    expect(paint(path)).toEqual(expected);
    // Nothing but moves and lines: safe to put in a `d` attribute.
    expect(path.d).toMatch(/^(M\d+ \d+h\d+v1h-\d+z)+$/);
  });

  it('always starts with the finder pattern: a run of seven in the top-left corner', () => {
    expect(qrPath('https://signoff.test:8443/#pair=ABCD-EFGH').d.startsWith('M0 0h7v1h-7z')).toBe(true);
  });
});
