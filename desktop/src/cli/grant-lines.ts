import { markHiddenCharacters, type Grant } from '@signoff/shared';
import { deviceName } from './device-lines.js';
import { untilText } from './policy-report.js';

/** Longest summary of what a grant lets through, in characters. */
export const MAX_WHAT_CHARS = 100;

function clip(text: string): string {
  return text.length > MAX_WHAT_CHARS ? `${text.slice(0, MAX_WHAT_CHARS - 1)}…` : text;
}

/**
 * Agent text as JSON text (quotes, escapes for controls and line breaks), with the bidi
 * and invisible characters JSON leaves alone shown as markers (`⟨U+202E⟩`), never raw.
 */
function agentJson(value: unknown): string {
  return markHiddenCharacters(JSON.stringify(value));
}

/**
 * What a grant lets through, on one line: `Bash: exactly "npm test"`,
 * `Bash: "npm run test:*"`, `deploy {"env":"staging"}`. The command and arguments came
 * from an agent, so they are shown as JSON text (quotes, escapes, markers), never raw.
 */
export function grantWhat(grant: Grant): string {
  const { match } = grant;
  const action = deviceName(match.action) || '(no action)';
  if (match.type === 'command') return clip(`${action}: ${match.exact ? 'exactly ' : ''}${agentJson(match.pattern)}`);
  return clip(`${action} ${match.args === null ? 'without arguments' : agentJson(match.args)}`);
}

/**
 * One line per grant for `signoff grants`, its id first (to pass to `signoff grants
 * revoke`): `ID  by NAME  agent "x" (every run | run R)  WHAT  until …  N uses`.
 */
export function grantLine(grant: Grant): string {
  const scope = grant.scope === 'run' ? `run ${grant.runId ?? '?'}` : 'every run';
  return [
    grant.id,
    `by ${deviceName(grant.createdBy)}`,
    `agent ${agentJson(grant.agentId)} (${scope})`,
    grantWhat(grant),
    untilText(grant.expiresAt),
    `${grant.uses} use${grant.uses === 1 ? '' : 's'}`,
  ].join('  ');
}
