import { describe, expect, it } from 'vitest';
import { sampleRequest } from '../../samples/requests.js';
import { buildEscalationResponse, initialEscalationForm, restoreEscalationForm } from './escalation-form.js';
import { toStoredDraft } from './form-draft.js';

const stuck = sampleRequest('escalation');

describe('buildEscalationResponse', () => {
  it('takes over or aborts without further input', () => {
    expect(buildEscalationResponse(stuck, initialEscalationForm(), 'takeover')).toEqual({ ok: true, response: { action: 'takeover' } });
    expect(buildEscalationResponse(stuck, { guidance: ' stop ', targetAgentId: '' }, 'abort')).toEqual({ ok: true, response: { action: 'abort', guidance: 'stop' } });
  });

  it('needs guidance to continue', () => {
    expect(buildEscalationResponse(stuck, initialEscalationForm(), 'continue')).toMatchObject({ ok: false, errors: [{ path: 'guidance' }] });
    expect(buildEscalationResponse(stuck, { guidance: 'Quarantine it', targetAgentId: '' }, 'continue')).toEqual({
      ok: true,
      response: { action: 'continue', guidance: 'Quarantine it' },
    });
  });

  it('needs a target agent to delegate', () => {
    expect(buildEscalationResponse(stuck, initialEscalationForm(), 'delegate')).toMatchObject({ ok: false, errors: [{ path: 'targetAgentId' }] });
    expect(buildEscalationResponse(stuck, { guidance: '', targetAgentId: ' flaky-bot ' }, 'delegate')).toEqual({
      ok: true,
      response: { action: 'delegate', targetAgentId: 'flaky-bot' },
    });
  });
});

describe('restoreEscalationForm', () => {
  it('reads strings and ignores the rest', () => {
    expect(restoreEscalationForm(stuck, toStoredDraft('escalation', { guidance: 'g', targetAgentId: 3 }))).toEqual({ guidance: 'g', targetAgentId: '' });
  });
});
