import { readFileSync, statSync, unwatchFile, watch, watchFile, type FSWatcher, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { silentLogger, toError, type Logger } from '@signoff/shared';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { EMPTY_POLICY, validatePolicy, type Policy, type PolicyProblem } from './policy-schema.js';

/**
 * Reading `policy.yaml` (YAML 1.2, so JSON too): {@link parsePolicy} for text,
 * {@link loadPolicyFile} for a file, and {@link PolicySource}, which keeps the hub's
 * current policy and follows the file as people edit it. An invalid file never
 * leaves the hub without a policy: the last good one stays, and the error says why.
 */

/** The policy file's name inside the data dir. */
export const POLICY_FILE_NAME = 'policy.yaml';
/** Largest policy file read: a hand-written policy is a few KiB. */
export const MAX_POLICY_BYTES = 256 * 1024;
/** Most alias expansions in one file (the YAML library's guard against "billion laughs"). */
export const MAX_POLICY_ALIASES = 100;

export type PolicyParseResult = { ok: true; policy: Policy; warnings: string[] } | { ok: false; errors: string[] };

/** `source:line:col: ` for an offset in the text. */
function at(source: string, lines: LineCounter, offset: number | undefined): string {
  if (offset === undefined) return `${source}: `;
  const { line, col } = lines.linePos(offset);
  return `${source}:${line}:${col}: `;
}

/** The offset of the node at `path`, or of its nearest ancestor that exists (a missing field). */
function offsetOf(doc: Document, path: readonly (string | number)[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return undefined;
}

/**
 * Parses and validates policy text. Every message starts with where it is
 * (`policy.yaml:12:14: rules[2] "never force-push".when.command: expected …`).
 * `source` names the text in messages (the file's name).
 */
export function parsePolicy(text: string, source: string = POLICY_FILE_NAME): PolicyParseResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES) {
    return { ok: false, errors: [`${source}: larger than ${MAX_POLICY_BYTES / 1024} KiB; a policy is a few rules`] };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, version: '1.2' });
  if (doc.errors.length > 0) {
    return { ok: false, errors: doc.errors.map((e) => `${at(source, lines, e.pos[0])}${e.message.split('\n')[0]}`) };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_POLICY_ALIASES });
  } catch (error) {
    return { ok: false, errors: [`${source}: ${toError(error).message}`] };
  }
  const checked = validatePolicy(data);
  const locate = (p: PolicyProblem) => `${at(source, lines, offsetOf(doc, p.path))}${p.message}`;
  if (!checked.ok) return { ok: false, errors: checked.errors.map(locate) };
  return { ok: true, policy: checked.policy, warnings: checked.warnings.map(locate) };
}

/** What reading a policy file gave: a parse result, or `missing` when there is no file. */
export type PolicyFileResult = PolicyParseResult & { missing?: true };

/** Reads and parses one policy file (synchronously: it is small, and read at start-up and on change). */
export function loadPolicyFile(file: string): PolicyFileResult {
  let text: string;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) return { ok: false, errors: [`${file}: not a regular file`] };
    if (stats.size > MAX_POLICY_BYTES) return { ok: false, errors: [`${basename(file)}: larger than ${MAX_POLICY_BYTES / 1024} KiB; a policy is a few rules`] };
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, policy: EMPTY_POLICY, warnings: [], missing: true };
    return { ok: false, errors: [`${file}: ${toError(error).message}`] };
  }
  return parsePolicy(text, basename(file));
}

/** The policy the hub runs on and how it got it. */
export interface PolicyState {
  policy: Policy;
  /** The file followed. */
  file: string;
  /** Whether the file exists; without it the policy is {@link EMPTY_POLICY}. */
  present: boolean;
  /** Set while the file on disk is invalid (or unreadable): `policy` is then the last good one. */
  error: string | null;
  /** Warnings about the policy in use. */
  warnings: string[];
  /** When `policy` was loaded (the clock's milliseconds). */
  loadedAt: number;
}

export interface PolicySourceOptions {
  /** The data dir; the file is `<dataDir>/policy.yaml`. */
  dataDir: string;
  logger?: Logger;
  /** @default Date.now */
  clock?: () => number;
  /** How long to wait for a burst of file events (an editor's save) to settle. @default 100 */
  debounceMs?: number;
}

/**
 * The hub's current policy, following `<dataDir>/policy.yaml`: {@link load} reads it,
 * {@link watch} follows changes (the directory is watched, so editors that save by
 * writing a new file and renaming it over the old one are followed too), {@link close}
 * stops. A missing file is the empty policy (every request goes to a person); an
 * invalid one keeps the last good policy and sets `error`.
 */
export class PolicySource {
  readonly file: string;
  private current: PolicyState;
  private lastText: string | undefined;
  private readonly listeners = new Set<(state: PolicyState) => void>();
  private readonly logger: Logger;
  private readonly clock: () => number;
  private readonly debounceMs: number;
  private watcher: FSWatcher | undefined;
  private polling: ((now: Stats, before: Stats) => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: PolicySourceOptions) {
    this.file = join(options.dataDir, POLICY_FILE_NAME);
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? Date.now;
    this.debounceMs = options.debounceMs ?? 100;
    this.current = { policy: EMPTY_POLICY, file: this.file, present: false, error: null, warnings: [], loadedAt: this.clock() };
  }

  /** The current state (a new object after every change). */
  get state(): PolicyState {
    return this.current;
  }

  /** The policy to evaluate requests with. */
  get policy(): Policy {
    return this.current.policy;
  }

  /** Calls `listener` after every change of the state; returns the unsubscribe. */
  onChange(listener: (state: PolicyState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads the file now; returns the new state (the same object if the file did not change). */
  load(): PolicyState {
    let text: string | undefined;
    let readError: string | undefined;
    try {
      const stats = statSync(this.file);
      if (!stats.isFile()) readError = 'not a regular file';
      else if (stats.size > MAX_POLICY_BYTES) readError = `larger than ${MAX_POLICY_BYTES / 1024} KiB; a policy is a few rules`;
      else text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') readError = toError(error).message;
    }

    if (readError !== undefined) {
      // Read again in full once it is readable, even if its text turns out unchanged.
      this.lastText = undefined;
      return this.keepLastGood([`${POLICY_FILE_NAME}: ${readError}`]);
    }
    if (text === undefined) {
      if (!this.current.present && this.current.error === null && this.lastText === undefined) return this.current;
      this.lastText = undefined;
      this.logger.info(`no ${POLICY_FILE_NAME}: every request goes to a person`);
      return this.set({ policy: EMPTY_POLICY, file: this.file, present: false, error: null, warnings: [], loadedAt: this.clock() });
    }
    if (text === this.lastText) return this.current;
    this.lastText = text;
    const parsed = parsePolicy(text, POLICY_FILE_NAME);
    if (!parsed.ok) return this.keepLastGood(parsed.errors);
    for (const warning of parsed.warnings) this.logger.warn(warning);
    this.logger.info(`${POLICY_FILE_NAME} loaded: ${parsed.policy.rules.length} rule${parsed.policy.rules.length === 1 ? '' : 's'}`);
    return this.set({ policy: parsed.policy, file: this.file, present: true, error: null, warnings: parsed.warnings, loadedAt: this.clock() });
  }

  private keepLastGood(errors: string[]): PolicyState {
    const error = errors.join('\n');
    const kept = this.current.present ? `the policy loaded at ${new Date(this.current.loadedAt).toISOString()}` : 'no rules (every request goes to a person)';
    this.logger.warn(`${POLICY_FILE_NAME} is invalid; keeping ${kept}:\n${error}`);
    return this.set({ ...this.current, error });
  }

  private set(state: PolicyState): PolicyState {
    this.current = state;
    for (const listener of this.listeners) {
      try {
        listener(state);
      } catch (error) {
        this.logger.error('policy change listener failed', toError(error).message);
      }
    }
    return state;
  }

  /** Follows the file from now on (call after {@link load}). Idempotent. */
  watch(): this {
    if (this.watcher || this.polling) return this;
    const name = basename(this.file);
    try {
      this.watcher = watch(dirname(this.file), { persistent: false }, (_event, filename) => {
        // Some platforms give no name; then any change in the directory is read.
        if (filename === null || filename === name) this.schedule();
      });
      this.watcher.on('error', (error) => {
        this.logger.warn(`watching ${dirname(this.file)} failed (${error.message}); polling ${POLICY_FILE_NAME} instead`);
        this.watcher?.close();
        this.watcher = undefined;
        this.poll();
      });
    } catch (error) {
      this.logger.warn(`cannot watch ${dirname(this.file)} (${toError(error).message}); polling ${POLICY_FILE_NAME} instead`);
      this.poll();
    }
    return this;
  }

  private poll(): void {
    if (this.polling) return;
    this.polling = (now, before) => {
      if (now.mtimeMs !== before.mtimeMs || now.size !== before.size || now.ino !== before.ino) this.schedule();
    };
    watchFile(this.file, { persistent: false, interval: 1000 }, this.polling);
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.load();
    }, this.debounceMs);
    this.timer.unref();
  }

  /** Stops following the file. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.watcher?.close();
    this.watcher = undefined;
    if (this.polling) unwatchFile(this.file, this.polling);
    this.polling = undefined;
  }
}
