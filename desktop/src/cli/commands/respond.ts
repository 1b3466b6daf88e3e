import { parseArgs } from 'node:util';
import { ErrorCode, SignoffError, type AnyResponse, type Decision, type SignoffRequest } from '@signoff/shared';
import { openApprover, type TerminalApprover } from '../approver-client.js';
import { loadApproverCredential } from '../approver-key.js';
import { resolveDataDir, resolveHubUrl } from '../config.js';
import { responseFromFlags } from '../respond-response.js';
import { UsageError } from '../usage-error.js';
import { terminalText } from '../request-lines.js';

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
  --data-dir DIR    where approver.key is (default SIGNOFF_HOME or ~/.signoff)
Exit: 0 answered, 1 already decided (or no longer pending), 2 usage, credential or connection error
(also when something else than your hub answers on the port: nothing is sent to it).
Credential: this terminal's device key, <data dir>/approver.key (signoff pair --save),
over Socket.IO; or a bearer token in SIGNOFF_APPROVER_TOKEN (wins when set) over REST.`;

/** The request `id` names: exactly, or as the unique start of a pending request's id. */
async function findRequest(client: TerminalApprover, id: string): Promise<SignoffRequest> {
  try {
    return await client.get(id);
  } catch (error) {
    if (!(error instanceof SignoffError) || error.code !== ErrorCode.notFound) throw error;
  }
  const matches = (await client.allPending()).filter((r) => r.id.startsWith(id));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new UsageError(`no request ${JSON.stringify(id)} (see signoff list)`);
  throw new UsageError(`${JSON.stringify(id)} starts ${matches.length} pending requests' ids; give more of it`);
}

/** One line saying what was recorded, e.g. `Rejected: Deploy to production [id]`. */
function summary(request: SignoffRequest, decision: Decision): string {
  const response = decision.response as { approved?: unknown; action?: unknown } | null;
  const verb =
    response?.approved === true ? 'Approved' : response?.approved === false ? 'Rejected' : typeof response?.action === 'string' ? `Answered (${response.action})` : 'Answered';
  return `${verb}: ${terminalText(request.title)} [${request.id}]`;
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
  const response = (kind: SignoffRequest['kind']) => responseFromFlags(kind, flags) as AnyResponse;
  const client = await openApprover(resolveHubUrl(values.port), await loadApproverCredential(resolveDataDir(values['data-dir'])));
  try {
    return await answer(client, positionals[0]!, response, values.json === true);
  } finally {
    client.close();
  }
}

async function answer(client: TerminalApprover, id: string, responseFor: (kind: SignoffRequest['kind']) => AnyResponse, json: boolean): Promise<number> {
  const request = await findRequest(client, id);
  if (request.status !== 'pending') {
    console.error(`signoff respond: ${request.id} is already ${request.status}${request.decision ? ` (by ${request.decision.respondedBy})` : ''}`);
    return 1;
  }
  let decision: Decision;
  try {
    decision = await client.respond(request.id, responseFor(request.kind));
  } catch (error) {
    if (error instanceof SignoffError && error.code === ErrorCode.conflict) {
      console.error(`signoff respond: ${error.message}`);
      return 1;
    }
    throw error;
  }
  console.log(json ? JSON.stringify(decision, null, 2) : summary(request, decision));
  return 0;
}
