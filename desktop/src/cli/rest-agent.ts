import type * as Http from 'node:http';
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import type { CreateRequestInput, Decision, SignoffRequest } from '@signoff/shared';
import { connectProblem } from '@signoff/shared/agent/connect-problem';
import { MAX_WAIT_SECONDS } from '@signoff/shared/protocol/constants';
import { ErrorCode, SignoffError, type ErrorCode as Code } from '@signoff/shared/protocol/errors';

/**
 * An agent's three calls over the hub's REST API (create, wait, cancel), for the
 * Claude Code hook. Why not the SDK: the hook starts on every tool call, and the
 * SDK's socket.io-client and zod schemas cost more start-up time than the whole
 * call (README, "Start-up time"). This client loads nothing but Node's `http`: the
 * hub validates what it is sent and answers what is wrong, and the hook passes the
 * hub's words on. It waits across hub restarts like the SDK does: by asking again.
 */
export interface RestAgentOptions {
  /** The hub, as `resolveHubUrl()` gives it. */
  url: string;
  /** The agent token. */
  token: string;
  /** How long a create or cancel may take. @default 10_000 */
  callTimeoutMs?: number;
}

/** How long the wait keeps asking a hub that went away, past the request's deadline (the SDK's default call timeout). */
const AFTER_DEADLINE_MS = 30_000;
/** Pause between attempts while the hub is away. */
const RETRY_MS = 500;
/** Added to the long-poll's own wait before a request counts as lost. */
const LONG_POLL_SLACK_MS = 10_000;

export class RestAgent {
  private readonly base: string;
  private readonly callTimeoutMs: number;

  constructor(private readonly options: RestAgentOptions) {
    this.base = `${options.url.replace(/\/+$/, '')}/api/v1`;
    this.callTimeoutMs = options.callTimeoutMs ?? 10_000;
  }

  /** Creates a request (idempotent with the key, so a retry never makes a second one). */
  create(input: CreateRequestInput & { idempotencyKey: string }): Promise<SignoffRequest> {
    return this.call<SignoffRequest>('POST', '/requests', this.callTimeoutMs, input);
  }

  /**
   * Waits for the decision by long-polling. A hub that goes away (restarts) is asked
   * again until it answers; past the request's deadline plus 30 s without one, it
   * rejects with `unavailable`. An abort rejects with the signal's reason.
   */
  async waitForDecision(request: SignoffRequest, signal?: AbortSignal): Promise<Decision> {
    const giveUpAt = (request.expiresAt ?? Number.POSITIVE_INFINITY) + AFTER_DEADLINE_MS;
    let current = request;
    for (;;) {
      if (current.decision) return current.decision;
      signal?.throwIfAborted();
      const path = `/requests/${encodeURIComponent(request.id)}?wait=${MAX_WAIT_SECONDS}`;
      try {
        current = await this.call<SignoffRequest>('GET', path, MAX_WAIT_SECONDS * 1000 + LONG_POLL_SLACK_MS, undefined, signal);
      } catch (error) {
        if (!(error instanceof SignoffError) || error.code !== ErrorCode.unavailable) throw error;
        if (Date.now() > giveUpAt) {
          throw new SignoffError(ErrorCode.unavailable, `request ${request.id} is past its deadline and the hub could not be asked for its decision: ${error.message}`);
        }
        await pause(RETRY_MS, signal);
      }
    }
  }

  /** Takes a pending request back. */
  cancel(id: string, timeoutMs = this.callTimeoutMs): Promise<SignoffRequest> {
    return this.call<SignoffRequest>('DELETE', `/requests/${encodeURIComponent(id)}`, timeoutMs);
  }

  /**
   * One HTTP call: the body on 2xx, else a SignoffError with the hub's code and words;
   * `unavailable` when the hub did not answer, with `details.noHub` false when something
   * answered in its place (a proxy without its hub, a certificate not trusted).
   */
  private async call<T>(method: string, path: string, timeoutMs: number, body?: unknown, signal?: AbortSignal): Promise<T> {
    const target = new URL(this.base + path);
    // https only when SIGNOFF_URL says so (a hub behind a TLS proxy); loaded then and only then.
    const transport = (await import(target.protocol === 'https:' ? 'node:https' : 'node:http')) as typeof Http;
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { Authorization: `Bearer ${this.options.token}`, Accept: 'application/json' };
    if (text !== undefined) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
    const requestOptions: RequestOptions = { method, headers, signal, timeout: timeoutMs };
    return new Promise<T>((resolve, reject) => {
      let req: ClientRequest | undefined;
      // `unavailable` whatever the cause, so the wait asks again (a proxy whose hub restarts answers 502 meanwhile).
      const fail = (error: unknown, status?: number) => {
        const { reason, noHub } = connectProblem(this.options.url, error, status);
        const where = noHub ? `no Signoff hub answered at ${this.options.url}` : `cannot reach the Signoff hub at ${this.options.url}`;
        reject(new SignoffError(ErrorCode.unavailable, `${where}: ${reason}`, { noHub }));
      };
      const timer = setTimeout(() => {
        req?.destroy();
        fail(new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      req = transport.request(target, requestOptions, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => {
          clearTimeout(timer);
          fail(error);
        });
        res.on('end', () => {
          clearTimeout(timer);
          let parsed: unknown;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            fail(new Error(`HTTP ${res.statusCode} with a body that is not JSON (is this a Signoff hub?)`), res.statusCode);
            return;
          }
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            resolve(parsed as T);
            return;
          }
          const error = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
          const code = typeof error?.code === 'string' ? (error.code as Code) : ErrorCode.internal;
          reject(new SignoffError(code, typeof error?.message === 'string' ? error.message : `HTTP ${status}`));
        });
      });
      req.on('error', (error) => {
        clearTimeout(timer);
        if (signal?.aborted) reject(signal.reason);
        else fail(error);
      });
      req.end(text);
    });
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
