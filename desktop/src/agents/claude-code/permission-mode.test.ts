import { describe, expect, it } from 'vitest';
import { HookPayloadSchema } from './hook-payload.js';
import { modeVerdict } from './permission-mode.js';
import type { SignoffPlaces } from './signoff-guard.js';

const places: SignoffPlaces = { dataDirs: ['/home/ada/.signoff'], home: '/home/ada', ports: [7475] };
const call = (permission_mode: string | undefined, tool_name: string, tool_input: Record<string, unknown>) =>
  HookPayloadSchema.parse({ hook_event_name: 'PreToolUse', tool_name, tool_input, cwd: '/home/ada/shop', ...(permission_mode ? { permission_mode } : {}) });
const decide = (mode: string | undefined, tool: string, input: Record<string, unknown>, allowReadOnly = false) =>
  modeVerdict(call(mode, tool, input), { allowReadOnly, places })?.decision;

describe('modeVerdict', () => {
  it('asks nobody in bypassPermissions and dontAsk, but denies a call touching Signoff', () => {
    for (const mode of ['bypassPermissions', 'dontAsk']) {
      expect(decide(mode, 'Bash', { command: 'rm -rf /' })).toBe('none');
      expect(decide(mode, 'Write', { file_path: '/etc/hosts', content: '' })).toBe('none');
      expect(decide(mode, 'Bash', { command: 'npx signoff respond abc --approve' })).toBe('deny');
      expect(decide(mode, 'Read', { file_path: '~/.signoff/approver.key' })).toBe('deny');
      expect(decide(mode, 'WebFetch', { url: 'http://127.0.0.1:7475/api/v1/requests' })).toBe('deny');
    }
  });

  it('plan: reads inside pass, changes are denied, the rest goes to a person', () => {
    expect(decide('plan', 'Grep', { pattern: 'TODO', path: 'src' })).toBe('allow');
    for (const [tool, input] of [
      ['Edit', { file_path: 'src/a.ts', old_string: 'a', new_string: 'b' }],
      ['Bash', { command: 'ls' }],
      ['PowerShell', { command: 'Get-ChildItem' }],
      ['mcp__github__create_issue', { title: 'x' }],
    ] as const) {
      expect(decide('plan', tool, input)).toBe('deny');
    }
    for (const [tool, input] of [
      ['WebSearch', { query: 'zod 4' }],
      ['Read', { file_path: '/etc/passwd' }],
      ['ExitPlanMode', { plan: 'do it' }],
      ['AskUserQuestion', { questions: [] }],
      ['Agent', { description: 'explore', prompt: 'look around' }],
    ] as const) {
      expect(decide('plan', tool, input)).toBeUndefined();
    }
  });

  it('acceptEdits: reads and edits inside the project pass; secrets, .git, .claude, outside and commands go to a person', () => {
    expect(decide('acceptEdits', 'Edit', { file_path: '/home/ada/shop/src/a.ts', old_string: 'a', new_string: 'b' })).toBe('allow');
    expect(decide('acceptEdits', 'Read', { file_path: 'README.md' })).toBe('allow');
    for (const file_path of ['/etc/hosts', '.git/hooks/pre-commit', '.claude/settings.local.json', '.env.production', '../other/a.ts'])
      expect(decide('acceptEdits', 'Write', { file_path, content: '' })).toBeUndefined();
    expect(decide('acceptEdits', 'Bash', { command: 'mkdir x' })).toBeUndefined();
  });

  it('default and auto: only --allow-read-only lets reads inside the project through', () => {
    for (const mode of ['default', 'auto', undefined]) {
      expect(decide(mode, 'Read', { file_path: 'src/a.ts' })).toBeUndefined();
      expect(decide(mode, 'Read', { file_path: 'src/a.ts' }, true)).toBe('allow');
      expect(decide(mode, 'WebSearch', { query: 'x' }, true)).toBeUndefined();
      expect(decide(mode, 'Edit', { file_path: 'src/a.ts', old_string: 'a', new_string: 'b' }, true)).toBeUndefined();
    }
  });
});
