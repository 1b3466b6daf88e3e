/** An error as the hub sends it in a failed ack: `{ code, message, details? }`. */
export interface HubRefusal {
  code: string;
  message: string;
  details?: unknown;
}

/** Why the hub refused a decision, in words for the person who made it ("it was already decided by Ada (via rest)"). */
export function explainRefusal(error: HubRefusal): string {
  const details = (error.details ?? {}) as { status?: unknown; respondedBy?: unknown; via?: unknown };
  if (error.code === 'conflict') {
    if (details.status === 'expired') return 'it expired before your decision reached the hub';
    if (details.status === 'cancelled') return 'the agent cancelled it';
    if (details.status === 'blocked') return 'a guardrail blocked it';
    const by = typeof details.respondedBy === 'string' ? details.respondedBy : 'someone else';
    const via = typeof details.via === 'string' ? ` (via ${details.via})` : '';
    return `it was already decided by ${by}${via}`;
  }
  if (error.code === 'not_found') return 'the hub no longer has it';
  return error.message;
}

/** The window keeps no outbox: a decision that did not reach the hub says so, and stays on screen to send again. */
export const NOT_SENT_OFFLINE = 'Not sent: the hub is not reachable. Your answer is still here; send it again once the hub is back.';
/** A decision whose ack never came: it may or may not have landed, and the queue will show which. */
export const NOT_SENT_NO_ANSWER = 'Not sent: the hub did not answer in time. If it got your answer, the request leaves the queue; else send it again.';

/** The message shown for a refused decision. */
export function notSentMessage(error: HubRefusal): string {
  return `Not sent: ${explainRefusal(error)}.`;
}
