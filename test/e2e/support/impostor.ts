import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { generateDeviceKeys, hubProofMessage, newNonce, signMessage } from '@signoff/shared';
import { Server } from 'socket.io';

/** What a program holding the hub's port saw from the approver clients that dialed it. */
export interface ImpostorRecord {
  /** The handshake `auth` of every `/approver` connection. */
  handshakes: Record<string, unknown>[];
  /** Every event an approver client sent after connecting, with its payload. */
  events: { event: string; payload: unknown }[];
  /** Every plain HTTP request (not Socket.IO): method, path, authorization header and body. */
  http: { method: string; path: string; authorization: string | undefined; body: string }[];
}

export interface Impostor {
  record: ImpostorRecord;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => resolve(body));
    req.on('error', () => resolve(body));
  });

/**
 * A plain HTTP + Socket.IO server on `port`, as an agent could start while the hub is
 * down: it accepts every `/approver` connection, records what each sends, and tries the
 * strongest lie it can: a challenge for the client's own nonce and the right host, signed
 * with a key of its own (it cannot have the hub's). A client must answer it with nothing.
 */
export async function startImpostor(port: number): Promise<Impostor> {
  const record: ImpostorRecord = { handshakes: [], events: [], http: [] };
  const fakeKey = await generateDeviceKeys();
  const server: HttpServer = createServer();
  // Socket.IO answers its own path; everything else is recorded and refused.
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/socket.io/')) return;
    void readBody(req).then((body) => {
      record.http.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, body });
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found","message":"nothing here"}}');
    });
  });
  const io = new Server(server, { cors: { origin: true } });
  io.of('/approver').on('connection', (socket) => {
    const auth = { ...(socket.handshake.auth as Record<string, unknown>) };
    record.handshakes.push(auth);
    socket.onAny((event: string, payload: unknown) => record.events.push({ event, payload }));
    const host = String(socket.handshake.headers.host ?? '');
    const hubNonce = newNonce();
    void signMessage(fakeKey.privateKey, hubProofMessage('connect', host, String(auth.nonce ?? ''), hubNonce)).then((signature) =>
      socket.emit('auth:challenge', { hubNonce, host, signature }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    record,
    async close() {
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
