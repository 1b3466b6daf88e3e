import { describe, expect, it } from 'vitest';
import { REQUEST_KINDS, type RequestKind } from './constants.js';
import { CreateRequestSchema, ListRequestsQuerySchema, REQUEST_SCHEMAS, WatchSchema, type CreateRequestInput } from './request-schemas.js';
import { RESPONSE_SCHEMAS } from './response-schemas.js';
import { validate } from './validate.js';

/** One realistic payload per kind, as an agent would send it. */
const REQUESTS = {
  approval: {
    kind: 'approval',
    title: 'Delete 5,000 inactive accounts',
    body: 'Accounts with no login since 2024-01-01, exported to S3 first.',
    severity: 'high',
    agentId: 'cleanup-bot',
    runId: 'run-cleanup-17',
    context: { database: 'prod-users', rowsAffected: 5000 },
    action: { name: 'db.deleteUsers', args: { where: "last_login < '2024-01-01'", limit: 5000 } },
    reversible: false,
    consequences: ['Users lose their saved settings'],
    alternatives: [
      { id: 'archive', description: 'Archive instead of deleting', tradeoffs: 'Keeps storage cost' },
      { id: 'email-first', description: 'Email the users and delete in 30 days' },
    ],
    timeoutMs: 30 * 60 * 1000,
    onTimeout: 'reject',
    idempotencyKey: 'cleanup-2026-01-31',
  },
  clarification: {
    kind: 'clarification',
    title: 'Which date format should the export use?',
    options: [
      { id: 'iso', label: 'ISO 8601 (2026-01-31)' },
      { id: 'us', label: 'US (01/31/2026)' },
    ],
    allowFreeform: true,
    fields: [
      { name: 'env', label: 'Environment', type: 'select', required: true, options: [{ id: 'staging', label: 'Staging' }] },
      { name: 'replicas', label: 'Replicas', type: 'number' },
    ],
  },
  edit: {
    kind: 'edit',
    title: 'Review the release notes',
    draft: { format: 'markdown', content: '# v2.3.1\n\n- Faster search' },
  },
  escalation: {
    kind: 'escalation',
    title: 'Integration tests keep failing',
    severity: 'critical',
    reason: 'tests still failing after 3 attempts',
    attempted: ['Pinned the flaky dependency', 'Raised the test timeout'],
    recommendations: ['A human checks the sandbox credentials'],
  },
  checkpoint: {
    kind: 'checkpoint',
    title: 'Halfway through the billing migration',
    phase: 'Copy rows to billing_v2',
    progress: 0.6,
    completed: ['Created billing_v2'],
    upcoming: ['Swap the views'],
    issues: ['312 rows had a null currency'],
  },
  external: {
    kind: 'external',
    title: 'Run the production smoke test from the VPN',
    tool: { name: 'smoke-test', args: { suite: 'checkout' } },
  },
  notify: { kind: 'notify', title: 'Deployed v2.3.1 to staging', severity: 'low', body: 'All 214 checks passed.' },
} satisfies Record<RequestKind, CreateRequestInput>;

/** One fitting human answer per kind. */
const RESPONSES: Record<RequestKind, unknown> = {
  approval: { approved: true, reason: 'Archive first', alternativeId: 'archive', editedArgs: { limit: 500 } },
  clarification: { optionId: 'iso', text: 'and UTC please', values: { env: 'staging', replicas: 3, on: true, note: null } },
  edit: { action: 'edit', content: '# v2.3.1\n\n- Much faster search', reason: 'tone' },
  escalation: { action: 'delegate', guidance: 'Payments owns it', targetAgentId: 'payments-bot' },
  checkpoint: { action: 'modify', skipSteps: ['Drop billing'], notes: 'Keep the old table a week' },
  external: { result: { passed: 41, failed: 1 } },
  notify: null,
};

function expectInvalid(result: ReturnType<typeof validate>, path: string, messagePart?: string | RegExp) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe('invalid_request');
  const issues = (result.error.details as { issues: { path: string; message: string }[] }).issues;
  const issue = issues.find((i) => i.path === path);
  expect(issue, `no issue at ${path} in ${JSON.stringify(issues)}`).toBeDefined();
  expect(result.error.message).toContain(`${path}: `);
  if (messagePart !== undefined) expect(issue!.message).toMatch(messagePart);
  return result.error;
}

describe('request schemas', () => {
  it.each(REQUEST_KINDS)('accepts a realistic %s request through the union and its own schema', (kind) => {
    const payload = REQUESTS[kind];
    const viaUnion = validate(CreateRequestSchema, payload);
    const viaKind = validate(REQUEST_SCHEMAS[kind], payload);
    expect(viaUnion).toEqual({ ok: true, data: { severity: 'medium', ...payload } });
    expect(viaKind).toEqual(viaUnion);
  });

  it('covers every kind in REQUEST_SCHEMAS', () => {
    expect(Object.keys(REQUEST_SCHEMAS).sort()).toEqual([...REQUEST_KINDS].sort());
  });

  it('defaults severity to medium and keeps a given one', () => {
    const parsed = validate(CreateRequestSchema, { kind: 'approval', title: 'Ship it' });
    expect(parsed).toEqual({ ok: true, data: { kind: 'approval', title: 'Ship it', severity: 'medium' } });
    const given = validate(CreateRequestSchema, { kind: 'approval', title: 'Ship it', severity: 'critical' });
    expect(given.ok && given.data.severity).toBe('critical');
  });

  it('trims titles and refuses a blank one', () => {
    const parsed = validate(CreateRequestSchema, { kind: 'notify', title: '  Deployed  ' });
    expect(parsed.ok && parsed.data.title).toBe('Deployed');
    expectInvalid(validate(CreateRequestSchema, { kind: 'notify', title: '   ' }), 'title');
  });

  it.each(REQUEST_KINDS)('refuses an unknown top-level field on %s and names it', (kind) => {
    const error = expectInvalid(validate(CreateRequestSchema, { ...REQUESTS[kind], titel: 'typo' }), '(root)');
    expect(error!.message).toContain('"titel"');
  });

  it('refuses unknown fields inside nested strict objects', () => {
    const draft = validate(CreateRequestSchema, { ...REQUESTS.edit, draft: { format: 'text', content: 'x', lang: 'en' } });
    expect(expectInvalid(draft, 'draft')!.message).toContain('"lang"');
    const action = validate(CreateRequestSchema, { ...REQUESTS.approval, action: { name: 'x', argz: {} } });
    expect(expectInvalid(action, 'action')!.message).toContain('"argz"');
  });

  it('names a bad nested field by its path', () => {
    expectInvalid(
      validate(CreateRequestSchema, { ...REQUESTS.edit, draft: { format: 'html', content: '<p>' } }),
      'draft.format',
      /expected one of/,
    );
    expectInvalid(
      validate(CreateRequestSchema, { ...REQUESTS.approval, alternatives: [{ id: '', description: 'Archive' }] }),
      'alternatives.0.id',
    );
    expectInvalid(
      validate(CreateRequestSchema, {
        ...REQUESTS.clarification,
        fields: [{ name: 'env', label: 'Environment', type: 'dropdown' }],
      }),
      'fields.0.type',
    );
    expectInvalid(validate(CreateRequestSchema, { ...REQUESTS.external, tool: { args: {} } }), 'tool.name');
  });

  it('lists every issue in details and at most five in the message', () => {
    const result = validate(CreateRequestSchema, {
      kind: 'approval',
      title: '',
      severity: 'urgent',
      agentId: '',
      runId: '',
      timeoutMs: -1,
      onTimeout: 'later',
      idempotencyKey: '',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const issues = (result.error.details as { issues: { path: string }[] }).issues;
    expect(issues.map((i) => i.path).sort()).toEqual(
      ['agentId', 'idempotencyKey', 'onTimeout', 'runId', 'severity', 'timeoutMs', 'title'].sort(),
    );
    expect(result.error.message.split('; ')).toHaveLength(5);
  });

  it('refuses an unknown kind and names the discriminator', () => {
    expectInvalid(validate(CreateRequestSchema, { kind: 'poll', title: 'x' }), 'kind');
    expectInvalid(validate(CreateRequestSchema, { title: 'x' }), 'kind');
  });

  it('refuses a non-object payload at the root', () => {
    expectInvalid(validate(CreateRequestSchema, 'approve please'), '(root)');
    expectInvalid(validate(CreateRequestSchema, null), '(root)');
  });

  it('refuses a timeoutMs that is not a positive integer', () => {
    for (const timeoutMs of [0, -5, 1.5, '60000']) {
      expectInvalid(validate(CreateRequestSchema, { kind: 'approval', title: 'x', timeoutMs }), 'timeoutMs');
    }
  });

  it('keeps checkpoint progress within 0..1', () => {
    expectInvalid(validate(CreateRequestSchema, { ...REQUESTS.checkpoint, progress: 1.2 }), 'progress');
    expectInvalid(validate(CreateRequestSchema, { ...REQUESTS.checkpoint, progress: -0.1 }), 'progress');
    expect(validate(CreateRequestSchema, { ...REQUESTS.checkpoint, progress: 1 }).ok).toBe(true);
  });

  describe('clarification needs something to answer with', () => {
    const base = { kind: 'clarification', title: 'What next?' } as const;

    it('refuses allowFreeform:false with no options or fields', () => {
      expectInvalid(validate(CreateRequestSchema, { ...base, allowFreeform: false }), 'options', /needs options, fields or allowFreeform/);
      expectInvalid(validate(CreateRequestSchema, { ...base, allowFreeform: false, options: [], fields: [] }), 'options');
    });

    it('refuses a select field without options, naming it', () => {
      const select = { name: 'region', label: 'Region', type: 'select' };
      expectInvalid(validate(CreateRequestSchema, { ...base, fields: [select] }), 'fields.0.options', /a select field needs options/);
      expectInvalid(validate(CreateRequestSchema, { ...base, fields: [{ ...select, options: [] }] }), 'fields.0.options');
    });

    it('accepts free form alone (explicit or by default), options alone, or fields alone', () => {
      expect(validate(CreateRequestSchema, base).ok).toBe(true);
      expect(validate(CreateRequestSchema, { ...base, allowFreeform: true }).ok).toBe(true);
      expect(validate(CreateRequestSchema, { ...base, allowFreeform: false, options: [{ id: 'a', label: 'A' }] }).ok).toBe(true);
      expect(
        validate(CreateRequestSchema, { ...base, allowFreeform: false, fields: [{ name: 'n', label: 'N', type: 'text' }] }).ok,
      ).toBe(true);
    });
  });

  it('parses list queries with a coerced, bounded limit', () => {
    expect(validate(ListRequestsQuerySchema, {})).toEqual({ ok: true, data: { limit: 100 } });
    expect(validate(ListRequestsQuerySchema, { status: 'pending', limit: '20' })).toEqual({
      ok: true,
      data: { status: 'pending', limit: 20 },
    });
    expectInvalid(validate(ListRequestsQuerySchema, { limit: '0' }), 'limit');
    expectInvalid(validate(ListRequestsQuerySchema, { status: 'done' }), 'status');
    expectInvalid(validate(WatchSchema, { ids: ['a', ''] }), 'ids.1');
  });
});

describe('response schemas', () => {
  it.each(REQUEST_KINDS)('accepts a fitting %s answer unchanged', (kind) => {
    expect(validate(RESPONSE_SCHEMAS[kind], RESPONSES[kind])).toEqual({ ok: true, data: RESPONSES[kind] });
  });

  it('covers every kind in RESPONSE_SCHEMAS', () => {
    expect(Object.keys(RESPONSE_SCHEMAS).sort()).toEqual([...REQUEST_KINDS].sort());
  });

  it('refuses an unknown field in an answer and names it', () => {
    const error = expectInvalid(validate(RESPONSE_SCHEMAS.approval, { approved: true, comment: 'ok' }), '(root)');
    expect(error!.message).toContain('"comment"');
    expect(expectInvalid(validate(RESPONSE_SCHEMAS.edit, { action: 'accept', text: 'x' }), '(root)')!.message).toContain('"text"');
  });

  it('approval needs a boolean approved', () => {
    expectInvalid(validate(RESPONSE_SCHEMAS.approval, {}), 'approved');
    expectInvalid(validate(RESPONSE_SCHEMAS.approval, { approved: 'yes' }), 'approved');
  });

  it('edit: action edit needs content, accept and reject do not', () => {
    expectInvalid(validate(RESPONSE_SCHEMAS.edit, { action: 'edit' }), 'content', /an edit needs content/);
    expect(validate(RESPONSE_SCHEMAS.edit, { action: 'edit', content: '' }).ok).toBe(true);
    expect(validate(RESPONSE_SCHEMAS.edit, { action: 'accept' }).ok).toBe(true);
    expect(validate(RESPONSE_SCHEMAS.edit, { action: 'reject', reason: 'off-brand' }).ok).toBe(true);
    expectInvalid(validate(RESPONSE_SCHEMAS.edit, { action: 'rewrite', content: 'x' }), 'action');
  });

  it('escalation: delegate needs targetAgentId, other actions do not', () => {
    expectInvalid(validate(RESPONSE_SCHEMAS.escalation, { action: 'delegate' }), 'targetAgentId', /delegate needs targetAgentId/);
    for (const action of ['takeover', 'continue', 'abort']) {
      expect(validate(RESPONSE_SCHEMAS.escalation, { action }).ok).toBe(true);
    }
  });

  it('clarification: an answer needs optionId, text or values', () => {
    expectInvalid(validate(RESPONSE_SCHEMAS.clarification, {}), '(root)', /needs optionId, text or values/);
    expect(validate(RESPONSE_SCHEMAS.clarification, { optionId: 'iso' }).ok).toBe(true);
    expect(validate(RESPONSE_SCHEMAS.clarification, { text: 'whatever you think' }).ok).toBe(true);
    expect(validate(RESPONSE_SCHEMAS.clarification, { values: {} }).ok).toBe(true);
    expectInvalid(validate(RESPONSE_SCHEMAS.clarification, { values: { env: ['a'] } }), 'values.env');
  });

  it('external: needs a result, and null counts as one', () => {
    expectInvalid(validate(RESPONSE_SCHEMAS.external, {}), 'result');
    expect(validate(RESPONSE_SCHEMAS.external, { result: null })).toEqual({ ok: true, data: { result: null } });
    expect(validate(RESPONSE_SCHEMAS.external, { result: 'done' }).ok).toBe(true);
  });

  it('checkpoint: action must be one of continue, modify, abort', () => {
    expectInvalid(validate(RESPONSE_SCHEMAS.checkpoint, { action: 'pause' }), 'action');
    expectInvalid(validate(RESPONSE_SCHEMAS.checkpoint, { action: 'modify', skipSteps: [1] }), 'skipSteps.0');
  });

  it('notify: only null', () => {
    expect(validate(RESPONSE_SCHEMAS.notify, null).ok).toBe(true);
    expectInvalid(validate(RESPONSE_SCHEMAS.notify, {}), '(root)');
  });
});

/** A body as the hub sees it: JSON text parsed, so `__proto__` is an own key. */
const body = (json: string) => JSON.parse(json) as unknown;
const RESERVED = /^keys named __proto__, constructor or prototype are not allowed$/;

describe('data stays data: reserved keys are refused, never dropped', () => {
  it.each([
    ['context', '{"kind":"approval","title":"t","context":{"__proto__":{"isAdmin":true},"db":"prod"}}', 'context.__proto__'],
    ['action.args', '{"kind":"approval","title":"t","action":{"name":"x","args":{"__proto__":{"x":1}}}}', 'action.args.__proto__'],
    ['nested action.args', '{"kind":"approval","title":"t","action":{"name":"x","args":{"rows":[{"id":1},{"__proto__":1}]}}}', 'action.args.rows.1.__proto__'],
    ['tool.args', '{"kind":"external","title":"t","tool":{"name":"x","args":{"opts":{"constructor":{"prototype":{"polluted":1}}}}}}', 'tool.args.opts.constructor'],
    ['context prototype', '{"kind":"notify","title":"t","context":{"prototype":1}}', 'context.prototype'],
  ])('%s: names the path', (_where, json, path) => {
    expectInvalid(validate(CreateRequestSchema, body(json)), path, RESERVED);
  });

  it('says so in one line an agent can act on', () => {
    const result = validate(CreateRequestSchema, body('{"kind":"approval","title":"t","context":{"__proto__":{"x":1}}}'));
    expect(!result.ok && result.error.message).toBe('context.__proto__: keys named __proto__, constructor or prototype are not allowed');
  });

  it('refuses a reserved key at the top level or in a strict object as an unknown field, never silently', () => {
    expect(expectInvalid(validate(CreateRequestSchema, body('{"kind":"notify","title":"t","__proto__":{"severity":"low"}}')), '(root)')!.message).toContain('"__proto__"');
    expect(expectInvalid(validate(CreateRequestSchema, body('{"kind":"approval","title":"t","action":{"name":"x","__proto__":{}}}')), 'action')!.message).toContain('"__proto__"');
  });

  it('refuses reserved keys inside a JSON draft, and leaves text drafts and unparsable JSON alone', () => {
    expectInvalid(
      validate(CreateRequestSchema, body(JSON.stringify({ kind: 'edit', title: 't', draft: { format: 'json', content: '{"a":{"__proto__":{"x":1}}}' } }))),
      'draft.content',
      /^the JSON has a key at \$\.a\.__proto__: keys named/,
    );
    expect(validate(CreateRequestSchema, { kind: 'edit', title: 't', draft: { format: 'text', content: '{"__proto__":1}' } }).ok).toBe(true);
    expect(validate(CreateRequestSchema, { kind: 'edit', title: 't', draft: { format: 'json', content: '{"__proto__":' } }).ok).toBe(true);
  });

  it('keeps look-alike keys and every other key exactly as sent', () => {
    const parsed = validate(CreateRequestSchema, body('{"kind":"approval","title":"t","context":{"proto":1,"Constructor":2,"toString":"x","nested":{"hasOwnProperty":3}}}'));
    expect(parsed.ok && parsed.data.context).toEqual({ proto: 1, Constructor: 2, toString: 'x', nested: { hasOwnProperty: 3 } });
  });

  it('refuses reserved keys in answers too: edited arguments, form values, a tool result', () => {
    expectInvalid(validate(RESPONSE_SCHEMAS.approval, body('{"approved":true,"editedArgs":{"__proto__":{"x":1}}}')), 'editedArgs.__proto__', RESERVED);
    expectInvalid(validate(RESPONSE_SCHEMAS.clarification, body('{"values":{"__proto__":"x"}}')), 'values.__proto__', RESERVED);
    expectInvalid(validate(RESPONSE_SCHEMAS.external, body('{"result":{"ok":true,"constructor":1}}')), 'result.constructor', RESERVED);
  });

  it('still refuses too-deep JSON with its own message', () => {
    const deep = JSON.parse(`{"kind":"notify","title":"t","context":{"a":${'['.repeat(40)}${']'.repeat(40)}}}`);
    expectInvalid(validate(CreateRequestSchema, deep), 'context', /nested deeper than 32 levels/);
  });
});

describe('form field names cannot collide with object internals', () => {
  const clarification = (fields: unknown) => ({ kind: 'clarification', title: 'Settings', fields });
  it.each(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'])('refuses a field named %s', (name) => {
    const json = JSON.stringify(clarification([{ name, label: 'Field', type: 'text' }]));
    expectInvalid(validate(CreateRequestSchema, body(json)), 'fields.0.name', new RegExp(`^"${name}" is a built-in JavaScript object name`));
  });

  it('accepts ordinary names, including ones that merely contain those words', () => {
    expect(validate(CreateRequestSchema, clarification([{ name: 'constructorName', label: 'A', type: 'text' }, { name: 'proto', label: 'B', type: 'text' }])).ok).toBe(true);
  });
});

describe('choices a person can tell apart', () => {
  const approval = { kind: 'approval', title: 'Delete 5,000 inactive accounts', action: { name: 'db.deleteUsers' } } as const;
  const alternatives = (...list: { id: string; description: string }[]) => ({ ...approval, alternatives: list });

  it('refuses duplicate alternative ids, naming both', () => {
    const error = expectInvalid(
      validate(CreateRequestSchema, alternatives({ id: 'archive', description: 'Archive them' }, { id: 'archive', description: 'Email first' })),
      'alternatives.1.id',
    );
    expect(error!.message).toBe('alternatives.1.id: "archive" reads the same as alternatives.0.id; each id must differ so the person can tell them apart');
  });

  it('compares as a person reads: case, width and hidden characters do not make an id or description new', () => {
    expectInvalid(validate(CreateRequestSchema, alternatives({ id: 'archive', description: 'Archive' }, { id: 'Archive\u200B', description: 'Email' })), 'alternatives.1.id');
    expectInvalid(validate(CreateRequestSchema, alternatives({ id: 'a', description: 'Archive them' }, { id: 'b', description: 'ARCHIVE  them' })), 'alternatives.1.description');
  });

  it.each(['approve', 'Approved', 'proposed', 'as-proposed', 'original', 'original_action', 'default', 'AS IS'])('refuses an alternative with id %j', (id) => {
    expectInvalid(validate(CreateRequestSchema, alternatives({ id, description: 'Archive them instead' })), 'alternatives.0.id', /passes for the action as proposed/);
  });

  it.each(['The action as proposed', 'Approve as is', 'Proceed with the original plan', 'do it', 'Delete 5,000 inactive accounts', 'db.deleteUsers'])(
    'refuses an alternative described as %j',
    (description) => {
      expectInvalid(validate(CreateRequestSchema, alternatives({ id: 'alt', description })), 'alternatives.0.description', /passes for the action as proposed/);
    },
  );

  it('accepts alternatives that name another way', () => {
    for (const description of ['Archive them instead', 'Run it on staging first', 'Email the users and delete in 30 days', 'Delete only the first 500']) {
      expect(validate(CreateRequestSchema, alternatives({ id: 'alt', description })).ok, description).toBe(true);
    }
    expect(validate(CreateRequestSchema, alternatives({ id: 'approve-archive', description: 'Archive' })).ok).toBe(true);
  });

  it('refuses duplicate option ids and labels', () => {
    const question = (options: unknown) => ({ kind: 'clarification', title: 'Format?', options });
    expectInvalid(validate(CreateRequestSchema, question([{ id: 'pdf', label: 'PDF' }, { id: 'pdf', label: 'Spreadsheet' }])), 'options.1.id', /reads the same as options\.0\.id/);
    expectInvalid(validate(CreateRequestSchema, question([{ id: 'pdf', label: 'PDF' }, { id: 'pdf2', label: 'pdf' }])), 'options.1.label');
  });

  it('refuses duplicate field names and labels, and duplicate options of a select', () => {
    const form = (fields: unknown) => ({ kind: 'clarification', title: 'Server', fields });
    expectInvalid(validate(CreateRequestSchema, form([{ name: 'env', label: 'Environment', type: 'text' }, { name: 'env', label: 'Env 2', type: 'text' }])), 'fields.1.name', /reads the same as fields\.0\.name/);
    expectInvalid(validate(CreateRequestSchema, form([{ name: 'a', label: 'Region', type: 'text' }, { name: 'b', label: 'Region', type: 'text' }])), 'fields.1.label');
    expectInvalid(
      validate(CreateRequestSchema, form([{ name: 'region', label: 'Region', type: 'select', options: [{ id: 'eu', label: 'EU' }, { id: 'eu', label: 'Europe' }] }])),
      'fields.0.options.1.id',
    );
  });
});
