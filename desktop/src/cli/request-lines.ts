import { agentLabel, markHiddenCharacters, type SignoffRequest } from '@signoff/shared';

/** `45s`, `3m`, `2h`, `5d`: a span at a glance, rounded to its largest unit. */
export function shortSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.round(s / 60)}m`;
  if (s < 86_400) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}

/**
 * Agent text as one terminal line: every hidden, direction-changing or control
 * character (an escape sequence could redraw the line) shown as its marker
 * (`⟨U+001B⟩`), as the approver UI shows them, and runs of white space as one space.
 */
export function terminalText(text: string): string {
  return markHiddenCharacters(text).replace(/\s+/g, ' ');
}

/**
 * One line per request for `signoff list`: id (to pass to `signoff respond`),
 * severity, kind, age, who asked (and, for another machine's agent, "from NAME",
 * which the hub sets from the machine token, as the approver UI shows it), the
 * title; a pending request shows how long it has left, a settled one its status.
 */
export function requestLine(request: SignoffRequest, now: number): string {
  const state =
    request.status === 'pending'
      ? request.expiresAt === null
        ? 'pending'
        : `${shortSpan(request.expiresAt - now)} left`
      : request.status;
  const who = agentLabel(request, terminalText) ?? '-';
  return [
    request.id,
    request.severity.padEnd(8),
    request.kind.padEnd(13),
    `${shortSpan(now - request.createdAt)} ago`.padStart(7),
    state.padEnd(9),
    `${who}: ${terminalText(request.title)}`,
  ].join('  ');
}
