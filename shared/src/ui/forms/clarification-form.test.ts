import { describe, expect, it } from 'vitest';
import { sampleRequest } from '../../samples/requests.js';
import { buildClarificationResponse, freeformAllowed, initialClarificationForm, restoreClarificationForm, type ClarificationForm } from './clarification-form.js';
import { toStoredDraft } from './form-draft.js';

const withForm = sampleRequest('clarification');
const optionsOnly = sampleRequest('clarification', { fields: undefined, allowFreeform: false });
const freeOnly = sampleRequest('clarification', { fields: undefined, options: undefined, allowFreeform: undefined });

const filled = (values: Partial<ClarificationForm['values']>, extra: Partial<ClarificationForm> = {}): ClarificationForm => ({
  ...initialClarificationForm(withForm),
  ...extra,
  values: { ...initialClarificationForm(withForm).values, ...values } as ClarificationForm['values'],
});

describe('buildClarificationResponse', () => {
  it('converts field values to their types', () => {
    expect(buildClarificationResponse(withForm, filled({ hostname: ' stage-1 ', cpus: '4', region: 'eu-west', backups: true }))).toEqual({
      ok: true,
      response: { values: { hostname: 'stage-1', cpus: 4, region: 'eu-west', backups: true } },
    });
  });

  it('leaves empty optional fields out and sends unticked boxes as false', () => {
    expect(buildClarificationResponse(withForm, filled({ hostname: 'h', cpus: '2' }))).toEqual({
      ok: true,
      response: { values: { hostname: 'h', cpus: 2, backups: false } },
    });
  });

  it('reports every missing or malformed field at once, by path', () => {
    const result = buildClarificationResponse(withForm, filled({ hostname: '', cpus: 'four' }));
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: 'values.hostname', message: 'Host name is required' },
        { path: 'values.cpus', message: 'CPU cores must be a number' },
      ],
    });
  });

  it('refuses a select value that is not offered (the contract check)', () => {
    expect(buildClarificationResponse(withForm, filled({ hostname: 'h', cpus: '1', region: 'mars' }))).toMatchObject({
      ok: false,
      errors: [{ path: 'values.region' }],
    });
  });

  it('sends an option and free text together', () => {
    expect(buildClarificationResponse(withForm, filled({ hostname: 'h', cpus: '1' }, { optionId: 'defaults', text: ' thanks ' }))).toEqual({
      ok: true,
      response: { optionId: 'defaults', text: 'thanks', values: { hostname: 'h', cpus: 1, backups: false } },
    });
  });

  it('asks for an option when nothing is picked', () => {
    expect(buildClarificationResponse(optionsOnly, initialClarificationForm(optionsOnly))).toEqual({
      ok: false,
      errors: [{ path: 'optionId', message: 'Pick an option' }],
    });
  });

  it('never sends text when free-form answers are not allowed', () => {
    const form = { ...initialClarificationForm(optionsOnly), optionId: 'defaults', text: 'sneaky' };
    expect(buildClarificationResponse(optionsOnly, form)).toEqual({ ok: true, response: { optionId: 'defaults' } });
  });

  it('asks for words on a free-form question', () => {
    expect(freeformAllowed(freeOnly)).toBe(true);
    expect(buildClarificationResponse(freeOnly, initialClarificationForm(freeOnly))).toEqual({ ok: false, errors: [{ path: 'text', message: 'Write an answer' }] });
    expect(buildClarificationResponse(freeOnly, { ...initialClarificationForm(freeOnly), text: 'Tuesday' })).toEqual({ ok: true, response: { text: 'Tuesday' } });
  });
});

describe('restoreClarificationForm', () => {
  it('keeps saved values of the right type for fields that still exist', () => {
    const draft = toStoredDraft('clarification', { optionId: 'copy-prod', text: 'hi', values: { hostname: 'h', backups: 'yes', gone: 'x' } });
    expect(restoreClarificationForm(withForm, draft)).toEqual({
      optionId: 'copy-prod',
      text: 'hi',
      values: { hostname: 'h', cpus: '', region: '', backups: false },
    });
  });

  it('drops an option that is not offered', () => {
    expect(restoreClarificationForm(withForm, toStoredDraft('clarification', { optionId: 'nope' })).optionId).toBeNull();
  });
});
