import { isAbsolute, posix } from 'node:path';
import picomatch from 'picomatch';

/**
 * gitignore-style path globs (picomatch): `~/code/**` is everything under `~/code`
 * (and `~/code` itself); a pattern without a slash (`*.pem`, `.env`) matches that
 * name at any depth; a pattern with a slash that starts with neither `/` nor `~`
 * (`src/**`) is relative to the project (the request's `cwd`); a trailing `/` means
 * the directory and everything in it; `!pattern` in a list excludes what an earlier
 * pattern included (the last pattern that matches a path decides). `*` matches dot
 * files too. Paths are POSIX paths.
 *
 * Values are resolved before matching: relative ones against `cwd`, `~/…` against the
 * home directory, `..` normalized away, so `~/code/../.ssh/id_rsa` is `~/.ssh/id_rsa`
 * and does not match `~/code/**`.
 */

/** Where relative paths and `~` point. */
export interface PathContext {
  /** The project directory (absolute), if the request named one. */
  cwd?: string;
  home: string;
}

const Where = { absolute: 'absolute', anyDepth: 'anyDepth', project: 'project' } as const;
type Where = (typeof Where)[keyof typeof Where];

interface CompiledPathGlob {
  negated: boolean;
  where: Where;
  test: (path: string) => boolean;
  /** For `dir/**`: `dir` (absolute or project-relative), which contains every path the glob matches. */
  subtree?: string;
}

const GLOB_CHARS = /[*?[\]{}()!+@]/;

function compileOne(source: string, home: string): CompiledPathGlob | null {
  let pattern = source.trim();
  const negated = pattern.startsWith('!');
  if (negated) pattern = pattern.slice(1);
  if (pattern.endsWith('/') && pattern.length > 1) pattern = `${pattern.slice(0, -1)}/**`;
  if (pattern === '~' || pattern.startsWith('~/')) {
    // Without a home directory `~` means nothing; the pattern matches nothing.
    if (!home) return null;
    pattern = posix.join(home, pattern.slice(1));
  }
  let where: Where;
  if (pattern.startsWith('/')) where = Where.absolute;
  else if (pattern.startsWith('**/') || !pattern.includes('/')) where = Where.anyDepth;
  else where = Where.project;
  if (where === Where.anyDepth && !pattern.startsWith('**/')) pattern = `**/${pattern}`;
  if (where !== Where.anyDepth) pattern = posix.normalize(pattern);
  if (where === Where.project && pattern.startsWith('./')) pattern = pattern.slice(2);
  // The bare regular expression: picomatch's matcher function does more work per call than needed here.
  const re = picomatch.makeRe(pattern, { dot: true });
  const test = (path: string) => re.test(path);
  const base = pattern.endsWith('/**') ? pattern.slice(0, -3) : undefined;
  const subtree = base !== undefined && !GLOB_CHARS.test(base) && base !== '' ? base : undefined;
  return { negated, where, test, ...(subtree !== undefined ? { subtree } : {}) };
}

/** A path as resolved for matching: absolute when it could be placed, else relative as written. */
export interface ResolvedPath {
  absolute?: string;
  /** Relative to `cwd` when inside it (`''` for `cwd` itself). */
  inProject?: string;
  /** A relative path without a `cwd` to place it. */
  relative?: string;
  /** It is itself a glob (Glob's `pattern`, Grep's `glob`). */
  glob: boolean;
}

/** `undefined`: the path cannot be told (`~user/…`, `~` without a home). */
function resolvePath(value: string, context: PathContext): ResolvedPath | undefined {
  const resolved = placePath(value, context);
  if (resolved?.absolute !== undefined && context.cwd) {
    const rel = inside(resolved.absolute, context.cwd);
    if (rel !== undefined) resolved.inProject = rel;
  }
  return resolved;
}

function placePath(value: string, context: PathContext): ResolvedPath | undefined {
  if (value.startsWith('~')) {
    if (!(value === '~' || value.startsWith('~/')) || !context.home) return undefined;
    value = posix.join(context.home, value.slice(1));
  }
  const glob = /[*?[]/.test(value);
  if (value.startsWith('/')) return { absolute: posix.resolve(value), glob };
  if (context.cwd) return { absolute: posix.resolve(context.cwd, value), glob };
  return { relative: posix.normalize(value), glob };
}

/** `path` relative to `dir` when inside it (`''` for `dir` itself), else `undefined`. */
function inside(path: string, dir: string): string | undefined {
  const rel = posix.relative(dir, path);
  if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) return undefined;
  return rel;
}

/** The directories of `path` before its first segment with a glob character. */
function literalPrefix(path: string): string {
  const segments = path.split('/');
  const first = segments.findIndex((segment) => /[*?[]/.test(segment));
  return first === -1 ? path : segments.slice(0, first).join('/') || '/';
}

/** A compiled list of path globs; see the module comment. */
export class PathPatterns {
  private readonly globs: CompiledPathGlob[];
  private readonly anyNegated: boolean;

  constructor(patterns: readonly string[], home: string) {
    this.globs = patterns.map((p) => compileOne(p, home)).filter((g): g is CompiledPathGlob => g !== null);
    this.anyNegated = this.globs.some((g) => g.negated);
  }

  private testOne(glob: CompiledPathGlob, path: ResolvedPath): boolean {
    if (path.absolute !== undefined) {
      if (glob.where !== Where.project) return glob.test(path.absolute);
      return path.inProject !== undefined && path.inProject !== '' && glob.test(path.inProject);
    }
    // Unplaced relative paths can only meet "any depth" globs (`**/.env` holds for `config/.env`).
    return glob.where === Where.anyDepth && path.relative !== undefined && glob.test(path.relative);
  }

  /** Whether the last glob matching `path` includes it. */
  private matches(path: ResolvedPath): boolean {
    let result = false;
    for (const glob of this.globs) if (this.testOne(glob, path)) result = !glob.negated;
    return result;
  }

  /**
   * Whether a glob value (`~/code/app/src/**` from a Glob call) stays inside a
   * `dir/**` pattern: everything it can expand to lies under its literal prefix.
   */
  private containsGlob(path: ResolvedPath, context: PathContext): boolean {
    if (this.anyNegated || path.absolute === undefined) return false;
    const prefix = literalPrefix(path.absolute);
    return this.globs.some((glob) => {
      if (glob.subtree === undefined) return false;
      if (glob.where === Where.absolute) return inside(prefix, glob.subtree) !== undefined;
      if (glob.where !== Where.project || !context.cwd) return false;
      return inside(prefix, posix.join(context.cwd, glob.subtree)) !== undefined;
    });
  }

  /**
   * For allow and audit rules: every path is resolved and matched (a glob value only
   * inside a `dir/**` pattern). No paths, or one that cannot be told: false.
   */
  coversAll(paths: ResolvedPaths, context: PathContext): boolean {
    if (paths === undefined || paths.length === 0) return false;
    return paths.every((path) => {
      if (path === undefined || path.absolute === undefined) return false;
      return path.glob ? this.containsGlob(path, context) : this.matches(path);
    });
  }

  /**
   * For deny and ask rules: some path matches (a glob value compared as text). A path
   * that cannot be told (`undefined` list, `~user/…`) counts as a match: safety first.
   */
  hitsAny(paths: ResolvedPaths): boolean {
    if (paths === undefined) return true;
    return paths.some((path) => path === undefined || this.matches(path));
  }
}

/**
 * Path-like argument values resolved once per request for every rule: `undefined` for
 * the list when it cannot be told (too many brace alternatives), an `undefined` entry
 * for one path that cannot be (`~user/…`).
 */
export type ResolvedPaths = readonly (ResolvedPath | undefined)[] | undefined;

/** Resolves the values for {@link PathPatterns.coversAll} and {@link PathPatterns.hitsAny}. */
export function resolvePaths(values: readonly string[] | undefined, context: PathContext): ResolvedPaths {
  return values?.map((value) => resolvePath(value, context));
}
