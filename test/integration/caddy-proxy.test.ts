import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaddy, type TestProxy } from '../support/caddy.js';
import { startTestHub, type TestHub } from '../support/hub.js';

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

  it('serves the hub over TLS signed by its own root, keeping the Host header', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: proxy.port, servername: proxy.name, path: '/api/v1/health', ca: proxy.caRoot, headers: { host: `${proxy.name}:${proxy.port}` } },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    // Without --public-url the hub refuses the proxy's Host: the proxy alone opens nothing.
    expect(status).toBe(403);
    expect(body).toContain(`${proxy.name}:${proxy.port}`);
  });
});
