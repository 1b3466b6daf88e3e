import { parseArgs } from 'node:util';
import type { Grant } from '@signoff/shared';
import { openApprover, type TerminalApprover } from '../approver-client.js';
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
Credential: this terminal's device key (signoff pair --save), or a bearer approver
token in ${APPROVER_TOKEN_ENV} over REST.
Exit: 0 done; 1 the grant ended meanwhile; 2 usage, no live grant with that ID, an
ambiguous ID, no credential, refused, or no hub.`;

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
  const approver = await openApprover(url, await loadApproverCredential(resolveDataDir(values['data-dir'])));
  try {
    const grants = await approver.listGrants();
    if (sub === 'revoke') return await revoke(approver, grants, rest[0]!);
    if (values.json) console.log(JSON.stringify(grants, null, 2));
    else if (grants.length === 0) console.log('No live grants.');
    else for (const grant of grants) console.log(grantLine(grant));
    return 0;
  } finally {
    approver.close();
  }
}

async function revoke(approver: TerminalApprover, live: Grant[], id: string): Promise<number> {
  const matching = live.filter((g) => g.id.startsWith(id));
  if (matching.length > 1) throw new UsageError(`${JSON.stringify(id)} starts ${matching.length} grants' ids; give more of it`);
  // Not among the live ones: the hub still says whether the full id was ever a grant (revoked or expired).
  const target = matching[0]?.id ?? id;
  if (!(await approver.revokeGrant(target))) {
    if (matching.length === 0) throw new UsageError(`no live grant ${JSON.stringify(id)} (see signoff grants)`);
    console.error(`signoff grants: ${target} is already revoked or expired`);
    return 1;
  }
  console.log(`Revoked grant ${target}: matching requests go to a person again.`);
  return 0;
}
