import type { RequestKind, Severity } from '../protocol/index.js';

/** Words shown for each request kind: what the human is asked to do, not the wire name. */
export const KIND_LABELS: Record<RequestKind, string> = {
  approval: 'Approval',
  clarification: 'Question',
  edit: 'Review draft',
  escalation: 'Escalation',
  checkpoint: 'Checkpoint',
  external: 'Run a tool',
  notify: 'Notice',
};

/** Severity as a word beside its colour, so it reads without colour vision. */
export const SEVERITY_LABELS: Record<Severity, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

/** What the host knows about its link to the hub; each state has its own banner. */
export const ConnectionState = {
  connected: 'connected',
  connecting: 'connecting',
  offline: 'offline',
  unpaired: 'unpaired',
  rejected: 'rejected',
} as const;
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];

/**
 * The banner for each connection state, in plain words: what is wrong and what to
 * do. `null` when all is well (no banner). `settings`: offer the settings button.
 */
export const CONNECTION_BANNERS: Record<ConnectionState, { text: string; tone: 'info' | 'warn' | 'error'; settings: boolean } | null> = {
  connected: null,
  connecting: { text: 'Connecting to the hub…', tone: 'info', settings: false },
  offline: { text: 'Hub not reachable — decisions are queued and sent when it is back', tone: 'warn', settings: false },
  unpaired: { text: 'Not paired — open settings', tone: 'error', settings: true },
  rejected: { text: 'Token rejected — pair again', tone: 'error', settings: true },
};

/**
 * The offline banner of a host that keeps no outbox (the tray window, the hub's
 * page): nothing is queued there, so it must not say so.
 */
export const OFFLINE_WITHOUT_OUTBOX_BANNER = {
  text: 'Hub unreachable — retrying; decisions cannot be sent until it is back',
  tone: 'warn',
  settings: false,
} as const satisfies NonNullable<(typeof CONNECTION_BANNERS)[ConnectionState]>;
