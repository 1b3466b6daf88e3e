import { describe, expect, it } from 'vitest';
import { pendingRequest } from '../../../test/support/tray-requests.js';
import {
  STORM_THRESHOLD,
  STORM_WINDOW_MS,
  SUMMARY_KEY,
  deadlineText,
  decideNotification,
  notificationKey,
  plainText,
  pruneHistory,
  requestNotification,
  type NotificationPlan,
  type NotifiedArrival,
} from './notify-policy.js';
import { DEFAULT_NOTIFY_SETTINGS, type NotifySettings } from './notify-settings.js';

const NOW = Date.UTC(2026, 0, 5, 10);
const settings = (changes: Partial<NotifySettings> = {}): NotifySettings => ({ ...DEFAULT_NOTIFY_SETTINGS, ...changes });
const inDnd = settings({ doNotDisturbUntil: NOW + 60 * 60_000 });

function notified(decision: ReturnType<typeof decideNotification>): NotificationPlan {
  if (!decision.notify) throw new Error(`expected a notification, got ${decision.reason}`);
  return decision.notification;
}

/** Feeds arrivals through the policy the way the tray does, keeping the history. */
function arrive(requests: ReturnType<typeof pendingRequest>[], at: (index: number) => number, s = settings()) {
  let history: NotifiedArrival[] = [];
  return requests.map((request, index) => {
    const now = at(index);
    const decision = decideNotification(request, s, pruneHistory(history, now), now);
    if (decision.notify) history = [...history, decision.record];
    return decision;
  });
}

describe('which requests notify', () => {
  it('critical: always, even in Do Not Disturb and with high-severity notifications off', () => {
    const request = pendingRequest({ id: 'c1', severity: 'critical' });
    expect(decideNotification(request, settings(), [], NOW).notify).toBe(true);
    expect(decideNotification(request, inDnd, [], NOW).notify).toBe(true);
    expect(decideNotification(request, { ...inDnd, notifications: { high: false } }, [], NOW).notify).toBe(true);
  });

  it('high: by the setting, on by default, and not in Do Not Disturb', () => {
    const request = pendingRequest({ id: 'h1', severity: 'high' });
    expect(DEFAULT_NOTIFY_SETTINGS.notifications.high).toBe(true);
    expect(decideNotification(request, settings(), [], NOW).notify).toBe(true);
    expect(decideNotification(request, settings({ notifications: { high: false } }), [], NOW)).toEqual({ notify: false, reason: 'high-off' });
    expect(decideNotification(request, inDnd, [], NOW)).toEqual({ notify: false, reason: 'do-not-disturb' });
  });

  it('high: notifies again once Do Not Disturb has ended', () => {
    const request = pendingRequest({ id: 'h1', severity: 'high' });
    expect(decideNotification(request, settings({ doNotDisturbUntil: NOW }), [], NOW).notify).toBe(true);
  });

  it('medium and low: only the count changes', () => {
    for (const severity of ['medium', 'low'] as const) {
      expect(decideNotification(pendingRequest({ id: severity, severity }), settings(), [], NOW)).toEqual({ notify: false, reason: 'count-only' });
    }
  });

  it('settled requests and notify-kind records (even announced as pending): never', () => {
    for (const request of [
      pendingRequest({ id: 'd1', severity: 'critical', status: 'resolved' }),
      pendingRequest({ id: 'n1', kind: 'notify', severity: 'critical' }),
    ]) {
      expect(decideNotification(request, settings(), [], NOW)).toEqual({ notify: false, reason: 'not-pending' });
    }
  });
});

describe('what a notification says', () => {
  it('names the agent, the title and the deadline', () => {
    const plan = notified(decideNotification(pendingRequest({ id: 'c1', severity: 'critical', title: 'Drop the staging database', agentId: 'deploy-bot' }), settings(), [], NOW));
    expect(plan).toMatchObject({
      key: notificationKey('c1'),
      requestId: 'c1',
      title: 'Critical: deploy-bot asks',
      body: 'Drop the staging database\nAnswer within 15 min',
      urgency: 'critical',
      sticky: true,
      closes: [],
    });
  });

  it('never shows context, body, action arguments or drafts, which may hold secrets', () => {
    const secret = 'sk-live-4242-SECRET';
    const requests = [
      pendingRequest({
        id: 'a1',
        severity: 'critical',
        title: 'Rotate the payment key',
        body: `The old key is ${secret}`,
        context: { apiKey: secret, nested: { password: secret } },
        action: { name: 'keys.rotate', args: { current: secret } },
        reversible: false,
      } as never),
      pendingRequest({ id: 'e1', kind: 'edit', severity: 'high', title: 'Review the email', draft: { format: 'text', content: `password: ${secret}` } } as never),
    ];
    for (const request of requests) {
      const plan = notified(decideNotification(request, settings(), [], NOW));
      expect(JSON.stringify(plan)).not.toContain(secret);
    }
  });

  it('says "an agent" when the request names none', () => {
    const plan = notified(decideNotification(pendingRequest({ id: 'c1', severity: 'critical', agentId: undefined }), settings(), [], NOW));
    expect(plan.title).toBe('Critical: an agent asks');
  });

  it('flattens untrusted text to one short line', () => {
    const plan = notified(
      decideNotification(pendingRequest({ id: 'c1', severity: 'critical', title: `Line one\nline\ttwo\u0007${'x'.repeat(300)}`, agentId: 'bot\r\nFAKE: approve' }), settings(), [], NOW),
    );
    expect(plan.title).toBe('Critical: "bot FAKE: approve" asks');
    const [titleLine, deadline] = plan.body.split('\n');
    expect(titleLine!.startsWith('Line one line two ')).toBe(true);
    expect(titleLine!.length).toBe(120);
    expect(titleLine!.endsWith('…')).toBe(true);
    expect(deadline).toBe('Answer within 15 min');
  });
});

describe('one-click approve', () => {
  const approve = (plan: NotificationPlan) => plan.actions.some((action) => action.id === 'approve');

  it('is never offered for a critical approval, even a reversible one', () => {
    const plan = notified(decideNotification(pendingRequest({ id: 'c1', severity: 'critical', reversible: true } as never), settings(), [], NOW));
    expect(approve(plan)).toBe(false);
    expect(plan.actions).toEqual([{ id: 'open', label: 'Open' }]);
  });

  it('is never offered for an irreversible approval, which says why the details matter', () => {
    const plan = notified(decideNotification(pendingRequest({ id: 'h1', severity: 'high', reversible: false } as never), settings(), [], NOW));
    expect(approve(plan)).toBe(false);
    expect(plan.subtitle).toBe('Irreversible: review the details before deciding');
  });

  it('is not offered when the agent did not say the action can be undone', () => {
    const plan = notified(decideNotification(pendingRequest({ id: 'h1', severity: 'high' }), settings(), [], NOW));
    expect(approve(plan)).toBe(false);
  });

  it('is offered for a high approval the agent marked reversible', () => {
    const plan = notified(decideNotification(pendingRequest({ id: 'h1', severity: 'high', reversible: true } as never), settings(), [], NOW));
    expect(plan.actions).toEqual([
      { id: 'approve', label: 'Approve' },
      { id: 'open', label: 'Open' },
    ]);
    expect(plan.sticky).toBe(false);
  });

  it('is not offered for other kinds: they need an answer, not a yes', () => {
    const plan = notified(decideNotification(pendingRequest({ id: 'q1', kind: 'clarification', severity: 'high' }), settings(), [], NOW));
    expect(plan.actions).toEqual([{ id: 'open', label: 'Open' }]);
  });
});

describe('storm folding', () => {
  const burst = (count: number, agentId = 'build-agent') =>
    Array.from({ length: count }, (_, i) => pendingRequest({ id: `${agentId}-${i}`, severity: 'critical', agentId }));

  it(`notifies one by one below ${STORM_THRESHOLD} arrivals`, () => {
    const decisions = arrive(burst(STORM_THRESHOLD - 1), (i) => NOW + i * 1000);
    expect(decisions.map((d) => notified(d).key)).toEqual(['request:build-agent-0', 'request:build-agent-1']);
  });

  it('folds five arrivals within the window into one summary that replaces the single ones', () => {
    const decisions = arrive(burst(5), (i) => NOW + i * 1000);
    const plans = decisions.map(notified);
    expect(plans.slice(2).every((plan) => plan.key === SUMMARY_KEY)).toBe(true);
    const last = plans[4]!;
    expect(last).toMatchObject({ title: '5 new requests from build-agent', body: '5 critical. Open Signoff to review them.', requestId: null, urgency: 'critical' });
    expect(last.closes).toEqual(['request:build-agent-0', 'request:build-agent-1', 'request:build-agent-2', 'request:build-agent-3', 'request:build-agent-4']);
    expect(last.actions).toEqual([{ id: 'open', label: 'Open' }]);
  });

  it('names how many agents when a storm comes from several', () => {
    const requests = [...burst(2, 'build-agent'), ...burst(1, 'deploy-bot')];
    const last = notified(arrive(requests, () => NOW).at(-1)!);
    expect(last.title).toBe('3 new requests from 2 agents');
  });

  it('does not fold arrivals spread wider than the window', () => {
    const decisions = arrive(burst(4), (i) => NOW + i * STORM_WINDOW_MS);
    expect(decisions.map((d) => notified(d).key)).toEqual(['request:build-agent-0', 'request:build-agent-1', 'request:build-agent-2', 'request:build-agent-3']);
  });

  it('leaves medium and low requests out of the count', () => {
    const requests = [pendingRequest({ id: 'm1' }), pendingRequest({ id: 'm2', severity: 'low' }), ...burst(2)];
    const decisions = arrive(requests, () => NOW);
    expect(decisions.filter((d) => d.notify).map((d) => notified(d).key)).toEqual(['request:build-agent-0', 'request:build-agent-1']);
  });

  it('a high-severity storm is normal urgency and does not stay on screen', () => {
    const requests = Array.from({ length: 3 }, (_, i) => pendingRequest({ id: `h${i}`, severity: 'high' }));
    const last = notified(arrive(requests, () => NOW).at(-1)!);
    expect(last).toMatchObject({ title: '3 new requests from build-agent', body: 'Open Signoff to review them.', urgency: 'normal', sticky: false });
  });
});

describe('deadlineText', () => {
  it.each([
    [null, 'No deadline'],
    [-1, 'Deadline passed'],
    [30_000, 'Answer within a minute'],
    [15 * 60_000, 'Answer within 15 min'],
    [60 * 60_000, 'Answer within 1 h'],
    [150 * 60_000, 'Answer within 2 h 30 min'],
    [3 * 24 * 60 * 60_000, 'Answer within 3 days'],
  ])('%s ms ahead → %s', (ahead, text) => {
    expect(deadlineText(ahead === null ? null : NOW + ahead, NOW)).toBe(text);
  });
});

describe('plainText', () => {
  it('keeps short text as it is', () => {
    expect(plainText('Deploy v2', 20)).toBe('Deploy v2');
  });

  it('shows bidi and invisible characters as markers, so an agent cannot reorder what a notification or menu says', () => {
    expect(plainText('Remove \u202Egol.txt', 80)).toBe('Remove ⟨U+202E⟩gol.txt');
    expect(plainText('ci\u2066', 80)).toBe('ci⟨U+2066⟩');
    expect(plainText('a\u200Bb\u0007c', 80)).toBe('a⟨U+200B⟩b c');
    const request = pendingRequest({ id: 'r1', title: 'Tidy \u202Etxt.sgol', agentId: 'ci\u202E' });
    expect(requestNotification(request, request.createdAt)).toMatchObject({ title: 'Medium: ci⟨U+202E⟩ asks', body: expect.stringContaining('Tidy ⟨U+202E⟩txt.sgol') });
  });

  it('names the machine another machine\'s agent sent the request from', () => {
    const request = pendingRequest({ id: 'r2', agentId: 'ci', machine: 'build-box' });
    expect(requestNotification(request, request.createdAt).title).toBe('Medium: ci from build-box asks');
  });
});
