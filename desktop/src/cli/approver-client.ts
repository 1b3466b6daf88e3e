import {
  ErrorCode,
  SignoffError,
  toError,
  type Decision,
  type ListRequestsQuery,
  type SignoffRequest,
  type WireError,
} from '@signoff/shared';

/** Calls `/api/v1` of a running hub; every failure becomes a {@link SignoffError} with the hub's code and words. */
async function call<T>(baseUrl: string, method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`${baseUrl}/api/v1${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch (error) {
    const cause = toError((error as { cause?: unknown }).cause ?? error).message;
    throw new SignoffError(ErrorCode.unavailable, `no Signoff hub at ${baseUrl} (${cause}); start one with: npx signoff hub`);
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

/** Throws `unavailable` (with how to start one) unless a hub answers `GET /health` at `baseUrl`. */
export async function checkHub(baseUrl: string): Promise<void> {
  await call(baseUrl, 'GET', '/health');
}

/** Exchanges a pairing code for a new approver token (`POST /pair`). */
export async function exchangePairingCode(baseUrl: string, code: string, name: string): Promise<string> {
  return (await call<{ token: string }>(baseUrl, 'POST', '/pair', undefined, { code, name })).token;
}

/** The REST calls a person in a terminal needs, with an approver token. */
export class ApproverClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Newest first. */
  async list(query: ListRequestsQuery): Promise<SignoffRequest[]> {
    const params = new URLSearchParams();
    if (query.status) params.set('status', query.status);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    return (await call<{ requests: SignoffRequest[] }>(this.baseUrl, 'GET', `/requests?${params}`, this.token)).requests;
  }

  get(id: string): Promise<SignoffRequest> {
    return call(this.baseUrl, 'GET', `/requests/${encodeURIComponent(id)}`, this.token);
  }

  respond(id: string, response: unknown): Promise<Decision> {
    return call(this.baseUrl, 'POST', `/requests/${encodeURIComponent(id)}/respond`, this.token, response);
  }
}
