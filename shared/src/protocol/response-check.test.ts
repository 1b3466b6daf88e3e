import { describe, expect, it } from 'vitest';
import { CreateRequestSchema, type CreateRequestInput } from './request-schemas.js';
import type { SignoffRequest } from './request.js';
import { checkResponseFits } from './response-check.js';

/** A stored request built from what an agent sends, the way the hub stores it. */
function stored(input: CreateRequestInput): SignoffRequest {
  return {
    ...CreateRequestSchema.parse(input),
    id: 'req-1',
    createdAt: 0,
    expiresAt: 60_000,
    status: 'pending',
    onTimeout: 'expire',
  } as SignoffRequest;
}

describe('checkResponseFits', () => {
  describe('approval', () => {
    const withAlternatives = stored({
      kind: 'approval',
      title: 'Delete inactive accounts',
      alternatives: [
        { id: 'archive', description: 'Archive instead' },
        { id: 'email-first', description: 'Email first' },
      ],
    });
    const without = stored({ kind: 'approval', title: 'Delete inactive accounts' });

    it('accepts a plain yes or no', () => {
      expect(checkResponseFits(withAlternatives, { approved: true })).toBeNull();
      expect(checkResponseFits(without, { approved: false, reason: 'no' })).toBeNull();
    });

    it('accepts an offered alternative', () => {
      expect(checkResponseFits(withAlternatives, { approved: false, alternativeId: 'archive' })).toBeNull();
    });

    it('refuses an alternative that was not offered, naming it', () => {
      expect(checkResponseFits(withAlternatives, { approved: false, alternativeId: 'shred' })).toEqual({
        path: 'alternativeId',
        message: '"shred" is not one of the offered alternatives',
      });
      expect(checkResponseFits(without, { approved: false, alternativeId: 'archive' })).toMatchObject({ path: 'alternativeId' });
    });
  });

  describe('clarification', () => {
    const withOptions = stored({
      kind: 'clarification',
      title: 'Date format?',
      options: [
        { id: 'iso', label: 'ISO' },
        { id: 'us', label: 'US' },
      ],
      allowFreeform: false,
    });
    const freeform = stored({ kind: 'clarification', title: 'Anything to add?' });
    const form = stored({
      kind: 'clarification',
      title: 'Deployment settings',
      fields: [
        {
          name: 'env',
          label: 'Environment',
          type: 'select',
          required: true,
          options: [
            { id: 'staging', label: 'Staging' },
            { id: 'prod', label: 'Production' },
          ],
        },
        { name: 'replicas', label: 'Replicas', type: 'number', required: true },
        { name: 'page', label: 'Page on-call', type: 'checkbox' },
        { name: 'note', label: 'Note', type: 'text' },
      ],
    });

    it('accepts an offered option', () => {
      expect(checkResponseFits(withOptions, { optionId: 'iso' })).toBeNull();
    });

    it('refuses an option that was not offered', () => {
      expect(checkResponseFits(withOptions, { optionId: 'eu' })).toEqual({
        path: 'optionId',
        message: '"eu" is not one of the offered options',
      });
      expect(checkResponseFits(freeform, { optionId: 'iso' })).toMatchObject({ path: 'optionId' });
    });

    it('refuses free text when allowFreeform is false, accepts it otherwise', () => {
      expect(checkResponseFits(withOptions, { text: 'ISO but with slashes' })).toEqual({
        path: 'text',
        message: 'this question does not accept a free-form answer',
      });
      expect(checkResponseFits(freeform, { text: 'Ship on Friday' })).toBeNull();
    });

    it('accepts a complete form', () => {
      expect(checkResponseFits(form, { values: { env: 'prod', replicas: 3, page: true, note: 'first' } })).toBeNull();
      expect(checkResponseFits(form, { values: { env: 'staging', replicas: 0, page: false } })).toBeNull();
    });

    it('refuses a missing, null or empty required field', () => {
      for (const env of [undefined, null, '']) {
        expect(checkResponseFits(form, { values: { env, replicas: 1 } })).toEqual({
          path: 'values.env',
          message: 'Environment is required',
        });
      }
      expect(checkResponseFits(form, { values: { env: 'prod' } })).toEqual({ path: 'values.replicas', message: 'Replicas is required' });
      expect(checkResponseFits(form, { text: 'no values at all' })).toMatchObject({ path: 'values.env' });
    });

    it('lets optional fields stay empty', () => {
      expect(checkResponseFits(form, { values: { env: 'prod', replicas: 2, page: null, note: '' } })).toBeNull();
    });

    it('refuses a non-numeric or non-finite number field', () => {
      for (const replicas of ['3', Number.NaN, Number.POSITIVE_INFINITY, true]) {
        expect(checkResponseFits(form, { values: { env: 'prod', replicas } })).toEqual({
          path: 'values.replicas',
          message: 'Replicas must be a number',
        });
      }
    });

    it('refuses a checkbox that is not a boolean', () => {
      expect(checkResponseFits(form, { values: { env: 'prod', replicas: 1, page: 'yes' } })).toEqual({
        path: 'values.page',
        message: 'Page on-call must be true or false',
      });
    });

    it('refuses a select value that is not an offered option', () => {
      expect(checkResponseFits(form, { values: { env: 'dev', replicas: 1 } })).toEqual({
        path: 'values.env',
        message: 'Environment: "dev" is not an offered option',
      });
    });
  });

  describe('edit', () => {
    const jsonDraft = stored({ kind: 'edit', title: 'Flags', draft: { format: 'json', content: '{"a":1}' } });
    const textDraft = stored({ kind: 'edit', title: 'Notes', draft: { format: 'markdown', content: '# Notes' } });

    it('accepts edited JSON that parses', () => {
      expect(checkResponseFits(jsonDraft, { action: 'edit', content: '{"a":2}' })).toBeNull();
    });

    it('refuses edited JSON that does not parse', () => {
      expect(checkResponseFits(jsonDraft, { action: 'edit', content: '{"a":' })).toEqual({
        path: 'content',
        message: 'the edited draft is not valid JSON',
      });
    });

    it('does not parse content for accept/reject, nor for non-JSON drafts', () => {
      expect(checkResponseFits(jsonDraft, { action: 'accept' })).toBeNull();
      expect(checkResponseFits(jsonDraft, { action: 'reject', reason: 'no' })).toBeNull();
      expect(checkResponseFits(textDraft, { action: 'edit', content: '{not json' })).toBeNull();
    });
  });

  describe('no field name can break the check (own-property reads only)', () => {
    // Stored before create refused such names: built by hand, as an old row would be.
    const internal = (name: string, required = true) =>
      ({
        ...stored({ kind: 'clarification', title: 'Old form', fields: [{ name: 'placeholder', label: 'P', type: 'text' }] }),
        fields: [{ name, label: `Field ${name}`, type: 'text', required }],
      }) as SignoffRequest;

    it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('a required field named %s left empty is reported missing', (name) => {
      expect(checkResponseFits(internal(name), { values: {} })).toEqual({ path: `values.${name}`, message: `Field ${name} is required` });
      expect(checkResponseFits(internal(name), { text: 'no values' })).toMatchObject({ path: `values.${name}` });
    });

    it('reads a value given under such a name (JSON.parse makes __proto__ an own key)', () => {
      expect(checkResponseFits(internal('__proto__'), JSON.parse('{"values":{"__proto__":"x"}}'))).toBeNull();
      expect(checkResponseFits(internal('constructor'), { values: { constructor: 'x' } })).toBeNull();
    });

    it('does not take inherited members for an answer', () => {
      const withOptions = stored({ kind: 'clarification', title: 'Pick', options: [{ id: 'a', label: 'A' }], allowFreeform: false });
      expect(checkResponseFits(withOptions, Object.create({ optionId: 'zzz', text: 'inherited' }))).toBeNull();
      expect(checkResponseFits(stored({ kind: 'approval', title: 't' }), Object.create({ alternativeId: 'x' }))).toBeNull();
      expect(checkResponseFits(withOptions, null)).toBeNull();
      expect(checkResponseFits(withOptions, 'not an object')).toBeNull();
    });
  });

  it('refuses an edited JSON draft carrying a reserved key', () => {
    const jsonDraft = stored({ kind: 'edit', title: 'Flags', draft: { format: 'json', content: '{"a":1}' } });
    expect(checkResponseFits(jsonDraft, { action: 'edit', content: '{"a":{"constructor":{"prototype":{}}}}' })).toEqual({
      path: 'content',
      message: 'the edited draft: the JSON has a key at $.a.constructor: keys named __proto__, constructor or prototype are not allowed',
    });
  });

  it('has nothing to check for the other kinds', () => {
    expect(checkResponseFits(stored({ kind: 'escalation', title: 't', reason: 'r' }), { action: 'abort' })).toBeNull();
    expect(checkResponseFits(stored({ kind: 'checkpoint', title: 't', phase: 'p', progress: 0.5 }), { action: 'continue' })).toBeNull();
    expect(checkResponseFits(stored({ kind: 'external', title: 't', tool: { name: 'x' } }), { result: 1 })).toBeNull();
    expect(checkResponseFits(stored({ kind: 'notify', title: 't' }), null)).toBeNull();
  });
});
