import { parseArgs } from 'node:util';
import { ListRequestsQuerySchema, validate } from '@signoff/shared';
import { ApproverClient } from '../approver-client.js';
import { loadApproverToken } from '../approver-token.js';
import { resolveDataDir, resolveHubUrl } from '../config.js';
import { requestLine } from '../request-lines.js';
import { UsageError } from '../usage-error.js';

export const listHelp = `signoff list [--status S] [--limit N] [--json] [--port N] [--data-dir DIR]

Lists requests, newest first, for a person answering from a terminal. Each line:
ID  SEVERITY  KIND  AGE  TIME LEFT (or status)  AGENT: TITLE; answer with signoff respond ID.
  --status S      pending (default) | resolved | expired | cancelled | blocked | all
  --limit N       at most N requests (default 100)
  --json          print the requests as a JSON array (full requests, with decisions)
  --port N        hub port (default SIGNOFF_URL, SIGNOFF_PORT or 7475)
  --data-dir DIR  where approver.token is (default SIGNOFF_HOME or ~/.signoff)
Token: SIGNOFF_APPROVER_TOKEN, else <data dir>/approver.token (signoff pair --save).`;

export async function runList(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      status: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
    },
  });
  const status = values.status ?? 'pending';
  const query = validate(ListRequestsQuerySchema, {
    ...(status === 'all' ? {} : { status }),
    ...(values.limit === undefined ? {} : { limit: values.limit }),
  });
  if (!query.ok) throw new UsageError(query.error.message.replace(/^status:/, '--status:').replace(/^limit:/, '--limit:'));
  const client = new ApproverClient(resolveHubUrl(values.port), loadApproverToken(resolveDataDir(values['data-dir'])));
  const requests = await client.list(query.data);
  if (values.json) {
    console.log(JSON.stringify(requests, null, 2));
    return 0;
  }
  const what = status === 'all' ? '' : `${status} `;
  if (requests.length === 0) {
    console.log(`No ${what}requests.`);
    return 0;
  }
  const now = Date.now();
  for (const request of requests) console.log(requestLine(request, now));
  return 0;
}
