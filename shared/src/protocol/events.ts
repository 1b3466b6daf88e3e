import type { Result } from './errors.js';
import type { RequestStatus } from './constants.js';
import type { CreateRequestInput, ListRequestsQuery } from './request-schemas.js';
import type { AnyResponse } from './response-schemas.js';
import type { Decision, FeedbackInput, FeedbackQuery, FeedbackRecord, HubStats, RunDetail, RunSummary, SignoffRequest } from './request.js';
import type { DeviceInfo, DeviceProof, HubChallenge } from './approver-auth.js';
import type { AuditPage, AuditPageQuery } from './audit-page.js';
import type { Grant, PolicyStatus } from './policy.js';
import type { PushKey, PushSubscribed, PushSubscriptionInput } from './push.js';

/**
 * Socket.IO event maps, shared by the hub (`new Server<…>`) and every client
 * (`Socket<…>`). Client events end with an ack answered by a {@link Result}.
 */

export type Ack<T> = (result: Result<T>) => void;

/**
 * A pairing code minted for a proven approver: `url` is `<public URL>/#pair=<code>`
 * (what the phone's QR code holds), `null` when the hub has no public URL.
 */
export interface PairingCreated {
  code: string;
  expiresAt: number;
  url: string | null;
}

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

/** A page of requests, newest first; `more`: older ones follow (ask again with `before` = the last id). */
export interface RequestPage {
  requests: SignoffRequest[];
  more: boolean;
}

/**
 * The first page of the pending queue and its size, sent on each (re)connect. Bounded in
 * count and bytes whatever the store holds, so no stored request can make a connect fail;
 * clients page the rest with `request:list { status: 'pending', before }`.
 */
export interface Snapshot extends RequestPage {
  /** How many requests are pending in all. */
  total: number;
}

export interface ApproverToHub {
  /** A device connection's answer to `auth:challenge`; nothing else is served before it succeeds. */
  'auth:prove': (payload: DeviceProof, ack: Ack<{ device: DeviceInfo }>) => void;
  'request:list': (payload: ListRequestsQuery & { status?: RequestStatus }, ack: Ack<RequestPage>) => void;
  'request:get': (payload: { id: string }, ack: Ack<SignoffRequest>) => void;
  'request:respond': (payload: { id: string; response: AnyResponse }, ack: Ack<Decision>) => void;
  'stats:get': (payload: Record<string, never>, ack: Ack<HubStats>) => void;
  'runs:list': (payload: { limit?: number }, ack: Ack<{ runs: RunSummary[] }>) => void;
  'runs:get': (payload: { runId: string }, ack: Ack<RunDetail>) => void;
  'devices:list': (payload: Record<string, never>, ack: Ack<{ devices: DeviceInfo[]; self: string | null }>) => void;
  /** Revokes a device at once (its open connections are closed); a device may revoke itself (unpairing). */
  'devices:revoke': (payload: { id: string }, ack: Ack<{ revoked: boolean }>) => void;
  /** Remembered "always allow" grants, newest first (also `GET /grants`). */
  'grants:list': (payload: Record<string, never>, ack: Ack<{ grants: Grant[] }>) => void;
  /** Revokes a grant at once (also `DELETE /grants/:id`). */
  'grants:revoke': (payload: { id: string }, ack: Ack<{ revoked: boolean }>) => void;
  /** The policy file the hub runs on (also `GET /policy`). */
  'policy:status': (payload: Record<string, never>, ack: Ack<PolicyStatus>) => void;
  /** A one-time pairing code for another device (the phone), and its pairing link when the hub has a public URL. */
  'pairing:create': (payload: Record<string, never>, ack: Ack<PairingCreated>) => void;
  /** The hub's VAPID public key, to subscribe this device's browser to Web Push (also `GET /push/key`). */
  'push:key': (payload: Record<string, never>, ack: Ack<PushKey>) => void;
  /** Registers this device's push subscription; content-free notifications follow (also `POST /push/subscriptions`). */
  'push:subscribe': (payload: { subscription: PushSubscriptionInput }, ack: Ack<PushSubscribed>) => void;
  /** Forgets one of this device's subscriptions (also `DELETE /push/subscriptions?endpoint=…`). */
  'push:unsubscribe': (payload: { endpoint: string }, ack: Ack<{ removed: boolean }>) => void;
  /**
   * One page of the decision export (what `signoff export` writes), for approvers that hold
   * no bearer token for `GET /audit` (the window's Download); bounded in entries and bytes.
   */
  'audit:page': (payload: AuditPageQuery, ack: Ack<AuditPage>) => void;
}

export interface HubToApprover {
  /** The hub proves its identity; see `approver-auth.ts`. */
  'auth:challenge': (challenge: HubChallenge) => void;
  snapshot: (payload: Snapshot) => void;
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
  /** The grants changed (made, used, revoked, expired): the current list. */
  'grants:changed': (payload: { grants: Grant[] }) => void;
  /** The policy file was (re)loaded, or an edit to it was refused. */
  'policy:changed': (payload: PolicyStatus) => void;
}

/** Approver surfaces a client may name in its handshake: `auth: { token, surface }`. */
export const APPROVER_SURFACES = ['extension', 'tray', 'window', 'other'] as const;
export type ApproverSurface = (typeof APPROVER_SURFACES)[number];

/** Data attached to each socket after the handshake. */
export interface SocketData {
  role: 'agent' | 'approver';
  /** Agent: the token's owner id. Approver: the paired name. */
  principal: string;
  /** Approvers: the paired device (every approver credential is one). */
  deviceId?: string;
  /** Approvers: which kind of surface this is, from the handshake's `auth.surface`. */
  surface?: ApproverSurface;
  /** How the handshake reached the hub: `local`, or `public` through the proxy at the hub's public URL. */
  route?: 'local' | 'public';
  /** Agents of another machine: the machine token's id and name. */
  machineId?: string;
  machine?: string;
}
