import type { Grant, RequestReview } from '@signoff/shared';
import type { PolicyDecision } from '../policy/evaluate.js';
import type { PolicyFileResult } from '../policy/policy-file.js';
import type { Guardrails, PolicyRule, RuleConditions } from '../policy/policy-schema.js';

/**
 * What `signoff policy check` and `signoff policy test` print, as pure functions of
 * what the policy engine and the hub's PolicyDesk answered (so they are tested
 * without a file system or a database).
 */

/** What `signoff policy check` prints when there is no policy file. */
export const NO_POLICY_FILE = 'no policy.yaml: every request goes to a person; guardrails code-safety and pii are on';

/** Printed under every policy with allow or audit rules: the engine's one exception to "a rule decides". */
export const CRITICAL_NOTE = 'critical requests always go to a person; no allow or audit rule ever decides them';

/** A glob as written, quoted only when blanks or separators would blur where it ends. */
function glob(text: string): string {
  return /^[^\s,;"'|]+$/.test(text) ? text : JSON.stringify(text);
}

const globs = (list: readonly string[]) => list.map(glob).join(', ');

/** A rule's conditions on one line: `action: Bash; command: "npm test*", "git diff*"`. */
export function conditionsLine(when: RuleConditions): string {
  const parts: string[] = [];
  if (when.agent) parts.push(`agent: ${globs(when.agent)}`);
  if (when.kind) parts.push(`kind: ${when.kind.join(', ')}`);
  if (when.severity) parts.push(`severity: ${when.severity.join(', ')}`);
  if (when.action) parts.push(`action: ${globs(when.action)}`);
  if (when.command) parts.push(`command: ${globs(when.command)}`);
  if (when.path) parts.push(`path: ${globs(when.path)}`);
  for (const [name, values] of Object.entries(when.args ?? {})) parts.push(`args.${name}: ${globs(values)}`);
  return parts.length === 0 ? 'every approval and external request' : parts.join('; ');
}

/** The rule index a located message is about (`policy.yaml:3:5: rules[2] "x".when…`), if any. */
export function ruleIndexOf(message: string): number | undefined {
  const match = /: rules\[(\d+)\]/.exec(message);
  return match ? Number(match[1]) : undefined;
}

const switches = (guardrails: Guardrails) =>
  Object.entries(guardrails)
    .map(([name, on]) => `${name} ${on ? 'on' : 'off'}`)
    .join(', ');

/** One rule as `check --json` gives it. */
export interface CheckedRule extends PolicyRule {
  warnings: string[];
}

/** `signoff policy check --json`. */
export interface CheckReport {
  file: string;
  present: boolean;
  valid: boolean;
  errors: string[];
  rules: CheckedRule[];
  guardrails: Guardrails | null;
  /** Warnings not about one rule. */
  warnings: string[];
}

export function checkReport(file: string, result: PolicyFileResult): CheckReport {
  if (!result.ok) return { file, present: true, valid: false, errors: result.errors, rules: [], guardrails: null, warnings: [] };
  const rules: CheckedRule[] = result.policy.rules.map((rule) => ({ ...rule, warnings: [] }));
  const general: string[] = [];
  for (const warning of result.warnings) {
    const index = ruleIndexOf(warning);
    const rule = index === undefined ? undefined : rules[index];
    if (rule) rule.warnings.push(warning);
    else general.push(warning);
  }
  return { file, present: result.missing !== true, valid: true, errors: [], rules, guardrails: result.policy.guardrails, warnings: general };
}

/**
 * The text of `signoff policy check`: a heading, then per rule its name, effect and
 * conditions on one line and its warnings indented below; or every error with its
 * line:col and the rule and field. `hubFile`: the file is the data dir's, the one a hub follows.
 */
export function checkLines(report: CheckReport, hubFile = true): string[] {
  if (!report.present) return [`${report.file}: ${NO_POLICY_FILE}`];
  if (!report.valid) {
    const n = report.errors.length;
    const kept = hubFile ? '; a running hub keeps the policy it last loaded' : '';
    return [`${report.file} is invalid (${n} error${n === 1 ? '' : 's'})${kept}:`, ...report.errors.map((e) => `  ${e}`)];
  }
  const n = report.rules.length;
  const warnings = report.rules.reduce((sum, rule) => sum + rule.warnings.length, report.warnings.length);
  const lines = [
    `${report.file}: valid, ${n} rule${n === 1 ? '' : 's'}${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}; guardrails ${switches(report.guardrails!)}`,
  ];
  if (n === 0) lines.push('  no rules: every request goes to a person');
  for (const rule of report.rules) {
    lines.push(`  ${rule.name} — ${rule.then} — ${conditionsLine(rule.when)}`);
    for (const warning of rule.warnings) lines.push(`      warning: ${warning}`);
  }
  for (const warning of report.warnings) lines.push(`  warning: ${warning}`);
  if (report.rules.some((r) => r.then === 'allow' || r.then === 'audit')) lines.push(`  note: ${CRITICAL_NOTE}`);
  return lines;
}

// --- signoff policy test ---------------------------------------------------------------

/** `signoff policy test --json`: which rule, grant or guardrail would decide a request, and why. */
export interface TestReport {
  policy: { file: string; present: boolean; rules: number };
  request: { kind: string; agentId: string | null; severity: string; action: string | null; runId: string | null };
  /** The rules' verdict alone (before grants and the hub's limits on approving without a person). */
  rules: PolicyDecision;
  /** Live grants considered (every token owner's, for this agentId), or why none were. */
  grants: { considered: number; note: string | null };
  /** What the hub would do before any person sees it. */
  outcome:
    | { by: 'rule'; rule: string; status: 'resolved' | 'blocked'; approved: boolean; audit: boolean; reason: string }
    | { by: 'grant'; grant: Pick<Grant, 'id' | 'createdBy' | 'scope' | 'runId' | 'expiresAt'>; reason: string }
    | { by: 'person'; reason: string }
    | {
        by: 'reviewer';
        rule: string;
        reviewer: string;
        /** The reviewer's verdict, with `--review`; `null`: not run. */
        review: RequestReview | null;
        /** What its verdict would then do without a person; `null`: not run, or a person decides (seeing it). */
        decided: { status: 'resolved' | 'blocked'; approved: boolean; reason: string } | null;
      };
  /** What the guardrails would do to an approval of it (`null`: not checked, with why in `note`). */
  guardrails: { checked: boolean; blocked: { id: string; reason: string } | null; unguarded: { id: string; reason: string } | null; note: string | null };
}

const effectWord: Record<string, string> = { allow: 'allow', audit: 'audit', deny: 'deny', ask: 'ask', review: 'review', none: 'none' };

/** The text of `signoff policy test`. */
export function testLines(report: TestReport): string[] {
  const { request, rules, outcome, guardrails } = report;
  const lines: string[] = [];
  const who = request.agentId === null ? 'no agentId' : `agent ${JSON.stringify(request.agentId)}`;
  lines.push(
    `Request: ${request.kind}${request.action === null ? '' : ` ${JSON.stringify(request.action)}`}, ${request.severity}, ${who}${request.runId === null ? '' : `, run ${request.runId}`}`,
  );
  lines.push(
    report.policy.present
      ? `Policy: ${report.policy.file} (${report.policy.rules} rule${report.policy.rules === 1 ? '' : 's'})`
      : `Policy: none (${report.policy.file} does not exist)`,
  );

  let verdict = `Rules: ${effectWord[rules.effect]}`;
  if (rules.rule !== undefined) verdict += ` by rule ${JSON.stringify(rules.rule)}`;
  else if (rules.effect === 'ask') verdict += ' (no rule may decide it)';
  else if (rules.effect === 'none') verdict += ` (no rule ${request.kind === 'approval' || request.kind === 'external' ? 'matches' : `decides ${request.kind} requests`})`;
  if (rules.reason !== undefined) verdict += `: ${rules.reason}`;
  lines.push(verdict);
  if (rules.matches.length > 0) lines.push(`  matching rules: ${rules.matches.map((m) => `${JSON.stringify(m.rule)} (${m.effect})`).join(', ')}`);

  lines.push(`Grants: ${report.grants.note ?? `${report.grants.considered} live grant${report.grants.considered === 1 ? '' : 's'} for this agent, of any token owner`}`);

  if (outcome.by === 'rule') {
    const what = outcome.status === 'blocked' ? 'blocked' : outcome.approved ? (outcome.audit ? 'approved (audit: shown in the feed)' : 'approved') : 'rejected';
    lines.push(`Decision: ${what} by rule ${JSON.stringify(outcome.rule)} without a person: ${outcome.reason}`);
  } else if (outcome.by === 'grant') {
    const { grant } = outcome;
    const scope = grant.scope === 'run' ? `run ${grant.runId ?? '?'}` : 'agent';
    lines.push(`Decision: approved by grant ${grant.id} (made by ${grant.createdBy}, ${scope}, ${untilText(grant.expiresAt)}) without a person`);
  } else if (outcome.by === 'reviewer') {
    lines.push(...reviewerLines(outcome));
  } else {
    lines.push(`Decision: a person decides (${outcome.reason})`);
  }

  if (!guardrails.checked) lines.push(`Guardrails: ${guardrails.note ?? 'not checked'}`);
  else if (guardrails.blocked) lines.push(`Guardrails: an approval would be blocked by ${guardrails.blocked.id}: ${guardrails.blocked.reason}`);
  else if (guardrails.unguarded) lines.push(`Guardrails: an approval would stand only because ${guardrails.unguarded.id} is off; it would block: ${guardrails.unguarded.reason}`);
  else lines.push('Guardrails: an approval would stand');
  return lines;
}

function reviewerLines(outcome: Extract<TestReport['outcome'], { by: 'reviewer' }>): string[] {
  const name = JSON.stringify(outcome.reviewer);
  if (outcome.review === null) {
    return [`Decision: would ask reviewer ${name} (rule ${JSON.stringify(outcome.rule)}), which decides only when sure, else a person decides; --review runs it`];
  }
  const { review, decided } = outcome;
  const confidence = review.confidence === undefined ? '' : ` (confidence ${review.confidence})`;
  const lines = [`Reviewer ${name}: ${review.verdict}${confidence}: ${review.reasoning}`];
  if (decided === null) lines.push("Decision: a person decides, seeing the reviewer's verdict");
  else {
    const what = decided.status === 'blocked' ? 'blocked' : decided.approved ? 'approved' : 'rejected';
    lines.push(`Decision: ${what} by reviewer ${name} without a person: ${decided.reason}`);
  }
  return lines;
}

/** `until 2026-12-03 17:00` (local time) or `until revoked`. */
export function untilText(expiresAt: number | null): string {
  if (expiresAt === null) return 'until revoked';
  const d = new Date(expiresAt);
  const two = (n: number) => String(n).padStart(2, '0');
  return `until ${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}
