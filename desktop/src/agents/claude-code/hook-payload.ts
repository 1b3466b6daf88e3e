import { JsonObject } from '@signoff/shared';
import { z } from 'zod';
import { HookEvent } from './hook-event.js';

/**
 * What Claude Code writes to a command hook's stdin for the events `signoff hook
 * claude-code` answers (https://docs.claude.com/en/docs/claude-code/hooks).
 * Loose: Claude Code adds fields over time, and an unknown one must not turn a
 * sign-off into a failure.
 */

export { HookEvent } from './hook-event.js';

export const HookPayloadSchema = z.looseObject({
  hook_event_name: z.enum([HookEvent.preToolUse, HookEvent.permissionRequest]),
  tool_name: z.string().min(1).max(200),
  /**
   * Checked like any agent payload: a `__proto__` key would vanish from what the
   * person sees (a plain record drops it) while Claude Code runs the tool with it,
   * so such input is refused and the hook answers "ask".
   */
  tool_input: JsonObject.default({}),
  /** Claude Code's session; becomes the request's `runId`, so one session's asks form one run. */
  session_id: z.string().min(1).max(200).optional(),
  /** The project directory: file paths outside it raise the severity. */
  cwd: z.string().min(1).optional(),
  /** One tool call; becomes the idempotency key, so a repeated hook asks once. */
  tool_use_id: z.string().min(1).max(200).optional(),
  permission_mode: z.string().max(100).optional(),
  transcript_path: z.string().optional(),
});

export type HookPayload = z.output<typeof HookPayloadSchema>;
