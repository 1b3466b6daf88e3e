import { homedir } from 'node:os';
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
// No zod and no socket.io here: the hook runs on every tool call (README, "Start-up
// time"). The schemas (`@signoff/shared`, hook-payload, ask-user-question) load only for
// input that is not plain or for Claude's questions; the hub is asked over REST.
import type { ClarificationResponse, CreateRequestInput, Decision } from '@signoff/shared';
import { resolveAgentToken } from '@signoff/shared/agent/environment';
import { ErrorCode, SignoffError, toError } from '@signoff/shared/protocol/errors';
import { outcomeOf } from '@signoff/shared/protocol/outcome';
import type { answersFrom as AnswersFrom, AskedQuestion } from '../../agents/claude-code/ask-user-question.js';
import { hookOutput, verdictFor, type HookVerdict } from '../../agents/claude-code/hook-answer.js';
import { ASK_USER_QUESTION_TOOL, HookEvent } from '../../agents/claude-code/hook-event.js';
import type { HookPayload } from '../../agents/claude-code/hook-payload.js';
import { modeVerdict } from '../../agents/claude-code/permission-mode.js';
import { plainHookPayload } from '../../agents/claude-code/plain-payload.js';
import { signoffPlaces } from '../../agents/claude-code/signoff-guard.js';
import { hookRequest } from '../../agents/claude-code/tool-request.js';
import { resolveHubUrl } from '../config.js';
import { parseDuration } from '../duration.js';
import { RestAgent } from '../rest-agent.js';

/** Env switch for `--allow-read-only`, for settings files that cannot add flags easily. */
export const ALLOW_READ_ONLY_ENV = 'SIGNOFF_HOOK_ALLOW_READ_ONLY';
const DEFAULT_TIMEOUT = '5m';

export const hookHelp = `signoff hook claude-code [--timeout 5m] [--allow-read-only] [--agent-id NAME] [--port N]

A Claude Code hook (PreToolUse or PermissionRequest): reads the hook's JSON on
stdin, asks for an approval in Signoff showing the tool and its input, waits,
and prints Claude Code's answer on stdout:
  approved → allow (the approver's edited arguments become updatedInput)
  rejected → deny, with the reason for Claude; "stop Claude" → deny and interrupt
  AskUserQuestion → a clarification; the answer goes back as updatedInput.answers
  no hub, no answer before the deadline, unreadable input, a bad flag or duration,
    SIGTERM → ask (PreToolUse) or no decision (PermissionRequest): Claude Code shows
    its own prompt, the problem on stderr. Never a silent allow, never exit 2.
permission_mode: bypassPermissions and dontAsk ask nobody (calls touching Signoff are
denied); plan lets read-only tools inside the project through and denies edits, shell
commands and MCP tools; acceptEdits lets reads and edits inside the project through.
Options:
  --timeout T        how long to wait for a person (default ${DEFAULT_TIMEOUT}); keep it below the
                     hook's "timeout" in settings.json
  --allow-read-only  let read-only tools (Read, Glob, Grep, LS, NotebookRead, BashOutput) through
                     without asking when every path they name is inside the project (also
                     ${ALLOW_READ_ONLY_ENV}=1); web searches and fetches are always asked
  --agent-id NAME    who is asking (default claude-code)
  --port N           hub port (default SIGNOFF_URL, SIGNOFF_PORT or 7475)
Severity: anything touching Signoff itself (its data dir ~/.signoff or SIGNOFF_HOME, *.token,
signoff.db, hub.key, signoff pair/respond/devices/hub, the hub's port 7475 or SIGNOFF_PORT) is
critical, since an agent there could approve its own requests; so are rm -rf (PowerShell:
Remove-Item -Recurse -Force; Bash, PowerShell and Monitor share the rules), git push --force,
DROP/TRUNCATE, DELETE without WHERE, mkfs/dd, terraform destroy, and file writes outside the
project; sudo, curl|sh, git push, git reset --hard, publishing, secrets (.env, .ssh, keys) are
high; other commands and edits medium; read-only tools low.`;

/** How long a stopped hook waits for the hub to take back its request before it exits anyway. */
const CANCEL_ON_STOP_MS = 1_000;

/** What the hook knows so far; the SIGTERM handler answers from it. */
interface HookRun {
  event: HookEvent;
  answered: boolean;
  agent?: RestAgent;
  requestId?: string;
}

/** Prints Claude Code's answer once: whichever of the normal path and a stop comes first wins. */
function answer(run: HookRun, verdict: HookVerdict): void {
  if (run.answered) return;
  run.answered = true;
  console.log(JSON.stringify(hookOutput(run.event, verdict)));
}

/**
 * On SIGTERM or SIGINT (Claude Code's hook timeout, the person pressing Esc), answers
 * `ask` at once, takes the pending request back from the hub if it answers quickly,
 * and exits 0 — even while the hub is down and the client is waiting to reconnect.
 */
function exitOnStop(run: HookRun): () => void {
  const stop = (signal: NodeJS.Signals) => {
    answer(run, { decision: 'ask', reason: `The Signoff hook was stopped (${signal}) before anyone answered; asking here instead.` });
    const { agent, requestId } = run;
    const cancelled = agent && requestId ? agent.cancel(requestId, CANCEL_ON_STOP_MS).catch(() => undefined) : Promise.resolve(undefined);
    void cancelled.finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return () => {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  };
}

interface HookFlags {
  timeoutMs: number;
  port?: string;
  agentId?: string;
  allowReadOnly: boolean;
}

/** The flags, or the problem with them in words: a typo in settings.json must not block every tool call. */
function readFlags(args: string[]): { ok: true; flags: HookFlags } | { ok: false; problem: string } {
  try {
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
    if (positionals[0] !== 'claude-code' || positionals.length > 1) return { ok: false, problem: 'hook needs the agent it serves: signoff hook claude-code' };
    if (values.port !== undefined && !/^\d{1,5}$/.test(values.port)) return { ok: false, problem: `cannot read port ${JSON.stringify(values.port)}` };
    return {
      ok: true,
      flags: {
        timeoutMs: parseDuration(values.timeout ?? DEFAULT_TIMEOUT),
        allowReadOnly: values['allow-read-only'] === true || process.env[ALLOW_READ_ONLY_ENV] === '1',
        ...(values.port !== undefined ? { port: values.port } : {}),
        ...(values['agent-id'] ? { agentId: values['agent-id'] } : {}),
      },
    };
  } catch (error) {
    return { ok: false, problem: toError(error).message };
  }
}

/** The event to answer for input that did not validate: PermissionRequest if it says so, else PreToolUse. */
function eventOf(raw: unknown): HookEvent {
  return (raw as { hook_event_name?: unknown } | undefined)?.hook_event_name === HookEvent.permissionRequest ? HookEvent.permissionRequest : HookEvent.preToolUse;
}

/**
 * Always exits 0 with one JSON line on stdout, which is where Claude Code reads the
 * answer; problems go to stderr. Exit code 2 would be a blocking error for Claude Code
 * (https://code.claude.com/docs/en/hooks, "Exit code output"), so it is never used.
 */
export async function runHook(args: string[]): Promise<number> {
  const run: HookRun = { event: HookEvent.preToolUse, answered: false };
  const release = exitOnStop(run);
  try {
    return await answerHook(args, run);
  } catch (error) {
    // Nothing here should throw; if something does, Claude Code still gets its own prompt.
    const problem = toError(error).message;
    console.error(`signoff hook: ${problem}`);
    answer(run, { decision: 'ask', reason: `Signoff failed (${problem}); asking here instead.` });
    return 0;
  } finally {
    release();
  }
}

async function answerHook(args: string[], run: HookRun): Promise<number> {
  const read = readFlags(args);
  let raw: unknown;
  try {
    raw = JSON.parse(await text(process.stdin));
  } catch {
    raw = undefined;
  }
  run.event = eventOf(raw);
  if (!read.ok) {
    console.error(`signoff hook: ${read.problem}\n\n${hookHelp}`);
    answer(run, { decision: 'ask', reason: `Signoff's hook is misconfigured (${read.problem}); asking here instead. Fix the command in settings.json.` });
    return 0;
  }
  const { flags } = read;
  // Plain input (nearly every call) is accepted without the schemas; the rest is checked by HookPayloadSchema.
  let payload = plainHookPayload(raw);
  if (!payload) {
    const [{ validate }, { HookPayloadSchema }] = await Promise.all([import('@signoff/shared'), import('../../agents/claude-code/hook-payload.js')]);
    const parsed = validate(HookPayloadSchema, raw);
    if (!parsed.ok) {
      console.error(`signoff hook: unreadable hook input (${parsed.error.message})`);
      answer(run, { decision: 'ask', reason: `Signoff could not read the hook input (${parsed.error.message}); asking here instead.` });
      return 0;
    }
    payload = parsed.data;
  }
  run.event = payload.hook_event_name;
  const places = signoffPlaces(process.env, homedir(), flags.port);

  const byMode = modeVerdict(payload, { allowReadOnly: flags.allowReadOnly, places });
  if (byMode) {
    answer(run, byMode);
    return 0;
  }

  const who = flags.agentId ? { agentId: flags.agentId } : {};
  const questionTool = payload.tool_name === ASK_USER_QUESTION_TOOL ? await import('../../agents/claude-code/ask-user-question.js') : undefined;
  const questions = questionTool?.askedQuestions(payload);
  // Not checked against the schemas here: the hub checks every request and names what is wrong.
  const request: CreateRequestInput =
    questionTool && questions
      ? questionTool.questionRequest(payload, questions, { timeoutMs: flags.timeoutMs, ...who })
      : hookRequest(payload, { timeoutMs: flags.timeoutMs, places, ...who });

  const url = resolveHubUrl(flags.port);
  let agent: RestAgent;
  try {
    agent = run.agent = new RestAgent({ url, token: resolveAgentToken() });
  } catch (error) {
    console.error(`signoff hook: ${toError(error).message}`);
    answer(run, { decision: 'ask', reason: `Signoff has no agent token (${toError(error).message}); asking here instead.` });
    return 0;
  }
  let created;
  try {
    created = await agent.create({ ...request, idempotencyKey: request.idempotencyKey ?? crypto.randomUUID() });
  } catch (error) {
    const problem = toError(error).message;
    console.error(`signoff hook: ${problem}`);
    answer(run, { decision: 'ask', reason: notCreatedReason(error, url, problem) });
    return 0;
  }
  try {
    run.requestId = created.id;
    const decision = await agent.waitForDecision(created);
    answer(run, questionTool && questions ? answerVerdict(decision, payload, questions, questionTool.answersFrom) : verdictFor(decision, payload.tool_input));
    return 0;
  } catch (error) {
    console.error(`signoff hook: ${toError(error).message}`);
    answer(run, { decision: 'ask', reason: `Signoff could not get an answer (${toError(error).message}); asking here instead.` });
    return 0;
  }
}

/** The verdict for the person's answer to Claude's questions: allow with `updatedInput.answers`. */
function answerVerdict(
  decision: Decision,
  payload: HookPayload,
  questions: AskedQuestion[],
  answersFrom: typeof AnswersFrom,
): HookVerdict {
  if (outcomeOf(decision) !== 'approved' || decision.status !== 'resolved' || !decision.response) {
    return { decision: 'ask', reason: 'Nobody answered Claude\'s question in Signoff in time; asking here instead.' };
  }
  const answers = answersFrom(questions, decision.response as ClarificationResponse);
  if (Object.keys(answers).length === 0) return { decision: 'ask', reason: 'The answer in Signoff named no option; asking here instead.' };
  return {
    decision: 'allow',
    reason: `Answered by ${decision.respondedBy} in Signoff`,
    updatedInput: { ...payload.tool_input, answers },
  };
}

/** Why the request could not be created, for Claude Code to show: no hub, a hub out of reach, a refused token, or the call itself. */
function notCreatedReason(error: unknown, url: string, problem: string): string {
  const code = error instanceof SignoffError ? error.code : undefined;
  if (code === ErrorCode.unavailable) {
    // Something answered in the hub's place (a proxy without its hub, an untrusted certificate): "start it" would mislead.
    const noHub = ((error as SignoffError).details as { noHub?: boolean } | undefined)?.noHub !== false;
    return noHub
      ? `Signoff hub not reachable at ${url} (start it with \`npx signoff hub\`); asking here instead.`
      : `Signoff cannot reach its hub at ${url} (${problem}); asking here instead.`;
  }
  // A revoked machine token, or the local agent token sent through the hub's public URL.
  if (code === ErrorCode.unauthorized || code === ErrorCode.forbidden) return `Signoff refused this agent's token (${problem}); asking here instead.`;
  return `Signoff could not describe this call (${problem}); asking here instead.`;
}
