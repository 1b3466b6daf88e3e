// @ts-check
/**
 * HTTP and Engine.IO at the byte level, for inputs no well-behaved client library
 * would send: backslash paths, invalid UTF-8, duplicate or malformed headers, raw
 * Socket.IO packets with broken JSON.
 */
import { connect } from 'node:net';
import WebSocket from 'ws';

/**
 * @typedef {object} RawAnswer
 * @property {number} status 0 when there was no answer
 * @property {Record<string, string>} headers lower-case names
 * @property {Buffer} body
 * @property {boolean} hang no complete answer within the timeout
 * @property {boolean} silent the hub closed the connection without a byte
 * @property {boolean} cutMidUpload …while the request was still being sent (a refusal before the body was read; TCP may then drop the answer)
 * @property {number} ms
 */

/**
 * Sends `bytes` (a whole HTTP/1.1 request, normally with `Connection: close`) and reads
 * the first final answer.
 * @param {number} port
 * @param {Buffer} bytes
 * @param {number} timeoutMs
 * @param {{ head?: boolean }} [options] `head`: a HEAD request, whose answer has no body whatever its Content-Length
 * @returns {Promise<RawAnswer>}
 */
export function rawHttp(port, bytes, timeoutMs, options = {}) {
  const t0 = Date.now();
  return new Promise((resolve) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let settled = false;
    let written = false;
    const socket = connect(port, '127.0.0.1');
    const finish = (/** @type {boolean} */ hang) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const data = Buffer.concat(chunks);
      const parsed = parseResponse(data, options.head);
      resolve({
        status: parsed?.status ?? 0,
        headers: parsed?.headers ?? {},
        body: parsed?.body ?? Buffer.alloc(0),
        hang: hang && !parsed?.complete,
        silent: !hang && data.length === 0,
        cutMidUpload: !hang && data.length === 0 && !written,
        ms: Date.now() - t0,
      });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      // A complete answer with a length needs no close to be read.
      const parsed = parseResponse(Buffer.concat(chunks), options.head);
      if (parsed?.complete && parsed.hasLength) finish(false);
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
    socket.on('connect', () => socket.write(bytes, () => (written = true)));
  });
}

/**
 * The first non-1xx response in `data`, or null when its head has not arrived.
 * @param {Buffer} data
 * @param {boolean} [head]
 */
function parseResponse(data, head = false) {
  let offset = 0;
  for (;;) {
    const end = data.indexOf('\r\n\r\n', offset);
    if (end < 0) return null;
    const lines = data.subarray(offset, end).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
    /** @type {Record<string, string>} */
    const headers = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const bodyStart = end + 4;
    if (status >= 100 && status < 200) {
      offset = bodyStart;
      continue;
    }
    const rest = data.subarray(bodyStart);
    if (head || status === 204 || status === 304) return { status, headers, body: Buffer.alloc(0), complete: true, hasLength: true };
    if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      return { status, headers, body: rest.subarray(0, length), complete: rest.length >= length, hasLength: true };
    }
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const { body, complete } = dechunk(rest);
      return { status, headers, body, complete, hasLength: true };
    }
    return { status, headers, body: rest, complete: true, hasLength: false };
  }
}

/** @param {Buffer} data */
function dechunk(data) {
  /** @type {Buffer[]} */
  const parts = [];
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd < 0) return { body: Buffer.concat(parts), complete: false };
    const size = parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) return { body: Buffer.concat(parts), complete: false };
    if (size === 0) return { body: Buffer.concat(parts), complete: true };
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}

/**
 * Builds an HTTP/1.1 request. `headers` are sent as given (duplicates, odd names and all);
 * `Host` and `Connection: close` are added unless `headers` names them; `Content-Length`
 * is added for a body unless `headers` names it or a Transfer-Encoding.
 * @param {{ method: string, path: string, port: number, headers?: [string, string][], body?: Buffer | string }} request
 */
export function buildRequest({ method, path, port, headers = [], body }) {
  const names = new Set(headers.map(([n]) => n.toLowerCase()));
  const lines = [`${method} ${path} HTTP/1.1`];
  if (!names.has('host')) lines.push(`Host: 127.0.0.1:${port}`);
  if (!names.has('connection')) lines.push('Connection: close');
  let payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  // A chunked request is framed as one, so the hub is never left waiting for a body that was not coming.
  const chunked = headers.some(([n, v]) => n.toLowerCase() === 'transfer-encoding' && /chunked/i.test(v));
  if (chunked) {
    const content = payload ?? Buffer.alloc(0);
    payload = Buffer.concat([content.length ? Buffer.from(`${content.length.toString(16)}\r\n`) : Buffer.alloc(0), content, content.length ? Buffer.from('\r\n') : Buffer.alloc(0), Buffer.from('0\r\n\r\n')]);
  }
  if (payload !== undefined && !names.has('content-length') && !names.has('transfer-encoding')) lines.push(`Content-Length: ${payload.length}`);
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
  return payload ? Buffer.concat([head, payload]) : head;
}

/**
 * A Socket.IO client at the packet level over a raw WebSocket (Engine.IO v4): it
 * connects a namespace, then sends whatever text or binary frames it is given and
 * tells whether the connection still answers.
 */
export class RawSocketIo {
  /**
   * @param {number} port
   * @param {string} namespace
   * @param {Record<string, unknown>} auth
   */
  constructor(port, namespace, auth) {
    this.port = port;
    this.namespace = namespace;
    this.auth = auth;
    /** @type {WebSocket | null} */
    this.ws = null;
    this.closed = true;
    /** @type {Map<number, (packet: string) => void>} */
    this.acks = new Map();
    this.nextAck = 1_000;
  }

  /** Opens the WebSocket and connects the namespace; rejects if the hub refuses. */
  open(timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${this.port}/socket.io/?EIO=4&transport=websocket`, { maxPayload: 64 * 1024 * 1024 });
      this.ws = ws;
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error('raw socket: no namespace connect within the guard'));
      }, timeoutMs);
      ws.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      ws.on('close', () => {
        this.closed = true;
        clearTimeout(timer);
        reject(new Error('raw socket: closed before connecting'));
      });
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        const text = data.toString();
        if (text.startsWith('0')) ws.send(`40${this.namespace},${JSON.stringify(this.auth)}`);
        else if (text === '2') ws.send('3');
        else if (text.startsWith(`40${this.namespace},`)) {
          clearTimeout(timer);
          this.closed = false;
          resolve(this);
        } else if (text.startsWith(`44${this.namespace},`)) {
          clearTimeout(timer);
          reject(new Error(`raw socket: refused: ${text}`));
        } else if (text.startsWith(`43${this.namespace},`)) {
          const match = /^43[^,]*,(\d+)/.exec(text);
          const id = Number(match?.[1]);
          const wake = this.acks.get(id);
          if (wake) {
            this.acks.delete(id);
            wake(text);
          }
        }
      });
    });
  }

  /**
   * Sends a frame as is. `binary` frames go as binary; text may be invalid UTF-8 bytes.
   * @param {string | Buffer} frame
   * @param {boolean} [binary]
   */
  send(frame, binary = false) {
    if (this.closed || !this.ws) return;
    this.ws.send(frame, { binary });
  }

  /**
   * Whether the hub still answers on this connection: emits `event` with an ack id and
   * waits for the ack packet. 'closed' if the hub closed the connection (a refusal of a
   * broken packet), 'hang' if it neither answered nor closed.
   * @param {string} event
   * @param {unknown} payload
   * @param {number} timeoutMs
   * @returns {Promise<'answered' | 'closed' | 'hang'>}
   */
  probe(event, payload, timeoutMs) {
    if (this.closed || !this.ws) return Promise.resolve('closed');
    const ws = this.ws;
    const id = this.nextAck++;
    return new Promise((resolve) => {
      const done = (/** @type {'answered' | 'closed' | 'hang'} */ r) => {
        clearTimeout(timer);
        ws.off('close', onClose);
        this.acks.delete(id);
        resolve(r);
      };
      const onClose = () => done('closed');
      const timer = setTimeout(() => done('hang'), timeoutMs);
      ws.once('close', onClose);
      this.acks.set(id, () => done('answered'));
      ws.send(`42${this.namespace},${id}${JSON.stringify([event, payload])}`);
    });
  }

  close() {
    this.closed = true;
    this.ws?.terminate();
  }
}
