import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useHubs } from '../support/harness.js';
import { rawRequest } from '../support/rest-client.js';

const INDEX_HTML = '<!doctype html><html><head><script type="module" src="/assets/index-AbCd1234.js"></script></head><body><div id="app"></div></body></html>\n';
const SCRIPT = 'console.log("signoff window");\n';
const STYLE = '.sw-window { display: grid; }\n';
const SECRET = 'outside the window folder';

describe('the approval window served by the hub', () => {
  const hubs = useHubs();
  let base: string;
  let uiDir: string;

  beforeAll(() => {
    // base/secret.txt beside base/window/{index.html, assets/…, .env, assets/leak.js → ../../secret.txt}
    base = mkdtempSync(join(tmpdir(), 'signoff-ui-'));
    uiDir = join(base, 'window');
    mkdirSync(join(uiDir, 'assets'), { recursive: true });
    writeFileSync(join(base, 'secret.txt'), SECRET);
    writeFileSync(join(base, 'package.json'), `{"secret":"${SECRET}"}`);
    writeFileSync(join(uiDir, 'index.html'), INDEX_HTML);
    writeFileSync(join(uiDir, 'assets', 'index-AbCd1234.js'), SCRIPT);
    writeFileSync(join(uiDir, 'assets', 'window-XyZ98765.css'), STYLE);
    writeFileSync(join(uiDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(uiDir, '.env'), SECRET);
    symlinkSync(join(base, 'secret.txt'), join(uiDir, 'assets', 'leak-AbCd1234.js'));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('serves index.html at / with a strict CSP and the security headers, revalidated on every load', async () => {
    const t = await hubs.start({ uiDir });
    for (const path of ['/', '/?surface=tray&request=abc', '/index.html']) {
      const res = await rawRequest({ port: t.port, path });
      expect(res.status, path).toBe(200);
      expect(res.text).toBe(INDEX_HTML);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${t.port} ws://localhost:${t.port}`);
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).not.toContain('unsafe-inline');
    }
  });

  it('answers HEAD with the headers only, and 304 when the page has not changed', async () => {
    const t = await hubs.start({ uiDir });
    const head = await rawRequest({ port: t.port, path: '/', method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(INDEX_HTML)));
    const etag = String(head.headers.etag);
    const again = await rawRequest({ port: t.port, path: '/', headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('serves hashed assets with their type, cached for good', async () => {
    const t = await hubs.start({ uiDir });
    const script = await rawRequest({ port: t.port, path: '/assets/index-AbCd1234.js' });
    expect(script.status).toBe(200);
    expect(script.text).toBe(SCRIPT);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.headers['x-content-type-options']).toBe('nosniff');
    const style = await rawRequest({ port: t.port, path: '/assets/window-XyZ98765.css' });
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    const icon = await rawRequest({ port: t.port, path: '/favicon.svg' });
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-cache');
    expect((await rawRequest({ port: t.port, path: '/assets/missing-AbCd1234.js' })).status).toBe(404);
  });

  it('never serves a file outside its folder, a dotfile or a symlink out of it', async () => {
    const t = await hubs.start({ uiDir });
    const attempts: [string, number[]][] = [
      ['/../package.json', [400]],
      ['/../secret.txt', [400]],
      ['/assets/../../secret.txt', [400]],
      ['/%2e%2e/package.json', [400]],
      ['/%2E%2E/secret.txt', [400]],
      ['/..%2fsecret.txt', [400]],
      ['/assets/..%2f..%2fsecret.txt', [400]],
      ['/assets%2f..%2f..%2fsecret.txt', [400]],
      ['/..%5csecret.txt', [400]],
      ['/%00', [400]],
      ['/.env', [404]],
      ['/assets/leak-AbCd1234.js', [404]],
      ['/assets/', [404]],
      ['//secret.txt', [404]],
      ['/secret.txt', [404]],
    ];
    for (const [path, statuses] of attempts) {
      const res = await rawRequest({ port: t.port, path });
      expect(statuses, `${path} → ${res.status}`).toContain(res.status);
      expect(res.text, path).not.toContain(SECRET);
    }
  });

  it('serves only GET and HEAD', async () => {
    const t = await hubs.start({ uiDir });
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await rawRequest({ port: t.port, path: '/', method });
      expect(res.status, method).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
    }
  });

  it('leaves /api and Socket.IO as they were', async () => {
    const t = await hubs.start({ uiDir });
    const health = await rawRequest({ port: t.port, path: '/api/v1/health' });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ ok: true });
    const unknown = await rawRequest({ port: t.port, path: '/api/v1/index.html' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'not_found' } });
    expect((await rawRequest({ port: t.port, path: '/api/v1/stats' })).status).toBe(401);
    const approver = await hubs.approverSocket(t);
    expect(await approver.call('stats:get', {})).toMatchObject({ pending: 0 });
  });

  it('still refuses a web origin and a foreign Host on /', async () => {
    const t = await hubs.start({ uiDir });
    for (const headers of [{ origin: 'https://evil.example' }, { origin: `http://127.0.0.1:${t.port + 1}` }, { host: `evil.example:${t.port}` }]) {
      const res = await rawRequest({ port: t.port, path: '/', headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.text).not.toContain('<html');
      const asset = await rawRequest({ port: t.port, path: '/assets/index-AbCd1234.js', headers });
      expect(asset.status).toBe(403);
    }
    // The hub's own origin (a same-origin fetch from the window) passes.
    expect((await rawRequest({ port: t.port, path: '/', headers: { origin: `http://localhost:${t.port}` } })).status).toBe(200);
  });

  it('says how to build the window when it is not built, and keeps working', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'signoff-ui-empty-'));
    try {
      const t = await hubs.start({ uiDir: join(empty, 'nothing-here') });
      const res = await rawRequest({ port: t.port, path: '/' });
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.text).toContain('npm run build');
      expect((await rawRequest({ port: t.port, path: '/assets/index-AbCd1234.js' })).status).toBe(404);
      expect((await rawRequest({ port: t.port, path: '/api/v1/health' })).status).toBe(200);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
