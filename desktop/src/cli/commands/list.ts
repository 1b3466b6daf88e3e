import { parseArgs } from 'node:util';
import { ListRequestsQuerySchema, validate } from '@signoff/shared';
import { openApprover } from '../approver-client.js';
import { loadApproverCredential } from '../approver-key.js';
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
  --data-dir DIR  where approver.key is (default SIGNOFF_HOME or ~/.signoff)
Credential: this terminal's device key, <data dir>/approver.key (signoff pair --save),
over Socket.IO once the hub proved the key pinned at pairing; or a bearer token in
SIGNOFF_APPROVER_TOKEN (wins when set) over REST, for your own scripts.
Exit: 0 listed; 2 usage, not paired, refused, or no hub (something else on the port).`;

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
  const client = await openApprover(resolveHubUrl(values.port), await loadApproverCredential(resolveDataDir(values['data-dir'])));
  let requests;
  try {
    requests = await client.list(query.data);
  } finally {
    client.close();
  }
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
