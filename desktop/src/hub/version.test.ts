import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HUB_VERSION } from './version.js';

describe('HUB_VERSION', () => {
  it('matches desktop/package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
    expect(pkg.name).toBe('@signoff/desktop');
    expect(HUB_VERSION).toBe(pkg.version);
  });
});
