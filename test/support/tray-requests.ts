import type { SignoffRequest } from '@signoff/shared';

/** A pending request as the hub serves it, for the tray's unit tests. */
export function pendingRequest(fields: Partial<SignoffRequest> & { id: string }, now = Date.UTC(2026, 0, 5, 10)): SignoffRequest {
  return {
    kind: 'approval',
    title: `Request ${fields.id}`,
    severity: 'medium',
    agentId: 'build-agent',
    createdAt: now,
    expiresAt: now + 15 * 60_000,
    status: 'pending',
    onTimeout: 'expire',
    ...fields,
  } as SignoffRequest;
}
