import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startCaddy, type TestProxy } from '../support/caddy.js';
import { startTestHub, type TestHub } from '../support/hub.js';

/** GET through the proxy, under the proxy's own name. */
function getThrough(proxy: TestProxy, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: proxy.port, servername: proxy.name, path, ca: proxy.caRoot, headers: { host: `${proxy.name}:${proxy.port}` } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The test proxy itself: Caddy terminates TLS for the test name and forwards to a real hub. */
describe('Caddy in front of a hub', () => {
  let hub: TestHub;
  let proxy: TestProxy;
  beforeAll(async () => {
    hub = await startTestHub();
    proxy = await startCaddy(hub.port);
  });
  afterAll(async () => {
    await proxy?.stop();
    await hub?.dispose();
  });

  it('serves the hub over TLS signed by its own root, keeping the Host header, which a hub without --public-url refuses', async () => {
    const { status, body } = await getThrough(proxy, '/api/v1/health');
    // The proxy alone opens nothing.
    expect(status).toBe(403);
    expect(body).toContain(`${proxy.name}:${proxy.port}`);
  });
});

describe('Caddy in front of a hub told its public URL', () => {
  let hub: TestHub;
  let proxy: TestProxy;
  beforeAll(async () => {
    const port = await freePort();
    proxy = await startCaddy(port);
    hub = await startTestHub({ port, publicUrl: proxy.publicUrl });
  });
  afterAll(async () => {
    await proxy?.stop();
    await hub?.dispose();
  });

  it('answers through the proxy', async () => {
    expect(hub.hub.publicUrl).toBe(proxy.publicUrl);
    const { status, body } = await getThrough(proxy, '/api/v1/health');
    expect(status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ ok: true });
  });
});
