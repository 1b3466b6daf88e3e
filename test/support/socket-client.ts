import type { Result } from '@signoff/shared';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { Json } from './rest-client.js';

export type Namespace = '/agent' | '/approver';

export interface ConnectOptions {
  /** Extra handshake headers, e.g. `{ origin: 'https://evil.example' }` (Node only). */
  extraHeaders?: Record<string, string>;
  /** @default ['websocket'] */
  transports?: ('websocket' | 'polling')[];
  /** The handshake `auth`; by default `{ token }`. */
  auth?: Record<string, unknown>;
}

/** Longest a test waits for a push or an ack before failing (a guard, not a threshold). */
export const WAIT_MS = 5_000;

function socketOptions(token: string | undefined, options: ConnectOptions): Partial<ManagerOptions & SocketOptions> {
  return {
    auth: options.auth ?? (token === undefined ? {} : { token }),
    transports: options.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
    autoConnect: false,
    ...(options.extraHeaders ? { extraHeaders: options.extraHeaders } : {}),
  };
}

interface Waiter {
  event: string;
  predicate: (payload: Json) => boolean;
  resolve: (payload: Json) => void;
}

/**
 * A real socket.io-client socket that records every event the hub pushes from the
 * first packet on (so a `snapshot` sent right after the handshake is never missed),
 * and answers `waitFor` from that record or from what arrives later.
 */
export class RecordedSocket {
  readonly log: { event: string; payload: Json }[] = [];
  private waiters: Waiter[] = [];

  private constructor(readonly socket: Socket) {
    socket.onAny((event: string, payload: Json) => {
      this.log.push({ event, payload });
      for (const w of [...this.waiters]) {
        if (w.event === event && w.predicate(payload)) {
          this.waiters = this.waiters.filter((x) => x !== w);
          w.resolve(payload);
        }
      }
    });
  }

  /** Connects and waits for the handshake; rejects with the `connect_error`. */
  static async connect(url: string, namespace: Namespace, token: string | undefined, options: ConnectOptions = {}): Promise<RecordedSocket> {
    const recorded = new RecordedSocket(io(`${url}${namespace}`, socketOptions(token, options)));
    const { socket } = recorded;
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => {
        socket.close();
        reject(error);
      });
      socket.connect();
    });
    return recorded;
  }

  /** Payloads of `event` received so far, optionally filtered. */
  received(event: string, predicate: (payload: Json) => boolean = () => true): Json[] {
    return this.log.filter((e) => e.event === event && predicate(e.payload)).map((e) => e.payload);
  }

  /** The first `event` (already received or still to come) whose payload matches. */
  waitFor(event: string, predicate: (payload: Json) => boolean = () => true, timeoutMs = WAIT_MS): Promise<Json> {
    const seen = this.log.find((e) => e.event === event && predicate(e.payload));
    if (seen) return Promise.resolve(seen.payload);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        event,
        predicate,
        resolve: (payload) => {
          clearTimeout(timer);
          resolve(payload);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== waiter);
        reject(new Error(`no ${event} matching the test's predicate within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Emits with an ack and returns the hub's {@link Result}; `payload` may be anything, even garbage. */
  ack<T = Json>(event: string, payload: unknown): Promise<Result<T>> {
    return this.socket.timeout(WAIT_MS).emitWithAck(event, payload) as Promise<Result<T>>;
  }

  /** Emits with an ack but no payload at all, as `sio.call(event)` in python-socketio does. */
  ackWithoutPayload<T = Json>(event: string): Promise<Result<T>> {
    return this.socket.timeout(WAIT_MS).emitWithAck(event) as Promise<Result<T>>;
  }

  /** Like {@link ack} but fails the test unless the ack is `ok`, and returns its data. */
  async call<T = Json>(event: string, payload: unknown): Promise<T> {
    const result = await this.ack<T>(event, payload);
    if (!result.ok) throw new Error(`${event} failed: ${result.error.code}: ${result.error.message}`);
    return result.data;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  close(): void {
    this.socket.close();
  }
}

/** Tries a handshake that must be refused; resolves with the `connect_error`, rejects if it connects. */
export async function expectConnectRefused(
  url: string,
  namespace: Namespace | '/',
  token: string | undefined,
  options: ConnectOptions = {},
): Promise<Error & { data?: { code?: string } }> {
  const socket = io(`${url}${namespace}`, socketOptions(token, options));
  try {
    return await new Promise((resolve, reject) => {
      socket.once('connect', () => reject(new Error(`handshake to ${namespace} was accepted but should have been refused`)));
      socket.once('connect_error', (error) => resolve(error as Error & { data?: { code?: string } }));
      socket.connect();
    });
  } finally {
    socket.close();
  }
}
