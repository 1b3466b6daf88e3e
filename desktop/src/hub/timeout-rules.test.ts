import { CreateRequestSchema, DEFAULT_TIMEOUT_MS, SEVERITIES, TIMEOUT_BOUNDS, type CreateRequestInput, type OnTimeout, type SignoffRequest } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { formatDuration, refuseOnTimeout, timeoutFor, timeoutOutcome } from './timeout-rules.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function pending(input: CreateRequestInput, onTimeout: OnTimeout, waitMs = 30 * MINUTE): SignoffRequest {
  const createdAt = Date.UTC(2026, 0, 1);
  return {
    ...CreateRequestSchema.parse(input),
    id: 'req-1',
    createdAt,
    expiresAt: createdAt + waitMs,
    status: 'pending',
    onTimeout,
  } as SignoffRequest;
}

const REQUESTS = {
  approval: { kind: 'approval', title: 'Drop the staging database' },
  clarification: { kind: 'clarification', title: 'Which region?' },
  edit: { kind: 'edit', title: 'Release notes', draft: { format: 'text', content: 'v2' } },
  escalation: { kind: 'escalation', title: 'Stuck', reason: 'tests fail' },
  checkpoint: { kind: 'checkpoint', title: 'Halfway', phase: 'copy', progress: 0.5 },
  external: { kind: 'external', title: 'Run the smoke test', tool: { name: 'smoke' } },
} as const satisfies Record<string, CreateRequestInput>;

describe('timeoutFor', () => {
  it.each(SEVERITIES)('uses the %s default when no timeoutMs is given', (severity) => {
    expect(timeoutFor({ severity })).toBe(DEFAULT_TIMEOUT_MS[severity]);
  });

  it('gives more urgent requests shorter defaults', () => {
    expect(DEFAULT_TIMEOUT_MS).toEqual({ critical: 15 * MINUTE, high: HOUR, medium: 4 * HOUR, low: DAY });
  });

  it('keeps a timeoutMs within bounds as is, whatever the severity', () => {
    expect(timeoutFor({ severity: 'critical', timeoutMs: 2 * DAY })).toBe(2 * DAY);
    expect(timeoutFor({ severity: 'low', timeoutMs: 90 * SECOND })).toBe(90 * SECOND);
  });

  it('clamps into 10 s … 7 days', () => {
    expect(TIMEOUT_BOUNDS).toEqual({ minMs: 10 * SECOND, maxMs: 7 * DAY });
    expect(timeoutFor({ severity: 'medium', timeoutMs: 1 })).toBe(10 * SECOND);
    expect(timeoutFor({ severity: 'medium', timeoutMs: 10 * SECOND - 1 })).toBe(10 * SECOND);
    expect(timeoutFor({ severity: 'medium', timeoutMs: 10 * SECOND })).toBe(10 * SECOND);
    expect(timeoutFor({ severity: 'medium', timeoutMs: 7 * DAY })).toBe(7 * DAY);
    expect(timeoutFor({ severity: 'medium', timeoutMs: 7 * DAY + 1 })).toBe(7 * DAY);
    expect(timeoutFor({ severity: 'medium', timeoutMs: 365 * DAY })).toBe(7 * DAY);
  });
});

describe('refuseOnTimeout', () => {
  it('allows reject, expire and no rule for every kind and severity', () => {
    for (const kind of ['approval', 'clarification', 'edit', 'escalation', 'checkpoint', 'external', 'notify'] as const) {
      for (const severity of SEVERITIES) {
        for (const onTimeout of [undefined, 'reject', 'expire'] as const) {
          expect(refuseOnTimeout({ kind, severity, onTimeout })).toBeNull();
        }
      }
    }
  });

  it('allows approve for low and medium approvals', () => {
    expect(refuseOnTimeout({ kind: 'approval', severity: 'low', onTimeout: 'approve' })).toBeNull();
    expect(refuseOnTimeout({ kind: 'approval', severity: 'medium', onTimeout: 'approve' })).toBeNull();
  });

  it('refuses approve for high and critical approvals', () => {
    expect(refuseOnTimeout({ kind: 'approval', severity: 'high', onTimeout: 'approve' })).toBe(
      'approve is refused for high severity: a human must answer or the request expires',
    );
    expect(refuseOnTimeout({ kind: 'approval', severity: 'critical', onTimeout: 'approve' })).toContain('critical severity');
  });

  it('refuses approve for every kind but approval', () => {
    for (const kind of ['clarification', 'edit', 'escalation', 'checkpoint', 'external', 'notify'] as const) {
      expect(refuseOnTimeout({ kind, severity: 'low', onTimeout: 'approve' })).toBe(
        `approve is only possible for approval requests, not ${kind}`,
      );
    }
  });
});

describe('formatDuration', () => {
  it('uses the largest whole unit', () => {
    expect(formatDuration(7 * DAY)).toBe('7d');
    expect(formatDuration(DAY)).toBe('1d');
    expect(formatDuration(36 * HOUR)).toBe('36h');
    expect(formatDuration(4 * HOUR)).toBe('4h');
    expect(formatDuration(90 * MINUTE)).toBe('90m');
    expect(formatDuration(15 * MINUTE)).toBe('15m');
    expect(formatDuration(90 * SECOND)).toBe('90s');
    expect(formatDuration(10 * SECOND)).toBe('10s');
  });

  it('rounds odd durations to whole seconds', () => {
    expect(formatDuration(10_400)).toBe('10s');
    expect(formatDuration(10_500)).toBe('11s');
  });
});

describe('timeoutOutcome', () => {
  const lapse = 'No human answered within 30m. Do not proceed with this action.';

  it('auto-approves an approval under the approve rule', () => {
    expect(timeoutOutcome(pending(REQUESTS.approval, 'approve'))).toEqual({
      response: { approved: true, reason: 'auto-approved: no human answered before the deadline' },
      reason: "No human answered within 30m; approved automatically by the request's onTimeout rule.",
    });
  });

  it.each(Object.keys(REQUESTS) as (keyof typeof REQUESTS)[])('%s under expire: no answer, a plain reason', (kind) => {
    expect(timeoutOutcome(pending(REQUESTS[kind], 'expire'))).toEqual({ response: null, reason: lapse });
  });

  it('reject answers each kind with its own no', () => {
    expect(timeoutOutcome(pending(REQUESTS.approval, 'reject'))).toEqual({ response: { approved: false, reason: lapse }, reason: lapse });
    expect(timeoutOutcome(pending(REQUESTS.edit, 'reject'))).toEqual({ response: { action: 'reject', reason: lapse }, reason: lapse });
    expect(timeoutOutcome(pending(REQUESTS.checkpoint, 'reject'))).toEqual({ response: { action: 'abort', notes: lapse }, reason: lapse });
    expect(timeoutOutcome(pending(REQUESTS.escalation, 'reject'))).toEqual({
      response: { action: 'abort', guidance: lapse },
      reason: lapse,
    });
  });

  it('reject has no answer to give for clarification and external', () => {
    expect(timeoutOutcome(pending(REQUESTS.clarification, 'reject'))).toEqual({ response: null, reason: lapse });
    expect(timeoutOutcome(pending(REQUESTS.external, 'reject'))).toEqual({ response: null, reason: lapse });
  });

  it('never approves a non-approval, even if an approve rule got stored', () => {
    expect(timeoutOutcome(pending(REQUESTS.edit, 'approve'))).toEqual({ response: null, reason: lapse });
  });

  it('says how long the request waited', () => {
    expect(timeoutOutcome(pending(REQUESTS.approval, 'expire', 4 * HOUR)).reason).toBe(
      'No human answered within 4h. Do not proceed with this action.',
    );
    expect(timeoutOutcome(pending(REQUESTS.approval, 'expire', 7 * DAY)).reason).toContain('within 7d.');
  });
});
