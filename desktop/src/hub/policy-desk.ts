import { homedir } from 'node:os';
import { SEVERITY_RANK, Via, type Decision, type Grant, type PolicyStatus, type Remember, type RequestReview, type SignoffRequest } from '@signoff/shared';
import { evaluatePolicy, type PolicyRequest } from '../policy/evaluate.js';
import { grantExpiry, grantMatchFor } from '../policy/grant-match.js';
import { checkGuardrails, guardedActionOf, GuardrailId, unattendedScanRefusal, type GuardrailSwitches } from '../policy/guardrails.js';
import type { PolicySource } from '../policy/policy-file.js';
import { JUDGE_REVIEWER, RuleEffect } from '../policy/policy-schema.js';
import { runReviewerCommand } from '../policy/reviewer-command.js';
import { RequestFacts } from '../policy/request-facts.js';
import { reviewError, reviewInput, type ReviewOutcome } from '../policy/reviewer-input.js';
import { runJudge } from '../policy/reviewer-judge.js';
import type { GrantStore } from './grant-store.js';

/** A decision before the hub stamps it with the request id and times. */
export type Outcome = Omit<Decision, 'requestId' | 'respondedAt' | 'waitMs'>;

/** What a reviewer made of a request: its decision, or (no `outcome`) its verdict for the person. */
export interface ReviewResult {
  review: RequestReview;
  outcome?: Outcome;
}

/** Judge denials in a row for one agent and action after which the next request goes to a person. */
export const JUDGE_DENIAL_STREAK = 3;
/** Agent-and-action pairs whose judge denials are counted (the oldest is forgotten past this). */
const DENIAL_STREAKS_KEPT = 1000;

/**
 * Where the hub's policy meets its requests (issue "Ask only when it matters"):
 * - before a request reaches a person: a deny or ask rule, else a live grant, else an
 *   allow or audit rule may decide it (`decideWithoutPerson`);
 * - after every approval, whoever made it: the guardrails may turn it into
 *   `blocked` (`guard`);
 * - after a person's approval with `remember`: the grant (`remember`);
 * - for a pending request a `review` rule matched: its reviewer's verdict (`review`),
 *   which decides only when sure, never approves a critical request, and after three
 *   judge denials in a row for one agent and action leaves the next to a person.
 * Rules come from `<dataDir>/policy.yaml` (`PolicySource`), grants from the store.
 */
export class PolicyDesk {
  constructor(
    private readonly source: PolicySource,
    readonly grants: GrantStore,
    private readonly now: () => number,
    private readonly home: string = homedir(),
  ) {}

  /** Judge denials in a row per agent and action (`agentId\0action`). */
  private readonly judgeDenials = new Map<string, number>();

  /** Each request's facts, read once for the rules, the grants and the guardrails. */
  private readonly facts = new WeakMap<SignoffRequest, RequestFacts>();
  /** Why a rule's or a grant's approval was left to a person (too much text to check unattended). */
  private readonly unscanned = new WeakMap<SignoffRequest, RequestReview>();

  private factsOf(request: SignoffRequest): RequestFacts {
    let facts = this.facts.get(request);
    if (!facts) this.facts.set(request, (facts = RequestFacts.of(request as PolicyRequest, { home: this.home })));
    return facts;
  }

  /** For a request {@link decideWithoutPerson} left to a person although a rule or grant would have approved it: why, as a verdict for approvers. */
  unscannedNote(request: SignoffRequest): RequestReview | undefined {
    return this.unscanned.get(request);
  }

  /** Live grants, newest first. */
  listGrants(): Grant[] {
    return this.grants.list(this.now());
  }

  status(): PolicyStatus {
    const { policy, file, present, error, warnings, loadedAt } = this.source.state;
    return { file, present, rules: policy.rules.length, guardrails: { ...policy.guardrails }, error, warnings, loadedAt };
  }

  /** A rule's or a grant's decision for a new request, or `null`: a person decides. */
  decideWithoutPerson(owner: string, request: SignoffRequest): { outcome: Outcome; grant?: Grant } | null {
    if (request.kind !== 'approval' && request.kind !== 'external') return null;
    const facts = this.factsOf(request);
    const verdict = evaluatePolicy(this.source.policy, request as PolicyRequest, { home: this.home }, facts);
    if (verdict.effect === 'deny') {
      const reason = verdict.reason ?? `Not allowed by the policy rule "${verdict.rule}".`;
      return {
        outcome:
          request.kind === 'approval'
            ? { status: 'resolved', response: { approved: false, reason }, respondedBy: `rule:${verdict.rule}`, via: 'rule', rule: verdict.rule!, reason }
            : { status: 'blocked', response: null, respondedBy: `rule:${verdict.rule}`, via: 'rule', rule: verdict.rule!, reason },
      };
    }
    if (verdict.effect === 'ask') return null;
    // Approving without a person: only approvals (an external tool needs someone to run it), never critical ones.
    if (request.kind !== 'approval' || SEVERITY_RANK[request.severity ?? 'medium'] >= SEVERITY_RANK.critical) return null;
    const grant = this.matchingGrant(owner, request, facts);
    // Never approved unread: past the guardrails' unattended budget a person decides.
    const refusal = grant || verdict.effect === 'allow' || verdict.effect === 'audit' ? unattendedScanRefusal(guardedActionOf(request)) : null;
    if (refusal) {
      const by = grant ? `${grant.createdBy}'s "always allow" (grant ${grant.id})` : `the policy rule "${verdict.rule}"`;
      this.unscanned.set(request, { reviewer: 'guardrails', verdict: 'unsure', reasoning: `Not approved by ${by}: ${refusal}` });
      return null;
    }
    if (grant) {
      return {
        outcome: { status: 'resolved', response: { approved: true }, respondedBy: `grant:${grant.id}`, via: 'grant', grantId: grant.id, reason: `Allowed by ${grant.createdBy}'s "always allow" (grant ${grant.id}).` },
        grant,
      };
    }
    if (verdict.effect === 'allow' || verdict.effect === 'audit') {
      const reason = verdict.reason ?? `Allowed by the policy rule "${verdict.rule}".`;
      return {
        outcome: {
          status: 'resolved',
          response: { approved: true },
          respondedBy: `rule:${verdict.rule}`,
          via: 'rule',
          rule: verdict.rule!,
          reason,
          ...(verdict.effect === 'audit' ? { audit: true } : {}),
        },
      };
    }
    return null;
  }

  /**
   * The reviewer's answer for a new pending request a `review` rule matched, or `null`
   * when no review rule decides it. Never rejects: a failing reviewer is an `error` verdict.
   */
  review(request: SignoffRequest, signal?: AbortSignal): Promise<ReviewResult> | null {
    const reviewer = this.reviewerFor(request);
    return reviewer === null ? null : this.runReview(reviewer, request, signal);
  }

  /**
   * The reviewer a `review` rule hands a new request to, or `null` when no review rule
   * decides it. Apart from {@link runReview} so the hub can refuse to start a review
   * (too many running) without running it.
   */
  reviewerFor(request: SignoffRequest): string | null {
    if (request.kind !== 'approval' && request.kind !== 'external') return null;
    const policy = this.source.policy;
    if (!policy.rules.some((rule) => rule.then === RuleEffect.review)) return null;
    const verdict = evaluatePolicy(policy, request as PolicyRequest, { home: this.home }, this.factsOf(request));
    return verdict.effect === 'review' && verdict.reviewer !== undefined ? verdict.reviewer : null;
  }

  /** Runs `reviewer` (from {@link reviewerFor}) on the request. Never rejects: a failing reviewer is an `error` verdict. */
  async runReview(reviewer: string, request: SignoffRequest, signal?: AbortSignal): Promise<ReviewResult> {
    // A reviewer may approve: past the guardrails' unattended budget a person decides instead.
    const refusal = request.kind === 'approval' ? unattendedScanRefusal(guardedActionOf(request)) : null;
    if (refusal) return { review: { reviewer, verdict: 'unsure', reasoning: `Not reviewed: ${refusal}` } };
    const policy = this.source.policy;
    const input = reviewInput(request);
    const command = policy.reviewers?.[reviewer];
    let ran: ReviewOutcome;
    if (reviewer === JUDGE_REVIEWER && policy.judge) ran = await runJudge(policy.judge, input, signal);
    else if (command) ran = await runReviewerCommand(reviewer, command, input, signal);
    else ran = reviewError(reviewer, 'The policy names a reviewer it does not configure.');
    const { review, decisive } = ran;
    if (!decisive) return { review };
    const isJudge = reviewer === JUDGE_REVIEWER;
    const streakKey = `${request.agentId ?? ''}\0${input.action ?? ''}`;
    if (isJudge) {
      const streak = this.judgeDenials.get(streakKey) ?? 0;
      if (streak >= JUDGE_DENIAL_STREAK) {
        // After a run of denials the agent may be stuck or the judge wrong: a person looks.
        this.judgeDenials.delete(streakKey);
        return { review };
      }
    }
    const by = isJudge
      ? { respondedBy: JUDGE_REVIEWER, via: Via.judge, ...(review.confidence === undefined ? {} : { confidence: review.confidence }) }
      : { respondedBy: `reviewer:${reviewer}`, via: Via.reviewer };
    const reason = review.reasoning;
    if (review.verdict === 'deny') {
      if (isJudge) this.countDenial(streakKey);
      return {
        review,
        outcome:
          request.kind === 'approval'
            ? { status: 'resolved', response: { approved: false, reason }, ...by, reason }
            : { status: 'blocked', response: null, ...by, reason },
      };
    }
    if (isJudge) this.judgeDenials.delete(streakKey);
    // Approving without a person: only approvals (an external tool needs someone to run it), never critical ones.
    if (review.verdict !== 'approve' || request.kind !== 'approval' || SEVERITY_RANK[request.severity ?? 'medium'] >= SEVERITY_RANK.critical) return { review };
    return { review, outcome: { status: 'resolved', response: { approved: true }, ...by, reason } };
  }

  private countDenial(key: string): void {
    const streak = (this.judgeDenials.get(key) ?? 0) + 1;
    this.judgeDenials.delete(key);
    this.judgeDenials.set(key, streak);
    if (this.judgeDenials.size > DENIAL_STREAKS_KEPT) this.judgeDenials.delete(this.judgeDenials.keys().next().value!);
  }

  /**
   * An approval as it stands after the guardrails: unchanged, `blocked` with the
   * guardrail's reason, or marked with what a guardrail turned off would have blocked.
   * Only approvals that let the proposed action run are checked (not an alternative).
   */
  guard(request: SignoffRequest, outcome: Outcome): Outcome {
    // `expired` too: an `onTimeout: approve` is an approval nobody read.
    if (request.kind !== 'approval' || (outcome.status !== 'resolved' && outcome.status !== 'expired')) return outcome;
    const response = outcome.response as { approved?: boolean; alternativeId?: string; editedArgs?: Record<string, unknown> } | null;
    if (response?.approved !== true || response.alternativeId !== undefined) return outcome;
    const action = guardedActionOf(request, response.editedArgs);
    const switches: GuardrailSwitches = { [GuardrailId.codeSafety]: this.source.policy.guardrails['code-safety'], [GuardrailId.pii]: this.source.policy.guardrails.pii };
    const hit = checkGuardrails(action, switches, this.factsOf(request));
    if (hit) {
      const who = outcome.via === 'rule' || outcome.via === 'grant' || outcome.via === 'judge' || outcome.via === 'reviewer' ? outcome.respondedBy : `${outcome.respondedBy}'s approval`;
      return {
        ...outcome,
        status: 'blocked',
        guardrail: { id: hit.id, reason: hit.reason },
        reason: `Blocked by Signoff's ${hit.id} guardrail after ${who}: ${hit.reason} Do not run it; ask the user how to go on.`,
      };
    }
    const off = Object.values(GuardrailId).filter((id) => !switches[id]);
    if (off.length === 0) return outcome;
    const wouldHit = checkGuardrails(action, { [GuardrailId.codeSafety]: off.includes(GuardrailId.codeSafety), [GuardrailId.pii]: off.includes(GuardrailId.pii) });
    return wouldHit ? { ...outcome, unguarded: { id: wouldHit.id, reason: wouldHit.reason } } : outcome;
  }

  /** The grant a person's approval asked for (`remember`), once the approval stood. `null` past the grant limit. */
  remember(owner: string, request: SignoffRequest, decision: Decision, remember: Remember): Grant | null {
    return this.grants.add({
      owner,
      agentId: request.agentId ?? '',
      scope: remember.scope,
      runId: remember.scope === 'run' ? (request.runId ?? null) : null,
      match: grantMatchFor(request as PolicyRequest, remember),
      createdBy: decision.respondedBy,
      requestId: request.id,
      createdAt: decision.respondedAt,
      expiresAt: grantExpiry(remember.for, decision.respondedAt),
    });
  }

  private matchingGrant(owner: string, request: SignoffRequest, query: RequestFacts): Grant | undefined {
    for (const compiled of this.grants.compiled(this.now())) {
      const { grant } = compiled;
      if (compiled.owner !== owner || grant.agentId !== (request.agentId ?? '')) continue;
      if (grant.scope === 'run' && grant.runId !== (request.runId ?? null)) continue;
      if (compiled.matches(query)) return grant;
    }
    return undefined;
  }
}
