import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import {
  connect,
  outcomeOf,
  SEVERITIES,
  type CreateRequestInput,
  type Decision,
  type Severity,
  type SignoffClient,
  type SignoffRequest,
} from '@signoff/shared/agent';
import { askOutput } from '../ask-output.js';
import { resolveHubUrl } from '../config.js';
import { parseDuration } from '../duration.js';
import { UsageError } from '../usage-error.js';

export const askHelp = `signoff ask "TEXT" [options]

Asks a human and blocks until decided. Prints, on stdout:
  approval          the decision as JSON
  edit              the text to use: the edited content, or the draft as it was if accepted
  clarification     the answer: the picked option's id, the typed text and/or the form
                    values as JSON, one per line
  with --json       the decision as JSON, for every kind
A rejection or expiry prints nothing on stdout for edit and clarification; stderr says why.
Options:
  --kind K          approval (default) | clarification | edit
  --severity S      low | medium (default) | high | critical
  --context JSON    a JSON object shown to the human
  --body TEXT       more detail (markdown)
  --timeout T       deadline, e.g. 90s, 5m, 2h (the hub clamps it to 10s..7d)
  --option ID=LABEL clarification: an option to pick (repeatable)
  --no-freeform     clarification: only the options may be picked
  --file PATH       edit: the draft to review (else read from stdin); send the result to
                    another file: the shell empties a file redirected onto itself first
  --json            print the decision as JSON whatever the kind
  --agent-id NAME   who is asking (default SIGNOFF_AGENT_ID or "cli")
  --port N          hub port (default SIGNOFF_URL, SIGNOFF_PORT or 7475)
Exit: 0 approved/answered, 1 rejected, 3 expired or cancelled, 2 usage or connection error,
130 interrupted (Ctrl-C; the request is cancelled if the hub can be told at once).
Token: SIGNOFF_TOKEN, else <SIGNOFF_HOME or ~/.signoff>/agent.token.`;

const KINDS = ['approval', 'clarification', 'edit'] as const;

const EXIT_CODES = { approved: 0, rejected: 1, expired: 3 } as const;

/** Exit code for a decision, as documented above. */
export function exitCodeFor(decision: Decision): 0 | 1 | 3 {
  return EXIT_CODES[outcomeOf(decision)];
}

function buildRequest(title: string, values: Record<string, string | string[] | boolean | undefined>): CreateRequestInput {
  const kind = (values.kind as string | undefined) ?? 'approval';
  if (!(KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
  const severity = (values.severity as string | undefined) ?? 'medium';
  if (!(SEVERITIES as readonly string[]).includes(severity)) throw new UsageError(`--severity must be one of ${SEVERITIES.join(', ')}`);
  let context: Record<string, unknown> | undefined;
  if (values.context !== undefined) {
    try {
      context = JSON.parse(values.context as string);
    } catch {
      throw new UsageError('--context must be a JSON object');
    }
    if (!context || typeof context !== 'object' || Array.isArray(context)) throw new UsageError('--context must be a JSON object');
  }
  const common = {
    title,
    severity: severity as Severity,
    ...(values.body ? { body: values.body as string } : {}),
    ...(context ? { context } : {}),
    ...(values.timeout ? { timeoutMs: parseDuration(values.timeout as string) } : {}),
  };
  if (kind === 'clarification') {
    const options = ((values.option as string[] | undefined) ?? []).map((spec) => {
      const at = spec.indexOf('=');
      if (at < 1) throw new UsageError(`--option must look like ID=LABEL, not ${JSON.stringify(spec)}`);
      return { id: spec.slice(0, at), label: spec.slice(at + 1) };
    });
    const allowFreeform = values['no-freeform'] !== true;
    if (!allowFreeform && options.length === 0) throw new UsageError('--no-freeform needs at least one --option');
    return { kind, ...common, allowFreeform, ...(options.length ? { options } : {}) };
  }
  if (kind === 'edit') {
    const file = values.file as string | undefined;
    if (!file && process.stdin.isTTY) throw new UsageError('--kind edit needs --file PATH or the draft on stdin');
    const content = readFileSync(file ?? 0, 'utf8');
    const ext = file ? extname(file).toLowerCase() : '';
    const format = ext === '.json' ? 'json' : ext === '.md' || ext === '.markdown' ? 'markdown' : 'text';
    return { kind, ...common, draft: { format, content } };
  }
  return { kind: 'approval', ...common };
}

export async function runAsk(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      kind: { type: 'string' },
      severity: { type: 'string' },
      context: { type: 'string' },
      body: { type: 'string' },
      timeout: { type: 'string' },
      option: { type: 'string', multiple: true },
      'no-freeform': { type: 'boolean' },
      file: { type: 'string' },
      json: { type: 'boolean' },
      'agent-id': { type: 'string' },
      port: { type: 'string' },
    },
  });
  const title = positionals.join(' ').trim();
  if (!title) throw new UsageError('ask needs the TEXT to ask about');
  const request = buildRequest(title, values);
  // Ctrl-C ends the command promptly whatever it is waiting for (the hub, a
  // reconnect, the human); a second Ctrl-C falls through to Node's default.
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort(new Interrupted());
  process.once('SIGINT', onSigint);
  let client: SignoffClient | undefined;
  let created: SignoffRequest | undefined;
  try {
    client = await connect({
      agentId: values['agent-id'] ?? (process.env.SIGNOFF_AGENT_ID || 'cli'),
      url: resolveHubUrl(values.port),
      signal: interrupt.signal,
    });
    created = await client.submit(request, { signal: interrupt.signal });
    // Not the SDK's own cancel-on-abort: Ctrl-C cancels below, bounded, and says how it went.
    const decision = created.decision ?? (await untilAborted(client.waitFor(created.id), interrupt.signal));
    const output = askOutput(request, decision, values.json === true);
    process.stdout.write(output.stdout);
    // A terminal prompt after text without a final newline would run on in the same line.
    if (process.stdout.isTTY && output.stdout && !output.stdout.endsWith('\n')) process.stdout.write('\n');
    if (output.stderr) console.error(output.stderr);
    return exitCodeFor(decision);
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    console.error(`signoff: interrupted; ${await cancelOnInterrupt(client, created)}`);
    return 130;
  } finally {
    process.off('SIGINT', onSigint);
    client?.close();
  }
}

/** Settles like `promise`, or rejects with the signal's reason once it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    }),
  ]);
}

/** The abort reason for Ctrl-C. */
class Interrupted extends Error {
  override readonly name = 'Interrupted';
  constructor() {
    super('interrupted');
  }
}

/** How long Ctrl-C waits to cancel the request at a connected hub. */
const CANCEL_ON_INTERRUPT_MS = 3000;

/** Cancels the request after Ctrl-C if the hub can be told at once; says what became of it. */
async function cancelOnInterrupt(client: SignoffClient | undefined, created: SignoffRequest | undefined): Promise<string> {
  if (!client) return 'nothing was asked';
  // Not acknowledged yet: the SDK cancels it if the hub acknowledges it later.
  if (!created) return 'the request was not created (or is cancelled once the hub acknowledges it)';
  if (!client.connected) return `the hub is unreachable, so request ${created.id} stays pending until its deadline`;
  try {
    await client.cancel(created.id, { callTimeoutMs: CANCEL_ON_INTERRUPT_MS });
    return 'the request was cancelled';
  } catch (error) {
    return `request ${created.id} could not be cancelled (${error instanceof Error ? error.message : String(error)})`;
  }
}
