import type { SignoffRequest } from '../protocol/index.js';

/**
 * Who sent a request, as one line of plain text: its `agentId`, and the machine it came
 * from when another machine's agent sent it ("claude-code from build-box", or "from
 * build-box" alone). The machine name is set by the hub from the machine token, never by
 * the agent, so the person can tell a request from their build box from one made here.
 * `null` when there is neither. Render it through `visibleText`.
 */
export function agentLabel(request: Pick<SignoffRequest, 'agentId' | 'machine'>): string | null {
  const from = request.machine === undefined ? null : `from ${request.machine}`;
  if (request.agentId && from) return `${request.agentId} ${from}`;
  return request.agentId || from;
}
