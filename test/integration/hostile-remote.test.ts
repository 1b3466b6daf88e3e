import { connect, type Socket } from 'node:net';
import { ApproverConnection, keyCredential } from '@signoff/shared/approver';
import { newNonce } from '@signoff/shared';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub.js';

/**
 * A hostile agent's pass over the public route (issue 13): what it may try against a real
 * hub with nothing but raw sockets, and the limit that must hold anyway.
 */

/**
 * Opens a connection and sends a pairing request's head, its body held back; resolves
 * once the hub has begun handling it (Node answers `Expect: 100-continue` as it hands
 * the request to the hub, so every check made before the body is read has been made).
 */
function pairingHead(port: number, body: string, forwardedFor: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `POST /api/v1/pair HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Forwarded-For: ${forwardedFor}\r\nExpect: 100-continue\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`,
      );
    });
    socket.once('data', (chunk: Buffer) => {
      if (chunk.toString().startsWith('HTTP/1.1 100 ')) resolve(socket);
      else reject(new Error(`expected 100 Continue, got ${chunk.toString().slice(0, 80)}`));
    });
    socket.once('error', reject);
  });
}

/** Sends the held-back body and reads the status code of the answer. */
function finish(socket: Socket, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.once('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
    socket.once('error', reject);
    socket.write(body);
  });
}

describe('hostile remote agent', () => {
  let t: TestHub;

  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('cannot guess more public pairing codes than the limits by sending many at once (each is counted before it is checked)', async () => {
    const body = JSON.stringify({ code: 'ZZZZ-ZZZZ', name: 'guess' });
    // 40 connections that passed the door before any of them sent its code.
    const held = await Promise.all(Array.from({ length: 40 }, () => pairingHead(t.port, body, '203.0.113.7')));
    const statuses = await Promise.all(held.map((socket) => finish(socket, body)));
    const checked = statuses.filter((status) => status === 401).length;
    expect(checked).toBe(5); // wrongPairingCodesPerSource
    expect(statuses.filter((status) => status === 429)).toHaveLength(35);
  });

  it('cannot guess past the public limit from all sources together by rotating X-Forwarded-For', async () => {
    const body = JSON.stringify({ code: 'ZZZZ-ZZZZ', name: 'guess' });
    // The first test used 5 of the window's 30 (wrongPairingCodesPublic).
    const held = await Promise.all(Array.from({ length: 40 }, (_, i) => pairingHead(t.port, body, `198.51.100.${i + 1}`)));
    const statuses = await Promise.all(held.map((socket) => finish(socket, body)));
    expect(statuses.filter((status) => status === 401)).toHaveLength(25);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15);
  });

  describe('an Engine.IO session opened on the local route', () => {
    /** An Engine.IO polling request straight to the hub; `proxied` adds what a proxy adds (the public route). */
    const poll = async (query: string, options: { proxied?: boolean; body?: string } = {}) => {
      const res = await fetch(`${t.url}/socket.io/?${query}`, {
        method: options.body === undefined ? 'GET' : 'POST',
        headers: { ...(options.proxied ? { 'x-forwarded-for': '203.0.113.9' } : {}), 'content-type': 'text/plain;charset=UTF-8' },
        ...(options.body === undefined ? {} : { body: options.body }),
      });
      return { status: res.status, text: await res.text() };
    };
    let sid: string;

    beforeAll(async () => {
      const open = await poll('EIO=4&transport=polling');
      sid = (JSON.parse(open.text.slice(1)) as { sid: string }).sid;
    });

    it.each([
      ['its id', () => `EIO=4&transport=polling&sid=${sid}`],
      ['its id after an unknown one (Engine.IO takes the last)', () => `EIO=4&transport=polling&sid=unknown&sid=${sid}`],
      ['its id after a second "?"', () => `EIO=4&transport=polling&x=?&sid=${sid}`],
    ])('cannot be continued through the proxy with %s (the local agent token would pass there)', async (_, query) => {
      const sent = await poll(query(), { proxied: true, body: `40/agent,${JSON.stringify({ token: t.agentToken })}` });
      expect(sent).toEqual({ status: 403, text: expect.stringContaining('this session was opened on the local route') });
    });
  });

  it('cannot keep this machine\'s devices out by holding connections that never prove a device through the proxy', async () => {
    /** A device connection through the proxy (no token needed) that stops at the hub's challenge. */
    const unproven = (): Promise<ClientSocket> =>
      new Promise((resolve, reject) => {
        const socket = io(`${t.url}/approver`, {
          auth: { nonce: newNonce() },
          transports: ['websocket'],
          extraHeaders: { 'x-forwarded-for': '203.0.113.11' },
          reconnection: false,
          forceNew: true,
        });
        socket.once('auth:challenge', () => resolve(socket));
        socket.once('connect_error', reject);
      });
    const held: ClientSocket[] = [];
    try {
      for (let i = 0; i < 200; i++) held.push(await unproven()); // MAX_UNPROVEN
      await expect(unproven()).rejects.toThrow(/too many connections waiting to prove a device/);
      const device = await t.pairDevice('laptop');
      const conn = new ApproverConnection({ url: t.url, credential: keyCredential(device), surface: 'other' }, { status: () => {} });
      conn.start();
      try {
        await conn.whenConnected(5000);
        expect(conn.status.state).toBe('connected');
      } finally {
        conn.close();
      }
    } finally {
      for (const socket of held) socket.disconnect();
    }
  });
});
