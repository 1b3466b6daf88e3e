import { create } from 'qrcode';

/** A QR code as one SVG path: `d` draws the dark modules on a `size`×`size` grid (no quiet zone). */
export interface QrPath {
  size: number;
  d: string;
}

/**
 * Encodes `text` (a pairing link) as a QR code and draws it as a single SVG path, one
 * rectangle per run of dark modules in a row. The window renders it with Preact as an
 * `<svg>` — no innerHTML, no data: URL, no style attribute — so it passes the hub's CSP.
 * Error correction M: a phone's camera reads it off a screen at arm's length.
 */
export function qrPath(text: string): QrPath {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    let col = 0;
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      parts.push(`M${start} ${row}h${col - start}v1h-${col - start}z`);
    }
  }
  return { size: modules.size, d: parts.join('') };
}
