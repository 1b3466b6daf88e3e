import {
  ErrorCode,
  PROOF_WINDOW_MS,
  SignoffError,
  toError,
  type AnyResponse,
  type Decision,
  type Grant,
  type ListRequestsQuery,
  type SignoffRequest,
  type WireError,
} from '@signoff/shared';
import { ApproverConnection, keyCredential, type ApproverCredential, type DeviceKey } from '@signoff/shared/approver';
import type { ApproverCredentialSource } from './approver-key.js';

/**
 * How long `list` and `respond` wait for the hub to prove itself and accept this
 * terminal: beyond the connection's own wait for a challenge, so that something on the
 * port that never sends one is named as what it is (not your hub), not as a timeout.
 */
const CONNECT_TIMEOUT_MS = PROOF_WINDOW_MS + 5000;

/** What `signoff list` and `signoff respond` need from the hub, over either transport. */
export interface TerminalApprover {
  /** Newest first. */
  list(query: ListRequestsQuery): Promise<SignoffRequest[]>;
  /** Every pending request (for matching an id prefix). */
  allPending(): Promise<SignoffRequest[]>;
  get(id: string): Promise<SignoffRequest>;
  /** Throws a {@link SignoffError} with the hub's code (`conflict` once decided). */
  respond(id: string, response: AnyResponse): Promise<Decision>;
  /** Live "always allow" grants, newest first. */
  listGrants(): Promise<Grant[]>;
  /** @returns whether a live grant was revoked */
  revokeGrant(id: string): Promise<boolean>;
  close(): void;
}

/** The approver for this terminal: REST with a bearer token from the environment, else Socket.IO with the device key. */
export async function openApprover(url: string, source: ApproverCredentialSource): Promise<TerminalApprover> {
  return source.kind === 'token' ? new RestApprover(url, source.token) : SocketApprover.open(url, source.key);
}

function noHub(url: string, cause?: string): SignoffError {
  return new SignoffError(ErrorCode.unavailable, `no Signoff hub at ${url}${cause ? ` (${cause})` : ''}; start one with: npx signoff hub`);
}

/** Calls `/api/v1` of a running hub; every failure becomes a {@link SignoffError} with the hub's code and words. */
async function call<T>(baseUrl: string, method: string, path: string, token: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`${baseUrl}/api/v1${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch (error) {
    throw noHub(baseUrl, toError((error as { cause?: unknown }).cause ?? error).message);
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const wire = (parsed as { error?: WireError } | undefined)?.error;
    throw new SignoffError(wire?.code ?? ErrorCode.internal, wire?.message ?? `the hub answered ${res.status}`);
  }
  return parsed as T;
}

/**
 * REST with a bearer approver token (`SIGNOFF_APPROVER_TOKEN`): the documented way for a
 * person's own scripts. A token is sent before the hub proves anything, so the project's
 * own clients use device keys instead.
 */
export class RestApprover implements TerminalApprover {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async list(query: ListRequestsQuery): Promise<SignoffRequest[]> {
    const params = new URLSearchParams();
    if (query.status) params.set('status', query.status);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    return (await call<{ requests: SignoffRequest[] }>(this.baseUrl, 'GET', `/requests?${params}`, this.token)).requests;
  }

  allPending(): Promise<SignoffRequest[]> {
    return this.list({ status: 'pending', limit: 10_000 });
  }

  get(id: string): Promise<SignoffRequest> {
    return call(this.baseUrl, 'GET', `/requests/${encodeURIComponent(id)}`, this.token);
  }

  respond(id: string, response: AnyResponse): Promise<Decision> {
    return call(this.baseUrl, 'POST', `/requests/${encodeURIComponent(id)}/respond`, this.token, response);
  }

  async listGrants(): Promise<Grant[]> {
    return (await call<{ grants: Grant[] }>(this.baseUrl, 'GET', '/grants', this.token)).grants;
  }

  async revokeGrant(id: string): Promise<boolean> {
    return (await call<{ revoked: boolean }>(this.baseUrl, 'DELETE', `/grants/${encodeURIComponent(id)}`, this.token)).revoked;
  }

  close(): void {}
}

/**
 * Socket.IO `/approver` with this terminal's device key (`approver.key`): the hub proves
 * the key pinned at pairing, at the address dialed, before the terminal proves its own.
 */
export class SocketApprover implements TerminalApprover {
  private constructor(private readonly connection: ApproverConnection) {}

  /** Connects and waits for both proofs; fails at once (exit 2) when nothing answers, something else answers, or the device is refused. */
  static async open(url: string, key: DeviceKey): Promise<SocketApprover> {
    let fail: (error: SignoffError) => void = () => {};
    let succeed: () => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      succeed = resolve;
      fail = reject;
    });
    // Whether the hub proved itself and got our proof: a hub that refuses a device answers
    // and hangs up at once, and the hang-up can be seen before the refusal; the
    // connection then dials again and hears the refusal (`rejected`) on the next try.
    let proved = false;
    const inner = keyCredential(key);
    const credential: ApproverCredential = {
      async answer(challenge, context) {
        const proof = await inner.answer(challenge, context);
        proved = true;
        return proof;
      },
    };
    const connection = new ApproverConnection(
      { url, credential, surface: 'other', reconnectDelayMaxMs: 1000 },
      {
        status: ({ state, detail }) => {
          if (state === 'connected') succeed();
          // A terminal does not wait for a hub to appear: the first refused dial is the answer.
          else if (state === 'offline' && !proved) fail(noHub(url));
          else if (state === 'impostor') fail(new SignoffError(ErrorCode.forbidden, detail));
          else if (state === 'rejected') {
            fail(new SignoffError(ErrorCode.unauthorized, 'the hub refused this terminal’s device (revoked, or paired with another hub): run `signoff pair --save` again'));
          }
        },
      },
    );
    const timer = setTimeout(() => fail(new SignoffError(ErrorCode.unavailable, `no answer from ${url} within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
    connection.start();
    try {
      await ready;
    } catch (error) {
      connection.close();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return new SocketApprover(connection);
  }

  async list(query: ListRequestsQuery): Promise<SignoffRequest[]> {
    return (await this.guard(() => this.connection.list(query))).requests;
  }

  allPending(): Promise<SignoffRequest[]> {
    return this.guard(() => this.connection.listAll('pending'));
  }

  get(id: string): Promise<SignoffRequest> {
    return this.guard(() => this.connection.get(id));
  }

  async respond(id: string, response: AnyResponse): Promise<Decision> {
    const outcome = await this.connection.respond(id, response);
    if (outcome.ok) return outcome.decision;
    if (outcome.error) throw new SignoffError(outcome.error.code, outcome.error.message);
    throw new SignoffError(ErrorCode.unavailable, outcome.message);
  }

  listGrants(): Promise<Grant[]> {
    return this.guard(() => this.connection.listGrants());
  }

  async revokeGrant(id: string): Promise<boolean> {
    return (await this.guard(() => this.connection.revokeGrant(id))).revoked;
  }

  close(): void {
    this.connection.close();
  }

  /** The connection's errors (an Error with the hub's `code`) as {@link SignoffError}s. */
  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const err = toError(error) as Error & { code?: unknown };
      throw new SignoffError(typeof err.code === 'string' ? (err.code as ErrorCode) : ErrorCode.unavailable, err.message);
    }
  }
}
