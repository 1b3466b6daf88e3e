#!/usr/bin/env node
// Draws Signoff's icons (a blue rounded square with a white check, as the extension's)
// into desktop/build/. Run once after changing the design: `node desktop/build/generate-icons.mjs`.
// Plain Node, no image library: shapes are signed distance fields, anti-aliased by
// their distance to the pixel centre, written as RGBA PNGs; .icns and .ico wrap PNGs.
//
//   icon.png            1024, macOS-style margin (source for electron-builder)
//   icon.icns           macOS app icon, 16…1024 (@1x and @2x)
//   icon.ico            Windows app icon, 16…256
//   icons/NxN.png       Linux app icons, 16…1024
//   tray/*.png          tray icons: <state>Template(@2x) for macOS, <state>(@2x) for Windows,
//                       <state>-linux for Linux; notification.png for notifications
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT = dirname(fileURLToPath(import.meta.url));

const BLUE = [26, 115, 232];
const RED = [217, 48, 37];
const AMBER = [249, 171, 0];
const WHITE = [255, 255, 255];
const BLACK = [0, 0, 0];

// ---- shapes: signed distance in unit-square coordinates (negative inside) ----
const roundedRect = (x0, y0, x1, y1, r) => (x, y) => {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const qx = Math.abs(x - cx) - ((x1 - x0) / 2 - r);
  const qy = Math.abs(y - cy) - ((y1 - y0) / 2 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const segment = (ax, ay, bx, by, halfWidth) => (x, y) => {
  const px = x - ax;
  const py = y - ay;
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - t * dx, py - t * dy) - halfWidth;
};
const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
const union = (...shapes) => (x, y) => Math.min(...shapes.map((s) => s(x, y)));
const ring = (shape, halfWidth) => (x, y) => Math.abs(shape(x, y)) - halfWidth;
/** Scales a shape into the box [m, 1-m]. */
const inset = (shape, m) => (x, y) => shape((x - m) / (1 - 2 * m), (y - m) / (1 - 2 * m)) * (1 - 2 * m);

const check = (w = 0.065) => union(segment(0.27, 0.52, 0.43, 0.68, w), segment(0.43, 0.68, 0.75, 0.34, w));
const exclamation = () => union(segment(0.5, 0.24, 0.5, 0.56, 0.075), circle(0.5, 0.75, 0.08));
const square = () => roundedRect(0, 0, 1, 1, 0.2);

// ---- raster ----
/** Layers: { shape, color, knockout? } painted in order; a knockout clears what is under it. */
function render(size, layers) {
  const px = new Float64Array(size * size * 4); // premultiplied RGBA, 0..1
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const x = (i + 0.5) / size;
      const y = (j + 0.5) / size;
      const o = (j * size + i) * 4;
      for (const layer of layers) {
        const coverage = Math.max(0, Math.min(1, 0.5 - layer.shape(x, y) * size));
        if (coverage === 0) continue;
        if (layer.knockout) {
          for (let c = 0; c < 4; c++) px[o + c] *= 1 - coverage;
          continue;
        }
        for (let c = 0; c < 3; c++) px[o + c] = (layer.color[c] / 255) * coverage + px[o + c] * (1 - coverage);
        px[o + 3] = coverage + px[o + 3] * (1 - coverage);
      }
    }
  }
  const rgba = Buffer.alloc(size * size * 4);
  for (let k = 0; k < size * size; k++) {
    const a = px[k * 4 + 3];
    for (let c = 0; c < 3; c++) rgba[k * 4 + c] = a > 0 ? Math.round((px[k * 4 + c] / a) * 255) : 0;
    rgba[k * 4 + 3] = Math.round(a * 255);
  }
  return png(size, rgba);
}

// ---- PNG ----
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- containers ----
/** .icns with PNG payloads; OSType per pixel size and scale (Apple's icns types). */
function icns(entries) {
  const parts = entries.map(({ type, data }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}
/** .ico with PNG payloads (Windows Vista and later read them at every size). */
function ico(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const dir = images.map(({ size, data }) => {
    const e = Buffer.alloc(16);
    e[0] = size >= 256 ? 0 : size;
    e[1] = size >= 256 ? 0 : size;
    e.writeUInt16LE(1, 4); // planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    return e;
  });
  return Buffer.concat([header, ...dir, ...images.map((i) => i.data)]);
}

// ---- designs ----
const appLayers = [
  { shape: square(), color: BLUE },
  { shape: check(), color: WHITE },
];
// macOS app icons leave a margin around the body (Apple's grid: 824 of 1024).
const macLayers = appLayers.map((l) => ({ ...l, shape: inset(l.shape, 0.1) }));

const badge = circle(0.8, 0.2, 0.2);
const colouredTray = {
  idle: [{ shape: square(), color: BLUE }, { shape: check(0.085), color: WHITE }],
  pending: [
    { shape: square(), color: BLUE },
    { shape: check(0.085), color: WHITE },
    { shape: circle(0.8, 0.2, 0.27), knockout: true },
    { shape: badge, color: AMBER },
  ],
  critical: [{ shape: square(), color: RED }, { shape: exclamation(), color: WHITE }],
};
// Template images: black and alpha only; macOS tints them for light and dark menu bars.
const frame = ring(roundedRect(0.06, 0.06, 0.94, 0.94, 0.2), 0.06);
const templateTray = {
  idle: [{ shape: frame, color: BLACK }, { shape: check(0.075), color: BLACK }],
  pending: [
    { shape: frame, color: BLACK },
    { shape: check(0.075), color: BLACK },
    { shape: circle(0.8, 0.2, 0.29), knockout: true },
    { shape: circle(0.8, 0.2, 0.2), color: BLACK },
  ],
  critical: [{ shape: roundedRect(0, 0, 1, 1, 0.2), color: BLACK }, { shape: exclamation(), knockout: true }],
};

function write(path, data) {
  mkdirSync(dirname(join(OUT, path)), { recursive: true });
  writeFileSync(join(OUT, path), data);
  console.log(`${path} (${data.length} bytes)`);
}

const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
for (const size of LINUX_SIZES) write(`icons/${size}x${size}.png`, render(size, appLayers));
write('icon.png', render(1024, macLayers));
const mac = (size) => render(size, macLayers);
write(
  'icon.icns',
  icns([
    { type: 'icp4', data: mac(16) },
    { type: 'icp5', data: mac(32) },
    { type: 'icp6', data: mac(64) },
    { type: 'ic07', data: mac(128) },
    { type: 'ic08', data: mac(256) },
    { type: 'ic09', data: mac(512) },
    { type: 'ic10', data: mac(1024) },
    { type: 'ic11', data: mac(32) },
    { type: 'ic12', data: mac(64) },
    { type: 'ic13', data: mac(256) },
    { type: 'ic14', data: mac(512) },
  ]),
);
write('icon.ico', ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: render(size, appLayers) }))));
for (const state of ['idle', 'pending', 'critical']) {
  write(`tray/${state}Template.png`, render(16, templateTray[state]));
  write(`tray/${state}Template@2x.png`, render(32, templateTray[state]));
  write(`tray/${state}.png`, render(16, colouredTray[state]));
  write(`tray/${state}@2x.png`, render(32, colouredTray[state]));
  write(`tray/${state}-linux.png`, render(32, colouredTray[state]));
}
write('tray/notification.png', render(128, appLayers));
