import type { PolicyRule } from '../policy/policy-schema.js';

/**
 * `signoff policy replay`: how the current rules would have decided past requests,
 * beside what was decided. The command feeds stored requests through the hub's own
 * PolicyDesk (without grants) and the rule engine; this module counts and words it.
 */

/** What actually became of a stored request. */
export const Actual = {
  approved: 'approved',
  rejected: 'rejected',
  /** An external request a person answered. */
  answered: 'answered',
  expired: 'expired',
  cancelled: 'cancelled',
  blocked: 'blocked',
  pending: 'pending',
} as const;
export type Actual = (typeof Actual)[keyof typeof Actual];

/** The columns replay reads from `requests` joined with `decisions` (stable since schema 1). */
export interface StoredOutcome {
  id: string;
  kind: string;
  status: string;
  /** `decisions.response`, JSON text. */
  response: string | null;
}

/** What became of a stored request, from its status and its decision's response. */
export function actualOf(row: StoredOutcome): Actual {
  switch (row.status) {
    case 'resolved': {
      if (row.kind !== 'approval') return Actual.answered;
      let approved: unknown;
      try {
        approved = (JSON.parse(row.response ?? 'null') as { approved?: unknown } | null)?.approved;
      } catch {
        approved = undefined;
      }
      return approved === true ? Actual.approved : Actual.rejected;
    }
    case 'expired':
      return Actual.expired;
    case 'cancelled':
      return Actual.cancelled;
    case 'blocked':
      return Actual.blocked;
    default:
      return Actual.pending;
  }
}

/**
 * How the current policy would treat one past request:
 * - `allow`, `audit`, `deny`: a rule decides it without a person;
 * - `ask`: an ask rule sends it to a person;
 * - `review`: a review rule hands it to its reviewer (not run by the replay);
 * - `held`: allow or audit rules match, yet it would still go to a person (`why`);
 * - `none`: no rule matches; a person decides.
 */
export type Replayed =
  | { would: 'allow' | 'audit' | 'deny' | 'ask'; rule: string; matched: string[] }
  | { would: 'review'; rule: string; reviewer: string; matched: string[] }
  | { would: 'held'; rule: string; why: HeldReason; matched: string[] }
  | { would: 'none' };

export const HeldReason = {
  critical: 'critical',
  external: 'external (a person runs it)',
  command: 'a command no rule may allow',
} as const;
export type HeldReason = (typeof HeldReason)[keyof typeof HeldReason];

/** Request ids shown per line, where the rule and the actual decision disagree. */
export const MAX_IDS_SHOWN = 10;

export interface OutcomeCounts {
  count: number;
  actual: Record<Actual, number>;
  /**
   * Ids of requests where what was decided goes against the rule (an allowed one
   * rejected or blocked, a denied one approved), by outcome; {@link MAX_IDS_SHOWN} in all.
   */
  disagreeing: Partial<Record<Actual, string[]>>;
}

export interface RuleReplay {
  name: string;
  then: PolicyRule['then'];
  /** For a review rule: its reviewer. */
  reviewer?: string;
  /** Requests this rule would have decided (or sent to a person, for ask; to its reviewer, for review). */
  decided: OutcomeCounts;
  /** Requests it matched that would still go to a person, by why. */
  held: OutcomeCounts & { why: Partial<Record<HeldReason, number>> };
  /** Requests it matched that a more restrictive rule decided. */
  overridden: number;
}

/** `signoff policy replay --json`. */
export interface ReplayReport {
  since: number | null;
  total: number;
  /** True when the cap stopped the replay (the newest requests were replayed). */
  capped: boolean;
  rules: RuleReplay[];
  none: OutcomeCounts;
}

const counts = (): OutcomeCounts => ({
  count: 0,
  actual: { approved: 0, rejected: 0, answered: 0, expired: 0, cancelled: 0, blocked: 0, pending: 0 },
  disagreeing: {},
});

function disagrees(would: Replayed['would'], actual: Actual): boolean {
  if (would === 'allow' || would === 'audit') return actual === Actual.rejected || actual === Actual.blocked;
  if (would === 'deny') return actual === Actual.approved || actual === Actual.answered;
  return false;
}

function add(into: OutcomeCounts, id: string, actual: Actual, would: Replayed['would']): void {
  into.count += 1;
  into.actual[actual] += 1;
  if (!disagrees(would, actual)) return;
  const shown = Object.values(into.disagreeing).reduce((sum, ids) => sum + ids.length, 0);
  if (shown < MAX_IDS_SHOWN) (into.disagreeing[actual] ??= []).push(id);
}

/** Counts replayed requests per rule, in the policy's order. */
export class ReplayTally {
  private readonly byName = new Map<string, RuleReplay>();
  private readonly none = counts();
  private total = 0;
  private capped = false;

  constructor(
    rules: readonly PolicyRule[],
    private readonly since: number | null,
  ) {
    for (const rule of rules) {
      const reviewer = rule.then === 'review' && rule.reviewer !== undefined ? { reviewer: rule.reviewer } : {};
      this.byName.set(rule.name, { name: rule.name, then: rule.then, ...reviewer, decided: counts(), held: { ...counts(), why: {} }, overridden: 0 });
    }
  }

  add(id: string, actual: Actual, replayed: Replayed): void {
    this.total += 1;
    if (replayed.would === 'none') {
      add(this.none, id, actual, 'none');
      return;
    }
    const rule = this.byName.get(replayed.rule);
    if (!rule) return;
    if (replayed.would === 'held') {
      add(rule.held, id, actual, 'held');
      rule.held.why[replayed.why] = (rule.held.why[replayed.why] ?? 0) + 1;
    } else {
      add(rule.decided, id, actual, replayed.would);
    }
    for (const name of new Set(replayed.matched)) {
      const other = this.byName.get(name);
      if (other && name !== replayed.rule) other.overridden += 1;
    }
  }

  /** The cap was reached: older requests were not replayed. */
  stop(): void {
    this.capped = true;
  }

  report(): ReplayReport {
    return { since: this.since, total: this.total, capped: this.capped, rules: [...this.byName.values()], none: this.none };
  }
}

/** `approved 209, rejected 3 (ids: …), expired 0`, plus the other outcomes that happened; ids where the rule and the decision disagree. */
export function actualText(c: OutcomeCounts): string {
  const parts: string[] = [];
  for (const key of ['approved', 'answered', 'rejected', 'blocked', 'expired', 'cancelled', 'pending'] as const) {
    if (c.actual[key] === 0 && key !== 'approved' && key !== 'rejected' && key !== 'expired') continue;
    const ids = c.disagreeing[key] ?? [];
    const more = c.actual[key] - ids.length;
    parts.push(`${key} ${c.actual[key]}${ids.length === 0 ? '' : ` (ids: ${ids.join(', ')}${more > 0 ? `, and ${more} more` : ''})`}`);
  }
  return parts.join(', ');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const VERB = { allow: 'allowed', audit: 'approved (audit)', deny: 'denied' } as const;

/** The text of `signoff policy replay`: one line per rule (two when some of its matches still go to a person), then the rest. */
export function replayLines(report: ReplayReport, policyFile: string, sinceText: string): string[] {
  const lines = [`Replayed ${plural(report.total, 'approval and external request')} ${sinceText} against ${policyFile} (${plural(report.rules.length, 'rule')}):`];
  for (const rule of report.rules) {
    const effect = rule.then === 'review' ? `review (${rule.reviewer ?? '?'})` : rule.then;
    const head = `  rule ${JSON.stringify(rule.name)} (${effect})`;
    const overridden = rule.overridden > 0 ? `; matched ${rule.overridden} more that a more restrictive rule decided` : '';
    if (rule.decided.count === 0 && rule.held.count === 0) {
      lines.push(`${head}: decided no request${overridden}`);
      continue;
    }
    if (rule.decided.count > 0 || rule.held.count === 0) {
      const would =
        rule.then === 'ask' || rule.then === 'review'
          ? `would have sent ${rule.decided.count} to ${rule.then === 'ask' ? 'a person' : `${effect}, not run here`}`
          : `would have ${VERB[rule.then]} ${rule.decided.count}`;
      lines.push(`${head}: ${would}; actually ${actualText(rule.decided)}${overridden}`);
    }
    if (rule.held.count > 0) {
      const why = Object.entries(rule.held.why)
        .map(([reason, n]) => `${n} ${reason}`)
        .join(', ');
      lines.push(`${head}: matched ${rule.held.count} that would still go to a person (${why}); actually ${actualText(rule.held)}${rule.decided.count > 0 ? '' : overridden}`);
    }
  }
  lines.push(`  no rule: ${report.none.count} would go to a person; actually ${actualText(report.none)}`);
  if (report.capped) lines.push(`  (stopped after the newest ${report.total} requests; narrow --since for a complete count)`);
  return lines;
}

/** The parts of the rules' verdict {@link classifyReplay} needs (`evaluatePolicy`'s answer). */
export interface RuleVerdict {
  effect: 'allow' | 'audit' | 'deny' | 'ask' | 'review' | 'none';
  rule?: string | undefined;
  reviewer?: string | undefined;
  matches: readonly { rule: string; effect: PolicyRule['then'] }[];
}

/** The parts of the hub's decision without a person {@link classifyReplay} needs (`PolicyDesk.decideWithoutPerson`'s outcome). */
export interface DeskOutcome {
  rule?: string | undefined;
  audit?: boolean | undefined;
  response: unknown;
}

/**
 * How the current policy would treat a past request, from the rules' verdict and what
 * the hub's PolicyDesk (without grants) would do: the desk decides; the verdict says
 * which rule asked, or which allow or audit rule matched a request that still goes to
 * a person.
 */
export function classifyReplay(request: { kind: string; severity?: string | undefined }, verdict: RuleVerdict, decided: DeskOutcome | null): Replayed {
  const matched = verdict.matches.map((m) => m.rule);
  if (decided?.rule !== undefined) {
    const approved = (decided.response as { approved?: unknown } | null)?.approved === true;
    return { would: approved ? (decided.audit ? 'audit' : 'allow') : 'deny', rule: decided.rule, matched };
  }
  if (verdict.effect === 'ask' && verdict.rule !== undefined) return { would: 'ask', rule: verdict.rule, matched };
  if (verdict.effect === 'review' && verdict.rule !== undefined) return { would: 'review', rule: verdict.rule, reviewer: verdict.reviewer ?? '', matched };
  const permit = verdict.matches.find((m) => m.effect === 'audit') ?? verdict.matches.find((m) => m.effect === 'allow');
  if (!permit) return { would: 'none' };
  const why = request.severity === 'critical' ? HeldReason.critical : request.kind === 'external' ? HeldReason.external : HeldReason.command;
  return { would: 'held', rule: permit.rule, why, matched };
}
