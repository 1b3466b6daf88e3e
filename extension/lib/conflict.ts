/** Why the hub refused a decision, in words for the person who made it. */
export function explainRefusal(error: { code: string; message: string; details?: unknown }): string {
  const details = (error.details ?? {}) as { status?: string; respondedBy?: string; via?: string };
  if (error.code === 'conflict') {
    if (details.status === 'expired') return 'it expired before your decision reached the hub';
    if (details.status === 'cancelled') return 'the agent cancelled it';
    if (details.status === 'blocked') return 'a guardrail blocked it';
    return `it was already decided by ${details.respondedBy ?? 'someone else'}${details.via ? ` (via ${details.via})` : ''}`;
  }
  if (error.code === 'not_found') return 'the hub no longer has it';
  return error.message;
}
