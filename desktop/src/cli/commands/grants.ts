import { parseArgs } from 'node:util';
import { ErrorCode, SignoffError, toError, type Grant, type WireError } from '@signoff/shared';
import { APPROVER_TOKEN_ENV, loadApproverCredential } from '../approver-key.js';
import { resolveDataDir, resolveHubUrl } from '../config.js';
import { grantLine } from '../grant-lines.js';
import { UsageError } from '../usage-error.js';

export const grantsHelp = `signoff grants [--json] [--port N] [--data-dir DIR]
signoff grants revoke ID [--port N] [--data-dir DIR]

Lists the live "always allow" grants people made when approving, newest first:
  ID  by WHO  agent "AGENT" (every run | run R)  WHAT  until 2026-12-03 17:00 | until revoked  N uses
WHAT is the exact command (Bash: exactly "npm test"), the widened pattern
(Bash: "npm run test:*"), or the action and its exact arguments.
revoke ID ends a grant at once (a unique start of its id is enough): the next
matching request goes to a person again.
Both ask the running hub, as an approver.
  --json          print the grants as a JSON array
  --port N        hub port (default SIGNOFF_URL, SIGNOFF_PORT or 7475)
  --data-dir DIR  where approver.key is (default SIGNOFF_HOME or ~/.signoff)
Credential: a bearer approver token in ${APPROVER_TOKEN_ENV}, over REST.
Exit: 0 done; 1 the grant ended meanwhile; 2 usage, no live grant with that ID, an
ambiguous ID, no credential, refused, or no hub.`;

/** Calls `/api/v1` of a running hub; every failure becomes a {@link SignoffError} with the hub's code and words. */
async function call<T>(baseUrl: string, method: string, path: string, token: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl}/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}` } });
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
    if (res.status === 404 && !wire) throw new SignoffError(ErrorCode.notFound, `the hub at ${baseUrl} has no grants (an older Signoff?)`);
    throw new SignoffError(wire?.code ?? ErrorCode.internal, wire?.message ?? `the hub answered ${res.status}`);
  }
  return parsed as T;
}

/** The hub's grants API, as this terminal reaches it. */
interface GrantsApi {
  list(): Promise<Grant[]>;
  revoke(id: string): Promise<boolean>;
}

async function openGrants(url: string, dataDir: string): Promise<GrantsApi> {
  const credential = await loadApproverCredential(dataDir);
  if (credential.kind !== 'token') {
    throw new SignoffError(
      ErrorCode.unauthorized,
      `signoff grants does not use this terminal's device key yet; set ${APPROVER_TOKEN_ENV} to an approver token (POST /api/v1/pair), or see the grants in the window`,
    );
  }
  const { token } = credential;
  return {
    list: async () => (await call<{ grants: Grant[] }>(url, 'GET', '/grants', token)).grants,
    revoke: async (id) => (await call<{ revoked: boolean }>(url, 'DELETE', `/grants/${encodeURIComponent(id)}`, token)).revoked,
  };
}

export async function runGrants(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { json: { type: 'boolean' }, port: { type: 'string' }, 'data-dir': { type: 'string' } },
  });
  const [sub, ...rest] = positionals;
  if (sub !== undefined && sub !== 'revoke') throw new UsageError(`unknown subcommand ${JSON.stringify(sub)}: signoff grants, or signoff grants revoke ID`);
  if (sub === 'revoke' && (rest.length !== 1 || !rest[0])) throw new UsageError('grants revoke needs exactly one grant ID (see signoff grants)');
  if (sub === undefined && rest.length > 0) throw new UsageError('signoff grants takes no arguments; to end one: signoff grants revoke ID');
  if (sub === 'revoke' && values.json) throw new UsageError('--json goes with the list, not with revoke');
  const url = resolveHubUrl(values.port);
  const api = await openGrants(url, resolveDataDir(values['data-dir']));
  const grants = await api.list();
  if (sub === 'revoke') return revoke(api, grants, rest[0]!);
  if (values.json) console.log(JSON.stringify(grants, null, 2));
  else if (grants.length === 0) console.log('No live grants.');
  else for (const grant of grants) console.log(grantLine(grant));
  return 0;
}

async function revoke(api: GrantsApi, live: Grant[], id: string): Promise<number> {
  const matching = live.filter((g) => g.id.startsWith(id));
  if (matching.length > 1) throw new UsageError(`${JSON.stringify(id)} starts ${matching.length} grants' ids; give more of it`);
  // Not among the live ones: the hub still says whether the full id was ever a grant (revoked or expired).
  const target = matching[0]?.id ?? id;
  if (!(await api.revoke(target))) {
    if (matching.length === 0) throw new UsageError(`no live grant ${JSON.stringify(id)} (see signoff grants)`);
    console.error(`signoff grants: ${target} is already revoked or expired`);
    return 1;
  }
  console.log(`Revoked grant ${target}: matching requests go to a person again.`);
  return 0;
}
