import type { SignoffRequest } from './request.js';

/**
 * Who sent a request, as one line of plain text: its `agentId`, and the machine it came
 * from when another machine's agent sent it ("claude-code from build-box", or "from
 * build-box" alone); `null` when there is neither. The one wording every surface uses
 * (the window, the popup, notifications, the tray menu, `signoff list`).
 *
 * The machine name is set by the hub from the machine token, never by the agent; but an
 * `agentId` is free text, and a local agent calling itself "deploy from build-box" would
 * read exactly like build-box's "deploy". So an `agentId` holding whitespace is shown in
 * quotes (`"deploy from build-box"`): an unquoted "NAME from MACHINE" is only ever the hub's.
 *
 * @param show makes each part displayable (truncates, marks hidden characters); it is
 *   applied to the agent and the machine apart, so shortening a long `agentId` can never
 *   cut off the machine. @default the text unchanged
 */
export function agentLabel(request: Pick<SignoffRequest, 'agentId' | 'machine'>, show: (text: string) => string = (text) => text): string | null {
  const agent = request.agentId ? quoteSpaced(request.agentId, show) : null;
  const from = request.machine === undefined ? null : `from ${show(request.machine)}`;
  if (agent && from) return `${agent} ${from}`;
  return agent ?? from;
}

function quoteSpaced(agentId: string, show: (text: string) => string): string {
  return /[\s"]/u.test(agentId) ? `"${show(agentId.replaceAll('"', "'"))}"` : show(agentId);
}
