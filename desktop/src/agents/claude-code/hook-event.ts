/**
 * The hook events `signoff hook claude-code` answers, and the tool it answers
 * differently. In a file of its own, free of zod, so a read let through by
 * `--allow-read-only` never loads the schemas.
 */
export const HookEvent = { preToolUse: 'PreToolUse', permissionRequest: 'PermissionRequest' } as const;
export type HookEvent = (typeof HookEvent)[keyof typeof HookEvent];

/** Claude's question tool: asked as a clarification, answered as `updatedInput.answers`. */
export const ASK_USER_QUESTION_TOOL = 'AskUserQuestion';
