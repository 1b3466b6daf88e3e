import { parseArgs } from 'node:util';
import { ErrorCode, SignoffError, type Decision, type SignoffRequest } from '@signoff/shared';
import { ApproverClient } from '../approver-client.js';
import { loadApproverToken } from '../approver-token.js';
import { resolveDataDir, resolveHubUrl } from '../config.js';
import { responseFromFlags } from '../respond-response.js';
import { UsageError } from '../usage-error.js';

export const respondHelp = `signoff respond ID (--approve [--reason TEXT] | --reject "REASON" | --response JSON) [options]

Answers a pending request as the paired approver of this terminal. ID may be the
start of a pending request's id (as long as it is unique).
  --approve         approval: approve; edit: accept the draft; checkpoint, escalation: continue
  --reason TEXT     a note with --approve
  --reject REASON   approval: reject; edit: reject the draft; checkpoint, escalation: abort.
                    The reason goes back to the agent.
  --response JSON   any kind's answer, e.g. '{"optionId":"pdf"}' or '{"text":"EU format"}'
                    for a clarification, '{"action":"edit","content":"…"}' for an edit
  --json            print the decision as JSON
  --port N          hub port (default SIGNOFF_URL, SIGNOFF_PORT or 7475)
  --data-dir DIR    where approver.token is (default SIGNOFF_HOME or ~/.signoff)
Exit: 0 answered, 1 already decided (or no longer pending), 2 usage, token or connection error.
Token: SIGNOFF_APPROVER_TOKEN, else <data dir>/approver.token (signoff pair --save).`;

/** The request `id` names: exactly, or as the unique start of a pending request's id. */
async function findRequest(client: ApproverClient, id: string): Promise<SignoffRequest> {
  try {
    return await client.get(id);
  } catch (error) {
    if (!(error instanceof SignoffError) || error.code !== ErrorCode.notFound) throw error;
  }
  const matches = (await client.list({ status: 'pending', limit: 10_000 })).filter((r) => r.id.startsWith(id));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new UsageError(`no request ${JSON.stringify(id)} (see signoff list)`);
  throw new UsageError(`${JSON.stringify(id)} starts ${matches.length} pending requests' ids; give more of it`);
}

/** One line saying what was recorded, e.g. `Rejected: Deploy to production [id]`. */
function summary(request: SignoffRequest, decision: Decision): string {
  const response = decision.response as { approved?: unknown; action?: unknown } | null;
  const verb =
    response?.approved === true ? 'Approved' : response?.approved === false ? 'Rejected' : typeof response?.action === 'string' ? `Answered (${response.action})` : 'Answered';
  return `${verb}: ${request.title} [${request.id}]`;
}

export async function runRespond(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      approve: { type: 'boolean' },
      reason: { type: 'string' },
      reject: { type: 'string' },
      response: { type: 'string' },
      json: { type: 'boolean' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('respond needs exactly one request ID (see signoff list)');
  const flags = {
    ...(values.approve ? { approve: true } : {}),
    ...(values.reject !== undefined ? { reject: values.reject } : {}),
    ...(values.reason !== undefined ? { reason: values.reason } : {}),
    ...(values.response !== undefined ? { response: values.response } : {}),
  };
  const client = new ApproverClient(resolveHubUrl(values.port), loadApproverToken(resolveDataDir(values['data-dir'])));
  const request = await findRequest(client, positionals[0]!);
  if (request.status !== 'pending') {
    console.error(`signoff respond: ${request.id} is already ${request.status}${request.decision ? ` (by ${request.decision.respondedBy})` : ''}`);
    return 1;
  }
  const response = responseFromFlags(request.kind, flags);
  let decision: Decision;
  try {
    decision = await client.respond(request.id, response);
  } catch (error) {
    if (error instanceof SignoffError && error.code === ErrorCode.conflict) {
      console.error(`signoff respond: ${error.message}`);
      return 1;
    }
    throw error;
  }
  console.log(values.json ? JSON.stringify(decision, null, 2) : summary(request, decision));
  return 0;
}
