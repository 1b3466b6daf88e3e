import type { HookVerdict } from './hook-answer.js';
import type { HookPayload } from './hook-payload.js';
import { FILE_WRITE_TOOLS, isEditInsideProject, isHarmlessRead, NETWORK_TOOLS, READ_ONLY_TOOLS, SHELL_TOOLS, assessSeverity } from './severity-rules.js';
import { signoffPlaces, TouchReason, type SignoffPlaces } from './signoff-guard.js';

const SIGNOFF_REASONS: ReadonlySet<string> = new Set(Object.values(TouchReason));

/**
 * Claude Code's permission modes, as sent in the hook input's `permission_mode`
 * (https://code.claude.com/docs/en/permission-modes; "Hook input" in
 * https://code.claude.com/docs/en/hooks). `manual` is the CLI's alias for `default`.
 */
export const PermissionMode = {
  default: 'default',
  acceptEdits: 'acceptEdits',
  plan: 'plan',
  auto: 'auto',
  dontAsk: 'dontAsk',
  bypassPermissions: 'bypassPermissions',
} as const;
export type PermissionMode = (typeof PermissionMode)[keyof typeof PermissionMode];

/** Tools Claude uses to talk with the person or plan in plan mode: they go to a human as usual. */
const PLANNING_TOOLS: ReadonlySet<string> = new Set(['ExitPlanMode', 'AskUserQuestion', 'Agent', 'Task', 'TodoWrite']);

export interface ModeOptions {
  /** `--allow-read-only` (or its environment switch). */
  allowReadOnly: boolean;
  places?: SignoffPlaces;
}

/**
 * What to answer without asking anyone, or `undefined` to ask a person in Signoff:
 *
 * - `bypassPermissions`, `dontAsk`: nobody is asked. Claude Code's own mode decides
 *   (no decision), except that a call touching Signoff itself is denied: in a session
 *   nobody watches, an agent reaching the approver side must not go unnoticed.
 * - `plan`: read-only tools inside the project pass; file edits, shell commands, MCP
 *   and unknown tools are denied until the plan is approved; everything else
 *   (network, reads outside the project, ExitPlanMode, questions, sub-agents) is asked.
 * - `acceptEdits`: read-only tools and file edits inside the project pass (nothing
 *   sensitive: no secrets, `.git/`, `.claude/` or Signoff's files); the rest is asked.
 * - `default`, `auto` and anything newer: read-only tools inside the project pass only
 *   with `--allow-read-only`; the rest is asked.
 */
export function modeVerdict(payload: HookPayload, options: ModeOptions): HookVerdict | undefined {
  const places = options.places ?? signoffPlaces();
  const mode = payload.permission_mode;
  const tool = payload.tool_name;
  const critical = () => assessSeverity(payload, places);

  if (mode === PermissionMode.bypassPermissions || mode === PermissionMode.dontAsk) {
    const touch = critical().reasons.find((reason) => SIGNOFF_REASONS.has(reason));
    if (touch) return { decision: 'deny', reason: `Signoff denies this without asking (permission mode ${mode}, nobody to ask): it ${touch}.` };
    return { decision: 'none', reason: `Permission mode ${mode}: Claude Code decides; nobody is asked in Signoff.` };
  }

  const harmlessRead = isHarmlessRead(payload, places);
  if (mode === PermissionMode.plan) {
    if (harmlessRead) return { decision: 'allow', reason: `Read-only ${tool} inside the project; let through in plan mode by Signoff` };
    const changes = FILE_WRITE_TOOLS.has(tool) || SHELL_TOOLS.has(tool) || (!READ_ONLY_TOOLS.has(tool) && !NETWORK_TOOLS.has(tool) && !PLANNING_TOOLS.has(tool));
    if (changes) {
      return { decision: 'deny', reason: `Claude Code is in plan mode: only read-only tools run until the plan is approved. Finish the plan (ExitPlanMode) instead of running ${tool}.` };
    }
    return undefined;
  }
  if (mode === PermissionMode.acceptEdits) {
    if (harmlessRead) return { decision: 'allow', reason: `Read-only ${tool} inside the project; let through in acceptEdits mode by Signoff` };
    if (isEditInsideProject(payload, places)) return { decision: 'allow', reason: `${tool} inside the project; let through in acceptEdits mode by Signoff` };
    return undefined;
  }
  if (options.allowReadOnly && harmlessRead) {
    return { decision: 'allow', reason: `Read-only ${tool} inside the project; let through by signoff --allow-read-only` };
  }
  return undefined;
}
