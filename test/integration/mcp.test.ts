import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { TIMEOUT_BOUNDS, type AnyResponse, type SignoffRequest } from '@signoff/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createSignoffMcpServer, type SignoffMcpServer } from '../../desktop/src/agents/mcp/mcp-server.js';
import { startApproverBot, type ApproverBot } from '../support/approver-bot.js';
import { FakeClock, startTestHub, type TestHub } from '../support/hub.js';
import { startMcpSession, type McpSession } from '../support/mcp-client.js';
import { RestClient, type Json } from '../support/rest-client.js';
import { waitUntil } from '../support/wait-until.js';

const TOOL_NAMES = ['request_approval', 'ask_human', 'review_draft', 'checkpoint', 'escalate'];

/** The text blocks of a tool result, joined. */
const textOf = (result: unknown) =>
  (result as CallToolResult).content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

/** The instruction the model gets: in `structuredContent`, which Claude Code passes on alone; the text is the same JSON. */
const instructionOf = (result: unknown) => {
  const { structuredContent } = result as CallToolResult;
  expect(JSON.parse(textOf(result))).toEqual(structuredContent);
  return (structuredContent as { instruction: string }).instruction;
};

describe('signoff mcp (spawned, driven by the MCP SDK Client over stdio)', () => {
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
  const withBot = async (hub: TestHub, decide: (r: SignoffRequest) => AnyResponse | undefined) => {
    bot = await startApproverBot(hub.url, await hub.pairApprover('Ada'), decide);
  };

  it('lists the five tools with input schemas taken from the request schemas', async () => {
    t = await startTestHub();
    session = await startMcpSession(env(t));
    const { tools } = await session.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(TOOL_NAMES);
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    const schema = (name: string): Json => byName[name]!.inputSchema;
    const approval = schema('request_approval');
    expect(Object.keys(approval.properties).sort()).toEqual(
      ['action', 'alternatives', 'consequences', 'context', 'description', 'reversible', 'severity', 'timeoutMs', 'title'].sort(),
    );
    expect(approval.required).toEqual(['title']);
    expect(approval.additionalProperties).toBe(false);
    // Same limits as the shared schema: title 1..500, severity enum, strict action.
    expect(approval.properties.title).toMatchObject({ type: 'string', minLength: 1, maxLength: 500 });
    expect(approval.properties.severity).toMatchObject({ enum: ['low', 'medium', 'high', 'critical'], default: 'medium' });
    expect(approval.properties.action).toMatchObject({ required: ['name'], additionalProperties: false });
    expect(approval.properties.timeoutMs.description).toContain('clamps');
    expect(Object.keys(schema('ask_human').properties)).toEqual(expect.arrayContaining(['options', 'allowFreeform', 'fields']));
    expect(schema('review_draft').properties.draft).toMatchObject({
      properties: { format: { enum: ['text', 'markdown', 'json'] } },
      required: ['format', 'content'],
    });
    expect(schema('checkpoint').required).toEqual(expect.arrayContaining(['title', 'phase', 'progress']));
    expect(schema('escalate').required).toEqual(expect.arrayContaining(['title', 'reason']));
    for (const tool of tools) expect(tool.description!.length).toBeGreaterThan(40);
  });

  it('request_approval waits for the human, names the client as the agent, and returns text plus the decision', async () => {
    t = await startTestHub();
    await withBot(t, () => ({ approved: true, reason: 'go, but smaller', editedArgs: { count: 500 } }));
    session = await startMcpSession(env(t), 'claude-code');
    const result = await session.client.callTool({
      name: 'request_approval',
      arguments: {
        title: 'Delete 5,000 inactive accounts',
        description: 'No login since **2024**.',
        severity: 'critical',
        action: { name: 'db.deleteUsers', args: { count: 5000 } },
        reversible: false,
        consequences: ['Users lose their settings'],
        alternatives: [{ id: 'archive', description: 'Archive them instead' }],
      },
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      status: 'resolved',
      response: { approved: true, reason: 'go, but smaller', editedArgs: { count: 500 } },
      respondedBy: 'Ada',
      via: 'socket',
      requestId: bot!.seen[0]!.id,
    });
    expect(result.structuredContent).toHaveProperty('waitMs');
    expect(result.structuredContent).toHaveProperty('respondedAt');
    expect(instructionOf(result)).toBe(
      'Approved by Ada. You may proceed, but only with these edited arguments instead of yours, exactly: {"count":500}\nTheir note: go, but smaller',
    );
    expect(bot!.seen[0]).toMatchObject({
      kind: 'approval',
      agentId: 'claude-code',
      title: 'Delete 5,000 inactive accounts',
      body: 'No login since **2024**.',
      severity: 'critical',
      action: { name: 'db.deleteUsers', args: { count: 5000 } },
      reversible: false,
      consequences: ['Users lose their settings'],
      alternatives: [{ id: 'archive', description: 'Archive them instead' }],
    });
  });

  it('request_approval tells the model not to act when rejected, with the reason', async () => {
    t = await startTestHub();
    await withBot(t, () => ({ approved: false, reason: 'not on a Friday' }));
    session = await startMcpSession(env(t));
    const result = await session.client.callTool({ name: 'request_approval', arguments: { title: 'Deploy to production' } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ status: 'resolved', response: { approved: false, reason: 'not on a Friday' } });
    expect(instructionOf(result)).toBe('Rejected by Ada. Do not take this action.\nTheir reason: not on a Friday');
  });

  it('ask_human, review_draft, checkpoint and escalate each round-trip through the hub', async () => {
    t = await startTestHub();
    await withBot(t, (r) => {
      switch (r.kind) {
        case 'clarification':
          return r.fields ? { values: { env: 'staging', replicas: 3 } } : { optionId: 'xlsx', text: 'with totals' };
        case 'edit':
          return { action: 'edit', content: 'Hi Sam, the refund is on its way.', reason: 'warmer' };
        case 'checkpoint':
          return { action: 'modify', skipSteps: ['Drop billing'], notes: 'keep the old table a week' };
        case 'escalation':
          return { action: 'takeover', guidance: 'I will call the payments team' };
        default:
          return undefined;
      }
    });
    session = await startMcpSession(env(t), 'cursor');
    const { client } = session;

    const question = await client.callTool({
      name: 'ask_human',
      arguments: { title: 'Which format?', options: [{ id: 'pdf', label: 'PDF' }, { id: 'xlsx', label: 'Spreadsheet' }] },
    });
    expect(question.structuredContent).toMatchObject({ status: 'resolved', response: { optionId: 'xlsx', text: 'with totals' } });
    expect(instructionOf(question)).toBe('Ada answered.\nChosen option: xlsx (Spreadsheet)\nAnswer: with totals');

    const form = await client.callTool({
      name: 'ask_human',
      arguments: {
        title: 'Deployment settings',
        allowFreeform: false,
        fields: [
          { name: 'env', label: 'Environment', type: 'select', options: [{ id: 'staging', label: 'Staging' }] },
          { name: 'replicas', label: 'Replicas', type: 'number' },
        ],
      },
    });
    expect(instructionOf(form)).toContain('Form values: {"env":"staging","replicas":3}');

    const draft = await client.callTool({
      name: 'review_draft',
      arguments: { title: 'Reply to Sam', draft: { format: 'text', content: 'Refund sent.' } },
    });
    expect(draft.structuredContent).toMatchObject({ response: { action: 'edit', content: 'Hi Sam, the refund is on its way.' } });
    expect(instructionOf(draft)).toBe('Ada edited the draft. Use this version exactly, not yours:\nTheir note: warmer\n\nHi Sam, the refund is on its way.');

    const progress = await client.callTool({
      name: 'checkpoint',
      arguments: { title: 'Billing migration halfway', phase: 'Copy rows', progress: 0.5, upcoming: ['Swap views', 'Drop billing'] },
    });
    expect(progress.structuredContent).toMatchObject({ response: { action: 'modify', skipSteps: ['Drop billing'] } });
    expect(instructionOf(progress)).toBe('Ada says continue with changes.\nSkip these steps: Drop billing\nTheir notes: keep the old table a week');

    const stuck = await client.callTool({
      name: 'escalate',
      arguments: { title: 'Payment tests keep failing', reason: 'still failing after 3 attempts', attempted: ['Pinned the sandbox version'] },
    });
    expect(stuck.structuredContent).toMatchObject({ response: { action: 'takeover' } });
    expect(instructionOf(stuck)).toBe('Ada is taking over: stop working on this and leave it to them.\nTheir guidance: I will call the payments team');

    expect(bot!.seen.map((r) => [r.kind, r.agentId])).toEqual([
      ['clarification', 'cursor'],
      ['clarification', 'cursor'],
      ['edit', 'cursor'],
      ['checkpoint', 'cursor'],
      ['escalation', 'cursor'],
    ]);
    expect(bot!.seen[2]).toMatchObject({ draft: { format: 'text', content: 'Refund sent.' } });
    expect(bot!.seen[3]).toMatchObject({ phase: 'Copy rows', progress: 0.5 });
    expect(bot!.seen[4]).toMatchObject({ reason: 'still failing after 3 attempts', attempted: ['Pinned the sandbox version'] });
  });

  it('on expiry returns a plain instruction not to proceed, not an error; the model timeout is clamped by the hub', async () => {
    const clock = new FakeClock();
    t = await startTestHub({ clock });
    await withBot(t, () => undefined);
    session = await startMcpSession(env(t));
    const pending = session.client.callTool({ name: 'request_approval', arguments: { title: 'Rotate the API keys', timeoutMs: 1 } });
    const request = await waitUntil(() => bot!.seen[0], 'the request to reach the approver');
    expect(request.expiresAt! - request.createdAt).toBe(TIMEOUT_BOUNDS.minMs);
    clock.advance(TIMEOUT_BOUNDS.minMs);
    const result = await pending;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ status: 'expired', response: null, respondedBy: 'timeout', via: 'timeout' });
    const text = instructionOf(result);
    expect(text).toContain('The human did not answer in time.');
    expect(text).toContain('do not proceed with this action');
    expect(text).toContain('Do not call request_approval again for the same thing on your own');
  });

  it('when no hub runs and the client cannot ask the user, says plainly that no human could be asked, and how to start the hub', async () => {
    t = await startTestHub();
    await t.stop();
    session = await startMcpSession(env(t));
    const result = await session.client.callTool({ name: 'ask_human', arguments: { title: 'Anyone there?' } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ status: 'hub_unavailable', response: null });
    const text = instructionOf(result);
    expect(text).toMatch(/^No human could be asked: /);
    expect(text).toContain(`could not reach its hub at ${t.url} and test-agent cannot ask the user itself`);
    expect(text).toContain('do not proceed');
    expect(text).toContain('npx signoff hub');
    expect(text).toContain('npm start');
  });

  it('refuses invalid arguments with the shared schema message as an error result the model can fix', async () => {
    t = await startTestHub();
    await withBot(t, () => ({ optionId: 'x' }));
    session = await startMcpSession(env(t));
    const noWayToAnswer = await session.client.callTool({ name: 'ask_human', arguments: { title: 'Pick one', allowFreeform: false } });
    expect(noWayToAnswer.isError).toBe(true);
    expect(textOf(noWayToAnswer)).toContain('a clarification needs options, fields or allowFreeform');
    const unknownField = await session.client.callTool({ name: 'request_approval', arguments: { title: 'x', colour: 'red' } });
    expect(unknownField.isError).toBe(true);
    expect(textOf(unknownField)).toContain('colour');
    expect(bot!.seen).toEqual([]);
  });

  it('withdraws the request at the hub when the client cancels the call or goes away', async () => {
    t = await startTestHub();
    await withBot(t, () => undefined);
    const approver = new RestClient(t.url, await t.pairApprover('Grace'));
    session = await startMcpSession(env(t), 'claude-code', ['--agent-id', 'release-bot']);
    const controller = new AbortController();
    const cancelled = session.client.callTool({ name: 'request_approval', arguments: { title: 'Tag v2.0' } }, undefined, { signal: controller.signal });
    const first = await waitUntil(() => bot!.seen[0], 'the first request');
    expect(first.agentId).toBe('release-bot');
    controller.abort();
    await expect(cancelled).rejects.toThrow();
    await waitUntil(async () => (await approver.get(`/requests/${first.id}`)).body.status === 'cancelled', 'the aborted call to cancel its request');

    void session.client.callTool({ name: 'checkpoint', arguments: { title: 'Nightly import', phase: 'load', progress: 0.2 } }).catch(() => {});
    const second = await waitUntil(() => bot!.seen[1], 'the second request');
    await session.close();
    session = undefined;
    await waitUntil(async () => (await approver.get(`/requests/${second.id}`)).body.status === 'cancelled', 'closing the client to cancel its request');
  });
});

describe('Signoff MCP server (in process)', () => {
  let t: TestHub | undefined;
  let bot: ApproverBot | undefined;
  let signoff: SignoffMcpServer | undefined;

  afterEach(async () => {
    await signoff?.close();
    signoff = undefined;
    bot?.close();
    bot = undefined;
    await t?.dispose();
    t = undefined;
  });

  it('reports progress while it waits, so a client can keep resetting its own timeout', async () => {
    t = await startTestHub();
    let requestId: string | undefined;
    const messages: string[] = [];
    let answered = false;
    // Answer only once the client has heard that the server is still waiting, and the request exists
    // (progress starts with the call; the connection to the hub opens on the first call).
    const answerOnce = () => {
      if (answered || !requestId || messages.length < 2) return;
      answered = true;
      void approver.post(`/requests/${requestId}/respond`, { approved: true });
    };
    bot = await startApproverBot(t.url, await t.pairApprover('Ada'), (r) => {
      requestId = r.id;
      answerOnce();
      return undefined;
    });
    signoff = createSignoffMcpServer({ url: t.url, token: t.agentToken, progressIntervalMs: 20 });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await signoff.server.connect(serverSide);
    const client = new Client({ name: 'progress-test', version: '1.0.0' });
    await client.connect(clientSide);
    const approver = new RestClient(t.url, await t.pairApprover('Grace'));
    const result = await client.callTool({ name: 'request_approval', arguments: { title: 'Long wait' } }, undefined, {
      resetTimeoutOnProgress: true,
      onprogress: (progress) => {
        messages.push(progress.message ?? '');
        answerOnce();
      },
    });
    expect(messages[0]).toMatch(/^Waiting for a human to answer in Signoff/);
    expect(result.structuredContent).toMatchObject({ status: 'resolved', respondedBy: 'Grace', via: 'rest' });
    await client.close();
  });
});
