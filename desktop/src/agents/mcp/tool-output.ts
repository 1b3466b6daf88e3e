import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { REQUEST_STATUSES, RESPONSE_SCHEMAS, Via, type Decision, type SettledStatus } from '@signoff/shared';
import { z } from 'zod';
import { decisionText, type AskedRequest, type DecisionLike } from './decision-text.js';
import type { ToolKind } from './tool-definitions.js';

/**
 * What every Signoff MCP tool returns as `structuredContent`, described by its
 * `outputSchema`. Claude Code hands a model only the structured content when a
 * tool returns some, so the instruction the model must follow lives in it
 * (`instruction`, first), next to the decision; the text content is the same JSON.
 */

/** No answer could be had from the hub (it is not running or the connection was lost), and the client could not ask either. */
export const HUB_UNAVAILABLE = 'hub_unavailable';
/** The answer came from the MCP client asking the user itself (elicitation), because the hub was not running. */
export const VIA_ELICITATION = 'elicitation';

const OUTPUT_STATUSES = [...REQUEST_STATUSES.filter((s): s is SettledStatus => s !== 'pending'), HUB_UNAVAILABLE] as const;
const OUTPUT_VIAS = [...Object.values(Via), VIA_ELICITATION] as const;

export type ToolOutputStatus = (typeof OUTPUT_STATUSES)[number];
export type ToolOutputVia = (typeof OUTPUT_VIAS)[number];

/** The `outputSchema` of the tool creating requests of `kind`: its response schema sits under `response`. */
export function toolOutputSchema(kind: ToolKind) {
  return z.object({
    instruction: z.string().describe('What you must do now, in plain words. Follow it exactly.'),
    status: z
      .enum(OUTPUT_STATUSES)
      .describe(
        'resolved: a human answered; expired: nobody answered in time; cancelled: withdrawn before an answer; blocked: refused by a guardrail; hub_unavailable: no human could be asked.',
      ),
    response: RESPONSE_SCHEMAS[kind].nullable().describe("The human's answer, or null when there is none."),
    requestId: z.string().optional().describe("The request's id at the Signoff hub."),
    respondedBy: z.string().optional().describe('Who answered: an approver name, or timeout / agent / hub / guardrail.'),
    via: z.enum(OUTPUT_VIAS).optional().describe('Where the answer came from.'),
    respondedAt: z.number().optional().describe('When it was answered, in ms since the epoch.'),
    waitMs: z.number().optional().describe('How long the request waited, in ms.'),
    reason: z.string().optional().describe('Why the request ended without a human answer, when it did.'),
  });
}

export type ToolOutput = z.output<ReturnType<typeof toolOutputSchema>>;

/** A decision as the tool's output, its instruction first. Only the schema's fields are copied, so a field the hub adds later cannot break the schema. */
export function decisionOutput(asked: AskedRequest, decision: DecisionLike & Partial<Pick<Decision, 'requestId' | 'respondedAt' | 'waitMs'>> & { via?: ToolOutputVia }, preface?: string): ToolOutput {
  const instruction = decisionText(asked, decision);
  return {
    instruction: preface ? `${preface}\n${instruction}` : instruction,
    status: decision.status,
    response: decision.response as ToolOutput['response'],
    ...(decision.requestId ? { requestId: decision.requestId } : {}),
    respondedBy: decision.respondedBy,
    ...(decision.via ? { via: decision.via } : {}),
    ...(decision.respondedAt !== undefined ? { respondedAt: decision.respondedAt } : {}),
    ...(decision.waitMs !== undefined ? { waitMs: decision.waitMs } : {}),
    ...(decision.reason !== undefined ? { reason: decision.reason } : {}),
  };
}

/** The output when no human could be asked; `instruction` says so and how to fix it. */
export function unavailableOutput(instruction: string, problem: string): ToolOutput {
  return { instruction, status: HUB_UNAVAILABLE, response: null, reason: problem };
}

/** The output when the client cancelled the call (it will not read it, but the result must still match the schema). */
export function cancelledCallOutput(requestId: string | undefined): ToolOutput {
  return {
    instruction: 'The call was cancelled and the request withdrawn, so you do not have permission: do not proceed with this action.',
    status: 'cancelled',
    response: null,
    ...(requestId ? { requestId } : {}),
    reason: 'the MCP client cancelled the call',
  };
}

/**
 * A tool result carrying `output` both as `structuredContent` and, serialised, as
 * its text (MCP 2025-11-25, "Structured Content": a tool returning structured
 * content SHOULD also return it as JSON text, for clients that read only text).
 */
export function toolResult(output: ToolOutput): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(output) }], structuredContent: { ...output } };
}
