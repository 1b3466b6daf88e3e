import type { RequestReview, SignoffRequest } from '@signoff/shared';

/**
 * What a reviewer (the LLM judge or a reviewer command) is shown of a request: what a
 * person would read on it. The agent wrote all of it, so a reviewer must treat it as
 * data, not as instructions.
 */
export interface ReviewInput {
  id: string;
  kind: string;
  agent: string | null;
  severity: string;
  title: string;
  body: string | null;
  /** The action's (or external tool's) name. */
  action: string | null;
  arguments: Record<string, unknown>;
  context: Record<string, unknown>;
}

export function reviewInput(request: SignoffRequest): ReviewInput {
  const r = request as SignoffRequest & { action?: { name?: string; args?: Record<string, unknown> }; tool?: { name?: string; args?: Record<string, unknown> } };
  const call = r.kind === 'external' ? r.tool : r.action;
  return {
    id: r.id,
    kind: r.kind,
    agent: r.agentId ?? null,
    severity: r.severity ?? 'medium',
    title: r.title,
    body: r.body ?? null,
    action: call?.name ?? null,
    arguments: call?.args ?? {},
    context: (r.context as Record<string, unknown> | undefined) ?? {},
  };
}

/**
 * A reviewer's answer. `decisive`: the verdict may decide the request (a confident
 * judge, a command that said allow or deny); otherwise the person decides and sees
 * `review`.
 */
export interface ReviewOutcome {
  review: RequestReview;
  decisive: boolean;
}

/** A reviewer that failed: the person decides, and reads why. */
export function reviewError(reviewer: string, reasoning: string): ReviewOutcome {
  return { review: { reviewer, verdict: 'error', reasoning }, decisive: false };
}
