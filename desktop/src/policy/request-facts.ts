import { isAbsolute } from 'node:path';
import { canonicalJson, type Severity } from '@signoff/shared';
import { HookEvent } from '../agents/claude-code/hook-event.js';
import { targetPaths } from '../agents/claude-code/severity-rules.js';
import { MAX_SHOWN_CHARS } from '../agents/claude-code/shown-input.js';
import { analyzeCommand, type CommandAnalysis } from './command-match.js';
import { resolvePaths, type PathContext, type ResolvedPaths } from './path-match.js';
import { lexCommand, type LexedCommand } from './shell-lexer.js';

/** The request as the hub's create input gives it (`CreateRequest`, before or after defaults). */
export interface PolicyRequest {
  kind: string;
  agentId?: string | undefined;
  /** The machine another machine's agent asked from (set by the hub from its machine token); missing: this machine. */
  machine?: string | undefined;
  /** Missing: the hub's default, medium. */
  severity?: Severity | undefined;
  /** Approval requests. */
  action?: { name: string; args?: Record<string, unknown> | undefined } | undefined;
  /** External requests. */
  tool?: { name: string; args?: Record<string, unknown> | undefined } | undefined;
  /** `context.cwd` (absolute) is the project directory. */
  context?: Record<string, unknown> | undefined;
}

/** Where the hub runs. */
export interface PolicyEnv {
  /** The home directory `~` stands for. */
  home: string;
}

/** Commands up to this long have their analysis remembered. */
const REMEMBERED_CHARS = 4096;
/** How many analyses are remembered (the oldest is forgotten first). */
const REMEMBERED_ANALYSES = 512;
/**
 * Recent analyses by project directory, home and command: a pure function of the three,
 * read only by its users, and an agent runs the same commands again and again (a rule-
 * decided create then reads no shell at all; the guardrails remember their verdicts too).
 */
const rememberedAnalyses = new Map<string, CommandAnalysis>();

/**
 * What one request is, for everything in the policy that judges it: the rules
 * (`evaluate.ts`), the grants (`grant-match.ts`) and the guardrails (`guardrails.ts`).
 * Its shell command is lexed once (`reading`), read for the rules once
 * (`commandAnalysis`), its arguments serialised once (`canonicalArgs`), each only when
 * something asks; so the pieces cannot read one request differently, and a create
 * decided by a rule reads its command once, not once per piece.
 */
export class RequestFacts {
  readonly name: string | undefined;
  readonly args: Record<string, unknown>;
  /** `args.command`, if it is a string: the shell command. */
  readonly command: string | undefined;
  private readonly call: PolicyRequest['action'];
  private lexed: LexedCommand | undefined;
  private analysis: CommandAnalysis | undefined;
  private paths: ResolvedPaths | null = null;
  private argsJson: string | undefined;

  /** `context`: where the command runs; see {@link RequestFacts.of} for the hub's. */
  constructor(
    readonly request: PolicyRequest,
    readonly context: PathContext,
  ) {
    this.call = request.kind === 'external' ? request.tool : request.action;
    this.name = this.call?.name;
    const args = this.call?.args;
    this.args = args && typeof args === 'object' && !Array.isArray(args) ? args : {};
    const command = Object.hasOwn(this.args, 'command') ? this.args.command : undefined;
    this.command = typeof command === 'string' ? command : undefined;
  }

  /** The facts of a request the hub received: its project directory is `context.cwd` when absolute. */
  static of(request: PolicyRequest, env: PolicyEnv): RequestFacts {
    const cwd = request.context?.cwd;
    return new RequestFacts(request, typeof cwd === 'string' && isAbsolute(cwd) ? { cwd, home: env.home } : { home: env.home });
  }

  /** The shell reader's reading of {@link command} as a POSIX line. */
  get reading(): LexedCommand | undefined {
    if (this.command === undefined) return undefined;
    return (this.lexed ??= lexCommand(this.command));
  }

  /** {@link command} as the rules and grants read it. */
  get commandAnalysis(): CommandAnalysis | undefined {
    const command = this.command;
    if (command === undefined) return undefined;
    if (!this.analysis) {
      const key = command.length <= REMEMBERED_CHARS ? `${this.context.cwd ?? ''}\0${this.context.home}\0${command}` : undefined;
      const known = key === undefined ? undefined : rememberedAnalyses.get(key);
      if (known) return (this.analysis = known);
      this.analysis = analyzeCommand(this.reading!, this.context);
      // The Claude Code hook clips long strings: the end of the command is not known.
      if (command.length > MAX_SHOWN_CHARS) this.analysis.unsafe.push('a command too long to read whole');
      if (key !== undefined) {
        if (rememberedAnalyses.size >= REMEMBERED_ANALYSES) rememberedAnalyses.delete(rememberedAnalyses.keys().next().value!);
        rememberedAnalyses.set(key, this.analysis);
      }
    }
    return this.analysis;
  }

  /** The path-like arguments, resolved (`undefined`: too many brace alternatives to tell). */
  get pathValues(): ResolvedPaths {
    if (this.paths === null) {
      const values =
        this.name === undefined ? [] : targetPaths({ hook_event_name: HookEvent.preToolUse, tool_name: this.name, tool_input: this.args }, this.context.home || undefined);
      this.paths = resolvePaths(values, this.context);
    }
    return this.paths;
  }

  /** The action's arguments as RFC 8785 JSON (`null` when it has none), as exact grants hold them. */
  canonicalArgs(): string {
    return (this.argsJson ??= canonicalJson(this.call?.args ?? null));
  }
}
