import { z } from 'zod';

/**
 * The wire side of policy (issue "Ask only when it matters"): what a person asks
 * the hub to remember when approving, the grants it keeps, and how the hub reports
 * the policy file it runs on. The rules themselves live in the hub
 * (`desktop/src/policy`); agents only ever see their effect in a decision.
 */

/** How long "always allow this" lasts: an hour, until local midnight, or until revoked. */
export const GrantDuration = { hour: '1h', today: 'today', always: 'always' } as const;
export type GrantDuration = (typeof GrantDuration)[keyof typeof GrantDuration];

/** Whom a grant covers: the run the request came from, or every run of the agent. */
export const GrantScope = { run: 'run', agent: 'agent' } as const;
export type GrantScope = (typeof GrantScope)[keyof typeof GrantScope];

/**
 * `remember` in an approval's response. By default the grant matches the exact
 * action and arguments (for a shell command: the exact command); `pattern` widens a
 * shell command to a prefix the person saw and edited (`npm run test:*`), which the
 * hub checks (never a bare wildcard, never an interpreter or wrapper with one).
 */
export const RememberSchema = z.strictObject({
  for: z.enum([GrantDuration.hour, GrantDuration.today, GrantDuration.always]),
  scope: z.enum([GrantScope.run, GrantScope.agent]),
  pattern: z.string().trim().min(1).max(2000).optional(),
});
export type Remember = z.output<typeof RememberSchema>;

/** What a grant lets through. */
export type GrantMatch =
  /** This action with exactly these arguments. */
  | { type: 'exact'; action: string; args: Record<string, unknown> | null }
  /**
   * A shell command (`args.command` of this action): exactly this command (`exact`,
   * blanks aside), or one matching a prefix pattern the person widened it to.
   */
  | { type: 'command'; action: string; pattern: string; exact: boolean };

/** A remembered "always allow", as `GET /grants` and `grants:list` serve it. */
export interface Grant {
  id: string;
  /** The approver who made it. */
  createdBy: string;
  /** The request it was made from. */
  requestId: string;
  agentId: string;
  scope: GrantScope;
  /** Set for `scope: 'run'`. */
  runId: string | null;
  match: GrantMatch;
  createdAt: number;
  /** `null`: until revoked. */
  expiresAt: number | null;
  uses: number;
  lastUsedAt: number | null;
}

/** The policy file the hub runs on, for `signoff policy check` and the window's banner. */
export interface PolicyStatus {
  file: string;
  /** Whether the file exists; without it every request goes to a person (guardrails still on). */
  present: boolean;
  rules: number;
  guardrails: Record<string, boolean>;
  /** Set while the file on disk is invalid: the hub keeps the last good policy and says why here. */
  error: string | null;
  warnings: string[];
  loadedAt: number;
}

/**
 * Commands a widened grant may never cover with a wildcard: interpreters, wrappers
 * that run another command, and deleting. `python *` or `sudo *` would allow anything.
 */
export const NEVER_WIDENED_COMMANDS: ReadonlySet<string> = new Set([
  'rm', 'rmdir', 'shred', 'dd', 'mkfs', 'chmod', 'chown',
  'sh', 'bash', 'zsh', 'dash', 'fish', 'ksh', 'csh', 'tcsh', 'pwsh', 'powershell', 'cmd',
  'python', 'python3', 'node', 'deno', 'bun', 'ruby', 'perl', 'php', 'lua', 'osascript',
  'env', 'sudo', 'doas', 'su', 'xargs', 'eval', 'exec', 'source', '.', 'nohup', 'timeout', 'nice', 'time', 'command', 'builtin', 'watch', 'parallel', 'npx', 'bunx', 'pnpx',
]);

/** Characters that would make a pattern span more than one simple command, or run one. */
const SHELL_SYNTAX = /[;&|<>`$()\n{}]/;

/**
 * Why a person's widened pattern for "always allow" cannot be a grant, or `null`.
 * A pattern is the command itself, or a prefix of it that the person saw, ending in
 * one `*` (`npm run test:*`): never a bare wildcard, never a first word from
 * {@link NEVER_WIDENED_COMMANDS} with a wildcard, never shell syntax, and at least
 * the command and one more word before the `*` (`npm *` would allow `npm publish`).
 */
export function grantPatternProblem(command: string, pattern: string): string | null {
  const trimmed = pattern.trim();
  if (SHELL_SYNTAX.test(trimmed)) return 'a pattern may not contain shell operators, substitutions or escapes';
  const star = trimmed.indexOf('*');
  if (star === -1) return trimmed === command.trim() ? null : 'without a * the pattern must be the command itself';
  if (star !== trimmed.length - 1) return 'a pattern has one *, at its end';
  const prefix = trimmed.slice(0, -1);
  if (!command.trim().startsWith(prefix)) return `the pattern must start like the command it widens ("${command.trim().slice(0, 80)}")`;
  const words = prefix.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.split('/').pop() ?? '';
  if (words.length === 0) return 'a bare wildcard would allow every command';
  if (NEVER_WIDENED_COMMANDS.has(first)) return `${first} runs or deletes anything it is given: it is never widened with a wildcard`;
  if (words.length < 2) return `widen to at least "${first} <subcommand>*", not every ${first} command`;
  return null;
}
