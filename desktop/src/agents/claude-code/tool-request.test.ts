import { ApprovalRequestSchema, MAX_PAYLOAD_BYTES } from '@signoff/shared';
import { describe, expect, it } from 'vitest';
import { HookPayloadSchema } from './hook-payload.js';
import { codeBlock, hookRequest, MAX_SHOWN_CHARS } from './tool-request.js';

const payload = (tool_name: string, tool_input: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  HookPayloadSchema.parse({
    session_id: 'sess-1',
    cwd: '/home/ada/shop',
    hook_event_name: 'PreToolUse',
    permission_mode: 'default',
    tool_use_id: 'toolu_1',
    tool_name,
    tool_input,
    ...extra,
  });

describe('hookRequest', () => {
  it('makes a valid approval naming the tool, with the session as run and the tool call as idempotency key', () => {
    const request = hookRequest(payload('Bash', { command: 'npm run build\nnpm test' }), { timeoutMs: 60_000 });
    expect(ApprovalRequestSchema.safeParse(request).success).toBe(true);
    expect(request).toMatchObject({
      kind: 'approval',
      title: 'Bash: npm run build',
      body: '```sh\nnpm run build\nnpm test\n```',
      severity: 'medium',
      agentId: 'claude-code',
      runId: 'sess-1',
      idempotencyKey: 'toolu_1',
      timeoutMs: 60_000,
      action: { name: 'Bash', args: { command: 'npm run build\nnpm test' } },
      context: { cwd: '/home/ada/shop', session: 'sess-1', permissionMode: 'default', hookEvent: 'PreToolUse' },
    });
    expect(request).not.toHaveProperty('consequences');
  });

  it('shows MultiEdit and Write changes, with paths relative to the project', () => {
    const multi = hookRequest(
      payload('MultiEdit', {
        file_path: '/home/ada/shop/src/a.ts',
        edits: [
          { old_string: 'a\nb', new_string: 'c' },
          { old_string: 'x', new_string: '' },
        ],
      }),
    );
    expect(multi.title).toBe('MultiEdit: src/a.ts (2 edits)');
    expect(multi.body).toBe(
      'Changes in `/home/ada/shop/src/a.ts`:\n\nEdit 1 of 2:\n\n```diff\n- a\n- b\n+ c\n```\n\nEdit 2 of 2:\n\n```diff\n- x\n```',
    );
    const write = hookRequest(payload('Write', { file_path: 'docs/guide.md', content: '# Guide\n```js\nx\n```' }));
    expect(write.title).toBe('Write: docs/guide.md');
    expect(write.body).toBe('New content of `docs/guide.md` (4 lines):\n\n````\n# Guide\n```js\nx\n```\n````');
  });

  it('names MCP tools and unknown tools, showing their input', () => {
    const mcp = hookRequest(payload('mcp__github__create_issue', { title: 'Flaky test' }));
    expect(mcp.title).toBe('mcp__github__create_issue: MCP tool create_issue of github');
    expect(mcp.body).toBe('```json\n{\n  "title": "Flaky test"\n}\n```');
    expect(hookRequest(payload('WebFetch', { url: 'https://example.com/a', prompt: 'summarise' }))).toMatchObject({
      title: 'WebFetch: https://example.com/a',
      body: 'Prompt: summarise',
    });
  });

  it('lists why a call is risky as consequences', () => {
    expect(hookRequest(payload('Bash', { command: 'rm -rf /' }))).toMatchObject({
      severity: 'critical',
      consequences: ['Deletes files recursively without confirmation (rm -rf)'],
    });
  });

  it('clips huge inputs so the request stays valid and under the size limit', () => {
    const content = 'x'.repeat(MAX_SHOWN_CHARS * 20);
    const request = hookRequest(payload('Write', { file_path: 'big.txt', content }));
    expect(ApprovalRequestSchema.safeParse(request).success).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(request))).toBeLessThan(MAX_PAYLOAD_BYTES);
    expect((request.action!.args as { content: string }).content).toMatch(/… \(380000 more characters\)$/);
    const long = hookRequest(payload('Bash', { command: 'echo ' + 'y'.repeat(1000) }));
    expect(long.title.length).toBe(500);
  });
});

describe('codeBlock', () => {
  it('uses a fence longer than any backtick run in the content', () => {
    expect(codeBlock('a ```` b', 'md')).toBe('`````md\na ```` b\n`````');
  });
});
