import { describe, expect, it } from 'vitest';
import { sampleRequest } from '../../samples/requests.js';
import { buildCheckpointResponse, initialCheckpointForm, restoreCheckpointForm, toggleSkip } from './checkpoint-form.js';
import { toStoredDraft } from './form-draft.js';

const run = sampleRequest('checkpoint');

describe('buildCheckpointResponse', () => {
  it('continues or aborts, with optional notes', () => {
    expect(buildCheckpointResponse(run, initialCheckpointForm(), 'continue')).toEqual({ ok: true, response: { action: 'continue' } });
    expect(buildCheckpointResponse(run, { skip: [], notes: ' halt ' }, 'abort')).toEqual({ ok: true, response: { action: 'abort', notes: 'halt' } });
  });

  it('modifies by skipping the ticked steps, named by their text', () => {
    expect(buildCheckpointResponse(run, { skip: [0, 2], notes: '' }, 'modify')).toEqual({
      ok: true,
      response: { action: 'modify', skipSteps: ['Backfill 2023-2026', 'Drop orders.currency_legacy'] },
    });
  });

  it('refuses a modify with nothing to modify, and a continue with ticked steps', () => {
    expect(buildCheckpointResponse(run, initialCheckpointForm(), 'modify')).toMatchObject({ ok: false, errors: [{ path: 'skipSteps' }] });
    expect(buildCheckpointResponse(run, { skip: [1], notes: '' }, 'continue')).toMatchObject({ ok: false, errors: [{ path: 'skipSteps' }] });
  });

  it('modifies with notes alone', () => {
    expect(buildCheckpointResponse(run, { skip: [], notes: 'slower batches' }, 'modify')).toEqual({ ok: true, response: { action: 'modify', notes: 'slower batches' } });
  });
});

describe('toggleSkip / restoreCheckpointForm', () => {
  it('keeps the ticked steps sorted and unique', () => {
    expect(toggleSkip([2], 0, true)).toEqual([0, 2]);
    expect(toggleSkip([0, 2], 0, true)).toEqual([0, 2]);
    expect(toggleSkip([0, 2], 2, false)).toEqual([0]);
  });

  it('keeps only indices of existing steps', () => {
    expect(restoreCheckpointForm(run, toStoredDraft('checkpoint', { skip: [2, 2, 9, -1, 'x', 0], notes: 'n' }))).toEqual({ skip: [0, 2], notes: 'n' });
  });
});
