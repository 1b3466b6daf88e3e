/**
 * Serves the approval window (Vite's build of `desktop/src/window`) at the hub's
 * own origin, for every path outside `/api`. Read-only (GET and HEAD), never outside
 * its folder, with a strict Content-Security-Policy: the page may talk to this hub
 * and load its own files, nothing else. The hub works without it: when the window
 * is not built, `/` says how to build it.
 */
import { realpath, readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `desktop/dist/window`: from `dist/hub/` (the built hub) and `src/hub/` (tests on the sources) alike. */
export const DEFAULT_UI_DIR = fileURLToPath(new URL('../../dist/window/', import.meta.url));

/** Content types by file extension; anything else is served as `application/octet-stream`. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
};

const INDEX = 'index.html';
/** Vite's hashed output (`assets/index-B3xq9kPz.js`): its name changes with its content, so it may be cached for good. */
const HASHED_ASSET = /^assets\/[^/]+-[\w-]{8,}\.[a-z0-9]+$/i;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Headers every response of the UI carries: no sniffing, no framing, no referrer, not embeddable by other sites. */
const BASE_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** Where the built window is and what its CSP must name. */
export interface StaticUiOptions {
  /** The built window: `index.html` and `assets/`. Looked up on every request, so building while the hub runs works. */
  root: string;
  /** The hub's port once listening: the page's WebSocket sources in the CSP name it. */
  port(): number;
  /** The address the hub is bound to; named in the CSP too when it is a specific, non-loopback one. */
  host: string;
  /** The public URL (public-url.ts), whose WebSocket the page connects to when served through the proxy. */
  publicUrl?: { origin: string; host: string } | null | undefined;
}

/**
 * The window's Content-Security-Policy: scripts, styles and connections only from
 * the hub itself. The approver CSS is adopted as a constructed stylesheet, so no
 * `'unsafe-inline'` is needed; `ws:` sources are listed because older engines do
 * not count a same-origin WebSocket as `'self'`. No `'unsafe-eval'`: the window
 * runs zod jitless.
 */
export function contentSecurityPolicy(port: number, host: string, publicUrl?: { origin: string; host: string } | null): string {
  // CSP host sources cannot name IPv6 literals (Chromium ignores `ws://[::1]:…` with a
  // console error); a page loaded from `[::1]` reaches its own WebSocket through 'self'.
  const hosts = ['127.0.0.1', 'localhost'];
  const bound = host.toLowerCase();
  if (bound !== '0.0.0.0' && !bound.includes(':') && !hosts.includes(bound)) hosts.push(bound);
  const sockets = hosts.map((h) => `ws://${h}:${port}`);
  // Through the proxy the page is https, and its WebSocket wss, at the public host.
  if (publicUrl) sockets.push(`${publicUrl.origin.startsWith('https:') ? 'wss' : 'ws'}://${publicUrl.host}`);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    // The phone app's service worker (/sw.js) and manifest, from the hub itself only.
    "worker-src 'self'",
    "manifest-src 'self'",
    `connect-src 'self' ${sockets.join(' ')}`,
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** Where a request path points inside the UI folder, or why it is refused. */
export type UiPath = { ok: true; file: string; relativePath: string } | { ok: false; status: 400 | 404 };

/**
 * Maps a request path (`/assets/x.js?v=1`) to a file under `root`. Refuses `.`/`..`
 * segments, backslashes, NUL and bad percent-encoding (400), dotfiles and anything
 * that would resolve outside `root` (404). `/` is `index.html`.
 */
export function resolveUiPath(root: string, requestPath: string): UiPath {
  const raw = requestPath.split(/[?#]/, 1)[0] ?? '';
  if (!raw.startsWith('/')) return { ok: false, status: 400 };
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return { ok: false, status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { ok: false, status: 400 };
  const segments = decoded.split('/').slice(1);
  if (segments.some((s) => s === '.' || s === '..')) return { ok: false, status: 400 };
  if (decoded === '/') segments.splice(0, segments.length, INDEX);
  if (segments.some((s) => s === '' || s.startsWith('.'))) return { ok: false, status: 404 };
  const base = resolve(root);
  const file = resolve(base, ...segments);
  const relativePath = relative(base, file);
  if (relativePath === '' || relativePath.startsWith('..') || isAbsolute(relativePath)) return { ok: false, status: 404 };
  return { ok: true, file, relativePath: relativePath.split('\\').join('/') };
}

/** `Cache-Control` for a file: hashed assets forever, everything else revalidated on each load. */
export function cacheControlFor(relativePath: string): string {
  return HASHED_ASSET.test(relativePath) ? IMMUTABLE : 'no-cache';
}

const NOT_BUILT = [
  'Signoff hub: the approval window is not built here.',
  '',
  'Run `npm run build` in the Signoff checkout, then reload this page.',
  'The hub itself works without it: agents and approvers use /api/v1 and Socket.IO as before.',
  '',
].join('\n');

/**
 * Returns the handler for every non-`/api` request: the file, a 304, or a short
 * text refusal (404, 400, 405). Never throws; a read error answers 500.
 */
export function createStaticUi(options: StaticUiOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const sendText = (req: IncomingMessage, res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}) => {
    if (res.headersSent) return;
    res.writeHead(status, {
      ...BASE_HEADERS,
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(text)),
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
      ...extra,
    });
    res.end(req.method === 'HEAD' ? undefined : text);
  };

  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendText(req, res, 405, `${req.method ?? ''} is not allowed here\n`, { Allow: 'GET, HEAD' });
    }
    const target = resolveUiPath(options.root, req.url ?? '/');
    if (!target.ok) return sendText(req, res, target.status, target.status === 400 ? 'Bad path\n' : 'Not found\n');
    try {
      const found = await findFile(options.root, target.file);
      if (!found) {
        if (target.relativePath === INDEX) return sendText(req, res, 503, NOT_BUILT);
        return sendText(req, res, 404, 'Not found\n');
      }
      const etag = `W/"${found.size.toString(16)}-${Math.floor(found.mtimeMs).toString(16)}"`;
      const type = CONTENT_TYPES[extname(target.file).toLowerCase()] ?? 'application/octet-stream';
      const headers: Record<string, string> = { ...BASE_HEADERS, 'Content-Type': type, 'Cache-Control': cacheControlFor(target.relativePath), ETag: etag };
      if (type.startsWith('text/html')) headers['Content-Security-Policy'] = contentSecurityPolicy(options.port(), options.host, options.publicUrl);
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      const body = await readFile(found.path);
      res.writeHead(200, { ...headers, 'Content-Length': String(body.length) });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      sendText(req, res, 500, 'The hub could not read this file\n');
    }
  };
}

/** The regular file at `file`, if there is one whose real path (symlinks followed) is still inside `root`. */
async function findFile(root: string, file: string): Promise<{ path: string; size: number; mtimeMs: number } | null> {
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(file), realpath(root)]);
  } catch {
    return null; // missing file or missing root (window not built)
  }
  const inside = relative(realRoot, real);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  const info = await stat(real);
  return info.isFile() ? { path: real, size: info.size, mtimeMs: info.mtimeMs } : null;
}
