import { homedir } from 'node:os';
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { ApprovalRequestSchema, connect, toError, validate, type Decision, type SignoffClient } from '@signoff/shared/agent';
import { hookOutput, verdictFor, type HookVerdict } from '../../agents/claude-code/hook-answer.js';
import { HookEvent, HookPayloadSchema } from '../../agents/claude-code/hook-payload.js';
import { isHarmlessRead } from '../../agents/claude-code/severity-rules.js';
import { signoffPlaces } from '../../agents/claude-code/signoff-guard.js';
import { hookRequest } from '../../agents/claude-code/tool-request.js';
import { resolveHubUrl } from '../config.js';
import { parseDuration } from '../duration.js';
import { UsageError } from '../usage-error.js';

/** Env switch for `--allow-read-only`, for settings files that cannot add flags easily. */
export const ALLOW_READ_ONLY_ENV = 'SIGNOFF_HOOK_ALLOW_READ_ONLY';
const DEFAULT_TIMEOUT = '5m';

export const hookHelp = `signoff hook claude-code [--timeout 5m] [--allow-read-only] [--agent-id NAME] [--port N]

A Claude Code hook (PreToolUse or PermissionRequest): reads the hook's JSON on
stdin, asks for an approval in Signoff showing the tool and its input, waits,
and prints Claude Code's answer on stdout:
  approved → allow (the approver's edited arguments become updatedInput)
  rejected → deny, with the reason for Claude
  no hub, no answer before the deadline, unreadable input → ask (PreToolUse) or
    no decision (PermissionRequest): Claude Code shows its own prompt. Never a silent allow.
Options:
  --timeout T        how long to wait for a person (default ${DEFAULT_TIMEOUT}); keep it below the
                     hook's "timeout" in settings.json
  --allow-read-only  let read-only tools (Read, Glob, Grep, LS, NotebookRead, WebSearch,
                     BashOutput) inside the project through without asking (also ${ALLOW_READ_ONLY_ENV}=1)
  --agent-id NAME    who is asking (default claude-code)
  --port N           hub port (default SIGNOFF_URL, SIGNOFF_PORT or 7475)
Severity: anything touching Signoff itself (its data dir ~/.signoff or SIGNOFF_HOME, *.token,
signoff.db, hub.key, signoff pair/respond/devices/hub, the hub's port 7475 or SIGNOFF_PORT) is
critical, since an agent there could approve its own requests; so are rm -rf, git push --force,
DROP/TRUNCATE, DELETE without WHERE, mkfs/dd, terraform destroy, and file writes outside the
project; sudo, curl|sh, git push, git reset --hard, publishing, secrets (.env, .ssh, keys) are
high; other commands and edits medium; read-only tools low.`;

const print = (event: HookEvent, verdict: HookVerdict) => console.log(JSON.stringify(hookOutput(event, verdict)));

/** Resolves with the decision, or `undefined` when the hook is told to stop (Claude Code's timeout kills it). */
function decisionOrStop(client: SignoffClient, id: string): Promise<Decision | undefined> {
  return new Promise((resolve, reject) => {
    const stop = () => resolve(undefined);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    client.waitFor(id).then(resolve, reject).finally(() => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
    });
  });
}

/** Always exits 0 with one JSON line once it runs: Claude Code reads the answer from stdout. */
export async function runHook(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      timeout: { type: 'string' },
      'allow-read-only': { type: 'boolean' },
      'agent-id': { type: 'string' },
      port: { type: 'string' },
    },
  });
  if (positionals[0] !== 'claude-code' || positionals.length > 1) throw new UsageError('hook needs the agent it serves: signoff hook claude-code');
  const timeoutMs = parseDuration(values.timeout ?? DEFAULT_TIMEOUT);
  const url = resolveHubUrl(values.port);
  const allowReadOnly = values['allow-read-only'] === true || process.env[ALLOW_READ_ONLY_ENV] === '1';
  const places = signoffPlaces(process.env, homedir(), values.port);

  let raw: unknown;
  try {
    raw = JSON.parse(await text(process.stdin));
  } catch {
    raw = undefined;
  }
  const parsed = validate(HookPayloadSchema, raw);
  if (!parsed.ok) {
    // Unknown event: the PreToolUse shape is the one Claude Code falls back from safely.
    const event = (raw as { hook_event_name?: unknown } | undefined)?.hook_event_name === HookEvent.permissionRequest ? HookEvent.permissionRequest : HookEvent.preToolUse;
    console.error(`signoff hook: unreadable hook input (${parsed.error.message})`);
    print(event, { decision: 'ask', reason: `Signoff could not read the hook input (${parsed.error.message}); asking here instead.` });
    return 0;
  }
  const payload = parsed.data;
  const event = payload.hook_event_name;

  if (allowReadOnly && isHarmlessRead(payload, places)) {
    print(event, { decision: 'allow', reason: `Read-only ${payload.tool_name} inside the project; let through by signoff --allow-read-only` });
    return 0;
  }

  const request = validate(ApprovalRequestSchema, hookRequest(payload, { timeoutMs, places, ...(values['agent-id'] ? { agentId: values['agent-id'] } : {}) }));
  if (!request.ok) {
    print(event, { decision: 'ask', reason: `Signoff could not describe this call (${request.error.message}); asking here instead.` });
    return 0;
  }

  let client: SignoffClient;
  try {
    client = await connect({ agentId: request.data.agentId!, url });
  } catch (error) {
    const problem = toError(error).message;
    console.error(`signoff hook: ${problem}`);
    print(event, { decision: 'ask', reason: `Signoff hub not reachable at ${url} (start it with \`npx signoff hub\`); asking here instead.` });
    return 0;
  }
  try {
    const created = await client.submit(request.data);
    const decision = created.decision ?? (await decisionOrStop(client, created.id));
    if (!decision) {
      await client.cancel(created.id).catch(() => {});
      print(event, { decision: 'ask', reason: 'The Signoff hook was stopped before anyone answered; asking here instead.' });
      return 0;
    }
    print(event, verdictFor(decision, payload.tool_input));
    return 0;
  } catch (error) {
    console.error(`signoff hook: ${toError(error).message}`);
    print(event, { decision: 'ask', reason: `Signoff could not get an answer (${toError(error).message}); asking here instead.` });
    return 0;
  } finally {
    client.close();
  }
}
