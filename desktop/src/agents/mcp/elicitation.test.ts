import { DEFAULT_TIMEOUT_MS, TIMEOUT_BOUNDS } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { elicitationParams, elicitationTimeoutMs, elicitedDecision, supportsFormElicitation, type ElicitableRequest } from './elicitation.js';

const approval: ElicitableRequest = {
  kind: 'approval',
  agentId: 'a',
  title: 'Deploy',
  severity: 'medium',
  alternatives: [{ id: 'canary', description: 'Deploy to 5% first' }],
};
const question: ElicitableRequest = { kind: 'clarification', agentId: 'a', title: 'Which?', severity: 'low', options: [{ id: 'a', label: 'A' }], allowFreeform: false };

describe('supportsFormElicitation', () => {
  it('reads form mode from `form`, or from an empty elicitation object (MCP 2025-06-18 clients); never from url only', () => {
    expect(supportsFormElicitation(undefined)).toBe(false);
    expect(supportsFormElicitation({})).toBe(false);
    expect(supportsFormElicitation({ elicitation: {} })).toBe(true);
    expect(supportsFormElicitation({ elicitation: { form: {} } })).toBe(true);
    expect(supportsFormElicitation({ elicitation: { url: {} } })).toBe(false);
  });
});

describe('elicitationTimeoutMs', () => {
  it("uses the request's deadline or its severity's default, clamped as the hub clamps", () => {
    expect(elicitationTimeoutMs({ ...approval, timeoutMs: 1 })).toBe(TIMEOUT_BOUNDS.minMs);
    expect(elicitationTimeoutMs({ ...approval, timeoutMs: Number.MAX_SAFE_INTEGER })).toBe(TIMEOUT_BOUNDS.maxMs);
    expect(elicitationTimeoutMs(approval)).toBe(DEFAULT_TIMEOUT_MS.medium);
  });
});

describe('elicitedDecision', () => {
  it('an answer outside the form (an alternative not offered, an option not listed) is no answer', () => {
    expect(elicitedDecision(approval, { action: 'accept', content: { decision: 'alternative:nuke' } }, 0, 5)).toMatchObject({
      status: 'cancelled',
      response: null,
      waitMs: 5,
    });
    expect(elicitedDecision(question, { action: 'accept', content: { option: 'zzz' } }, 0, 1)).toMatchObject({ status: 'cancelled', response: null });
    expect(elicitedDecision(question, { action: 'accept', content: { option: 'a' } }, 0, 1)).toMatchObject({ status: 'resolved', response: { optionId: 'a' } });
  });

  it('free text is ignored where the question allows none; declining a question leaves it unanswered', () => {
    expect(elicitedDecision(question, { action: 'accept', content: { answer: 'sneaky' } }, 0, 1)).toMatchObject({ status: 'cancelled' });
    expect(elicitedDecision(question, { action: 'decline' }, 0, 1)).toMatchObject({ status: 'cancelled', reason: 'The user declined to answer.' });
  });

  it('options only and no free text: picking one is required', () => {
    expect(elicitationParams(question, 'cursor').requestedSchema.required).toEqual(['option']);
  });
});
