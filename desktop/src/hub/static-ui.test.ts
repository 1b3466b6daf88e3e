import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheControlFor, contentSecurityPolicy, resolveUiPath } from './static-ui.js';

const ROOT = resolve('/srv/signoff/window');

describe('resolveUiPath', () => {
  it('maps / to index.html and files to their place under the root, ignoring the query', () => {
    expect(resolveUiPath(ROOT, '/')).toEqual({ ok: true, file: join(ROOT, 'index.html'), relativePath: 'index.html' });
    expect(resolveUiPath(ROOT, '/?surface=tray&request=abc')).toMatchObject({ ok: true, relativePath: 'index.html' });
    expect(resolveUiPath(ROOT, '/assets/index-B3xq9kPz.js')).toEqual({
      ok: true,
      file: join(ROOT, 'assets', 'index-B3xq9kPz.js'),
      relativePath: 'assets/index-B3xq9kPz.js',
    });
    expect(resolveUiPath(ROOT, '/assets/a%20b.css')).toMatchObject({ ok: true, relativePath: 'assets/a b.css' });
  });

  it('refuses dot segments, encoded or not, backslashes, NUL and bad encoding with 400', () => {
    for (const path of ['/../package.json', '/assets/../../secret', '/%2e%2e/package.json', '/%2E%2E%2Fpackage.json', '/..%2fpackage.json', '/./index.html', '/a%5c..%5csecret', '/index.html%00.js', '/%E0%A4%A']) {
      expect(resolveUiPath(ROOT, path), path).toEqual({ ok: false, status: 400 });
    }
    expect(resolveUiPath(ROOT, 'index.html')).toEqual({ ok: false, status: 400 });
  });

  it('answers 404 for dotfiles, directories and empty segments', () => {
    for (const path of ['/.env', '/assets/.hidden.js', '/assets/', '//etc/passwd', '/assets//x.js']) {
      expect(resolveUiPath(ROOT, path), path).toEqual({ ok: false, status: 404 });
    }
  });
});

describe('cacheControlFor', () => {
  it('caches hashed assets for good and revalidates everything else', () => {
    expect(cacheControlFor('assets/index-B3xq9kPz.js')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlFor('assets/window-Dk_3-aZ9.css')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlFor('index.html')).toBe('no-cache');
    expect(cacheControlFor('favicon.svg')).toBe('no-cache');
    expect(cacheControlFor('assets/logo.svg')).toBe('no-cache');
  });
});

describe('contentSecurityPolicy', () => {
  it('allows only the hub itself, with its WebSocket addresses, and forbids framing, plugins and <base>', () => {
    const csp = contentSecurityPolicy(7475, '127.0.0.1');
    expect(csp.split('; ')).toEqual([
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self'",
      "font-src 'self'",
      "worker-src 'self'",
      "manifest-src 'self'",
      "connect-src 'self' ws://127.0.0.1:7475 ws://localhost:7475",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'self'",
    ]);
    expect(csp).not.toContain('unsafe');
  });

  it('adds a specific bound address, not a wildcard one nor an IPv6 literal (CSP cannot name those; \'self\' covers them)', () => {
    expect(contentSecurityPolicy(9000, '192.168.1.5')).toContain('ws://192.168.1.5:9000');
    expect(contentSecurityPolicy(9000, '0.0.0.0')).not.toContain('0.0.0.0');
    for (const host of ['::', '::1', 'fd00::5']) expect(contentSecurityPolicy(9000, host)).not.toContain('[');
  });

  it('serves the service worker revalidated on every load, so a new build replaces it', () => {
    expect(cacheControlFor('sw.js')).toBe('no-cache');
    expect(cacheControlFor('manifest.webmanifest')).toBe('no-cache');
  });

  it('lets a page served through the public URL open its wss: WebSocket there', () => {
    const csp = contentSecurityPolicy(7475, '127.0.0.1', { origin: 'https://signoff.test:8443', host: 'signoff.test:8443' });
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:7475 ws://localhost:7475 wss://signoff.test:8443;");
  });
});
