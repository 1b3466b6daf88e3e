import { Severity } from '@signoff/shared';
import { allowsCommand, hitsCommand } from './command-match.js';
import { PathPatterns } from './path-match.js';
import { defaultDenyReason, EFFECT_RANK, POLICY_KINDS, RuleEffect, type Policy } from './policy-schema.js';
import { RequestFacts, type PolicyEnv, type PolicyRequest } from './request-facts.js';
import { compileTextGlobs, type TextMatcher } from './text-glob.js';

/**
 * Deciding one request by the policy's rules, before any person sees it.
 *
 * - Only approval and external requests are decided; every other kind goes to a
 *   person (`effect: 'none'`).
 * - Every rule whose conditions all hold matches; the most restrictive match decides,
 *   whatever the order or specificity: deny > ask > review > audit > allow.
 * - `review` hands the request to a reviewer (the LLM judge or a reviewer command),
 *   named in `reviewer`; it never lets a critical request be approved (the hub's reviewers
 *   may only deny one), nor a command no rule may allow (`ask` instead).
 * - A critical request is never allowed or approved by a rule: if allow or audit would
 *   decide it, the decision is `ask` and `reason` says why. A deny still denies it.
 * - A command a rule may never allow (`$(…)`, `sh -c`, `sudo`, a redirection out of the
 *   project…; see `command-match.ts`) is never allowed by any rule, even one without a
 *   `command` condition: the decision is `ask`, with the reason.
 * - Conditions lean to safety: allow and audit need every command part and every path
 *   to match; deny and ask need any one (and a path that cannot be resolved counts).
 */

export type { PolicyEnv, PolicyRequest } from './request-facts.js';

/** `none`: no rule matched (or the kind is not decided by rules); a person decides. */
export type PolicyEffect = RuleEffect | 'none';

export interface PolicyDecision {
  /** `allow`: approve now; `audit`: approve now and show it in the feed; `deny`: reject now with `reason`; `review`: `reviewer` decides or leaves it to a person; `ask` and `none`: a person decides. */
  effect: PolicyEffect;
  /** For `review`: `judge` or the reviewer command's name. */
  reviewer?: string;
  /** The rule that decided (the first in the file among the most restrictive matches); absent when none did. */
  rule?: string;
  /** For `deny`: what the agent is told. For `ask` without a rule: why no rule could decide. Else the rule's own `reason`, if any. */
  reason?: string;
  /** Every rule whose conditions held, in file order. */
  matches: { rule: string; effect: RuleEffect }[];
}

/** The hub's default severity (`severity` is `.default('medium')` in the request schemas). */
const DEFAULT_SEVERITY: Severity = Severity.medium;
/** Tools whose `command` is not a POSIX shell line: a command condition never allows one. */
const NON_POSIX_SHELLS: ReadonlySet<string> = new Set(['PowerShell']);

interface CompiledRule {
  name: string;
  effect: RuleEffect;
  reason: string | undefined;
  reviewer: string | undefined;
  /** Allow or audit: conditions must hold for everything in the request. */
  permits: boolean;
  kinds: ReadonlySet<string> | undefined;
  severities: ReadonlySet<string> | undefined;
  agent: TextMatcher | undefined;
  /**
   * Globs on the machine another machine's agent asked from. Without it, a rule that can
   * approve (allow, audit, review) holds only for this machine's requests — a person wrote
   * it for the agents here, and a remote agent can claim any agentId — while deny and ask
   * hold for every machine.
   */
  machine: TextMatcher | undefined;
  action: TextMatcher | undefined;
  command: TextMatcher | undefined;
  path: PathPatterns | undefined;
  args: [string, TextMatcher][] | undefined;
}

/** Compiled once per policy and home directory: evaluation runs on every request. */
const compiled = new WeakMap<Policy, { home: string; rules: CompiledRule[] }>();

function compile(policy: Policy, home: string): CompiledRule[] {
  const cached = compiled.get(policy);
  if (cached && cached.home === home) return cached.rules;
  const rules = policy.rules.map((rule): CompiledRule => {
    const w = rule.when;
    return {
      name: rule.name,
      effect: rule.then,
      reason: rule.reason,
      reviewer: rule.reviewer,
      permits: rule.then === RuleEffect.allow || rule.then === RuleEffect.audit,
      kinds: w.kind && new Set(w.kind),
      severities: w.severity && new Set(w.severity),
      agent: w.agent && compileTextGlobs(w.agent),
      machine: w.machine && compileTextGlobs(w.machine),
      action: w.action && compileTextGlobs(w.action),
      command: w.command && compileTextGlobs(w.command),
      path: w.path && new PathPatterns(w.path, home),
      args: w.args && Object.entries(w.args).map(([name, globs]): [string, TextMatcher] => [name, compileTextGlobs(globs)]),
    };
  });
  compiled.set(policy, { home, rules });
  return rules;
}

/** A string glob on an argument value: strings, numbers and booleans; for deny and ask, also a list holding one. */
function argMatches(value: unknown, matches: TextMatcher, permits: boolean): boolean {
  if (typeof value === 'string') return matches(value);
  if (typeof value === 'number' || typeof value === 'boolean') return matches(String(value));
  if (!permits && Array.isArray(value)) return value.some((item) => argMatches(item, matches, permits));
  return false;
}

/** A rule whose match can end in an approval without a person. */
function approves(rule: CompiledRule): boolean {
  return rule.permits || rule.effect === RuleEffect.review;
}

function holds(rule: CompiledRule, request: PolicyRequest, facts: RequestFacts, severity: Severity): boolean {
  if (rule.kinds && !rule.kinds.has(request.kind)) return false;
  if (rule.severities && !rule.severities.has(severity)) return false;
  if (rule.agent && !rule.agent(request.agentId ?? '')) return false;
  if (rule.machine ? request.machine === undefined || !rule.machine(request.machine) : request.machine !== undefined && approves(rule)) return false;
  if (rule.action && (facts.name === undefined || !rule.action(facts.name))) return false;
  if (rule.args) {
    for (const [name, matches] of rule.args) {
      if (!Object.hasOwn(facts.args, name) || !argMatches(facts.args[name], matches, rule.permits)) return false;
    }
  }
  if (rule.path) {
    const paths = facts.pathValues;
    if (rule.permits ? !rule.path.coversAll(paths, facts.context) : !rule.path.hitsAny(paths)) return false;
  }
  if (rule.command) {
    const analysis = facts.commandAnalysis;
    if (!analysis) return false;
    if (rule.permits) {
      if (facts.name !== undefined && NON_POSIX_SHELLS.has(facts.name)) return false;
      if (!allowsCommand(analysis, rule.command)) return false;
    } else if (!hitsCommand(analysis, rule.command)) {
      return false;
    }
  }
  return true;
}

/**
 * Decides `request` by `policy`; see the module comment. `facts`: the request's facts
 * when the caller shares them with the grants and the guardrails (read once per request).
 */
export function evaluatePolicy(policy: Policy, request: PolicyRequest, env: PolicyEnv, facts: RequestFacts = RequestFacts.of(request, env)): PolicyDecision {
  if (!(POLICY_KINDS as readonly string[]).includes(request.kind) || policy.rules.length === 0) return { effect: 'none', matches: [] };
  const rules = compile(policy, env.home);
  const severity = request.severity ?? DEFAULT_SEVERITY;

  let top: CompiledRule | undefined;
  const matches: PolicyDecision['matches'] = [];
  for (const rule of rules) {
    if (!holds(rule, request, facts, severity)) continue;
    matches.push({ rule: rule.name, effect: rule.effect });
    if (!top || EFFECT_RANK[rule.effect] > EFFECT_RANK[top.effect]) top = rule;
  }
  if (!top) return { effect: 'none', matches };

  if (top.effect === RuleEffect.deny) return { effect: 'deny', rule: top.name, reason: top.reason ?? defaultDenyReason(top.name), matches };
  if (top.effect === RuleEffect.ask) return { effect: 'ask', rule: top.name, ...(top.reason ? { reason: top.reason } : {}), matches };
  if (top.effect === RuleEffect.review) {
    // Critical requests still go to the reviewer: it may deny one, never approve it (the hub holds to that).
    const unsafe = facts.commandAnalysis?.unsafe ?? [];
    if (unsafe.length > 0) return { effect: 'ask', reason: `No reviewer may allow a command with ${unsafe.join('; ')}; the rule "${top.name}" would have asked ${top.reviewer}.`, matches };
    return { effect: 'review', rule: top.name, reviewer: top.reviewer!, ...(top.reason ? { reason: top.reason } : {}), matches };
  }

  const verb = top.effect === RuleEffect.allow ? 'allowed' : 'approved';
  if (severity === Severity.critical) {
    return { effect: 'ask', reason: `Critical requests always go to a person; the rule "${top.name}" would have ${verb} it.`, matches };
  }
  const unsafe = facts.commandAnalysis?.unsafe ?? [];
  if (unsafe.length > 0) {
    return { effect: 'ask', reason: `No rule allows a command with ${unsafe.join('; ')}; the rule "${top.name}" would have ${verb} it.`, matches };
  }
  return { effect: top.effect, rule: top.name, ...(top.reason ? { reason: top.reason } : {}), matches };
}
