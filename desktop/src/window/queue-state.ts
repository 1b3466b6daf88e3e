import type { SignoffRequest } from '@signoff/shared';

/** What the window knows of the hub's requests: the pending queue and the recently settled (with decisions). */
export interface QueueState {
  pending: readonly SignoffRequest[];
  /** Settled requests (including `notify`), latest first; at most {@link MAX_SETTLED}. */
  settled: readonly SignoffRequest[];
}

/** How many settled requests the window keeps (and asks the hub for on connect). */
export const MAX_SETTLED = 500;

/** Something the hub said that changes the lists. */
export type QueueEvent =
  /** The pending queue on each (re)connect: the snapshot's first page, then all of it. */
  | { type: 'snapshot'; requests: readonly SignoffRequest[] }
  /** A `request:list` answer: recent requests of any status. */
  | { type: 'history'; requests: readonly SignoffRequest[] }
  /** `request:new`: pending, or a `notify` already settled. */
  | { type: 'new'; request: SignoffRequest }
  /** `request:resolved` / `request:updated`: it left the queue, with its decision. */
  | { type: 'left'; request: SignoffRequest };

/** Before the first snapshot: nothing known. */
export const EMPTY_QUEUE: QueueState = { pending: [], settled: [] };

const settledTime = (r: SignoffRequest) => r.decision?.respondedAt ?? r.createdAt;

/** Adds or replaces settled requests by id, latest first, capped. */
function mergeSettled(current: readonly SignoffRequest[], incoming: readonly SignoffRequest[]): readonly SignoffRequest[] {
  const fresh = incoming.filter((r) => r.status !== 'pending');
  if (fresh.length === 0) return current;
  const byId = new Map(current.map((r) => [r.id, r]));
  for (const r of fresh) byId.set(r.id, r);
  return [...byId.values()].sort((a, b) => settledTime(b) - settledTime(a) || (a.id < b.id ? -1 : 1)).slice(0, MAX_SETTLED);
}

/**
 * The lists after a hub event. Pure, never mutates `state`. A request that is
 * settled anywhere leaves `pending` (a late `request:list` cannot bring it back).
 */
export function applyQueueEvent(state: QueueState, event: QueueEvent): QueueState {
  switch (event.type) {
    case 'snapshot': {
      const settledIds = new Set(state.settled.map((r) => r.id));
      return { ...state, pending: event.requests.filter((r) => r.status === 'pending' && !settledIds.has(r.id)) };
    }
    case 'history': {
      const settled = mergeSettled(state.settled, event.requests);
      const settledIds = new Set(settled.map((r) => r.id));
      return { pending: state.pending.filter((r) => !settledIds.has(r.id)), settled };
    }
    case 'new':
      if (event.request.status !== 'pending') return { ...state, settled: mergeSettled(state.settled, [event.request]) };
      if (state.settled.some((r) => r.id === event.request.id)) return state;
      return { ...state, pending: [...state.pending.filter((r) => r.id !== event.request.id), event.request] };
    case 'left':
      return {
        pending: state.pending.filter((r) => r.id !== event.request.id),
        settled: mergeSettled(state.settled, [event.request]),
      };
  }
}
