import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { answerEveryRequest } from './http-failsafe.js';

function recorder() {
  const errors: unknown[][] = [];
  return { errors, logger: { info() {}, warn() {}, error: (...args: unknown[]) => void errors.push(args) } };
}

let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

/** A bare server around `handle`, and one GET against it. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse) => unknown) {
  const { errors, logger } = recorder();
  const server = createServer(answerEveryRequest(handle, logger));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  const { port } = server.address() as AddressInfo;
  const get = () =>
    new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  return { errors, get };
}

describe('answerEveryRequest', () => {
  it('answers 500 with Connection: close when the handler throws', async () => {
    const { errors, get } = await serve(() => {
      throw new TypeError('boom');
    });
    const res = await get();
    expect(res).toMatchObject({ status: 500, connection: 'close' });
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'internal_error', message: 'internal error in the hub; see its log' } });
    expect(res.body).not.toContain('boom');
    expect(errors).toHaveLength(1);
  });

  it('answers 500 when the handler rejects later', async () => {
    const { errors, get } = await serve(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error('late');
    });
    expect(await get()).toMatchObject({ status: 500, connection: 'close' });
    expect(errors).toHaveLength(1);
  });

  it('ends the connection when the handler fails after it began to answer', async () => {
    const { get } = await serve(async (_req, res) => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('partial');
      throw new Error('midway');
    });
    await expect(get()).rejects.toThrow();
  });

  it('leaves a handler that answers alone', async () => {
    const { errors, get } = await serve((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    expect(await get()).toMatchObject({ status: 204 });
    expect(errors).toEqual([]);
  });
});
