import { z } from 'zod';
import { OnTimeout, REQUEST_STATUSES, SEVERITIES, TIMEOUT_BOUNDS } from './constants.js';
import { describesTheProposal, idNamesTheProposal, repeats } from './choice-rules.js';
import { MAX_JSON_DEPTH, nestedDeeperThan } from './json-depth.js';
import { OBJECT_INTERNAL_NAMES, RESERVED_JSON_KEY_MESSAGE, reservedKeyPath } from './json-keys.js';

/**
 * What an agent sends to create a request (`POST /requests`, `request:create`).
 * Objects are strict so a misspelt field is named in the error instead of ignored.
 */

const text = (max: number) => z.string().trim().min(1).max(max);
const id = z.string().min(1).max(200);
const depthMessage = `nested deeper than ${MAX_JSON_DEPTH} levels`;

/** Adds the depth or reserved-key issue for `value`, if any (see {@link RESERVED_JSON_KEY_MESSAGE}). */
function checkJson(value: unknown, ctx: { addIssue: (issue: { code: 'custom'; message: string; path?: PropertyKey[]; input?: unknown }) => void }): void {
  if (nestedDeeperThan(value)) {
    ctx.addIssue({ code: 'custom', message: depthMessage, input: value });
    return;
  }
  const path = reservedKeyPath(value);
  if (path) ctx.addIssue({ code: 'custom', message: RESERVED_JSON_KEY_MESSAGE, path, input: value });
}

/**
 * A record whose keys are checked on the input, before zod copies it: a record
 * parse skips `__proto__` without a word, so a refinement of its output could never
 * see one (see `json-keys.ts`). Typed as the record it parses to, for the SDK's types.
 */
export function jsonRecord<V extends z.ZodType>(values: V): z.ZodType<Record<string, z.output<V>>, Record<string, z.input<V>>> {
  return z.preprocess((input, ctx) => {
    checkJson(input, ctx);
    return input;
  }, z.record(z.string(), values)) as unknown as z.ZodType<Record<string, z.output<V>>, Record<string, z.input<V>>>;
}

/** A JSON object shown to the human as-is; refuses reserved keys at any depth, naming the path. */
export const JsonObject = jsonRecord(z.unknown());
/** Any JSON value (a tool's result), with the same depth and key rules. */
export const JsonValue = z
  .unknown()
  .refine((v) => v !== undefined, 'required')
  .superRefine((v, ctx) => checkJson(v, ctx));

const common = {
  title: text(500),
  body: z.string().max(100_000).optional(),
  context: JsonObject.optional(),
  severity: z.enum(SEVERITIES).default('medium'),
  agentId: id.optional(),
  runId: id.optional(),
  /** Asked-for deadline; the hub clamps it into {@link TIMEOUT_BOUNDS}. */
  timeoutMs: z.number().int().positive().optional(),
  onTimeout: z.enum([OnTimeout.reject, OnTimeout.approve, OnTimeout.expire]).optional(),
  idempotencyKey: id.optional(),
};

type Issues = { addIssue: (issue: { code: 'custom'; message: string; path: PropertyKey[]; input?: unknown }) => void };

/**
 * Refuses items of one list that read alike (see `choice-rules.ts`, rule 1), naming
 * the later item and the earlier one: `options.2.id: "iso" reads the same as options.0.id; …`.
 */
function distinct<T>(items: readonly T[], list: string, field: keyof T & string, ctx: Issues): void {
  for (const { index, first } of repeats(items, (item) => item[field] as string | undefined)) {
    ctx.addIssue({
      code: 'custom',
      message: `"${String(items[index]![field])}" reads the same as ${list}.${first}.${field}; each ${field} must differ so the person can tell them apart`,
      path: [index, field],
    });
  }
}

export const ActionSchema = z.strictObject({ name: text(200), args: JsonObject.optional() });
export const AlternativeSchema = z.strictObject({ id, description: text(2000), tradeoffs: z.string().max(2000).optional() });
export const OptionSchema = z.strictObject({ id, label: text(500) });
const optionList = (list: string) =>
  z
    .array(OptionSchema)
    .max(100)
    .superRefine((options, ctx) => {
      distinct(options, list, 'id', ctx);
      distinct(options, list, 'label', ctx);
    });
export const FieldSchema = z
  .strictObject({
    // The name becomes a key of the answer's `values`; see OBJECT_INTERNAL_NAMES.
    name: id.refine((name) => !OBJECT_INTERNAL_NAMES.has(name), {
      error: (issue) => `"${String(issue.input)}" is a built-in JavaScript object name, so a form field may not use it; pick another name`,
    }),
    label: text(500),
    type: z.enum(['text', 'number', 'select', 'checkbox']),
    options: optionList('options').optional(),
    required: z.boolean().optional(),
  })
  // Without options a select could never be answered.
  .refine((f) => f.type !== 'select' || (f.options?.length ?? 0) > 0, { message: 'a select field needs options', path: ['options'] });
export const DraftSchema = z
  .strictObject({
    format: z.enum(['text', 'markdown', 'json']),
    content: z.string().max(200_000),
  })
  // A JSON draft is data too: the same reserved keys are refused inside it. One that
  // does not parse stays allowed (the person may be asked to fix it).
  .superRefine((draft, ctx) => {
    const problem = draft.format === 'json' ? jsonTextProblem(draft.content) : null;
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['content'] });
  });

/**
 * What is wrong with JSON text as data, or `null`: a reserved key, named by its
 * path inside the text (`$.user.__proto__`). Text that is not JSON is not judged here.
 */
export function jsonTextProblem(content: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return null;
  }
  const path = reservedKeyPath(parsed, Number.POSITIVE_INFINITY);
  return path ? `the JSON has a key at ${['$', ...path].join('.')}: ${RESERVED_JSON_KEY_MESSAGE}` : null;
}
const lines = z.array(z.string().max(2000)).max(200);

export const ApprovalRequestSchema = z.strictObject({
  kind: z.literal('approval'),
  ...common,
  action: ActionSchema.optional(),
  reversible: z.boolean().optional(),
  consequences: lines.optional(),
  alternatives: z
    .array(AlternativeSchema)
    .max(20)
    .superRefine((alternatives, ctx) => {
      distinct(alternatives, 'alternatives', 'id', ctx);
      distinct(alternatives, 'alternatives', 'description', ctx);
      alternatives.forEach((alternative, index) => {
        if (idNamesTheProposal(alternative.id)) {
          ctx.addIssue({ code: 'custom', message: proposalMessage('id', alternative.id), path: [index, 'id'] });
        }
      });
    })
    .optional(),
})
  // Needs the title and the action, so it sits on the request (see choice-rules.ts, rule 2).
  .superRefine((request, ctx) => {
    request.alternatives?.forEach((alternative, index) => {
      if (describesTheProposal(alternative.description, { title: request.title, actionName: request.action?.name })) {
        ctx.addIssue({ code: 'custom', message: proposalMessage('description', alternative.description), path: ['alternatives', index, 'description'] });
      }
    });
  });

function proposalMessage(field: 'id' | 'description', value: string): string {
  return `"${value}" passes for the action as proposed, which the person is always offered first; an alternative must ${
    field === 'id' ? 'have an id of its own' : 'describe how it differs from the proposal'
  }`;
}

export const ClarificationRequestSchema = z
  .strictObject({
    kind: z.literal('clarification'),
    ...common,
    options: optionList('options').optional(),
    allowFreeform: z.boolean().optional(),
    fields: z
      .array(FieldSchema)
      .max(50)
      .superRefine((fields, ctx) => {
        distinct(fields, 'fields', 'name', ctx);
        distinct(fields, 'fields', 'label', ctx);
      })
      .optional(),
  })
  .refine((r) => r.options?.length || r.fields?.length || r.allowFreeform !== false, {
    message: 'a clarification needs options, fields or allowFreeform',
    path: ['options'],
  });

export const EditRequestSchema = z.strictObject({ kind: z.literal('edit'), ...common, draft: DraftSchema });

export const EscalationRequestSchema = z.strictObject({
  kind: z.literal('escalation'),
  ...common,
  reason: text(2000),
  attempted: lines.optional(),
  recommendations: lines.optional(),
});

export const CheckpointRequestSchema = z.strictObject({
  kind: z.literal('checkpoint'),
  ...common,
  phase: text(500),
  progress: z.number().min(0).max(1),
  completed: lines.optional(),
  upcoming: lines.optional(),
  issues: lines.optional(),
});

export const ExternalRequestSchema = z.strictObject({
  kind: z.literal('external'),
  ...common,
  tool: z.strictObject({ name: text(200), args: JsonObject.optional() }),
});

export const NotifyRequestSchema = z.strictObject({ kind: z.literal('notify'), ...common });

export const REQUEST_SCHEMAS = {
  approval: ApprovalRequestSchema,
  clarification: ClarificationRequestSchema,
  edit: EditRequestSchema,
  escalation: EscalationRequestSchema,
  checkpoint: CheckpointRequestSchema,
  external: ExternalRequestSchema,
  notify: NotifyRequestSchema,
} as const;

export const CreateRequestSchema = z.discriminatedUnion('kind', [
  ApprovalRequestSchema,
  ClarificationRequestSchema,
  EditRequestSchema,
  EscalationRequestSchema,
  CheckpointRequestSchema,
  ExternalRequestSchema,
  NotifyRequestSchema,
]);

/** What an agent writes (defaults optional). */
export type CreateRequestInput = z.input<typeof CreateRequestSchema>;
/** After validation (defaults filled in). */
export type CreateRequest = z.output<typeof CreateRequestSchema>;
export type RequestOfKind<K extends CreateRequest['kind']> = Extract<CreateRequest, { kind: K }>;
export type InputOfKind<K extends CreateRequest['kind']> = Omit<Extract<CreateRequestInput, { kind: K }>, 'kind'>;

export const ListRequestsQuerySchema = z.strictObject({
  status: z.enum(REQUEST_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  /** Paging: only requests older than this one (ids come from the previous page). */
  before: id.optional(),
});
export type ListRequestsQuery = z.input<typeof ListRequestsQuerySchema>;

export const IdSchema = z.strictObject({ id });
export const WatchSchema = z.strictObject({ ids: z.array(id).max(10_000) });
export { TIMEOUT_BOUNDS };
