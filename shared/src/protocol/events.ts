import type { Result } from './errors.js';
import type { RequestStatus } from './constants.js';
import type { CreateRequestInput, ListRequestsQuery } from './request-schemas.js';
import type { AnyResponse } from './response-schemas.js';
import type { Decision, FeedbackInput, FeedbackQuery, FeedbackRecord, HubStats, SignoffRequest } from './request.js';

/**
 * Socket.IO event maps, shared by the hub (`new Server<…>`) and every client
 * (`Socket<…>`). Client events end with an ack answered by a {@link Result}.
 */

export type Ack<T> = (result: Result<T>) => void;

/** Answer of `request:watch`: still-pending ids are attached; settled ones are pushed as `request:decided`. */
export interface WatchResult {
  watching: string[];
  decided: string[];
  unknown: string[];
}

export interface AgentToHub {
  'request:create': (payload: CreateRequestInput, ack: Ack<SignoffRequest>) => void;
  'request:get': (payload: { id: string }, ack: Ack<SignoffRequest>) => void;
  'request:watch': (payload: { ids: string[] }, ack: Ack<WatchResult>) => void;
  'request:cancel': (payload: { id: string }, ack: Ack<Decision>) => void;
  'feedback:record': (payload: FeedbackInput, ack: Ack<FeedbackRecord>) => void;
  'feedback:list': (payload: FeedbackQuery, ack: Ack<{ feedback: FeedbackRecord[] }>) => void;
}

export interface HubToAgent {
  'request:decided': (decision: Decision) => void;
}

export interface ApproverToHub {
  'request:list': (payload: ListRequestsQuery & { status?: RequestStatus }, ack: Ack<{ requests: SignoffRequest[] }>) => void;
  'request:respond': (payload: { id: string; response: AnyResponse }, ack: Ack<Decision>) => void;
  'stats:get': (payload: Record<string, never>, ack: Ack<HubStats>) => void;
}

export interface HubToApprover {
  /** Every pending request, sent on each (re)connect. */
  snapshot: (payload: { requests: SignoffRequest[] }) => void;
  'request:new': (request: SignoffRequest) => void;
  /** A request left the queue without a human answer (expired, cancelled, blocked). */
  'request:updated': (request: SignoffRequest) => void;
  /** A human decided a request (here or on another surface). */
  'request:resolved': (request: SignoffRequest) => void;
  /**
   * How many approvers of each surface are connected (`extension`, `tray`, `window`,
   * `other`), sent on connect and on every change, so surfaces can agree on who raises
   * a native notification.
   */
  'approvers:presence': (payload: { surfaces: Record<string, number> }) => void;
}

/** Approver surfaces a client may name in its handshake: `auth: { token, surface }`. */
export const APPROVER_SURFACES = ['extension', 'tray', 'window', 'other'] as const;
export type ApproverSurface = (typeof APPROVER_SURFACES)[number];

/** Data attached to each socket after the handshake. */
export interface SocketData {
  role: 'agent' | 'approver';
  /** Agent: the token's owner id. Approver: the paired name. */
  principal: string;
  /** Approvers: which kind of surface this is, from the handshake's `auth.surface`. */
  surface?: ApproverSurface;
}
