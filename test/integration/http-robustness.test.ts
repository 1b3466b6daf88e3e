import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { recordingLogger, useHubs } from '../support/harness.js';
import { rawRequest } from '../support/rest-client.js';
import { waitUntil } from '../support/wait-until.js';

/**
 * Writes `bytes` on a fresh TCP connection and resolves with everything the hub
 * sent once it closes the connection (the test times out if it never does).
 */
function exchange(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    socket.write(bytes);
  });
}

const statusLine = (response: string) => response.split('\r\n')[0];
const noStack = /\n\s+at /;

describe('every HTTP request gets an answer', () => {
  const hubs = useHubs();

  it.each([
    ['/\\', 400],
    ['/\\\\evil.example/api/v1/health', 400],
    ['//', 404],
    ['/api/v1\\requests', 400],
    ['/api/v1/requests/%', 400],
    ['/api/v1/nowhere?%zz=%', 404],
    ['*', 400],
    ['http://evil.example/api/v1/health', 400],
  ])('answers GET %s with %i and closes when asked to', async (target, status) => {
    const logger = recordingLogger();
    const t = await hubs.start({ logger });
    const response = await exchange(t.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nConnection: close\r\n\r\n`);
    expect(statusLine(response)).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(logger.errors).toEqual([]);
    expect((await hubs.agentRest(t).get('/health')).status).toBe(200);
  });

  it('answers a backslash path the way it answered nothing before: GET /\\ is a 400 Bad path', async () => {
    const t = await hubs.start();
    const res = await rawRequest({ port: t.port, path: '/\\' });
    expect(res.status).toBe(400);
    expect(res.text).toBe('Bad path\n');
  });

  it('names the problem in every refusal Node makes before the hub sees the request', async () => {
    const t = await hubs.start();
    const bodyOf = (response: string) => JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as { error: { message: string } };
    const lower = await exchange(t.port, `get /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\n\r\n`);
    expect(statusLine(lower)).toBe('HTTP/1.1 400 Bad Request');
    expect(bodyOf(lower).error.message).toMatch(/malformed HTTP request \(HPE_INVALID_METHOD\): the method/);
    const huge = await exchange(t.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(bodyOf(huge).error.message).toBe('request headers are too large');
    const expectation = await exchange(t.port, `GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nExpect: x\r\nConnection: close\r\n\r\n`);
    expect(statusLine(expectation)).toBe('HTTP/1.1 417 Expectation Failed');
    expect(bodyOf(expectation).error.message).toMatch(/Expect: x is not supported/);
  });

  it('answers a WebSocket upgrade to a path that serves none with 400 at once (it used to close silently a second later)', async () => {
    const t = await hubs.start();
    const upgrade = await exchange(
      t.port,
      `GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    expect(statusLine(upgrade)).toBe('HTTP/1.1 400 Bad Request');
    expect(upgrade).toMatch(/no WebSocket is served at \\"\/api\/v1\/health\\"/);
    // Socket.IO's own upgrades still work.
    const socket = await hubs.agentSocket(t);
    expect(socket).toBeTruthy();
  });

  it('answers what Node cannot parse with 400 (431 for huge headers), closes the socket, and logs one line without a stack', async () => {
    const logger = recordingLogger();
    const t = await hubs.start({ logger });
    expect(statusLine(await exchange(t.port, 'GARBAGE\r\n\r\n'))).toBe('HTTP/1.1 400 Bad Request');
    expect(statusLine(await exchange(t.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nContent-Length: x\r\n\r\n`))).toBe('HTTP/1.1 400 Bad Request');
    const huge = `GET / HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
    expect(statusLine(await exchange(t.port, huge))).toBe('HTTP/1.1 431 Request Header Fields Too Large');

    expect(logger.errors).toEqual([]);
    expect(logger.warnings.length).toBeGreaterThan(0);
    for (const line of logger.warnings.map((args) => args.map(String).join(' '))) {
      expect(line).toMatch(/^refused a malformed HTTP request: HPE_/);
      expect(line).not.toMatch(noStack);
      expect(line).not.toContain('\n');
    }
    expect((await hubs.agentRest(t).get('/health')).status).toBe(200);
  });
});

describe('Origin and Host on every Engine.IO request', () => {
  const hubs = useHubs();
  const evil = 'http://evil.example';

  /** Opens an Engine.IO polling session with an allowed Origin and returns its id. */
  async function openSession(port: number, origin: string): Promise<string> {
    const res = await rawRequest({ port, path: '/socket.io/?EIO=4&transport=polling', headers: { origin } });
    expect(res.status).toBe(200);
    return /"sid":"([^"]+)"/.exec(res.text)![1]!;
  }

  it('refuses a polling POST and GET with a web Origin on a session opened with a good one', async () => {
    const t = await hubs.start();
    const good = `http://127.0.0.1:${t.port}`;
    const sid = await openSession(t.port, good);
    const path = `/socket.io/?EIO=4&transport=polling&sid=${sid}`;
    const connectAgent = `40/agent,${JSON.stringify({ token: t.agentToken })}`;

    const post = await rawRequest({ port: t.port, path, method: 'POST', headers: { origin: evil, 'content-type': 'text/plain' }, body: connectAgent });
    expect(post.status).toBe(403);
    expect(post.body).toEqual({ code: 4, message: `web origin ${evil} is not allowed to use this hub` });
    const get = await rawRequest({ port: t.port, path, headers: { origin: evil } });
    expect(get.status).toBe(403);
    const foreignHost = await rawRequest({ port: t.port, path, method: 'POST', headers: { host: `evil.example:${t.port}` }, body: '6' });
    expect(foreignHost.status).toBe(403);

    // The session itself was not hurt, and its own origin goes on using it.
    const ok = await rawRequest({ port: t.port, path, method: 'POST', headers: { origin: good, 'content-type': 'text/plain' }, body: connectAgent });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('ok');
    const joined = await rawRequest({ port: t.port, path, headers: { origin: good } });
    expect(joined.text).toMatch(/^40\/agent,\{"sid":/);
  });

  it('refuses a WebSocket upgrade with a web Origin, also for an existing session', async () => {
    const t = await hubs.start();
    const sid = await openSession(t.port, `http://127.0.0.1:${t.port}`);
    const upgrade = (path: string) =>
      exchange(
        t.port,
        [
          `GET ${path} HTTP/1.1`,
          `Host: 127.0.0.1:${t.port}`,
          `Origin: ${evil}`,
          'Connection: Upgrade',
          'Upgrade: websocket',
          'Sec-WebSocket-Version: 13',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          '',
          '',
        ].join('\r\n'),
      );
    for (const path of [`/socket.io/?EIO=4&transport=websocket&sid=${sid}`, '/socket.io/?EIO=4&transport=websocket']) {
      const response = await upgrade(path);
      expect(statusLine(response), path).toBe('HTTP/1.1 403 Forbidden');
      expect(response).toContain(`web origin ${evil} is not allowed`);
    }
  });
});

describe('Engine.IO sessions that never join a namespace', () => {
  const hubs = useHubs();

  const handshake = async (port: number) => {
    const res = await rawRequest({ port, path: '/socket.io/?EIO=4&transport=polling' });
    return /"sid":"([^"]+)"/.exec(res.text)![1]!;
  };
  /** Whether the hub still holds session `sid` (a no-op packet is `ok` only for a live session). */
  const alive = async (port: number, sid: string) =>
    (await rawRequest({ port, path: `/socket.io/?EIO=4&transport=polling&sid=${sid}`, method: 'POST', body: '6' })).status === 200;

  it('closes a session that joins no namespace after the handshake timeout', async () => {
    const t = await hubs.start({ limits: { handshakeTimeoutMs: 200 } });
    const sid = await handshake(t.port);
    expect(await alive(t.port, sid)).toBe(true);
    await waitUntil(async () => !(await alive(t.port, sid)), 'the half-open session to be closed');
  });

  it('keeps at most the cap of them, closing the oldest first', async () => {
    const t = await hubs.start({ limits: { unjoinedSessions: 5 } });
    const sids: string[] = [];
    for (let i = 0; i < 8; i++) sids.push(await handshake(t.port));
    const states = [];
    for (const sid of sids) states.push(await alive(t.port, sid));
    expect(states).toEqual([false, false, false, true, true, true, true, true]);
  });

  it('lets real clients in while a flood of half-open sessions goes on', async () => {
    const t = await hubs.start({ limits: { unjoinedSessions: 20 } });
    let flooding = true;
    const flood = (async () => {
      while (flooding) await handshake(t.port);
    })();
    try {
      for (let i = 0; i < 5; i++) {
        const agent = await hubs.agentSocket(t, { transports: i % 2 ? ['polling'] : ['websocket'] });
        expect(await agent.call('request:create', { kind: 'approval', title: `Still here ${i}`, agentId: `a${i}` })).toMatchObject({ status: 'pending' });
      }
    } finally {
      flooding = false;
      await flood;
    }
  });

  it('does not close a session that joined, even past the timeout', async () => {
    const t = await hubs.start({ limits: { handshakeTimeoutMs: 100 } });
    const agent = await hubs.agentSocket(t);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(agent.connected).toBe(true);
    expect(await agent.call('request:create', { kind: 'approval', title: 'Still connected' })).toMatchObject({ status: 'pending' });
  });
});
