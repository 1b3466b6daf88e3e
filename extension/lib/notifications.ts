import { agentLabel, markHiddenCharacters, type SignoffRequest } from '@signoff/shared';

/**
 * Critical requests raise a browser notification, unless the tray app is connected
 * to the hub: it raises a native one, and nobody should get two.
 */
export function shouldNotify(request: SignoffRequest, surfaces: Record<string, number>): boolean {
  return request.status === 'pending' && request.severity === 'critical' && !(surfaces.tray && surfaces.tray > 0);
}

/**
 * The notification for a critical request: agent (and the machine another machine's agent
 * sent it from, set by the hub), title and deadline, never context (it may hold secrets).
 * Bidi and invisible characters show as markers (`⟨U+202E⟩`), as in every approver view.
 */
export function criticalNotification(request: SignoffRequest, iconUrl: string): {
  id: string;
  options: { type: 'basic'; iconUrl: string; title: string; message: string; contextMessage: string; priority: number; requireInteraction: boolean };
} {
  const deadline = request.expiresAt ? new Date(request.expiresAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : 'no deadline';
  return {
    id: `request:${request.id}`,
    options: {
      type: 'basic',
      iconUrl,
      title: markHiddenCharacters(`Critical: ${agentLabel(request) ?? 'an agent'} asks`),
      message: markHiddenCharacters(request.title).slice(0, 200),
      contextMessage: `Answer by ${deadline} — click to review`,
      priority: 2,
      requireInteraction: true,
    },
  };
}
