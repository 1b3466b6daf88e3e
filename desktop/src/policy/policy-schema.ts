import { NEVER_WIDENED_COMMANDS, RequestKind, SEVERITIES, Severity } from '@signoff/shared';
import { z } from 'zod';
import { normalizeCommandPattern } from './text-glob.js';

/**
 * What `policy.yaml` may hold, checked strictly so a misspelt field is named instead
 * of ignored, and normalized (a single glob becomes a list of one). Errors name the
 * rule and the field: `rules[2] "never force-push".when.command: expected a string or
 * a list of strings`.
 *
 * Choices:
 * - `name` is required and unique: it is what people read in the feed ("allowed by
 *   rule …") and what errors point at.
 * - `reason` is optional on every rule; a deny without one tells the agent
 *   {@link defaultDenyReason}.
 * - An empty `when` (or none) matches every approval and external request. For allow
 *   and audit that is an error ("would allow everything" is never what a person meant);
 *   for deny and ask it is allowed (a lock-down) but warned about.
 * - `kind` may only name `approval` and `external`: other kinds always go to a person,
 *   so a rule naming them could never apply.
 * - Allow or audit globs that are nothing but wildcards (`command: "*"`, `action: "*"`,
 *   `path: "**"`), command globs giving an interpreter or wrapper a wildcard (`python *`,
 *   `npx *`; the protocol's `NEVER_WIDENED_COMMANDS`), and allow or audit rules naming
 *   `critical` severity are warnings.
 */

export const RuleEffect = { allow: 'allow', deny: 'deny', ask: 'ask', review: 'review', audit: 'audit' } as const;
export type RuleEffect = (typeof RuleEffect)[keyof typeof RuleEffect];
const EFFECTS = Object.values(RuleEffect) as [RuleEffect, ...RuleEffect[]];

/** Most restrictive first: when several rules match, the highest rank decides. */
export const EFFECT_RANK: Readonly<Record<RuleEffect, number>> = { deny: 4, ask: 3, review: 2, audit: 1, allow: 0 };

/** The only kinds rules decide; every other request goes to a person. */
export const POLICY_KINDS = [RequestKind.approval, RequestKind.external] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

/** Guardrails the file may switch; both on unless turned off. */
export const GUARDRAIL_NAMES = ['code-safety', 'pii'] as const;
export type GuardrailName = (typeof GUARDRAIL_NAMES)[number];
export type Guardrails = Readonly<Record<GuardrailName, boolean>>;

/** A rule's conditions, normalized: every one given must hold. */
export interface RuleConditions {
  /** Globs on the request's `agentId`. */
  agent?: readonly string[];
  /**
   * Globs on the machine another machine's agent asked from. Without it, allow, audit and
   * review rules hold only for this machine's requests; deny and ask for every machine's.
   */
  machine?: readonly string[];
  kind?: readonly PolicyKind[];
  severity?: readonly Severity[];
  /** Globs on the action's (or external tool's) name. */
  action?: readonly string[];
  /** Globs on `args.command`, shell-aware (see `command-match.ts`); blanks normalized. */
  command?: readonly string[];
  /** gitignore-style globs on the path-like arguments (see `path-match.ts`). */
  path?: readonly string[];
  /** Per argument name, globs on its value. */
  args?: Readonly<Record<string, readonly string[]>>;
}

export interface PolicyRule {
  name: string;
  when: RuleConditions;
  then: RuleEffect;
  reason?: string;
  /** With `then: review`: `judge` or the name of one of {@link Policy.reviewers}. */
  reviewer?: string;
}

/** The reviewer name that means the LLM judge. */
export const JUDGE_REVIEWER = 'judge';

/** An OpenAI-compatible chat-completions endpoint that reviews requests (`policy.yaml` `judge:`). */
export interface JudgeConfig {
  /** The full chat-completions URL, e.g. `http://localhost:11434/v1/chat/completions` (Ollama). */
  url: string;
  model: string;
  /** The environment variable holding the API key, sent as `Authorization: Bearer …`; none: no header. */
  apiKeyEnv?: string;
  /** What the judge is told to weigh. */
  criteria: string;
  /** Confidence above which its verdict decides. @default 0.8 */
  threshold: number;
  /** ms. @default 20000 */
  timeoutMs: number;
}

/** A local program that reviews requests (`policy.yaml` `reviewers: { name: { command, timeout } }`). */
export interface ReviewerCommandConfig {
  /** argv; run without a shell. */
  command: readonly string[];
  /** ms. @default 20000 */
  timeoutMs: number;
}

/** A validated policy: plain data (compiled lazily by `evaluatePolicy`). */
export interface Policy {
  rules: readonly PolicyRule[];
  guardrails: Guardrails;
  /** Off unless configured. */
  judge?: JudgeConfig;
  reviewers?: Readonly<Record<string, ReviewerCommandConfig>>;
}

/** No rules: every request goes to a person; guardrails on. */
export const EMPTY_POLICY: Policy = Object.freeze({ rules: Object.freeze([]), guardrails: Object.freeze({ 'code-safety': true, pii: true }) });

export const REVIEW_DEFAULTS = { threshold: 0.8, timeoutMs: 20_000, maxTimeoutMs: 300_000 } as const;

/** What a deny rule without a `reason` tells the agent. */
export function defaultDenyReason(rule: string): string {
  return `Not allowed by the policy rule "${rule}".`;
}

/** A problem found in a policy: the path into the file and the full message. */
export interface PolicyProblem {
  path: (string | number)[];
  message: string;
}

export const POLICY_LIMITS = {
  rules: 1000,
  nameChars: 200,
  reasonChars: 2000,
  patternChars: 1000,
  patternsPerList: 200,
  args: 50,
} as const;

const CONDITION_FIELDS = ['agent', 'machine', 'kind', 'severity', 'action', 'command', 'path', 'args'] as const;
const RULE_FIELDS = ['name', 'when', 'then', 'reason', 'reviewer'] as const;
const JUDGE_FIELDS = ['url', 'model', 'apiKeyEnv', 'criteria', 'threshold', 'timeout'] as const;
const REVIEWER_FIELDS = ['command', 'timeout'] as const;
const RESERVED_ARG_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

const unknownFields = (expected: readonly string[]) => (issue: { code?: string; keys?: string[] }) =>
  issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys!.map((k) => `"${k}"`).join(', ')} (expected ${expected.join(', ')})` : undefined;

type Check<T> = (value: unknown) => { value: T } | { error: string };

const glob: Check<string> = (value) => {
  if (typeof value !== 'string') return { error: 'expected a string' };
  if (value.trim() === '') return { error: 'must not be empty' };
  if (value.length > POLICY_LIMITS.patternChars) return { error: `longer than ${POLICY_LIMITS.patternChars} characters` };
  return { value: value.trim() };
};

const scalarGlob: Check<string> = (value) =>
  typeof value === 'number' || typeof value === 'boolean' ? { value: String(value) } : glob(value);

const oneOf =
  <T extends string>(values: readonly T[], note = ''): Check<T> =>
  (value) =>
    typeof value === 'string' && (values as readonly string[]).includes(value)
      ? { value: value as T }
      : { error: `expected ${values.length > 2 ? `one of ${values.join(', ')}` : values.join(' or ')}${note}` };

/** A value or a non-empty list of values, as a list; `one` and `many` name them in errors (`a string`, `strings`). */
function oneOrMany<T>(check: Check<T>, one: string, many: string) {
  const expected = `expected ${one} or a list of ${many}`;
  return z.unknown().transform((input, ctx): T[] => {
    const list = Array.isArray(input) ? (input as unknown[]) : [input];
    if (input === null || input === undefined || typeof input === 'object' && !Array.isArray(input)) {
      ctx.addIssue({ code: 'custom', message: expected });
      return z.NEVER;
    }
    if (list.length === 0) {
      ctx.addIssue({ code: 'custom', message: `${expected}, not an empty list` });
      return z.NEVER;
    }
    if (list.length > POLICY_LIMITS.patternsPerList) {
      ctx.addIssue({ code: 'custom', message: `more than ${POLICY_LIMITS.patternsPerList} entries` });
      return z.NEVER;
    }
    const out: T[] = [];
    list.forEach((item, index) => {
      const checked = check(item);
      if ('value' in checked) out.push(checked.value);
      else ctx.addIssue({ code: 'custom', message: Array.isArray(input) ? checked.error : expected, path: Array.isArray(input) ? [index] : [] });
    });
    return out;
  });
}

const globs = oneOrMany(glob, 'a string', 'strings');

const ArgsSchema = z.unknown().transform((input, ctx): Record<string, string[]> => {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    ctx.addIssue({ code: 'custom', message: 'expected a mapping of argument names to globs' });
    return z.NEVER;
  }
  const entries = Object.entries(input);
  if (entries.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'expected at least one argument' });
    return z.NEVER;
  }
  if (entries.length > POLICY_LIMITS.args) {
    ctx.addIssue({ code: 'custom', message: `more than ${POLICY_LIMITS.args} arguments` });
    return z.NEVER;
  }
  const out: Record<string, string[]> = {};
  const values = oneOrMany(scalarGlob, 'a string, number or boolean', 'them');
  for (const [name, value] of entries) {
    if (RESERVED_ARG_NAMES.has(name) || name.trim() === '') {
      ctx.addIssue({ code: 'custom', message: 'not a usable argument name', path: [name] });
      continue;
    }
    const parsed = values.safeParse(value);
    if (parsed.success) out[name] = parsed.data;
    else for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: [name, ...issue.path] });
  }
  return out;
});

const WhenSchema = z.strictObject(
  {
    agent: globs.optional(),
    machine: globs.optional(),
    kind: oneOrMany(oneOf(POLICY_KINDS, ' (rules decide only these kinds; the others always go to a person)'), 'a kind', 'kinds').optional(),
    severity: oneOrMany(oneOf(SEVERITIES), 'a severity', 'severities').optional(),
    action: globs.optional(),
    command: oneOrMany(glob, 'a string', 'strings').transform((list) => list.map(normalizeCommandPattern)).optional(),
    path: globs.optional(),
    args: ArgsSchema.optional(),
  },
  { error: (issue) => unknownFields(CONDITION_FIELDS)(issue) ?? (issue.code === 'invalid_type' ? 'expected a mapping of conditions' : undefined) },
);

const requiredString = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'required' : 'expected a string') })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `longer than ${max} characters`);

const RuleSchema = z.strictObject(
  {
    name: requiredString(POLICY_LIMITS.nameChars),
    when: z.preprocess((v) => v ?? {}, WhenSchema),
    then: z.unknown().transform((value, ctx) => {
      if (value === undefined) ctx.addIssue({ code: 'custom', message: `required: one of ${EFFECTS.join(', ')}` });
      else {
        const checked = oneOf(EFFECTS)(value);
        if ('value' in checked) return checked.value;
        ctx.addIssue({ code: 'custom', message: checked.error });
      }
      return z.NEVER;
    }),
    reason: requiredString(POLICY_LIMITS.reasonChars).optional(),
    reviewer: requiredString(POLICY_LIMITS.nameChars).optional(),
  },
  { error: (issue) => unknownFields(RULE_FIELDS)(issue) ?? (issue.code === 'invalid_type' ? 'expected a rule (a mapping with name, when, then)' : undefined) },
);

const toggle = z.unknown().transform((value, ctx) => {
  if (value === true || value === 'on') return true;
  if (value === false || value === 'off') return false;
  ctx.addIssue({ code: 'custom', message: 'expected on or off' });
  return z.NEVER;
});

const GuardrailsSchema = z.strictObject(
  { 'code-safety': toggle.optional(), pii: toggle.optional() },
  { error: (issue) => unknownFields(GUARDRAIL_NAMES)(issue) ?? 'expected a mapping like { code-safety: on, pii: on }' },
);

/** `20s`, `1500ms`, `2m`, or a number of seconds; at most 5 minutes. */
const duration = z.unknown().transform((value, ctx): number => {
  const match = typeof value === 'number' ? [String(value), String(value), 's'] : typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(value) : null;
  const ms = match ? Number(match[1]) * ({ ms: 1, s: 1000, m: 60_000 } as const)[(match[2] ?? 's') as 'ms' | 's' | 'm'] : NaN;
  if (!(ms > 0) || ms > REVIEW_DEFAULTS.maxTimeoutMs) {
    ctx.addIssue({ code: 'custom', message: 'expected a duration like 20s, 1500ms or 2m, at most 5m' });
    return z.NEVER;
  }
  return Math.round(ms);
});

const JudgeSchema = z.strictObject(
  {
    url: requiredString(2000).refine((url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol), 'expected an http(s) URL'),
    model: requiredString(200),
    apiKeyEnv: requiredString(200).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name').optional(),
    criteria: requiredString(POLICY_LIMITS.reasonChars),
    threshold: z.number({ error: 'expected a number between 0 and 1' }).min(0, 'expected a number between 0 and 1').max(1, 'expected a number between 0 and 1').optional(),
    timeout: duration.optional(),
  },
  { error: (issue) => unknownFields(JUDGE_FIELDS)(issue) ?? (issue.code === 'invalid_type' ? 'expected a mapping with url, model and criteria' : undefined) },
);

const ReviewerSchema = z.strictObject(
  {
    command: z
      .array(requiredString(POLICY_LIMITS.patternChars), { error: 'expected a list of strings (the program and its arguments)' })
      .min(1, 'expected the program and its arguments')
      .max(100, 'more than 100 arguments'),
    timeout: duration.optional(),
  },
  { error: (issue) => unknownFields(REVIEWER_FIELDS)(issue) ?? (issue.code === 'invalid_type' ? 'expected a mapping with command (and optionally timeout)' : undefined) },
);

const PolicyFileSchema = z
  .strictObject(
    {
      rules: z.array(RuleSchema, { error: 'expected a list of rules' }).max(POLICY_LIMITS.rules, `more than ${POLICY_LIMITS.rules} rules`).optional(),
      guardrails: GuardrailsSchema.optional(),
      judge: JudgeSchema.optional(),
      reviewers: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'expected a name of letters, digits, . _ -'), ReviewerSchema, { error: 'expected a mapping of reviewer names to { command, timeout }' }).optional(),
    },
    { error: (issue) => unknownFields(['rules', 'guardrails', 'judge', 'reviewers'])(issue) ?? 'expected a mapping with rules (and optionally guardrails, judge, reviewers)' },
  )
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.rules?.forEach((rule, index) => {
      const first = seen.get(rule.name);
      if (first !== undefined) ctx.addIssue({ code: 'custom', message: `the name is already used by rules[${first}]`, path: ['rules', index, 'name'] });
      else seen.set(rule.name, index);
      if (rule.then === RuleEffect.review) {
        if (rule.reviewer === undefined) ctx.addIssue({ code: 'custom', message: `required with then: review (${JUDGE_REVIEWER} or a name under reviewers)`, path: ['rules', index, 'reviewer'] });
        else if (rule.reviewer === JUDGE_REVIEWER ? !file.judge : !Object.hasOwn(file.reviewers ?? {}, rule.reviewer)) {
          ctx.addIssue({
            code: 'custom',
            message: rule.reviewer === JUDGE_REVIEWER ? 'names the judge, but no judge is configured' : `no reviewer named ${JSON.stringify(rule.reviewer)} under reviewers`,
            path: ['rules', index, 'reviewer'],
          });
        }
      } else if (rule.reviewer !== undefined) {
        ctx.addIssue({ code: 'custom', message: 'only a rule with then: review has a reviewer', path: ['rules', index, 'reviewer'] });
      }
      if ((rule.then === RuleEffect.allow || rule.then === RuleEffect.audit) && Object.keys(rule.when).length === 0) {
        ctx.addIssue({ code: 'custom', message: `would ${rule.then === 'allow' ? 'allow' : 'approve'} every request; name at least one condition`, path: ['rules', index, 'when'] });
      }
    });
  });

/** `rules[2] "never force-push".when.command[1]` for a path into the file. */
export function describePath(path: readonly (string | number)[], input: unknown): string {
  let out = '';
  path.forEach((key, i) => {
    out += typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${/^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key)}`;
    if (i === 1 && path[0] === 'rules' && typeof key === 'number') {
      const rules = (input as { rules?: unknown } | null)?.rules;
      const name = Array.isArray(rules) ? (rules[key] as { name?: unknown } | null)?.name : undefined;
      if (typeof name === 'string' && name.trim()) out += ` ${JSON.stringify(name.trim())}`;
    }
  });
  return out;
}

const problem = (path: (string | number)[], message: string, input: unknown): PolicyProblem => ({
  path,
  message: path.length > 0 ? `${describePath(path, input)}: ${message}` : message,
});

const isWildcard = (pattern: string) => /^[*\s/]*$/.test(pattern) && pattern.includes('*');

/** What is legal but probably not meant; see the module comment. */
function policyWarnings(policy: Policy, input: unknown): PolicyProblem[] {
  const warnings: PolicyProblem[] = [];
  policy.rules.forEach((rule, index) => {
    const at = (...path: (string | number)[]) => ['rules', index, ...path];
    const permits = rule.then === RuleEffect.allow || rule.then === RuleEffect.audit;
    if (permits) {
      for (const field of ['agent', 'action', 'command', 'path'] as const) {
        if (rule.when[field]?.some(isWildcard)) {
          warnings.push(problem(at('when', field), `a bare wildcard ${rule.then === 'allow' ? 'allows' : 'approves'} every ${field === 'path' ? 'path' : field}; is that meant?`, input));
        }
      }
      for (const [name, values] of Object.entries(rule.when.args ?? {})) {
        if (values.some(isWildcard)) warnings.push(problem(at('when', 'args', name), `a bare wildcard ${rule.then === 'allow' ? 'allows' : 'approves'} every value; is that meant?`, input));
      }
      for (const pattern of rule.when.command ?? []) {
        // `python *`, `sudo *`, `npx *`: an interpreter or wrapper with a wildcard runs anything.
        const program = /^([^\s*?[]+)[\s*]/.exec(pattern)?.[1];
        if (program !== undefined && pattern.includes('*') && NEVER_WIDENED_COMMANDS.has(program)) {
          warnings.push(problem(at('when', 'command'), `"${pattern}" ${rule.then === 'allow' ? 'allows' : 'approves'} any program ${program} can run; is that meant?`, input));
        }
      }
      if (rule.when.severity?.includes(Severity.critical)) {
        warnings.push(problem(at('when', 'severity'), `critical requests always go to a person; this rule never ${rule.then === 'allow' ? 'allows' : 'approves'} them`, input));
      }
    } else if (Object.keys(rule.when).length === 0) {
      warnings.push(
        problem(at('when'), rule.then === RuleEffect.deny
            ? 'denies every approval and external request'
            : rule.then === RuleEffect.review
              ? `sends every approval and external request to the reviewer ${JSON.stringify(rule.reviewer)}, so no allow or audit rule can apply`
              : 'asks for every approval and external request, so no allow or audit rule can apply', input),
      );
    }
  });
  return warnings;
}

/** Checks parsed file content (`null` for an empty file) and normalizes it into a {@link Policy}. */
export function validatePolicy(input: unknown): { ok: true; policy: Policy; warnings: PolicyProblem[] } | { ok: false; errors: PolicyProblem[] } {
  if (input === null || input === undefined) return { ok: true, policy: EMPTY_POLICY, warnings: [] };
  const parsed = PolicyFileSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((issue) => problem(issue.path as (string | number)[], issue.message, input)) };
  }
  const file = parsed.data;
  const rules: PolicyRule[] = (file.rules ?? []).map((rule) => {
    const when: RuleConditions = {};
    for (const field of CONDITION_FIELDS) {
      const value = rule.when[field];
      if (value !== undefined) (when as Record<string, unknown>)[field] = value;
    }
    return {
      name: rule.name,
      when,
      then: rule.then,
      ...(rule.reason !== undefined ? { reason: rule.reason } : {}),
      ...(rule.reviewer !== undefined ? { reviewer: rule.reviewer } : {}),
    };
  });
  const guardrails: Guardrails = {
    'code-safety': file.guardrails?.['code-safety'] ?? true,
    pii: file.guardrails?.pii ?? true,
  };
  const policy: Policy = { rules, guardrails };
  if (file.judge) {
    const { url, model, apiKeyEnv, criteria, threshold, timeout } = file.judge;
    policy.judge = { url, model, ...(apiKeyEnv !== undefined ? { apiKeyEnv } : {}), criteria, threshold: threshold ?? REVIEW_DEFAULTS.threshold, timeoutMs: timeout ?? REVIEW_DEFAULTS.timeoutMs };
  }
  if (file.reviewers) {
    policy.reviewers = Object.fromEntries(
      Object.entries(file.reviewers).map(([name, r]) => [name, { command: r.command, timeoutMs: r.timeout ?? REVIEW_DEFAULTS.timeoutMs }]),
    );
  }
  return { ok: true, policy, warnings: policyWarnings(policy, input) };
}
