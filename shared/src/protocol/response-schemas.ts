import { z } from 'zod';
import { jsonRecord, JsonObject, JsonValue } from './request-schemas.js';
import type { RequestKind } from './constants.js';
import { RememberSchema } from './policy.js';

/** What a human answers, per request kind (`POST /requests/:id/respond`, `request:respond`). */

const note = z.string().max(10_000);

export const ApprovalResponseSchema = z.strictObject({
  approved: z.boolean(),
  reason: note.optional(),
  alternativeId: z.string().min(1).max(200).optional(),
  editedArgs: JsonObject.optional(),
  /** "Always allow this": the hub remembers a grant (refused with an alternative, edited arguments or a rejection). */
  remember: RememberSchema.optional(),
});

export const ClarificationResponseSchema = z
  .strictObject({
    optionId: z.string().min(1).max(200).optional(),
    text: note.optional(),
    // jsonRecord, not z.record: a `__proto__` value would otherwise vanish unseen.
    values: jsonRecord(z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  })
  .refine((r) => r.optionId !== undefined || r.text !== undefined || r.values !== undefined, {
    message: 'an answer needs optionId, text or values',
  });

export const EditResponseSchema = z
  .strictObject({
    action: z.enum(['accept', 'edit', 'reject']),
    content: z.string().max(200_000).optional(),
    reason: note.optional(),
  })
  .refine((r) => r.action !== 'edit' || r.content !== undefined, {
    message: 'an edit needs content',
    path: ['content'],
  });

export const EscalationResponseSchema = z
  .strictObject({
    action: z.enum(['takeover', 'continue', 'abort', 'delegate']),
    guidance: note.optional(),
    targetAgentId: z.string().min(1).max(200).optional(),
  })
  .refine((r) => r.action !== 'delegate' || r.targetAgentId !== undefined, {
    message: 'delegate needs targetAgentId',
    path: ['targetAgentId'],
  });

export const CheckpointResponseSchema = z.strictObject({
  action: z.enum(['continue', 'modify', 'abort']),
  skipSteps: z.array(z.string().max(2000)).max(200).optional(),
  notes: note.optional(),
});

export const ExternalResponseSchema = z.strictObject({ result: JsonValue });

/** `notify` asks for nothing; the hub records it as already settled. */
export const NotifyResponseSchema = z.null();

export const RESPONSE_SCHEMAS = {
  approval: ApprovalResponseSchema,
  clarification: ClarificationResponseSchema,
  edit: EditResponseSchema,
  escalation: EscalationResponseSchema,
  checkpoint: CheckpointResponseSchema,
  external: ExternalResponseSchema,
  notify: NotifyResponseSchema,
} as const satisfies Record<RequestKind, z.ZodType>;

export type ResponseOfKind<K extends RequestKind> = z.output<(typeof RESPONSE_SCHEMAS)[K]>;
export type ApprovalResponse = ResponseOfKind<'approval'>;
export type ClarificationResponse = ResponseOfKind<'clarification'>;
export type EditResponse = ResponseOfKind<'edit'>;
export type EscalationResponse = ResponseOfKind<'escalation'>;
export type CheckpointResponse = ResponseOfKind<'checkpoint'>;
export type ExternalResponse = ResponseOfKind<'external'>;
export type AnyResponse = ResponseOfKind<RequestKind>;
