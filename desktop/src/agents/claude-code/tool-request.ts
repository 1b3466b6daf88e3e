import { relative, resolve } from 'node:path';
import type { InputOfKind } from '@signoff/shared';
import type { HookPayload } from './hook-payload.js';
import { STOP_ALTERNATIVE } from './hook-answer.js';
import { clip, clippedArgs } from './shown-input.js';
import { assessSeverity, isOutside, targetPath } from './severity-rules.js';
import { SELF_APPROVAL_RISK, signoffPlaces, TouchReason, type SignoffPlaces } from './signoff-guard.js';

/**
 * Turns a Claude Code tool call into the approval request a person sees: the
 * title names the tool and what it touches (`Bash: git push --force`, `Edit: src/app.ts`,
 * `Bash · 3 lines: cd app…` when a command has more lines than the title shows),
 * the body shows the real command or change first and the model's own description
 * of it after, labelled as such; the action carries the tool input.
 */

const MAX_TITLE_CHARS = 500;

export interface HookRequestOptions {
  /** @default 'claude-code' */
  agentId?: string;
  /** The deadline asked of the hub. */
  timeoutMs?: number;
  /** Where this person's Signoff lives (for the severity rules); the environment's by default. */
  places?: SignoffPlaces;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A markdown code block whose fence is longer than any backtick run inside. */
export function codeBlock(content: string, language = ''): string {
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${clip(content)}\n${fence}`;
}

/** Removed lines as `-`, added lines as `+`: a diff a person reads at a glance. */
function diffBlock(oldText: string, newText: string): string {
  const lines = (text: string, sign: string) => (text === '' ? [] : text.split('\n').map((line) => `${sign} ${line}`));
  return codeBlock([...lines(oldText, '-'), ...lines(newText, '+')].join('\n'), 'diff');
}

/** The path as people read it: relative inside the project, absolute outside. */
function shownPath(path: string, cwd: string | undefined): string {
  if (!cwd || isOutside(path, cwd)) return path;
  return relative(cwd, resolve(cwd, path)) || path;
}

/**
 * The lines of a command as a person counts them: trailing blank lines do not
 * count, and the title quotes the first line that has something on it.
 */
function commandLines(command: string): { count: number; first: string } {
  const lines = command.replace(/\s+$/, '').split('\n');
  return { count: lines.length, first: (lines.find((line) => line.trim() !== '') ?? '').trim() };
}

/** Title summary and markdown body for the tools people meet most; anything else shows its input as JSON. */
function describeCall(payload: HookPayload): { summary: string; lines?: number; body?: string } {
  const input = payload.tool_input;
  const path = targetPath(payload);
  const where = path ? shownPath(path, payload.cwd) : undefined;
  switch (payload.tool_name) {
    case 'Bash':
    case 'PowerShell':
    case 'Monitor': {
      const command = str(input.command) ?? '';
      const description = str(input.description);
      const { count, first } = commandLines(command);
      // The command first: it is what runs. The model's description comes after, as its words.
      const quoted = description?.split('\n').map((line) => `> ${line}`).join('\n');
      const how = payload.tool_name === 'Monitor' ? 'Runs in the background; Claude is woken by each line it prints.\n\n' : '';
      const body = `${how}${codeBlock(command, payload.tool_name === 'PowerShell' ? 'powershell' : 'sh')}${quoted ? `\n\nClaude's description of this command:\n\n${quoted}` : ''}`;
      return { summary: first, lines: count, body };
    }
    case 'Edit': {
      const all = input.replace_all === true ? ' (every occurrence)' : '';
      return { summary: where ?? '(no path)', body: `Change in \`${path}\`${all}:\n\n${diffBlock(str(input.old_string) ?? '', str(input.new_string) ?? '')}` };
    }
    case 'MultiEdit': {
      const edits = Array.isArray(input.edits) ? (input.edits as Record<string, unknown>[]) : [];
      const blocks = edits.map((e, i) => `Edit ${i + 1} of ${edits.length}:\n\n${diffBlock(str(e.old_string) ?? '', str(e.new_string) ?? '')}`);
      return { summary: `${where ?? '(no path)'} (${edits.length} edits)`, body: `Changes in \`${path}\`:\n\n${blocks.join('\n\n')}` };
    }
    case 'Write': {
      const content = str(input.content) ?? '';
      const lineCount = content === '' ? 0 : content.split('\n').length;
      return { summary: where ?? '(no path)', body: `New content of \`${path}\` (${lineCount} lines):\n\n${codeBlock(content)}` };
    }
    case 'NotebookEdit': {
      const mode = str(input.edit_mode) ?? 'replace';
      const cell = str(input.cell_id);
      return {
        summary: `${where ?? '(no path)'} (${mode}${cell ? ` cell ${cell}` : ''})`,
        body: `${mode} in \`${path}\`${cell ? `, cell ${cell}` : ''}:\n\n${codeBlock(str(input.new_source) ?? '')}`,
      };
    }
    case 'WebFetch':
      return { summary: str(input.url) ?? '(no url)', ...(str(input.prompt) ? { body: `Prompt: ${str(input.prompt)}` } : {}) };
    case 'WebSearch':
      return { summary: `search the web for ${JSON.stringify(str(input.query) ?? '')}` };
    // `Agent` is the sub-agent tool (called `Task` before Claude Code 2.1).
    case 'Agent':
    case 'Task': {
      const kind = str(input.subagent_type);
      const what = str(input.description) ?? 'a task';
      const prompt = str(input.prompt);
      return {
        summary: `start ${kind ? `a ${kind} sub-agent` : 'a sub-agent'}: ${what}`,
        ...(prompt ? { body: `Instructions Claude gives the sub-agent:\n\n${codeBlock(prompt)}` } : {}),
      };
    }
    case 'ExitPlanMode': {
      const plan = str(input.plan);
      return { summary: 'approve the plan and start working', ...(plan ? { body: `Claude's plan:\n\n${clip(plan)}` } : {}) };
    }
    case 'TodoWrite': {
      const todos = Array.isArray(input.todos) ? (input.todos as Record<string, unknown>[]) : [];
      return { summary: `update its to-do list (${todos.length} items)`, body: todos.map((t) => `- [${t.status === 'completed' ? 'x' : ' '}] ${str(t.content) ?? ''}`).join('\n') };
    }
    case 'BashOutput':
    case 'TaskOutput':
      return { summary: `read the output of background task ${str(input.bash_id) ?? str(input.task_id) ?? str(input.shell_id) ?? ''}`.trim() };
    case 'KillShell':
    case 'KillBash':
    case 'TaskStop':
      return { summary: `stop background task ${str(input.shell_id) ?? str(input.task_id) ?? str(input.bash_id) ?? ''}`.trim() };
    case 'Skill':
      return { summary: `use the skill ${str(input.skill) ?? str(input.command) ?? ''}`.trim(), body: codeBlock(JSON.stringify(input, null, 2), 'json') };
    case 'SlashCommand':
      return { summary: `run the command ${str(input.command) ?? ''}`.trim() };
    case 'Glob':
      return { summary: `${str(input.pattern) ?? '(no pattern)'}${str(input.path) ? ` in ${where}` : ''}` };
    case 'Grep':
      return { summary: `${JSON.stringify(str(input.pattern) ?? '')}${where ? ` in ${where}` : ''}${str(input.glob) ? ` (${str(input.glob)})` : ''}` };
    default: {
      if (where) return { summary: where };
      const mcp = /^mcp__(.+?)__(.+)$/.exec(payload.tool_name);
      const body = codeBlock(JSON.stringify(input, null, 2), 'json');
      if (mcp) return { summary: `MCP tool ${mcp[2]} of ${mcp[1]}`, body };
      // An unknown tool: name it and its first argument, rather than a bare "use this tool".
      const firstArg = Object.entries(input).find(([, v]) => typeof v === 'string' && v.trim());
      return { summary: firstArg ? `${firstArg[0]} = ${String(firstArg[1]).split('\n')[0]}` : `call ${payload.tool_name} (no arguments)`, body };
    }
  }
}

/**
 * A paragraph for calls that touch Signoff itself, above the command: the person
 * must know this is not an ordinary critical call but one that reaches for the
 * approver's power.
 */
function signoffWarning(reasons: readonly string[]): string | undefined {
  const touches = Object.values(TouchReason).filter((reason) => reasons.includes(reason));
  if (touches.length === 0) return undefined;
  const what = touches.map((reason) => reason.slice(0, reason.indexOf(':'))).join('; it ');
  return `**Signoff rates this critical: it ${what}.** That is where the power to approve lives, and ${SELF_APPROVAL_RISK}. Approve only if you asked for exactly this.`;
}

/** The approval request for one hook call (validate it with `ApprovalRequestSchema` before sending). */
export function hookRequest(payload: HookPayload, options: HookRequestOptions = {}): InputOfKind<'approval'> & { kind: 'approval' } {
  const { severity, reasons } = assessSeverity(payload, options.places ?? signoffPlaces());
  const described = describeCall(payload);
  const summary = described.summary.trim() || '(empty)';
  const title =
    described.lines !== undefined && described.lines > 1
      ? `${payload.tool_name} · ${described.lines} lines: ${summary}…`
      : `${payload.tool_name}: ${summary}`;
  const body = [signoffWarning(reasons), described.body].filter(Boolean).join('\n\n') || undefined;
  const context: Record<string, string> = {};
  if (payload.cwd) context.cwd = payload.cwd;
  if (payload.session_id) context.session = payload.session_id;
  if (payload.permission_mode) context.permissionMode = payload.permission_mode;
  context.hookEvent = payload.hook_event_name;
  return {
    kind: 'approval',
    title: title.length > MAX_TITLE_CHARS ? `${title.slice(0, MAX_TITLE_CHARS - 1)}…` : title,
    ...(body ? { body } : {}),
    severity,
    agentId: options.agentId ?? 'claude-code',
    ...(payload.session_id ? { runId: payload.session_id } : {}),
    ...(payload.tool_use_id ? { idempotencyKey: payload.tool_use_id } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    context,
    action: { name: payload.tool_name, args: clippedArgs(payload.tool_input) as Record<string, unknown> },
    ...(reasons.length ? { consequences: reasons.map((r) => r[0]!.toUpperCase() + r.slice(1)) } : {}),
    // Lets the person stop Claude altogether (PermissionRequest `interrupt`, PreToolUse `continue: false`).
    alternatives: [{ ...STOP_ALTERNATIVE }],
  };
}
