/**
 * Short, glanceable times for a popup row: how old a request is, how long until it
 * expires, how long a decided one waited. Pure so the host's clock (`now`) drives them.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * Time left until a deadline: `mm:ss` under an hour (a ticking clock is what matters
 * then), `1h 05m` under a day, `2d 3h` beyond; `expired` once it has passed.
 * Rounds up, so `00:00` is never shown while time remains.
 */
export function formatCountdown(msLeft: number): string {
  if (!Number.isFinite(msLeft) || msLeft <= 0) return 'expired';
  const seconds = Math.ceil(msLeft / SECOND);
  if (seconds < 3600) return `${pad2(Math.floor(seconds / 60))}:${pad2(seconds % 60)}`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)}h ${pad2(minutes % 60)}m`;
  const hours = Math.floor(minutes / 60);
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** How urgent a countdown looks: `soon` under a minute left, so rows can flag it. */
export function countdownUrgency(msLeft: number): 'expired' | 'soon' | 'normal' {
  if (msLeft <= 0) return 'expired';
  return msLeft < MINUTE ? 'soon' : 'normal';
}

/** Age of a request in one coarse unit (`12s`, `4m`, `3h`, `2d`): rows have little room. */
export function formatAge(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < MINUTE) return `${Math.floor(safe / SECOND)}s`;
  if (safe < HOUR) return `${Math.floor(safe / MINUTE)}m`;
  if (safe < DAY) return `${Math.floor(safe / HOUR)}h`;
  return `${Math.floor(safe / DAY)}d`;
}

/** A duration with two units (`4m 05s`, `1h 02m`, `2d 3h`), for how long a decision waited. */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < SECOND) return '<1s';
  const seconds = Math.floor(safe / SECOND);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${pad2(seconds % 60)}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${pad2(minutes % 60)}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** A point in time relative to now (`5m ago`, `just now`), for history rows. */
export function formatAgo(at: number, now: number): string {
  const ms = now - at;
  if (ms < 5 * SECOND) return 'just now';
  return `${formatAge(ms)} ago`;
}

/** An absolute timestamp as an ISO string for `<time dateTime>`; empty if not a valid time. */
export function isoTime(at: number): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}
