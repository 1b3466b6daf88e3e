import { describe, expect, it } from 'vitest';
import { SIGNOFF_TOOLS, toolRequest } from './tool-definitions.js';

const tool = (name: string) => SIGNOFF_TOOLS.find((t) => t.name === name)!;

describe('toolRequest', () => {
  it('maps description to body, adds the kind and the agent, and fills defaults from the shared schema', () => {
    expect(toolRequest(tool('request_approval'), { title: 'Ship it', description: 'All green' }, 'claude-code')).toEqual({
      ok: true,
      data: { kind: 'approval', title: 'Ship it', body: 'All green', severity: 'medium', agentId: 'claude-code' },
    });
  });

  it('refuses what the shared schema refuses, naming the field', () => {
    const result = toolRequest(tool('checkpoint'), { title: 'Half way', phase: 'copy', progress: 2 }, 'x');
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(!result.ok && result.error.message).toMatch(/^progress: /);
  });

  it('gives every tool a strict input schema whose fields exist on its request kind', () => {
    for (const t of SIGNOFF_TOOLS) {
      expect(t.inputSchema.safeParse({ title: 'x', unknownField: 1 }).success).toBe(false);
      expect(Object.keys(t.inputSchema.shape)).toEqual(expect.arrayContaining(['title', 'description', 'severity', 'context', 'timeoutMs']));
    }
  });
});
