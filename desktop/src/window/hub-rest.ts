import type { RunDetail, RunSummary } from '@signoff/shared';

/** The approver REST calls the dashboard makes (runs are not on the socket). */
export interface HubRest {
  /** `GET /api/v1/runs`: runs, newest activity first. */
  runs(limit?: number): Promise<RunSummary[]>;
  /** `GET /api/v1/runs/:runId`: one run with its timeline. */
  run(runId: string): Promise<RunDetail>;
}

/** REST against the hub at `baseUrl` with the approver `token` (`Authorization: Bearer`). Errors carry the hub's message. */
export function createHubRest(baseUrl: string, token: string, fetchImpl: typeof fetch = (input, init) => fetch(input, init)): HubRest {
  const get = async <T>(path: string): Promise<T> => {
    let res: Response;
    try {
      res = await fetchImpl(new URL(`/api/v1${path}`, baseUrl), { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
    } catch {
      throw new Error('The hub is not reachable.');
    }
    const body = (await res.json().catch(() => null)) as (T & { error?: { message?: unknown } }) | null;
    if (res.ok && body) return body;
    if (res.status === 401) throw new Error('The hub no longer accepts this window’s token: pair again.');
    throw new Error(typeof body?.error?.message === 'string' ? body.error.message : `The hub answered ${res.status}.`);
  };
  return {
    runs: async (limit = 100) => (await get<{ runs: RunSummary[] }>(`/runs?limit=${limit}`)).runs,
    run: (runId) => get<RunDetail>(`/runs/${encodeURIComponent(runId)}`),
  };
}
