import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { AnyResponse } from '@signoff/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { startApproverBot, type ApproverBot } from '../support/approver-bot.js';
import { FakeClock, startTestHub, type TestHub } from '../support/hub.js';
import { outputSchemaCheck, startMcpSession, type McpSession } from '../support/mcp-client.js';
import { waitUntil } from '../support/wait-until.js';

/**
 * Claude Code hands a model only `structuredContent` when a tool returns some, so
 * every result of every tool must carry it, match the tool's `outputSchema`, and
 * hold the instruction the model must follow. The SDK Client checks results
 * against the schemas it has listed; `outputSchemaCheck` checks them again on its
 * own, so this test fails even if the Client stopped checking.
 */

type Outcome = { tool: string; outcome: string; args: Record<string, unknown>; answer: AnyResponse; instruction: RegExp };

const alternatives = [{ id: 'archive', description: 'Archive the accounts instead' }];
const options = [
  { id: 'pdf', label: 'PDF' },
  { id: 'xlsx', label: 'Spreadsheet' },
];

/** One call per outcome; the approver bot answers with `answer` (carried in the request's context). */
const ANSWERED: Outcome[] = [
  { tool: 'request_approval', outcome: 'approved', args: { title: 'Deploy v2' }, answer: { approved: true }, instruction: /^Approved by Ada\. You may proceed\.$/ },
  {
    tool: 'request_approval',
    outcome: 'alternative',
    args: { title: 'Delete 5,000 accounts', alternatives },
    answer: { approved: true, alternativeId: 'archive' },
    instruction: /^Ada chose the alternative "archive" \(Archive the accounts instead\) instead of your action\. Do not take the original action; take that alternative instead\.$/,
  },
  {
    tool: 'request_approval',
    outcome: 'edited',
    args: { title: 'Delete accounts', action: { name: 'db.deleteUsers', args: { count: 5000 } } },
    answer: { approved: true, editedArgs: { count: 50 } },
    instruction: /^Approved by Ada\. You may proceed, but only with these edited arguments instead of yours, exactly: \{"count":50\}$/,
  },
  {
    tool: 'request_approval',
    outcome: 'rejected',
    args: { title: 'Force-push main' },
    answer: { approved: false, reason: 'never on main' },
    instruction: /^Rejected by Ada\. Do not take this action\.\nTheir reason: never on main$/,
  },
  { tool: 'ask_human', outcome: 'answered', args: { title: 'Which format?', options }, answer: { optionId: 'xlsx' }, instruction: /^Ada answered\.\nChosen option: xlsx \(Spreadsheet\)$/ },
  {
    tool: 'ask_human',
    outcome: 'form',
    args: { title: 'Settings', allowFreeform: false, fields: [{ name: 'replicas', label: 'Replicas', type: 'number' }] },
    answer: { values: { replicas: 3 } },
    instruction: /Form values: \{"replicas":3\}/,
  },
  { tool: 'review_draft', outcome: 'approved', args: { title: 'Reply', draft: { format: 'text', content: 'Hi' } }, answer: { action: 'accept' }, instruction: /use it unchanged/ },
  {
    tool: 'review_draft',
    outcome: 'edited',
    args: { title: 'Reply', draft: { format: 'text', content: 'Hi' } },
    answer: { action: 'edit', content: 'Hello Sam' },
    instruction: /^Ada edited the draft\. Use this version exactly, not yours:\n\nHello Sam$/,
  },
  { tool: 'review_draft', outcome: 'rejected', args: { title: 'Reply', draft: { format: 'text', content: 'Hi' } }, answer: { action: 'reject' }, instruction: /do not use it/ },
  { tool: 'checkpoint', outcome: 'approved', args: { title: 'Halfway', phase: 'copy', progress: 0.5 }, answer: { action: 'continue' }, instruction: /continue as planned/ },
  {
    tool: 'checkpoint',
    outcome: 'edited',
    args: { title: 'Halfway', phase: 'copy', progress: 0.5 },
    answer: { action: 'modify', skipSteps: ['drop'] },
    instruction: /Skip these steps: drop/,
  },
  { tool: 'checkpoint', outcome: 'rejected', args: { title: 'Halfway', phase: 'copy', progress: 0.5 }, answer: { action: 'abort' }, instruction: /says abort/ },
  { tool: 'escalate', outcome: 'approved', args: { title: 'Stuck', reason: 'tests fail' }, answer: { action: 'continue', guidance: 'retry' }, instruction: /says continue/ },
  { tool: 'escalate', outcome: 'alternative', args: { title: 'Stuck', reason: 'tests fail' }, answer: { action: 'delegate', targetAgentId: 'ci-bot' }, instruction: /hands this to the agent "ci-bot"/ },
  { tool: 'escalate', outcome: 'rejected', args: { title: 'Stuck', reason: 'tests fail' }, answer: { action: 'abort' }, instruction: /says abort/ },
  { tool: 'escalate', outcome: 'takeover', args: { title: 'Stuck', reason: 'tests fail' }, answer: { action: 'takeover' }, instruction: /taking over/ },
];

/** Minimal valid arguments per tool, for the outcomes every tool shares. */
const MINIMAL: Record<string, Record<string, unknown>> = {
  request_approval: { title: 'Rotate keys' },
  ask_human: { title: 'Which region?' },
  review_draft: { title: 'Release notes', draft: { format: 'markdown', content: '# v2' } },
  checkpoint: { title: 'Import', phase: 'load', progress: 0.1 },
  escalate: { title: 'Stuck', reason: 'no access' },
};
const TOOL_NAMES = Object.keys(MINIMAL);

describe('signoff mcp: every result of every tool matches its outputSchema (SDK Client over stdio)', () => {
  let t: TestHub | undefined;
  let bot: ApproverBot | undefined;
  let session: McpSession | undefined;

  afterEach(async () => {
    await session?.close();
    session = undefined;
    bot?.close();
    bot = undefined;
    await t?.dispose();
    t = undefined;
  });

  const env = (hub: TestHub) => ({ SIGNOFF_URL: hub.url, SIGNOFF_HOME: hub.dataDir });

  /** Lists the tools first: the SDK Client validates results only against schemas it has listed. */
  const listed = async (s: McpSession) => {
    const { tools } = await s.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(TOOL_NAMES);
    return { tools, check: outputSchemaCheck(tools) };
  };

  it('declares an outputSchema per tool whose response is its own kind, with the instruction required', async () => {
    t = await startTestHub();
    session = await startMcpSession(env(t));
    const { tools, check } = await listed(session);
    for (const tool of tools) {
      expect(tool.outputSchema).toMatchObject({ type: 'object', required: expect.arrayContaining(['instruction', 'status', 'response']) });
    }
    // The check bites: a result without its instruction, or with another kind's answer, is refused.
    const valid = { instruction: 'Approved by Ada. You may proceed.', status: 'resolved', response: { approved: true } };
    const asResult = (structured: Record<string, unknown>) => ({ content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured });
    expect(check('request_approval', asResult(valid))).toEqual(valid);
    expect(() => check('request_approval', asResult({ ...valid, instruction: undefined }))).toThrow(/outputSchema/);
    expect(() => check('ask_human', asResult(valid))).toThrow(/outputSchema/);
    expect(() => check('request_approval', { content: [{ type: 'text', text: 'x' }], structuredContent: valid })).toThrow(/not the structuredContent as JSON/);
  });

  it('approved, alternative, edited and rejected answers of all five tools', async () => {
    t = await startTestHub();
    bot = await startApproverBot(t.url, await t.pairApprover('Ada'), (r) => (r.context as { answer?: AnyResponse } | undefined)?.answer);
    session = await startMcpSession(env(t));
    const { check } = await listed(session);
    const seen = new Set<string>();
    for (const c of ANSWERED) {
      const result = await session.client.callTool({ name: c.tool, arguments: { ...c.args, context: { answer: c.answer } } });
      const structured = check(c.tool, result);
      expect(structured, `${c.tool} ${c.outcome}`).toMatchObject({ status: 'resolved', response: c.answer, respondedBy: 'Ada', via: 'socket' });
      expect(structured.instruction, `${c.tool} ${c.outcome}`).toMatch(c.instruction);
      seen.add(c.tool);
    }
    expect([...seen]).toEqual(TOOL_NAMES);
  });

  it('expired: all five tools say nobody answered and not to proceed', async () => {
    const clock = new FakeClock();
    t = await startTestHub({ clock });
    bot = await startApproverBot(t.url, await t.pairApprover('Ada'), () => undefined);
    session = await startMcpSession(env(t));
    const { check } = await listed(session);
    const client = session.client;
    const pending = TOOL_NAMES.map((name) => client.callTool({ name, arguments: { ...MINIMAL[name], timeoutMs: 1 } }));
    await waitUntil(() => bot!.seen.length === TOOL_NAMES.length, 'every request to reach the approver');
    clock.advance(10 * 60_000);
    const results = await Promise.all(pending);
    results.forEach((result, i) => {
      const name = TOOL_NAMES[i]!;
      const structured = check(name, result);
      expect(structured).toMatchObject({ status: 'expired', response: null, respondedBy: 'timeout', via: 'timeout' });
      expect(structured.instruction).toContain('do not proceed with this action');
      expect(structured.instruction).toContain(`Do not call ${name} again`);
    });
  });

  it('hub down: all five tools say plainly that no human could be asked', async () => {
    t = await startTestHub();
    await t.stop();
    session = await startMcpSession(env(t));
    const { tools, check } = await listed(session);
    for (const tool of tools satisfies Tool[]) {
      const result = await session.client.callTool({ name: tool.name, arguments: MINIMAL[tool.name] });
      const structured = check(tool.name, result);
      expect(structured).toMatchObject({ status: 'hub_unavailable', response: null });
      expect(structured.instruction).toMatch(/^No human could be asked: Signoff could not reach its hub at .*do not proceed with this action/);
    }
  });
});
