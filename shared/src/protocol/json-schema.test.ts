import { describe, expect, it } from 'vitest';
import { REQUEST_KINDS, type RequestKind } from './constants.js';
import { requestJsonSchema, responseJsonSchema } from './json-schema.js';

interface ObjectSchema {
  $schema: string;
  type: string;
  properties: Record<string, Record<string, unknown>>;
  required: string[];
  additionalProperties: boolean;
}

const COMMON = ['title', 'body', 'context', 'severity', 'agentId', 'runId', 'timeoutMs', 'onTimeout', 'idempotencyKey'];

/** The fields each kind adds to the common ones, and which of them are required. */
const KIND_FIELDS: Record<RequestKind, { fields: string[]; required: string[] }> = {
  approval: { fields: ['action', 'reversible', 'consequences', 'alternatives'], required: [] },
  clarification: { fields: ['options', 'allowFreeform', 'fields'], required: [] },
  edit: { fields: ['draft'], required: ['draft'] },
  escalation: { fields: ['reason', 'attempted', 'recommendations'], required: ['reason'] },
  checkpoint: { fields: ['phase', 'progress', 'completed', 'upcoming', 'issues'], required: ['phase', 'progress'] },
  external: { fields: ['tool'], required: ['tool'] },
  notify: { fields: [], required: [] },
};

describe('requestJsonSchema', () => {
  it.each(REQUEST_KINDS)('%s: a closed object schema with kind and title required and exactly its fields', (kind) => {
    const schema = requestJsonSchema(kind) as unknown as ObjectSchema;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.kind).toEqual({ type: 'string', const: kind });
    expect(Object.keys(schema.properties).sort()).toEqual(['kind', ...COMMON, ...KIND_FIELDS[kind].fields].sort());
    expect([...schema.required].sort()).toEqual(['kind', 'title', ...KIND_FIELDS[kind].required].sort());
  });

  it('describes the input side: severity is optional with its default', () => {
    const schema = requestJsonSchema('approval') as unknown as ObjectSchema;
    expect(schema.required).not.toContain('severity');
    expect(schema.properties.severity).toMatchObject({ default: 'medium', enum: ['low', 'medium', 'high', 'critical'] });
  });

  it('carries nested constraints', () => {
    const edit = requestJsonSchema('edit') as unknown as ObjectSchema;
    expect(edit.properties.draft).toMatchObject({
      type: 'object',
      required: ['format', 'content'],
      properties: { format: { enum: ['text', 'markdown', 'json'] } },
      additionalProperties: false,
    });
    const checkpoint = requestJsonSchema('checkpoint') as unknown as ObjectSchema;
    expect(checkpoint.properties.progress).toMatchObject({ type: 'number', minimum: 0, maximum: 1 });
    const clarification = requestJsonSchema('clarification') as unknown as ObjectSchema;
    expect(clarification.properties.fields).toMatchObject({
      type: 'array',
      items: { required: ['name', 'label', 'type'], properties: { type: { enum: ['text', 'number', 'select', 'checkbox'] } } },
    });
  });
});

describe('responseJsonSchema', () => {
  it('approval: approved is required', () => {
    const schema = responseJsonSchema('approval') as unknown as ObjectSchema;
    expect(schema).toMatchObject({ type: 'object', required: ['approved'], additionalProperties: false });
    expect(Object.keys(schema.properties).sort()).toEqual(['alternativeId', 'approved', 'editedArgs', 'reason', 'remember']);
  });

  it('action kinds list their actions', () => {
    expect((responseJsonSchema('edit') as unknown as ObjectSchema).properties.action).toMatchObject({ enum: ['accept', 'edit', 'reject'] });
    expect((responseJsonSchema('escalation') as unknown as ObjectSchema).properties.action).toMatchObject({
      enum: ['takeover', 'continue', 'abort', 'delegate'],
    });
    expect((responseJsonSchema('checkpoint') as unknown as ObjectSchema).properties.action).toMatchObject({
      enum: ['continue', 'modify', 'abort'],
    });
  });

  it('external: result is required', () => {
    expect(responseJsonSchema('external')).toMatchObject({ type: 'object', required: ['result'] });
  });

  it('notify: null', () => {
    expect(responseJsonSchema('notify')).toMatchObject({ type: 'null' });
  });
});
