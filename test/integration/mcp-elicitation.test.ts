import type { ClientCapabilities, ElicitRequestFormParams, ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub.js';
import { outputSchemaCheck, startMcpSession, type McpSession, type McpSessionOptions } from '../support/mcp-client.js';

/**
 * With the hub not running, `request_approval` and `ask_human` put the question to
 * the user through the MCP client (`elicitation/create`) when it can show a form,
 * so a person is still asked; without that capability the result says plainly
 * that no human could be asked. Driven by the SDK's own Client over stdio.
 */
describe('signoff mcp without a hub: asking through the MCP client (elicitation)', () => {
  let t: TestHub | undefined;
  let session: McpSession | undefined;

  afterEach(async () => {
    await session?.close();
    session = undefined;
    await t?.dispose();
    t = undefined;
  });

  /** A client (named `ide`) whose user answers each form with `answer`; returns what it was asked. */
  const startWithHubDown = async (answer?: (params: ElicitRequestFormParams) => ElicitResult, capability: NonNullable<ClientCapabilities['elicitation']> = { form: {} }) => {
    t = await startTestHub();
    await t.stop();
    const asked: ElicitRequestFormParams[] = [];
    const options: McpSessionOptions = answer
      ? {
          elicitation: {
            capability,
            answer: (params) => {
              asked.push(params);
              return answer(params);
            },
          },
        }
      : {};
    session = await startMcpSession({ SIGNOFF_URL: t.url, SIGNOFF_HOME: t.dataDir }, 'ide', [], options);
    const { tools } = await session.client.listTools();
    const check = outputSchemaCheck(tools);
    const call = async (name: string, args: Record<string, unknown>) => check(name, await session!.client.callTool({ name, arguments: args }));
    return { asked, call };
  };

  const deletion = {
    title: 'Delete 5,000 inactive accounts',
    description: 'No login since 2024.',
    severity: 'critical',
    action: { name: 'db.deleteUsers', args: { count: 5000 } },
    reversible: false,
    consequences: ['Users lose their settings'],
    alternatives: [{ id: 'archive', description: 'Archive them instead' }],
  };

  it('request_approval asks the user through the client and returns their choice of an alternative', async () => {
    const { asked, call } = await startWithHubDown((params) => {
      const decision = params.requestedSchema.properties.decision as { oneOf: { const: string }[] };
      return { action: 'accept', content: { decision: decision.oneOf[1]!.const, reason: 'keep the data' } };
    });
    const result = await call('request_approval', deletion);
    expect(asked).toHaveLength(1);
    const [params] = asked;
    expect(params!.message).toContain('ide asks through Signoff');
    expect(params!.message).toContain('[critical] Delete 5,000 inactive accounts');
    expect(params!.message).toContain('Action: db.deleteUsers {"count":5000}');
    expect(params!.message).toContain('- Users lose their settings');
    expect(params!.requestedSchema).toMatchObject({
      properties: {
        decision: {
          oneOf: [
            { const: 'approve', title: 'Approve' },
            { const: 'alternative:archive', title: 'Instead: Archive them instead' },
            { const: 'reject', title: 'Reject' },
          ],
        },
      },
      required: ['decision'],
    });
    expect(result).toMatchObject({
      status: 'resolved',
      response: { approved: true, alternativeId: 'archive', reason: 'keep the data' },
      respondedBy: 'the user',
      via: 'elicitation',
    });
    expect(result.instruction).toBe(
      "Signoff's hub is not running, so ide asked the user directly.\n" +
        'The user chose the alternative "archive" (Archive them instead) instead of your action. Do not take the original action; take that alternative instead.\n' +
        'Their note: keep the data',
    );
  });

  it('request_approval: approve proceeds; decline is a rejection; cancel leaves no permission', async () => {
    const answers: ElicitResult[] = [{ action: 'accept', content: { decision: 'approve' } }, { action: 'decline' }, { action: 'cancel' }];
    const { call } = await startWithHubDown(() => answers.shift()!);
    expect((await call('request_approval', { title: 'Deploy' })).instruction).toMatch(/\nApproved by the user\. You may proceed\.$/);
    const declined = await call('request_approval', { title: 'Deploy' });
    expect(declined).toMatchObject({ status: 'resolved', response: { approved: false } });
    expect(declined.instruction).toContain('Rejected by the user. Do not take this action.');
    const dismissed = await call('request_approval', { title: 'Deploy' });
    expect(dismissed).toMatchObject({ status: 'cancelled', response: null, via: 'elicitation' });
    expect(dismissed.instruction).toContain('do not proceed with this action');
  });

  it('ask_human puts options, free text and form fields to the user and returns their answer', async () => {
    const { asked, call } = await startWithHubDown(() => ({
      action: 'accept',
      content: { option: 'xlsx', answer: 'with totals', 'field:replicas': 3, 'field:env': 'staging', 'field:dryRun': true },
    }));
    const result = await call('ask_human', {
      title: 'Export settings',
      options: [
        { id: 'pdf', label: 'PDF' },
        { id: 'xlsx', label: 'Spreadsheet' },
      ],
      fields: [
        { name: 'replicas', label: 'Replicas', type: 'number', required: true },
        { name: 'env', label: 'Environment', type: 'select', options: [{ id: 'staging', label: 'Staging' }] },
        { name: 'dryRun', label: 'Dry run', type: 'checkbox' },
      ],
    });
    expect(asked[0]!.requestedSchema).toEqual({
      type: 'object',
      properties: {
        option: { type: 'string', title: 'Pick one', oneOf: [{ const: 'pdf', title: 'PDF' }, { const: 'xlsx', title: 'Spreadsheet' }] },
        answer: { type: 'string', title: 'Or your own answer', maxLength: 10_000 },
        'field:replicas': { type: 'number', title: 'Replicas' },
        'field:env': { type: 'string', title: 'Environment', oneOf: [{ const: 'staging', title: 'Staging' }] },
        'field:dryRun': { type: 'boolean', title: 'Dry run' },
      },
      required: ['field:replicas'],
    });
    expect(result).toMatchObject({
      status: 'resolved',
      response: { optionId: 'xlsx', text: 'with totals', values: { replicas: 3, env: 'staging', dryRun: true } },
      via: 'elicitation',
    });
    expect(result.instruction).toContain('The user answered.\nChosen option: xlsx (Spreadsheet)\nAnswer: with totals');
  });

  it('a client declaring `elicitation: {}` (form mode, MCP 2025-06-18 style) is asked too', async () => {
    const { asked, call } = await startWithHubDown(() => ({ action: 'accept', content: { answer: 'Use the EU format' } }), {});
    const result = await call('ask_human', { title: 'Date format?' });
    expect(asked).toHaveLength(1);
    expect(result).toMatchObject({ status: 'resolved', response: { text: 'Use the EU format' } });
  });

  it('tools whose answer does not fit a flat form are not elicited: they say no human could be asked', async () => {
    const { asked, call } = await startWithHubDown(() => ({ action: 'accept', content: {} }));
    const result = await call('review_draft', { title: 'Reply', draft: { format: 'text', content: 'Hi' } });
    expect(asked).toEqual([]);
    expect(result).toMatchObject({ status: 'hub_unavailable', response: null });
    expect(result.instruction).toMatch(/^No human could be asked: /);
  });

  it('without the elicitation capability, request_approval and ask_human say plainly that no human could be asked', async () => {
    const { call } = await startWithHubDown();
    for (const [name, args] of [
      ['request_approval', deletion],
      ['ask_human', { title: 'Anyone there?' }],
    ] as const) {
      const result = await call(name, args);
      expect(result).toMatchObject({ status: 'hub_unavailable', response: null });
      expect(result.instruction).toMatch(/^No human could be asked: Signoff could not reach its hub at .* and ide cannot ask the user itself \(it does not support MCP elicitation\)\. You do not have permission: do not proceed with this action\./);
    }
  });
});
