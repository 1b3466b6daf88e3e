import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@signoff/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub.js';
import { RestClient } from '../support/rest-client.js';
import { waitUntil } from '../support/wait-until.js';

/* ntfy against a local HTTP endpoint standing in for an ntfy server (a LAN one may be plain http). */

const PUBLIC_URL = 'https://signoff.test';
const SECRET = 'hunter2-ntfy-secret-91c';
const TOKEN_ENV = 'SIGNOFF_TEST_NTFY_TOKEN';
const TOKEN = 'tk_test_0123456789';

interface Published {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let ntfyUrl: string;
const published: Published[] = [];
let status = 200;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      published.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"id":"x"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ntfyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

let hub: TestHub;
let logged: string[];
afterEach(async () => {
  await hub?.dispose();
  published.length = 0;
  status = 200;
  delete process.env[TOKEN_ENV];
});

async function start(ntfy: object): Promise<RestClient> {
  logged = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'signoff-ntfy-'));
  writeFileSync(join(dataDir, 'tray-settings.json'), JSON.stringify({ ntfy }));
  const sink = (...args: unknown[]) => void logged.push(args.join(' '));
  hub = await startTestHub({ dataDir, publicUrl: PUBLIC_URL, logger: createLogger('hub', { log: sink, warn: sink, error: sink }) });
  return new RestClient(hub.url, hub.agentToken);
}

async function ask(agentRest: RestClient, severity: 'high' | 'critical' | 'low'): Promise<string> {
  const reply = await agentRest.post('/requests', {
    kind: 'approval',
    title: `Deploy with ${SECRET}`,
    body: SECRET,
    severity,
    agentId: `agent-${SECRET}`,
    action: { name: 'deploy', args: { key: SECRET } },
  });
  expect(reply.status).toBe(201);
  return (reply.body as { id: string }).id;
}

describe('ntfy', () => {
  it('publishes a content-free message with title, priority 5 for critical, the link and the token from the named variable', async () => {
    process.env[TOKEN_ENV] = TOKEN;
    const agentRest = await start({ url: `${ntfyUrl}/`, topic: 'signoff-alerts', tokenEnv: TOKEN_ENV });
    const id = await ask(agentRest, 'critical');
    const [message] = await waitUntil(() => (published.length > 0 ? published : null), 'a publish');
    expect(message).toMatchObject({ method: 'POST', path: '/signoff-alerts', body: '1 waiting in all. Open Signoff to see it.' });
    expect(message!.headers).toMatchObject({
      title: 'Signoff: a critical request',
      priority: '5',
      click: `${PUBLIC_URL}/#request=${id}`,
      tags: 'rotating_light',
      authorization: `Bearer ${TOKEN}`,
    });
    expect(JSON.stringify(message)).not.toContain(SECRET);
    expect(logged.join('\n')).not.toContain(TOKEN);
  });

  it('follows the same policy (high: priority 4; low: nothing), and sends no Authorization when the variable is not set', async () => {
    const agentRest = await start({ url: ntfyUrl, topic: 'signoff-alerts', tokenEnv: TOKEN_ENV });
    await ask(agentRest, 'low');
    const high = await ask(agentRest, 'high');
    const [message] = await waitUntil(() => (published.length > 0 ? published : null), 'a publish');
    expect(published).toHaveLength(1);
    expect(message!.headers).toMatchObject({ priority: '4', click: `${PUBLIC_URL}/#request=${high}`, tags: 'bell' });
    expect(message!.headers.authorization).toBeUndefined();
  });

  it('logs a refusal by the server without the token, and goes on', async () => {
    process.env[TOKEN_ENV] = TOKEN;
    status = 403;
    const agentRest = await start({ url: ntfyUrl, topic: 'signoff-alerts', tokenEnv: TOKEN_ENV });
    await ask(agentRest, 'critical');
    await waitUntil(() => logged.some((line) => line.includes('answered 403')), 'the refusal logged');
    expect(logged.join('\n')).not.toContain(TOKEN);
    expect((await agentRest.get('/health')).status).toBe(200);
  });
});
