import { describe, expect, it } from 'vitest';
import { sampleRequest } from '../../samples/requests.js';
import { buildExternalResponse, parseToolResult } from './external-form.js';

const tool = sampleRequest('external');

describe('parseToolResult', () => {
  it('parses JSON and keeps anything else as text', () => {
    expect(parseToolResult(' {"passed": 12} ')).toEqual({ passed: 12 });
    expect(parseToolResult('42')).toBe(42);
    expect(parseToolResult('All 12 checks passed\n')).toBe('All 12 checks passed\n');
  });
});

describe('buildExternalResponse', () => {
  it('sends the parsed result', () => {
    expect(buildExternalResponse(tool, { result: '{"ok":true}' })).toEqual({ ok: true, response: { result: { ok: true } } });
    expect(buildExternalResponse(tool, { result: 'passed' })).toEqual({ ok: true, response: { result: 'passed' } });
  });

  it('refuses an empty result', () => {
    expect(buildExternalResponse(tool, { result: '  \n' })).toMatchObject({ ok: false, errors: [{ path: 'result' }] });
  });

  it('refuses JSON nested deeper than the contract allows', () => {
    const deep = '['.repeat(40) + ']'.repeat(40);
    expect(buildExternalResponse(tool, { result: deep })).toMatchObject({ ok: false, errors: [{ path: 'result' }] });
  });
});
