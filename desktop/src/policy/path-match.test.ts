import { describe, expect, it } from 'vitest';
import { PathPatterns as Compiled, resolvePaths, type PathContext } from './path-match.js';

/** The patterns, taking raw values the way the evaluator hands them over after {@link resolvePaths}. */
class PathPatterns {
  private readonly compiled: Compiled;
  constructor(patterns: string[], home: string) {
    this.compiled = new Compiled(patterns, home);
  }
  coversAll(values: string[] | undefined, context: PathContext): boolean {
    return this.compiled.coversAll(resolvePaths(values, context), context);
  }
  hitsAny(values: string[] | undefined, context: PathContext): boolean {
    return this.compiled.hitsAny(resolvePaths(values, context));
  }
}

const home = '/home/me';
const project: PathContext = { cwd: '/home/me/code/app', home };
const noProject: PathContext = { home };

describe('path globs', () => {
  const code = new PathPatterns(['~/code/**'], home);

  it('expands ~ and matches everything under a directory, the directory included', () => {
    expect(code.coversAll(['/home/me/code'], project)).toBe(true);
    expect(code.coversAll(['/home/me/code/app/src/a.ts'], project)).toBe(true);
    expect(code.coversAll(['~/code/app/.env'], project)).toBe(true);
    expect(code.coversAll(['/home/me/codex/a.ts'], project)).toBe(false);
  });

  it('resolves relative paths against cwd and normalizes .. away', () => {
    expect(code.coversAll(['src/a.ts'], project)).toBe(true);
    expect(code.coversAll(['~/code/../.ssh/id_rsa'], project)).toBe(false);
    expect(code.coversAll(['../../.ssh/id_rsa'], project)).toBe(false);
    expect(code.coversAll(['/home/me/code/app/../../.ssh/id_rsa'], project)).toBe(false);
  });

  it('needs every path to match for allow and audit, and at least one path', () => {
    expect(code.coversAll(['src/a.ts', '/etc/passwd'], project)).toBe(false);
    expect(code.coversAll([], project)).toBe(false);
    expect(code.coversAll(undefined, project)).toBe(false);
  });

  it('needs one path to match for deny and ask, and counts paths it cannot tell', () => {
    const env = new PathPatterns(['.env', '*.pem'], home);
    expect(env.hitsAny(['src/a.ts', 'config/.env'], project)).toBe(true);
    expect(env.hitsAny(['/etc/ssl/key.pem'], project)).toBe(true);
    expect(env.hitsAny(['src/a.ts'], project)).toBe(false);
    expect(env.hitsAny(undefined, project)).toBe(true);
    expect(env.hitsAny(['~other/x'], project)).toBe(true);
  });

  it('cannot place a relative path without cwd: no allow, deny only by name', () => {
    expect(code.coversAll(['src/a.ts'], noProject)).toBe(false);
    expect(new PathPatterns(['.env'], home).hitsAny(['config/.env'], noProject)).toBe(true);
  });

  it('reads patterns with a slash as relative to the project, and a trailing slash as a directory', () => {
    const src = new PathPatterns(['src/**'], home);
    expect(src.coversAll(['src/a.ts', '/home/me/code/app/src/b/c.ts'], project)).toBe(true);
    expect(src.coversAll(['lib/a.ts'], project)).toBe(false);
    expect(src.coversAll(['/elsewhere/src/a.ts'], project)).toBe(false);
    const dir = new PathPatterns(['/var/data/'], home);
    expect(dir.coversAll(['/var/data', '/var/data/x/y'], project)).toBe(true);
  });

  it('lets a later !pattern exclude what an earlier one included', () => {
    const some = new PathPatterns(['~/code/**', '!**/.env', '!~/code/secret/**'], home);
    expect(some.coversAll(['src/a.ts'], project)).toBe(true);
    expect(some.coversAll(['.env'], project)).toBe(false);
    expect(some.coversAll(['/home/me/code/secret/x'], project)).toBe(false);
  });

  it('allows a glob value only inside a dir/** pattern', () => {
    expect(code.coversAll(['/home/me/code/app/src/**/*.ts'], project)).toBe(true);
    expect(code.coversAll(['**/*.ts'], project)).toBe(true);
    expect(code.coversAll(['../../*'], project)).toBe(false);
    expect(new PathPatterns(['~/code/*.md'], home).coversAll(['/home/me/code/*'], project)).toBe(false);
  });

  it('matches nothing with ~ when there is no home directory', () => {
    expect(new PathPatterns(['~/code/**'], '').coversAll(['/code/x'], { cwd: '/code' , home: '' })).toBe(false);
  });
});
