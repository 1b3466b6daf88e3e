import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HookPayloadSchema } from './hook-payload.js';
import { plainHookPayload } from './plain-payload.js';

const read = {
  session_id: 's1',
  transcript_path: '/tmp/t.jsonl',
  cwd: '/work/project',
  hook_event_name: 'PreToolUse',
  tool_name: 'Read',
  tool_input: { file_path: '/work/project/README.md', limit: 20 },
  permission_mode: 'default',
};

describe('plainHookPayload (the hook input accepted without loading the schemas)', () => {
  it('accepts what Claude Code sends for a plain call, as the schema parses it', () => {
    expect(plainHookPayload(read)).toEqual(HookPayloadSchema.parse(read));
    const permission = { ...read, hook_event_name: 'PermissionRequest', tool_name: 'Bash', tool_input: { command: 'ls', description: null, run_in_background: false } };
    expect(plainHookPayload(permission)).toEqual(HookPayloadSchema.parse(permission));
  });

  it('leaves anything less plain to the schema', () => {
    for (const raw of [
      undefined,
      null,
      [],
      'text',
      { ...read, hook_event_name: 'PostToolUse' },
      { ...read, tool_name: '' },
      { ...read, tool_name: 'x'.repeat(201) },
      { ...read, tool_input: undefined },
      { ...read, tool_input: [] },
      { ...read, tool_input: { edits: [{ old_string: 'a', new_string: 'b' }] } },
      { ...read, tool_input: { questions: { a: 1 } } },
      { ...read, tool_input: { n: Infinity } },
      { ...read, session_id: '' },
      { ...read, session_id: 's'.repeat(201) },
      { ...read, cwd: null },
      { ...read, permission_mode: 'x'.repeat(101) },
      JSON.parse('{"hook_event_name":"PreToolUse","tool_name":"Read","tool_input":{"__proto__":{"file_path":"/etc/passwd"}}}'),
      JSON.parse('{"hook_event_name":"PreToolUse","tool_name":"Read","tool_input":{"constructor":"x"}}'),
      JSON.parse('{"hook_event_name":"PreToolUse","tool_name":"Read","tool_input":{},"__proto__":{"cwd":"/"}}'),
    ]) {
      expect(plainHookPayload(raw), JSON.stringify(raw)).toBeUndefined();
    }
  });

  it('never accepts what HookPayloadSchema refuses, and agrees with it on what it accepts', () => {
    const scalar = fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null));
    const json = fc.oneof(scalar, fc.array(scalar), fc.dictionary(fc.string(), scalar));
    const key = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', 'file_path'));
    const field = (values: fc.Arbitrary<unknown>) => fc.option(values, { nil: undefined });
    const payload = fc.record(
      {
        hook_event_name: fc.oneof(fc.constantFrom('PreToolUse', 'PermissionRequest', 'PostToolUse'), fc.string()),
        tool_name: fc.oneof(fc.constantFrom('Read', 'Glob', 'Bash'), fc.string({ maxLength: 210 })),
        tool_input: fc.oneof(fc.dictionary(key, scalar), fc.dictionary(key, json), json),
        session_id: field(fc.oneof(fc.string({ maxLength: 210 }), json)),
        cwd: field(fc.oneof(fc.string(), json)),
        tool_use_id: field(fc.string({ maxLength: 210 })),
        permission_mode: field(fc.oneof(fc.string({ maxLength: 110 }), json)),
        transcript_path: field(fc.oneof(fc.string(), json)),
        extra: field(json),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(payload, (value) => {
        // Through JSON text, as the hook reads it (own __proto__ keys and all).
        const raw: unknown = JSON.parse(JSON.stringify(value));
        const plain = plainHookPayload(raw);
        if (plain === undefined) return;
        const parsed = HookPayloadSchema.safeParse(raw);
        expect(parsed.success).toBe(true);
        expect(plain).toEqual(parsed.data);
      }),
      { numRuns: 2000 },
    );
  });
});
