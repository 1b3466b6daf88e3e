import { agentLabel, markHiddenCharacters, type Severity, type SignoffRequest } from '@signoff/shared';
import type { NotifySettings } from './notify-settings.js';

/** Arrivals closer together than this count towards one storm. */
export const STORM_WINDOW_MS = 30_000;
/** From this many notifiable arrivals within {@link STORM_WINDOW_MS}, they fold into one summary. */
export const STORM_THRESHOLD = 3;
/** Key of the one summary notification a storm folds into. */
export const SUMMARY_KEY = 'summary';

/** A request a notification was raised for (alone or inside a summary). */
export interface NotifiedArrival {
  requestId: string;
  agentId: string | null;
  severity: Severity;
  at: number;
}

export interface NotificationAction {
  /** `approve`: answer `{approved:true}` at once; `open`: open the window at the request. */
  id: 'approve' | 'open';
  label: string;
}

/** A native notification as plain data; `main.ts` maps it onto Electron's `Notification`. */
export interface NotificationPlan {
  /** `request:<id>` for one request, {@link SUMMARY_KEY} for a storm summary. */
  key: string;
  /** The request a click opens; `null` opens the pending queue. */
  requestId: string | null;
  title: string;
  /** Said before the body where the platform allows (macOS), else folded into the body. */
  subtitle: string | null;
  body: string;
  urgency: 'normal' | 'critical';
  /** Stays on screen until the person acts (critical requests). */
  sticky: boolean;
  /** Buttons. Never `approve` for a critical or irreversible approval: the person sees the details first. */
  actions: NotificationAction[];
  /** Earlier notifications this one replaces (the storm's individual ones). */
  closes: string[];
}

export type QuietReason = 'not-pending' | 'count-only' | 'high-off' | 'do-not-disturb';

export type NotifyDecision =
  | { notify: false; reason: QuietReason }
  | { notify: true; notification: NotificationPlan; record: NotifiedArrival };

const SEVERITY_LABEL: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };
const TITLE_MAX = 120;
const AGENT_MAX = 60;

export function notificationKey(requestId: string): string {
  return `request:${requestId}`;
}

/** Whether Do Not Disturb is on at `now`. */
export function doNotDisturbActive(settings: Pick<NotifySettings, 'doNotDisturbUntil'>, now: number): boolean {
  return settings.doNotDisturbUntil !== null && settings.doNotDisturbUntil > now;
}

/** The arrivals that still count towards a storm at `now`. */
export function pruneHistory(history: readonly NotifiedArrival[], now: number): NotifiedArrival[] {
  return history.filter((arrival) => now - arrival.at < STORM_WINDOW_MS);
}

/**
 * Decides whether a newly pending request raises a notification, and what it says: the
 * one policy behind the tray's native notifications and the hub's Web Push and ntfy
 * messages (which keep only the decision and the counts, see `push-message.ts`). Critical: always, even in Do Not Disturb. High: when `notifications.high` is
 * on and Do Not Disturb is off. Medium and low: never (the tray's count shows them).
 * When {@link STORM_THRESHOLD} notifiable requests arrive within {@link STORM_WINDOW_MS},
 * they fold into one summary that replaces the individual ones.
 *
 * The text names the agent, the title and the deadline; it never includes `context`,
 * `body`, action arguments or drafts, which may hold secrets.
 */
export function decideNotification(
  request: SignoffRequest,
  settings: Pick<NotifySettings, 'notifications' | 'doNotDisturbUntil'>,
  history: readonly NotifiedArrival[],
  now: number,
): NotifyDecision {
  // `notify` requests are audit records: nobody answers them.
  if (request.status !== 'pending' || request.kind === 'notify') return { notify: false, reason: 'not-pending' };
  if (request.severity === 'medium' || request.severity === 'low') return { notify: false, reason: 'count-only' };
  if (request.severity === 'high') {
    if (!settings.notifications.high) return { notify: false, reason: 'high-off' };
    if (doNotDisturbActive(settings, now)) return { notify: false, reason: 'do-not-disturb' };
  }
  const record: NotifiedArrival = { requestId: request.id, agentId: request.agentId ?? null, severity: request.severity, at: now };
  const recent = pruneHistory(history, now).filter((arrival) => arrival.requestId !== request.id);
  if (recent.length + 1 >= STORM_THRESHOLD) {
    return { notify: true, notification: summaryNotification([...recent, record]), record };
  }
  return { notify: true, notification: requestNotification(request, now), record };
}

/** The notification for one request. */
export function requestNotification(request: SignoffRequest, now: number): NotificationPlan {
  const critical = request.severity === 'critical';
  const irreversible = request.kind === 'approval' && request.reversible === false;
  // One click may approve only what is neither critical nor irreversible, and only when
  // the agent said it can be undone.
  const oneClick = request.kind === 'approval' && !critical && request.reversible === true;
  return {
    key: notificationKey(request.id),
    requestId: request.id,
    // The machine is set by the hub from the machine token: the person can tell a build box's request from one made here.
    title: `${SEVERITY_LABEL[request.severity]}: ${agentLabel(request, (text) => plainText(text, AGENT_MAX)) ?? 'an agent'} asks`,
    subtitle: irreversible ? 'Irreversible: review the details before deciding' : null,
    body: `${plainText(request.title, TITLE_MAX)}\n${deadlineText(request.expiresAt, now)}`,
    urgency: critical ? 'critical' : 'normal',
    sticky: critical,
    actions: oneClick
      ? [
          { id: 'approve', label: 'Approve' },
          { id: 'open', label: 'Open' },
        ]
      : [{ id: 'open', label: 'Open' }],
    closes: [],
  };
}

/** One notification for a storm: "5 new requests from build-agent". */
export function summaryNotification(arrivals: readonly NotifiedArrival[]): NotificationPlan {
  const agents = [...new Set(arrivals.map((arrival) => agentName(arrival.agentId)))];
  const critical = arrivals.filter((arrival) => arrival.severity === 'critical').length;
  const from = agents.length === 1 ? agents[0]! : `${agents.length} agents`;
  return {
    key: SUMMARY_KEY,
    requestId: null,
    title: `${arrivals.length} new requests from ${from}`,
    subtitle: null,
    body: `${critical > 0 ? `${critical} critical. ` : ''}Open Signoff to review them.`,
    urgency: critical > 0 ? 'critical' : 'normal',
    sticky: critical > 0,
    actions: [{ id: 'open', label: 'Open' }],
    closes: arrivals.map((arrival) => notificationKey(arrival.requestId)),
  };
}

/** "Answer within 15 min", "Answer within 2 h 30 min", "No deadline", "Deadline passed". */
export function deadlineText(expiresAt: number | null, now: number): string {
  if (expiresAt === null) return 'No deadline';
  const ms = expiresAt - now;
  if (ms <= 0) return 'Deadline passed';
  const minutes = Math.ceil(ms / 60_000);
  if (minutes <= 1) return 'Answer within a minute';
  if (minutes < 60) return `Answer within ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    const rest = minutes % 60;
    return `Answer within ${hours} h${rest ? ` ${rest} min` : ''}`;
  }
  return `Answer within ${Math.floor(hours / 24)} days`;
}

export function agentName(agentId: string | null | undefined): string {
  return agentId ? plainText(agentId, AGENT_MAX) : 'an agent';
}

/**
 * One line of plain text: control characters and runs of whitespace become one space,
 * bidi and invisible characters their visible marker (`⟨U+202E⟩`: a notification or menu
 * item cannot show them reordering the text, and its Approve acts on what was read);
 * long text ends with "…".
 */
export function plainText(text: string, max: number): string {
  const flat = markHiddenCharacters(text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim());
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}
