import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { CreateRequestSchema, validate, type SignoffRequest } from '@signoff/shared';
import { GrantStore } from '../../hub/grant-store.js';
import { MIGRATIONS } from '../../hub/migrations.js';
import { PolicyDesk, type Outcome, type ReviewResult } from '../../hub/policy-desk.js';
import { evaluatePolicy, type PolicyRequest } from '../../policy/evaluate.js';
import { loadPolicyFile, POLICY_FILE_NAME, PolicySource } from '../../policy/policy-file.js';
import { resolveDataDir } from '../config.js';
import { parseDuration } from '../duration.js';
import { checkLines, checkReport, testLines, type TestReport } from '../policy-report.js';
import { actualOf, classifyReplay, replayLines, ReplayTally, type StoredOutcome } from '../policy-replay.js';
import { GRANTS_SCHEMA, openDataFileReadOnly, type ReadOnlyDataFile } from '../readonly-data-file.js';
import { UsageError } from '../usage-error.js';

export const policyHelp = `signoff policy check [FILE] [--json] [--data-dir DIR]
signoff policy test '<request JSON>' | - | --file F  [--owner O] [--review] [--json] [--data-dir DIR]
signoff policy replay [--since 30d|all] [--json] [--data-dir DIR]

Tries the policy in <data dir>/policy.yaml without a hub, and without changing anything.
  check   validates the file (or FILE, a draft): per rule its name, effect and
          conditions on one line, its warnings indented below; every error with its
          line:col, rule and field.
  test    which rule, grant or guardrail would decide one request (a create input, as
          an agent sends it: {"kind":"approval","title":…,"action":{"name":"Bash",
          "args":{"command":"npm test"}},"agentId":…}), and why: the rules' verdict with
          every matching rule, the live grants for its agentId (of any agent token
          owner, or --owner's), what the hub would do before a person sees it, and what
          the guardrails would do to an approval. - reads the JSON from stdin.
          A review rule's reviewer is named, not run; --review runs it (the reviewer
          command, or a call to the judge) as the hub would, and prints its verdict
          and what would then happen.
  replay  runs the rules over the stored approval and external requests created within
          --since (default 30d; newest 100000 at most) and prints, per rule, how many it
          would have allowed, denied or sent to a person, beside what was decided, with
          the ids where they disagree; then the requests no rule decides. Review
          rules are counted as "review (<reviewer>)"; no reviewer is run.
test and replay read the data dir's signoff.db read-only (a running hub is fine).
  --json          machine-readable output
  --data-dir DIR  the data dir (default SIGNOFF_HOME or ~/.signoff)
Exit: 0 done (a missing policy.yaml is valid: every request goes to a person);
1 the policy file is invalid; 2 usage, or an invalid request.`;

/** Most requests replayed; the newest are taken first. */
export const MAX_REPLAYED = 100_000;
/** Matches no agent token's owner: deciding for it sees no grant. */
const NO_OWNER = '\u0000';

export async function runPolicy(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
      file: { type: 'string' },
      owner: { type: 'string' },
      since: { type: 'string' },
      review: { type: 'boolean' },
    },
  });
  const [sub, ...rest] = positionals;
  const dataDir = resolveDataDir(values['data-dir']);
  const json = values.json === true;
  const only = (allowed: string[]) => {
    for (const name of ['file', 'owner', 'since', 'review'] as const) {
      if (values[name] !== undefined && !allowed.includes(name)) throw new UsageError(`--${name} does not go with policy ${sub}`);
    }
  };
  switch (sub) {
    case 'check':
      only([]);
      if (rest.length > 1) throw new UsageError('policy check takes at most one FILE');
      return rest[0] === undefined ? check(join(dataDir, POLICY_FILE_NAME), true, json) : check(resolve(rest[0]), false, json);
    case 'test': {
      only(['file', 'owner', 'review']);
      if (rest.length + (values.file === undefined ? 0 : 1) !== 1) throw new UsageError("policy test needs one request: '<JSON>', - for stdin, or --file F");
      const text = values.file !== undefined ? readFileSync(values.file, 'utf8') : rest[0] === '-' ? await readStdin() : rest[0]!;
      return test(dataDir, text, { owner: values.owner, review: values.review === true, json });
    }
    case 'replay':
      only(['since']);
      if (rest.length > 0) throw new UsageError('policy replay takes no arguments');
      return replay(dataDir, values.since ?? '30d', json);
    case undefined:
      throw new UsageError('which one: signoff policy check, test or replay');
    default:
      throw new UsageError(`unknown subcommand ${JSON.stringify(sub)}: check, test or replay`);
  }
}

function check(file: string, hubFile: boolean, json: boolean): number {
  const report = checkReport(file, loadPolicyFile(file));
  if (json) console.log(JSON.stringify(report, null, 2));
  else for (const line of checkLines(report, hubFile)) console.log(line);
  return report.valid ? 0 : 1;
}

/** The data dir's policy as the hub would load it; `null` (after printing why) when the file is invalid. */
function loadSource(dataDir: string): PolicySource | null {
  const source = new PolicySource({ dataDir });
  const { error } = source.load();
  if (error === null) return source;
  console.error(`${source.file} is invalid; a running hub keeps the policy it last loaded (see signoff policy check):\n${error}`);
  return null;
}

/** A grant store with no grants (for a data file from before grants, or none at all). */
function emptyGrantStore(): GrantStore {
  const memory = new Database(':memory:');
  for (const sql of MIGRATIONS) memory.exec(sql);
  return new GrantStore(memory);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The request as the hub would hold it right after `create` (the fields the policy reads). */
function asCreated(text: string): SignoffRequest {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the request is not JSON: ${(error as Error).message}`);
  }
  const checked = validate(CreateRequestSchema, input);
  if (!checked.ok) throw new UsageError(`not a request an agent could create: ${checked.error.message}`);
  const now = Date.now();
  return Object.assign({}, checked.data, { id: 'policy-test', createdAt: now, expiresAt: null, status: 'pending', onTimeout: checked.data.onTimeout ?? 'expire' }) as SignoffRequest;
}

async function test(dataDir: string, text: string, { owner, review, json }: { owner: string | undefined; review: boolean; json: boolean }): Promise<number> {
  const request = asCreated(text);
  const source = loadSource(dataDir);
  if (!source) return 1;
  const data = openDataFileReadOnly(dataDir);
  try {
    let note: string | null = null;
    let grants: GrantStore;
    if (!data) {
      note = 'no grants (no hub data yet)';
      grants = emptyGrantStore();
    } else if (data.schema < GRANTS_SCHEMA) {
      note = 'no grants (the data file is from before grants; a hub of this version adds them)';
      grants = emptyGrantStore();
    } else {
      grants = new GrantStore(data.db);
    }
    const home = homedir();
    const now = Date.now();
    const desk = new PolicyDesk(source, grants, () => now, home);
    const agentId = request.agentId ?? '';
    const live = grants.compiled(now).filter((g) => g.grant.agentId === agentId && (owner === undefined || g.owner === owner));
    if (note === null && owner !== undefined) note = `${live.length} live grant${live.length === 1 ? '' : 's'} for this agent of owner ${JSON.stringify(owner)}`;
    // Grants are per agent-token owner: try each owner that has one for this agent, then none.
    let decided: ReturnType<PolicyDesk['decideWithoutPerson']> = null;
    for (const candidate of new Set(live.map((g) => g.owner))) {
      decided = desk.decideWithoutPerson(candidate, request);
      if (decided?.grant) break;
    }
    if (!decided?.grant) decided = desk.decideWithoutPerson(owner ?? NO_OWNER, request);

    const verdict = evaluatePolicy(source.policy, request as PolicyRequest, { home });
    // The hub's own review: the same PolicyDesk, so the same never-approve-critical and failure rules.
    const reviewed = !decided && review ? await desk.review(request) : null;
    const outcome = outcomeOf(request, verdict, decided, review ? reviewed : undefined);
    const report: TestReport = {
      policy: { file: source.file, present: source.state.present, rules: source.policy.rules.length },
      request: {
        kind: request.kind,
        agentId: request.agentId ?? null,
        severity: request.severity,
        action: request.kind === 'approval' ? (request.action?.name ?? null) : request.kind === 'external' ? request.tool.name : null,
        runId: request.runId ?? null,
      },
      rules: verdict,
      grants: { considered: live.length, note },
      outcome,
      guardrails: guardrailsOf(desk, request, decided?.outcome ?? reviewed?.outcome ?? null, outcome.by === 'reviewer' ? 'reviewer' : 'rule'),
    };
    if (json) console.log(JSON.stringify(report, null, 2));
    else for (const line of testLines(report)) console.log(line);
    return 0;
  } finally {
    data?.db.close();
  }
}

/** `reviewed`: the reviewer's answer with `--review` (`null`: it had nothing to review), `undefined` without. */
function outcomeOf(
  request: SignoffRequest,
  verdict: ReturnType<typeof evaluatePolicy>,
  decided: ReturnType<PolicyDesk['decideWithoutPerson']>,
  reviewed: ReviewResult | null | undefined,
): TestReport['outcome'] {
  if (decided?.grant) {
    const { id, createdBy, scope, runId, expiresAt } = decided.grant;
    return { by: 'grant', grant: { id, createdBy, scope, runId, expiresAt }, reason: decided.outcome.reason ?? '' };
  }
  if (decided) {
    const { outcome } = decided;
    const approved = (outcome.response as { approved?: unknown } | null)?.approved === true;
    return {
      by: 'rule',
      rule: outcome.rule ?? '',
      status: outcome.status === 'blocked' ? 'blocked' : 'resolved',
      approved,
      audit: outcome.audit === true,
      reason: outcome.reason ?? '',
    };
  }
  if (request.kind !== 'approval' && request.kind !== 'external') return { by: 'person', reason: `rules decide only approval and external requests, not ${request.kind}` };
  if (verdict.effect === 'review' && verdict.rule !== undefined && verdict.reviewer !== undefined) {
    const ran = reviewed?.outcome;
    return {
      by: 'reviewer',
      rule: verdict.rule,
      reviewer: verdict.reviewer,
      review: reviewed?.review ?? null,
      decided: ran
        ? { status: ran.status === 'blocked' ? 'blocked' : 'resolved', approved: (ran.response as { approved?: unknown } | null)?.approved === true, reason: ran.reason ?? '' }
        : null,
    };
  }
  if (verdict.effect === 'ask') return { by: 'person', reason: verdict.rule !== undefined ? `the rule ${JSON.stringify(verdict.rule)} asks for one` : (verdict.reason ?? 'a rule asks for one') };
  if (verdict.effect === 'allow' || verdict.effect === 'audit') {
    return { by: 'person', reason: `external requests always go to a person, who runs the tool; the rule ${JSON.stringify(verdict.rule)} would have ${verdict.effect === 'allow' ? 'allowed' : 'approved'} it` };
  }
  return { by: 'person', reason: 'no rule matches and no grant' };
}

/** What the guardrails would do to an approval: the rule's, grant's or reviewer's, else a person's. */
function guardrailsOf(desk: PolicyDesk, request: SignoffRequest, decided: Outcome | null, decider: 'rule' | 'reviewer'): TestReport['guardrails'] {
  if (request.kind !== 'approval') return { checked: false, blocked: null, unguarded: null, note: 'they check approvals only' };
  const approval: Outcome =
    decided && decided.status === 'resolved' && (decided.response as { approved?: unknown } | null)?.approved === true
      ? decided
      : { status: 'resolved', response: { approved: true }, respondedBy: 'you', via: 'rest' };
  if (decided && approval !== decided) {
    // A rule's (or reviewer's) denial is final: no one approves it.
    return { checked: false, blocked: null, unguarded: null, note: `not reached: the ${decider} denies it before anyone could approve it` };
  }
  const guarded = desk.guard(request, approval);
  return { checked: true, blocked: guarded.status === 'blocked' ? (guarded.guardrail ?? null) : null, unguarded: guarded.unguarded ?? null, note: null };
}

function replay(dataDir: string, sinceText: string, json: boolean): number {
  const sinceMs = sinceText === 'all' ? null : parseDuration(sinceText);
  if (sinceMs !== null && sinceMs <= 0) throw new UsageError('--since must be a positive duration (7d, 12h) or all');
  const since = sinceMs === null ? null : Date.now() - sinceMs;
  const source = loadSource(dataDir);
  if (!source) return 1;
  const home = homedir();
  const desk = new PolicyDesk(source, emptyGrantStore(), Date.now, home);
  const tally = new ReplayTally(source.policy.rules, since);
  const data: ReadOnlyDataFile | null = openDataFileReadOnly(dataDir);
  try {
    if (data) {
      const rows = data.db
        .prepare(
          `SELECT r.id, r.kind, r.status, r.payload, d.response FROM requests r LEFT JOIN decisions d ON d.request_id = r.id
           WHERE r.kind IN ('approval', 'external') AND r.created_at >= ? ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?`,
        )
        .iterate(since ?? 0, MAX_REPLAYED + 1) as IterableIterator<StoredOutcome & { payload: string }>;
      let n = 0;
      for (const row of rows) {
        if (++n > MAX_REPLAYED) {
          tally.stop();
          break;
        }
        const request = JSON.parse(row.payload) as SignoffRequest;
        request.status = row.status as SignoffRequest['status'];
        const verdict = evaluatePolicy(source.policy, request as PolicyRequest, { home });
        tally.add(row.id, actualOf(row), classifyReplay(request, verdict, desk.decideWithoutPerson(NO_OWNER, request)?.outcome ?? null));
      }
    }
  } finally {
    data?.db.close();
  }
  const report = tally.report();
  const policyFile = source.state.present ? source.file : `no policy (${source.file} does not exist)`;
  if (json) console.log(JSON.stringify({ policy: { file: source.file, present: source.state.present }, ...report }, null, 2));
  else {
    const window = since === null ? 'ever created' : `created since ${new Date(since).toISOString().slice(0, 16).replace('T', ' ')} UTC (${sinceText})`;
    for (const line of replayLines(report, policyFile, data ? window : `(no hub data yet in ${dataDir})`)) console.log(line);
  }
  return 0;
}
