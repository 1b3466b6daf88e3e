import { canonicalJson, GrantDuration, type Grant, type GrantMatch, type Remember } from '@signoff/shared';
import { allowsCommand } from './command-match.js';
import type { PolicyRequest, RequestFacts } from './request-facts.js';
import { compileTextGlob, normalizeCommandPattern } from './text-glob.js';

/**
 * "Always allow this": what a grant lets through, and whether a new request is it.
 *
 * A grant made from an approval matches the exact action and arguments by default;
 * for a shell command (`args.command`), the exact command — or, when the person
 * widened it, a prefix pattern (`npm run test:*`, checked by `grantPatternProblem`
 * before it gets here). Command grants match through the same shell-aware reading
 * as policy rules: a chain (`npm run test:unit && rm -rf ~`) matches only if every
 * part does, and anything a rule could never allow (substitutions, `eval`,
 * redirections out of the project) never matches a grant either.
 */

/** What a grant made from `request` (an approval the person just approved) matches. */
export function grantMatchFor(request: PolicyRequest, remember: Remember): GrantMatch {
  const action = request.action ?? request.tool;
  const name = action?.name ?? '';
  const command = action?.args?.command;
  if (typeof command === 'string') {
    const widened = remember.pattern !== undefined && remember.pattern.trim().endsWith('*');
    return { type: 'command', action: name, pattern: widened ? remember.pattern!.trim() : normalizeCommandPattern(command), exact: !widened };
  }
  return { type: 'exact', action: name, args: action?.args ?? null };
}

/** When a grant made at `now` for `duration` ends: an hour, local midnight, or never (`null`). */
export function grantExpiry(duration: Remember['for'], now: number): number | null {
  if (duration === GrantDuration.always) return null;
  if (duration === GrantDuration.hour) return now + 60 * 60 * 1000;
  const midnight = new Date(now);
  midnight.setHours(24, 0, 0, 0);
  return midnight.getTime();
}

/** A live grant, ready to match requests (its pattern compiled once). */
export interface CompiledGrant {
  grant: Grant;
  owner: string;
  /** Whether the request (its facts, shared with the rules and the guardrails) is what the grant lets through. */
  matches(query: RequestFacts): boolean;
}

export function compileGrant(grant: Grant, owner: string): CompiledGrant {
  const { match } = grant;
  if (match.type === 'command') {
    // The exact command the person approved, or a widened prefix read shell-aware like a rule.
    const matcher = match.exact ? undefined : compileTextGlob(normalizeCommandPattern(match.pattern));
    return {
      grant,
      owner,
      matches(query) {
        const { command } = query;
        if (query.name !== match.action || command === undefined) return false;
        // Other arguments (a timeout, a description) do not change what runs; the command does.
        if (!matcher) return normalizeCommandPattern(command) === match.pattern;
        return allowsCommand(query.commandAnalysis!, matcher);
      },
    };
  }
  const wanted = canonicalJson(match.args);
  return {
    grant,
    owner,
    matches(query) {
      return query.name === match.action && query.canonicalArgs() === wanted;
    },
  };
}
