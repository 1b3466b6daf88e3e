/**
 * The hook events `signoff hook claude-code` answers. In a file of its own, free of
 * zod, so a read let through by `--allow-read-only` never loads the schemas.
 */
export const HookEvent = { preToolUse: 'PreToolUse', permissionRequest: 'PermissionRequest' } as const;
export type HookEvent = (typeof HookEvent)[keyof typeof HookEvent];
