import { describe, expect, it } from 'vitest';
import { compileTextGlob, compileTextGlobs, normalizeCommandPattern } from './text-glob.js';

describe('text globs', () => {
  it('lets * span spaces and slashes, ? one character', () => {
    const npm = compileTextGlob('npm test*');
    expect(['npm test', 'npm test -- --run', 'npm test/x'].map(npm)).toEqual([true, true, true]);
    expect(['npm tes', 'xnpm test', 'npm  test'].map(npm)).toEqual([false, false, false]);
    expect(compileTextGlob('a?c')('abc')).toBe(true);
    expect(compileTextGlob('a?c')('ac')).toBe(false);
  });

  it('reads classes and escapes, and nothing else as special', () => {
    expect(compileTextGlob('v[0-9]')('v7')).toBe(true);
    expect(compileTextGlob('v[!0-9]')('v7')).toBe(false);
    expect(compileTextGlob('a\\*')('a*')).toBe(true);
    expect(compileTextGlob('a\\*')('ab')).toBe(false);
    expect(compileTextGlob('{a,b}|(c).+^$')('{a,b}|(c).+^$')).toBe(true);
    expect(compileTextGlob('[unclosed')('[unclosed')).toBe(true);
  });

  it('matches any glob of a list, whole text only', () => {
    const m = compileTextGlobs(['Read', 'Glob']);
    expect(['Read', 'Glob', 'ReadX', 'Grep'].map(m)).toEqual([true, true, false, false]);
  });

  it('normalizes blanks in command patterns', () => {
    expect(normalizeCommandPattern('  npm\t  test* ')).toBe('npm test*');
  });
});
