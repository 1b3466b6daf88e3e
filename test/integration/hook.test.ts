import type { AnyResponse, SignoffRequest } from '@signoff/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { startApproverBot, type ApproverBot } from '../support/approver-bot.js';
import { runCli } from '../support/cli.js';
import { FakeClock, startTestHub, type TestHub } from '../support/hub.js';
import { waitUntil } from '../support/wait-until.js';

/** Payloads shaped like the ones Claude Code writes to a command hook's stdin. */
let toolUseCount = 0;
function hookPayload(toolName: string, toolInput: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  toolUseCount += 1;
  return {
    session_id: '2f6c1a8e-5b7d-4c1e-9a3b-8d2e4f6a1c90',
    transcript_path: '/home/ada/.claude/projects/-home-ada-shop/2f6c1a8e-5b7d-4c1e-9a3b-8d2e4f6a1c90.jsonl',
    cwd: '/home/ada/shop',
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: toolName,
    tool_input: toolInput,
    tool_use_id: `toolu_01HookTest${toolUseCount}`,
    ...overrides,
  };
}

describe('signoff hook claude-code (real payloads on stdin, real hub, approver bot)', () => {
  let t: TestHub | undefined;
  let bot: ApproverBot | undefined;

  afterEach(async () => {
    bot?.close();
    bot = undefined;
    await t?.dispose();
    t = undefined;
  });

  const env = (hub: TestHub, extra: Record<string, string> = {}) => ({ SIGNOFF_URL: hub.url, SIGNOFF_HOME: hub.dataDir, ...extra });
  const withBot = async (hub: TestHub, decide: (r: SignoffRequest) => AnyResponse | undefined) => {
    bot = await startApproverBot(hub.url, await hub.pairApprover('Ada'), decide);
  };
  const hook = (hub: TestHub, payload: unknown, args: string[] = [], extraEnv: Record<string, string> = {}) =>
    runCli(['hook', 'claude-code', ...args], env(hub, extraEnv), JSON.stringify(payload));

  it('allows a Bash command the human approved, and shows them the command', async () => {
    t = await startTestHub();
    await withBot(t, () => ({ approved: true, reason: 'tests are fine' }));
    const payload = hookPayload('Bash', { command: 'npm test -- --run', description: 'Run the test suite' });
    const { code, stdout } = await hook(t, payload).done;
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'allow',
        permissionDecisionReason: 'Approved by Ada in Signoff: tests are fine',
        // Issue 9 point 7: the reason above is shown to the person only; the note reaches Claude here.
        additionalContext: 'The person who approved this in Signoff noted: tests are fine',
      },
    });
    expect(bot!.seen[0]).toMatchObject({
      kind: 'approval',
      title: 'Bash: npm test -- --run',
      severity: 'medium',
      agentId: 'claude-code',
      runId: payload.session_id,
      idempotencyKey: payload.tool_use_id,
      action: { name: 'Bash', args: { command: 'npm test -- --run', description: 'Run the test suite' } },
      context: { cwd: '/home/ada/shop', session: payload.session_id, permissionMode: 'default', hookEvent: 'PreToolUse' },
    });
    // Changed on purpose (issue 8): the real command first, the model's description after it, quoted.
    expect(bot!.seen[0]!.body).toBe("```sh\nnpm test -- --run\n```\n\nClaude's description of this command:\n\n> Run the test suite");
  });

  it('titles a multi-line command so, and rates a call reaching for Signoff itself critical, saying why', async () => {
    t = await startTestHub();
    await withBot(t, () => ({ approved: false, reason: 'no' }));
    const command = 'npm ci\nnpm test\ncat ~/.signoff/approver.token';
    await hook(t, hookPayload('Bash', { command, description: 'Run the tests' })).done;
    const seen = bot!.seen[0]!;
    expect(seen).toMatchObject({
      title: 'Bash · 3 lines: npm ci…',
      severity: 'critical',
      consequences: [expect.stringMatching(/^Touches Signoff's own data .*could approve its own requests$/)],
    });
    expect(seen.body).toMatch(/^\*\*Signoff rates this critical: it touches Signoff's own data/);
    expect(seen.body!.indexOf('cat ~/.signoff/approver.token')).toBeLessThan(seen.body!.indexOf('Run the tests'));

    const port = new URL(t.url).port;
    await hook(t, hookPayload('Bash', { command: `curl -s 127.0.0.1:${port}/api/v1/requests` })).done;
    expect(bot!.seen[1]).toMatchObject({ severity: 'critical', consequences: [expect.stringMatching(/^Reaches or binds the Signoff hub's port/)] });
  });

  it('asks instead of sending a tool input whose __proto__ key the person would never see', async () => {
    t = await startTestHub();
    await withBot(t, () => ({ approved: true }));
    const raw = `{"hook_event_name":"PreToolUse","tool_name":"mcp__db__query","tool_input":{"__proto__":{"sql":"DROP TABLE users"},"sql":"SELECT 1"},"cwd":"/home/ada/shop"}`;
    const { code, stdout } = await runCli(['hook', 'claude-code'], env(t), raw).done;
    expect(code).toBe(0);
    const out = JSON.parse(stdout).hookSpecificOutput;
    expect(out.permissionDecision).toBe('ask');
    expect(out.permissionDecisionReason).toContain('tool_input.__proto__: keys named __proto__, constructor or prototype are not allowed');
    expect(bot!.seen).toEqual([]);
  });

  it('denies with the human reason for Claude, and marks a force push critical', async () => {
    t = await startTestHub();
    await withBot(t, () => ({ approved: false, reason: 'never force-push main' }));
    const { code, stdout } = await hook(t, hookPayload('Bash', { command: 'git push --force origin main' })).done;
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.hookSpecificOutput.permissionDecision).toBe('deny');
    expect(out.hookSpecificOutput.permissionDecisionReason).toBe('Rejected by Ada in Signoff: never force-push main. Do not retry this; ask the user how to go on.');
    expect(bot!.seen[0]).toMatchObject({
      title: 'Bash: git push --force origin main',
      severity: 'critical',
      consequences: ['Rewrites the remote history (git push --force)', 'Pushes to a remote (git push)'],
    });
  });

  it('shows an Edit as a diff and passes the approver edited input back as updatedInput', async () => {
    t = await startTestHub();
    await withBot(t, () => ({ approved: true, editedArgs: { new_string: 'const retries = 3;' } }));
    const input = { file_path: '/home/ada/shop/src/config.ts', old_string: 'const retries = 1;', new_string: 'const retries = 10;' };
    const { stdout } = await hook(t, hookPayload('Edit', input)).done;
    expect(JSON.parse(stdout).hookSpecificOutput).toEqual({
      hookEventName: 'PreToolUse',
      permissionDecision: 'allow',
      permissionDecisionReason: 'Approved by Ada in Signoff (with edited input)',
      updatedInput: { ...input, new_string: 'const retries = 3;' },
      additionalContext: 'They edited the tool input before approving; it ran with: {"new_string":"const retries = 3;"}',
    });
    expect(bot!.seen[0]).toMatchObject({ title: 'Edit: src/config.ts', severity: 'medium' });
    expect(bot!.seen[0]!.body).toBe('Change in `/home/ada/shop/src/config.ts`:\n\n```diff\n- const retries = 1;\n+ const retries = 10;\n```');
  });

  it('answers a PermissionRequest in that event’s shape, and rates a write outside the project critical', async () => {
    t = await startTestHub();
    await withBot(t, (r) => (r.title.includes('hosts') ? { approved: false, reason: 'not my machine config' } : { approved: true }));
    const outside = hookPayload('Write', { file_path: '/etc/hosts', content: '127.0.0.1 shop.local\n' }, { hook_event_name: 'PermissionRequest' });
    const denied = await hook(t, outside).done;
    expect(JSON.parse(denied.stdout)).toEqual({
      hookSpecificOutput: {
        hookEventName: 'PermissionRequest',
        decision: { behavior: 'deny', message: 'Rejected by Ada in Signoff: not my machine config. Do not retry this; ask the user how to go on.' },
      },
    });
    expect(bot!.seen[0]).toMatchObject({ title: 'Write: /etc/hosts', severity: 'critical', consequences: ['Writes outside the project directory'] });

    const inside = hookPayload('Write', { file_path: '/home/ada/shop/README.md', content: '# Shop\n' }, { hook_event_name: 'PermissionRequest' });
    const allowed = await hook(t, inside).done;
    expect(JSON.parse(allowed.stdout)).toEqual({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } } });
  });

  it('falls back to ask when nobody answers before the deadline', async () => {
    const clock = new FakeClock();
    t = await startTestHub({ clock });
    await withBot(t, () => undefined);
    const run = hook(t, hookPayload('Bash', { command: 'rm -rf node_modules dist' }), ['--timeout', '30s']);
    const request = await waitUntil(() => bot!.seen[0], 'the hook request to reach the approver');
    expect(request).toMatchObject({ severity: 'critical', consequences: ['Deletes files recursively without confirmation (rm -rf)'] });
    expect(request.expiresAt! - request.createdAt).toBe(30_000);
    clock.advance(30_000);
    const { code, stdout } = await run.done;
    expect(code).toBe(0);
    const out = JSON.parse(stdout).hookSpecificOutput;
    expect(out.permissionDecision).toBe('ask');
    expect(out.permissionDecisionReason).toContain('No answer in Signoff before the deadline; asking here instead.');
  });

  it('falls back to ask (PreToolUse) or no decision (PermissionRequest) when the hub is down', async () => {
    t = await startTestHub();
    await t.stop();
    const pre = await hook(t, hookPayload('Bash', { command: 'make deploy' })).done;
    expect(pre.code).toBe(0);
    expect(JSON.parse(pre.stdout)).toEqual({
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'ask',
        permissionDecisionReason: `Signoff hub not reachable at ${t.url} (start it with \`npx signoff hub\`); asking here instead.`,
      },
    });
    const permission = await hook(t, hookPayload('Bash', { command: 'make deploy' }, { hook_event_name: 'PermissionRequest' })).done;
    expect(JSON.parse(permission.stdout)).toEqual({
      systemMessage: `Signoff: Signoff hub not reachable at ${t.url} (start it with \`npx signoff hub\`); asking here instead.`,
    });
  });

  it('lets read-only tools inside the project through only when configured, and still asks for reads outside it', async () => {
    t = await startTestHub();
    await withBot(t, () => ({ approved: true }));
    const read = hookPayload('Read', { file_path: '/home/ada/shop/src/index.ts' });
    const passed = await hook(t, read, ['--allow-read-only']).done;
    expect(JSON.parse(passed.stdout).hookSpecificOutput).toMatchObject({ permissionDecision: 'allow' });
    const passedByEnv = await hook(t, hookPayload('Grep', { pattern: 'TODO', path: '/home/ada/shop/src' }), [], { SIGNOFF_HOOK_ALLOW_READ_ONLY: '1' }).done;
    expect(JSON.parse(passedByEnv.stdout).hookSpecificOutput).toMatchObject({ permissionDecision: 'allow' });
    expect(bot!.seen).toEqual([]);

    await hook(t, hookPayload('Read', { file_path: '/home/ada/.ssh/id_ed25519' }), ['--allow-read-only']).done;
    await hook(t, read).done;
    expect(bot!.seen.map((r) => [r.title, r.severity])).toEqual([
      ['Read: /home/ada/.ssh/id_ed25519', 'high'],
      ['Read: src/index.ts', 'low'],
    ]);
  });

  it('answers ask for input it cannot read, and for a wrong command line (never exit 2, which would block Claude)', async () => {
    t = await startTestHub();
    const garbage = await runCli(['hook', 'claude-code'], env(t), 'not json').done;
    expect(garbage.code).toBe(0);
    expect(JSON.parse(garbage.stdout).hookSpecificOutput).toMatchObject({ hookEventName: 'PreToolUse', permissionDecision: 'ask' });
    const otherEvent = await runCli(['hook', 'claude-code'], env(t), JSON.stringify({ hook_event_name: 'Stop', session_id: 'x' })).done;
    expect(JSON.parse(otherEvent.stdout).hookSpecificOutput.permissionDecision).toBe('ask');
    // Changed on purpose (issue 9, point 3): exit 2 is a blocking error for Claude Code.
    const noAgent = await runCli(['hook'], env(t), '{}').done;
    expect(noAgent.code).toBe(0);
    expect(JSON.parse(noAgent.stdout).hookSpecificOutput).toMatchObject({ permissionDecision: 'ask' });
    expect(noAgent.stderr).toContain('signoff hook claude-code');
  });
});
