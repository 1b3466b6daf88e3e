import type { Severity } from '@signoff/shared';
import type { ConnectionStatus } from './messages.js';

/** Badge colour by the most urgent pending severity. */
export const BADGE_COLORS: Record<Severity, string> = {
  critical: '#d93025',
  high: '#e8710a',
  medium: '#1a73e8',
  low: '#5f6368',
};

export interface BadgeState {
  text: string;
  color: string;
  title: string;
}

/** What the toolbar badge shows for `count` pending requests whose most urgent is `top`. */
export function badgeFor(count: number, top: Severity | null, connection: Pick<ConnectionStatus, 'state' | 'detail'>): BadgeState {
  if (connection.state === 'unpaired' || connection.state === 'rejected') {
    return { text: '!', color: BADGE_COLORS.low, title: 'Signoff: not paired — open the options to pair' };
  }
  if (connection.state === 'impostor') {
    // Not a count: the person must see that something is wrong before anything else.
    return { text: '!', color: BADGE_COLORS.critical, title: `Signoff: ${connection.detail}` };
  }
  const text = count === 0 ? '' : count > 999 ? '999+' : String(count);
  const color = top ? BADGE_COLORS[top] : BADGE_COLORS.low;
  const suffix = connection.state === 'offline' ? ' (hub not reachable)' : '';
  return { text, color, title: `Signoff: ${count} pending${suffix}` };
}
