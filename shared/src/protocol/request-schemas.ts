import { z } from 'zod';
import { OnTimeout, REQUEST_STATUSES, SEVERITIES, TIMEOUT_BOUNDS } from './constants.js';
import { MAX_JSON_DEPTH, nestedDeeperThan } from './json-depth.js';

/**
 * What an agent sends to create a request (`POST /requests`, `request:create`).
 * Objects are strict so a misspelt field is named in the error instead of ignored.
 */

const text = (max: number) => z.string().trim().min(1).max(max);
const id = z.string().min(1).max(200);
const depthMessage = `nested deeper than ${MAX_JSON_DEPTH} levels`;
/** A JSON object shown to the human as-is. */
export const JsonObject = z.record(z.string(), z.unknown()).refine((v) => !nestedDeeperThan(v), depthMessage);
/** Any JSON value (a tool's result). */
export const JsonValue = z.unknown().refine((v) => v !== undefined, 'required').refine((v) => !nestedDeeperThan(v), depthMessage);

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

export const ActionSchema = z.strictObject({ name: text(200), args: JsonObject.optional() });
export const AlternativeSchema = z.strictObject({ id, description: text(2000), tradeoffs: z.string().max(2000).optional() });
export const OptionSchema = z.strictObject({ id, label: text(500) });
export const FieldSchema = z
  .strictObject({
    name: id,
    label: text(500),
    type: z.enum(['text', 'number', 'select', 'checkbox']),
    options: z.array(OptionSchema).max(100).optional(),
    required: z.boolean().optional(),
  })
  // Without options a select could never be answered.
  .refine((f) => f.type !== 'select' || (f.options?.length ?? 0) > 0, { message: 'a select field needs options', path: ['options'] });
export const DraftSchema = z.strictObject({
  format: z.enum(['text', 'markdown', 'json']),
  content: z.string().max(200_000),
});
const lines = z.array(z.string().max(2000)).max(200);

export const ApprovalRequestSchema = z.strictObject({
  kind: z.literal('approval'),
  ...common,
  action: ActionSchema.optional(),
  reversible: z.boolean().optional(),
  consequences: lines.optional(),
  alternatives: z.array(AlternativeSchema).max(20).optional(),
});

export const ClarificationRequestSchema = z
  .strictObject({
    kind: z.literal('clarification'),
    ...common,
    options: z.array(OptionSchema).max(100).optional(),
    allowFreeform: z.boolean().optional(),
    fields: z.array(FieldSchema).max(50).optional(),
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
