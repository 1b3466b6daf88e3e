import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent, request as httpsRequest } from 'node:https';
import type { Decision, Logger, SignoffRequest } from '@signoff/shared';
import { createHub } from '@signoff/desktop/hub';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caddyAvailable, freePort, startCaddy, type TestProxy } from '../support/caddy.js';
import { runCli } from '../support/cli.js';
import { connectSocket, startTestHub, type TestHub } from '../support/hub.js';
import { approvalRequest } from '../support/requests.js';
import { rawRequest, type Json } from '../support/rest-client.js';
import { waitUntil } from '../support/wait-until.js';

/**
 * The hub's public URL (issue 13) through real Caddy (TLS with its own root CA, a name
 * only the test maps): what another machine's agent and the person's phone may do
 * there, and everything that is refused — the local agent token, other Hosts and web
 * origins, revoked machine tokens and devices, and pairing-code guessing (per source
 * and from all sources together, while the hub's own machine still pairs).
 */

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Json;
}

/** Logs kept for the refusal-logging checks. */
const logged: string[] = [];
const keepingLogger: Logger = {
  info() {},
  warn: (...args: unknown[]) => void logged.push(args.join(' ')),
  error: (...args: unknown[]) => void logged.push(args.join(' ')),
};

const WRONG_CODE = { code: 'ZZZZ-ZZZZ', name: 'guess' };

describe.runIf(caddyAvailable())('the hub at its public URL, through Caddy', () => {
  let proxy: TestProxy;
  let t: TestHub;
  let approverToken: string;
  let machineToken: string;
  /** Resolves the test name to 127.0.0.1 for this process's sockets, and trusts Caddy's root. */
  let agent: Agent;
  const sockets: Socket[] = [];

  const publicHost = () => `${proxy.name}:${proxy.port}`;

  /** A REST call through Caddy under the public name. */
  const viaProxy = (method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const body = options.body === undefined ? undefined : JSON.stringify(options.body);
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          port: proxy.port,
          servername: proxy.name,
          ca: proxy.caRoot,
          method,
          path: `/api/v1${path}`,
          agent: false,
          headers: {
            host: publicHost(),
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...options.headers,
          },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => {
            let parsed: Json;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = text;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  /** A Socket.IO client through Caddy, over wss: at the public URL. */
  const socketViaProxy = (namespace: '/agent' | '/approver', token: string): Promise<Socket> => {
    const socket = io(`${proxy.publicUrl}${namespace}`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, agent, ca: proxy.caRoot } as never);
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  };

  beforeAll(async () => {
    const mapName = (host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      if (host !== proxy.name) return dnsLookup(host, options, callback as never);
      const address: LookupAddress = { address: '127.0.0.1', family: 4 };
      return options.all ? callback(null, [address]) : callback(null, address.address, address.family);
    };
    agent = new Agent({ lookup: mapName as never });
    // The hub must know its public URL before it starts, and Caddy its hub's port.
    const port = await freePort();
    proxy = await startCaddy(port);
    t = await startTestHub({ port, publicUrl: proxy.publicUrl, logger: keepingLogger, limits: { wrongPairingCodesPerSource: 3, wrongPairingCodesPublic: 6 } });
    approverToken = await t.pairApprover('Ada');
    const created = await viaProxy('POST', '/machines', { token: approverToken, body: { name: 'build-box' } });
    expect(created.status).toBe(201);
    machineToken = created.body.token;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    agent?.destroy();
    await proxy?.stop();
    await t?.dispose();
  });

  it('a machine-token agent asks over REST through the proxy; the approver sees "from build-box" and decides; the agent reads the decision', async () => {
    const approver = await connectSocket(t.url, '/approver', approverToken);
    sockets.push(approver);
    const seen = new Promise<SignoffRequest>((resolve) => approver.on('request:new', resolve));
    const created = await viaProxy('POST', '/requests', { token: machineToken, body: { ...approvalRequest, agentId: 'deploy-bot' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ agentId: 'deploy-bot', machine: 'build-box', status: 'pending' });
    const request = await seen;
    expect(request).toMatchObject({ id: created.body.id, machine: 'build-box' });
    const waiting = viaProxy('GET', `/requests/${request.id}?wait=20`, { token: machineToken });
    expect(await approver.emitWithAck('request:respond', { id: request.id, response: { approved: true, reason: 'ok' } })).toMatchObject({ ok: true });
    expect((await waiting).body).toMatchObject({ status: 'resolved', machine: 'build-box', decision: { response: { approved: true } } });
    // The list shows each machine's requests as its own, and the machine's token as used.
    expect(t.hub.store.machines.list()[0]?.lastUsedAt).not.toBeNull();
  });

  it('a machine-token agent asks over Socket.IO (wss through the proxy) and gets request:decided', async () => {
    const approver = await connectSocket(t.url, '/approver', approverToken);
    sockets.push(approver);
    const agentSocket = await socketViaProxy('/agent', machineToken);
    const decided = new Promise<Decision>((resolve) => agentSocket.on('request:decided', resolve));
    const created = (await agentSocket.emitWithAck('request:create', { ...approvalRequest, title: 'From the build box' })) as { ok: true; data: SignoffRequest };
    expect(created.data).toMatchObject({ machine: 'build-box', status: 'pending' });
    await approver.emitWithAck('request:respond', { id: created.data.id, response: { approved: false, reason: 'not today' } });
    expect(await decided).toMatchObject({ requestId: created.data.id, status: 'resolved', response: { approved: false } });
  });

  it('never takes the machine from the payload', async () => {
    const reply = await viaProxy('POST', '/requests', { token: machineToken, body: { ...approvalRequest, machine: 'laptop' } });
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body)).toContain('machine');
  });

  it('refuses the local agent token through the proxy (401, REST and socket), saying to create a machine token, and logs it without the token', async () => {
    logged.length = 0;
    const reply = await viaProxy('POST', '/requests', { token: t.agentToken, body: approvalRequest });
    expect(reply.status).toBe(401);
    expect(reply.body.error.message).toContain('signoff token create NAME');
    expect(reply.body.error.message).not.toContain('send Authorization');
    await expect(socketViaProxy('/agent', t.agentToken)).rejects.toThrow(/signoff token create NAME/);
    expect(logged.filter((line) => line.includes('refused on the public route from 127.0.0.1'))).toHaveLength(2);
    expect(logged.join('\n')).not.toContain(t.agentToken);
    // On this machine it still works.
    const local = await rawRequest({ port: t.port, method: 'POST', path: '/api/v1/requests', headers: { authorization: `Bearer ${t.agentToken}`, 'content-type': 'application/json' }, body: JSON.stringify(approvalRequest) });
    expect(local.status).toBe(201);
  });

  it('refuses another Host and another web origin through the proxy (403), and takes the public origin', async () => {
    const wrongPort = await viaProxy('GET', '/health', { headers: { host: `${proxy.name}:1` } });
    expect(wrongPort.status).toBe(403);
    expect(wrongPort.body.error.message).toContain(`${proxy.name}:1`);
    const otherOrigin = await viaProxy('GET', '/health', { headers: { origin: 'https://evil.example' } });
    expect(otherOrigin.status).toBe(403);
    expect(otherOrigin.body.error.message).toContain('https://evil.example');
    const ownOrigin = await viaProxy('GET', '/health', { headers: { origin: proxy.publicUrl } });
    expect(ownOrigin.status).toBe(200);
    expect(ownOrigin.body).toEqual({ ok: true, version: expect.any(String), publicUrl: proxy.publicUrl });
  });

  it('refuses to start with a plain http public URL, from the flag or the variable, naming which', async () => {
    expect(() => createHub({ dataDir: t.dataDir, port: 0, publicUrl: `http://${proxy.name}:${proxy.port}` })).toThrow(/publicUrl: must be https:\/\//);
    const flag = await runCli(['hub', '--port', '0', '--data-dir', t.dataDir, '--public-url', `http://${proxy.name}`]).done;
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain(`signoff hub: --public-url: must be https://`);
    const variable = await runCli(['hub', '--port', '0', '--data-dir', t.dataDir], { SIGNOFF_PUBLIC_URL: `https://${proxy.name}/signoff` }).done;
    expect(variable.code).toBe(2);
    expect(variable.stderr).toContain('SIGNOFF_PUBLIC_URL: must be the proxy\'s root');
  });

  it('keeps machine tokens to approvers: an agent may neither list nor make them (403)', async () => {
    expect((await viaProxy('GET', '/machines', { token: machineToken })).status).toBe(403);
    expect((await viaProxy('POST', '/machines', { token: machineToken, body: { name: 'more' } })).status).toBe(403);
    const listed = await viaProxy('GET', '/machines', { token: approverToken });
    expect(listed.body.machines).toEqual([expect.objectContaining({ name: 'build-box', revokedAt: null })]);
    expect(JSON.stringify(listed.body)).not.toContain(machineToken);
  });

  it('a machine token revoked through the hub is refused at once, and its connected socket is closed', async () => {
    const made = await viaProxy('POST', '/machines', { token: approverToken, body: { name: 'old laptop' } });
    const socket = await socketViaProxy('/agent', made.body.token);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const asked = await viaProxy('POST', '/requests', { token: made.body.token, body: approvalRequest });
    const waiting = viaProxy('GET', `/requests/${asked.body.id}?wait=20`, { token: made.body.token });
    expect((await viaProxy('DELETE', `/machines/${made.body.machine.id}`, { token: approverToken })).body.machine).toMatchObject({ name: 'old laptop', revokedAt: expect.any(Number) });
    expect(await closed).toBe('io server disconnect');
    // A long-poll begun before the revocation does not hand the decision to a revoked machine.
    const approver = await connectSocket(t.url, '/approver', approverToken);
    sockets.push(approver);
    await approver.emitWithAck('request:respond', { id: asked.body.id, response: { approved: true } });
    expect((await waiting).status).toBe(401);
    expect((await viaProxy('GET', '/requests/x', { token: made.body.token })).status).toBe(401);
    await expect(socketViaProxy('/agent', made.body.token)).rejects.toThrow(/this machine token was revoked; make a new one .*signoff token create NAME/);
    expect((await viaProxy('POST', '/requests', { token: made.body.token, body: approvalRequest })).body.error.message).toMatch(/^this machine token was revoked/);
    expect((await viaProxy('DELETE', `/machines/${made.body.machine.id}`, { token: approverToken })).status).toBe(404);
  });

  it('a machine token revoked by the CLI on the data file stops being served on its next event', async () => {
    const created = await runCli(['token', 'create', 'ci-runner', '--data-dir', t.dataDir, '--public-url', proxy.publicUrl]).done;
    expect(created.code).toBe(0);
    const lines = created.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('shown only this once');
    expect(lines[0]).toContain(`SIGNOFF_URL=${proxy.publicUrl} SIGNOFF_TOKEN=`);
    const token = lines[1]!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const socket = await socketViaProxy('/agent', token);
    const listed = await runCli(['token', 'list', '--data-dir', t.dataDir]).done;
    expect(listed.stdout).toMatch(/ci-runner\s+created \S+ ago\s+last used \S+ ago/);
    expect((await runCli(['token', 'revoke', 'ci-runner', '--data-dir', t.dataDir]).done).code).toBe(0);
    expect(await socket.emitWithAck('request:create', approvalRequest)).toEqual({ ok: false, error: { code: 'unauthorized', message: 'this machine token was revoked' } });
    await waitUntil(() => socket.disconnected, 'the revoked machine\'s socket to close');
    expect((await runCli(['token', 'revoke', 'ci-runner', '--data-dir', t.dataDir]).done).code).toBe(1);
    const json = JSON.parse((await runCli(['token', 'list', '--json', '--data-dir', t.dataDir]).done).stdout) as { name: string; revokedAt: number | null }[];
    expect(json.find((m) => m.name === 'ci-runner')?.revokedAt).toEqual(expect.any(Number));
    expect(JSON.stringify(json)).not.toContain(token);
    const bad = await runCli(['token', 'create', 'evil\u202Ename', '--data-dir', t.dataDir]).done;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('name: must not hold control, bidi or other invisible characters');
  });

  it('pairs a device through the proxy from a pairing:create link; revoking the device cuts it off through the proxy too', async () => {
    const approver = await connectSocket(t.url, '/approver', approverToken);
    sockets.push(approver);
    const minted = (await approver.emitWithAck('pairing:create', {})) as { ok: true; data: { code: string; expiresAt: number; url: string } };
    expect(minted.data.url).toBe(`${proxy.publicUrl}/#pair=${minted.data.code}`);
    const paired = await viaProxy('POST', '/pair', { body: { code: minted.data.code, name: 'Phone' } });
    expect(paired.status).toBe(201);
    expect((await viaProxy('GET', '/requests', { token: paired.body.token })).status).toBe(200);
    await approver.emitWithAck('devices:revoke', { id: paired.body.deviceId });
    expect((await viaProxy('GET', '/requests', { token: paired.body.token })).status).toBe(401);
  });

  it('limits pairing-code guessing through the proxy per source and then for all public sources, while this machine still pairs', async () => {
    logged.length = 0;
    // Through Caddy every guess comes from 127.0.0.1 (the address Caddy saw): three wrong codes, then 429.
    for (let i = 0; i < 3; i++) expect((await viaProxy('POST', '/pair', { body: WRONG_CODE })).status).toBe(401);
    const locked = await viaProxy('POST', '/pair', { body: WRONG_CODE });
    expect(locked.status).toBe(429);
    expect(locked.body.error.details).toMatchObject({ limit: 'wrongPairingCodesPerSource' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // Other sources (as a proxy reports them, last X-Forwarded-For entry) may guess until all public sources used six.
    const asProxy = (source: string, body: unknown) =>
      rawRequest({ port: t.port, method: 'POST', path: '/api/v1/pair', headers: { host: publicHost(), 'x-forwarded-for': `10.9.9.9, ${source}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    for (const source of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) expect((await asProxy(source, WRONG_CODE)).status).toBe(401);
    const everyone = await asProxy('203.0.113.4', { code: t.hub.createPairingCode().code, name: 'too late' });
    expect(everyone.status).toBe(429);
    expect(everyone.body.error.details).toMatchObject({ limit: 'wrongPairingCodesPublic' });
    // The hub's own machine is never locked by public guessing.
    const local = await rawRequest({ port: t.port, method: 'POST', path: '/api/v1/pair', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: t.hub.createPairingCode().code, name: 'Laptop' }) });
    expect(local.status).toBe(201);
    expect(logged.filter((line) => line.includes('wrong pairing code'))).toHaveLength(6);
    expect(logged.filter((line) => line.includes('pairing locked'))).toHaveLength(2);
  });
});
