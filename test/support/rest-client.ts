import { request, type OutgoingHttpHeaders } from 'node:http';

/**
 * Bodies are JSON the tests inspect with `toMatchObject`/`toEqual`; typing every
 * shape would only restate the assertions.
 */
export type Json = any;

export interface RestReply {
  status: number;
  body: Json;
  headers: Headers;
}

export interface CallOptions {
  /** Sent as a JSON body with `content-type: application/json`. */
  json?: unknown;
  /** Sent as-is (malformed JSON, oversize bodies). */
  raw?: string;
  headers?: Record<string, string>;
}

/** `fetch` against `/api/v1` with an optional bearer token. */
export class RestClient {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  /** The same hub with another (or no) token. */
  as(token?: string): RestClient {
    return new RestClient(this.baseUrl, token);
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<RestReply> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    if (options.json !== undefined) body = JSON.stringify(options.json);
    else if (options.raw !== undefined) body = options.raw;
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  get(path: string, options?: CallOptions): Promise<RestReply> {
    return this.call('GET', path, options);
  }

  post(path: string, json: unknown, options: CallOptions = {}): Promise<RestReply> {
    return this.call('POST', path, { ...options, json });
  }

  delete(path: string, options?: CallOptions): Promise<RestReply> {
    return this.call('DELETE', path, options);
  }
}

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: Json;
}

/**
 * A request through `node:http`, which (unlike `fetch`) lets a test set any
 * `Host` and `Origin`, or send no `Host` at all (`setHost: false`).
 */
export function rawRequest(options: {
  port: number;
  path: string;
  method?: string;
  headers?: OutgoingHttpHeaders;
  body?: string;
  setHost?: boolean;
  /** Streams the body in 16 KiB chunks with `Transfer-Encoding: chunked`, so no Content-Length. */
  chunked?: boolean;
}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: options.port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: options.chunked ? { ...options.headers, 'transfer-encoding': 'chunked' } : options.headers,
        setHost: options.setHost ?? true,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: Json;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    const body = options.body ?? '';
    const step = options.chunked ? 16_384 : Math.max(body.length, 1);
    for (let i = 0; i < body.length; i += step) req.write(body.slice(i, i + step));
    req.end();
  });
}
