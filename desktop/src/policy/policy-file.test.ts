import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@signoff/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPolicyFile, MAX_POLICY_BYTES, parsePolicy, PolicySource, type PolicyState } from './policy-file.js';
import { EMPTY_POLICY } from './policy-schema.js';

const example = readFileSync(new URL('./testdata/issue-example.yaml', import.meta.url), 'utf8');

describe('parsePolicy', () => {
  it('reads the issue example', () => {
    const result = parsePolicy(example);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toEqual([]);
    expect(result.policy.rules.map((r) => [r.name, r.then])).toEqual([
      ['reads in my projects', 'allow'],
      ['tests and linters', 'allow'],
      ['never force-push', 'deny'],
      ['production deploys', 'ask'],
      ['report generation', 'audit'],
    ]);
    expect(result.policy.rules[2]!.reason).toBe('Force pushes are not allowed here; open a pull request instead.');
    expect(result.policy.guardrails).toEqual({ 'code-safety': true, pii: true });
  });

  it('reads JSON, which is YAML', () => {
    const result = parsePolicy(JSON.stringify({ rules: [{ name: 'r', when: { action: 'Read' }, then: 'allow' }], guardrails: { pii: false } }));
    expect(result.ok && result.policy.guardrails).toEqual({ 'code-safety': true, pii: false });
  });

  it('gives YAML syntax errors with line and column', () => {
    const result = parsePolicy('rules:\n  - name: x\n    when: { action: [Read, Glob }\n');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]).toMatch(/^policy\.yaml:3:\d+: /);
  });

  it('refuses duplicate keys and several documents', () => {
    expect(parsePolicy('rules: []\nrules: []\n')).toEqual({ ok: false, errors: ['policy.yaml:2:1: Map keys must be unique'] });
    const several = parsePolicy('rules: []\n---\nrules: []\n');
    expect(!several.ok && several.errors[0]).toMatch(/^policy\.yaml:2:1: Source contains multiple documents/);
  });

  it('places schema errors at the offending value, naming the rule and field', () => {
    const text = 'rules:\n  - name: never force-push\n    when:\n      action: Bash\n      command: { git: push }\n    then: deny\n';
    expect(parsePolicy(text, 'my-policy.yaml')).toEqual({
      ok: false,
      errors: ['my-policy.yaml:5:16: rules[0] "never force-push".when.command: expected a string or a list of strings'],
    });
  });

  it('places an error about a missing field at its parent', () => {
    expect(parsePolicy('rules:\n  - when: { action: Read }\n    then: allow\n')).toEqual({ ok: false, errors: ['policy.yaml:2:5: rules[0].name: required'] });
  });

  it('refuses files over the size cap', () => {
    const big = `# ${'x'.repeat(MAX_POLICY_BYTES)}\nrules: []\n`;
    expect(parsePolicy(big)).toEqual({ ok: false, errors: ['policy.yaml: larger than 256 KiB; a policy is a few rules'] });
  });

  it('refuses alias bombs', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 6; i++) levels.push(`l${i}: &l${i} [${Array(9).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
    const result = parsePolicy(levels.join('\n'));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]).toMatch(/^policy\.yaml: Excessive alias count/);
  });

  it('allows a few aliases', () => {
    const text = 'x-reads: &reads [Read, Glob]\nrules:\n  - name: r\n    when: { action: *reads }\n    then: allow\n';
    // An unknown top-level key is still an error: aliases live inside rules.
    expect(parsePolicy(text).ok).toBe(false);
    const inside = 'rules:\n  - name: r\n    when: { action: &reads [Read, Glob] }\n    then: allow\n  - name: s\n    when: { action: *reads, agent: ci }\n    then: audit\n';
    const result = parsePolicy(inside);
    expect(result.ok && result.policy.rules[1]!.when.action).toEqual(['Read', 'Glob']);
  });

  it('is the empty policy for an empty file or comments only', () => {
    expect(parsePolicy('')).toEqual({ ok: true, policy: EMPTY_POLICY, warnings: [] });
    expect(parsePolicy('# nothing yet\n')).toEqual({ ok: true, policy: EMPTY_POLICY, warnings: [] });
  });
});

/** Waits for `check` to hold, polling; fails after `timeoutMs`. */
async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the policy file change');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

const ruleYaml = (name: string) => `rules:\n  - name: ${name}\n    when: { action: Read }\n    then: allow\n`;

describe('loadPolicyFile and PolicySource', () => {
  let dir: string;
  let source: PolicySource | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'signoff-policy-'));
  });
  afterEach(() => {
    source?.close();
    source = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('loadPolicyFile: a missing file is the empty policy', () => {
    expect(loadPolicyFile(join(dir, 'policy.yaml'))).toEqual({ ok: true, policy: EMPTY_POLICY, warnings: [], missing: true });
    writeFileSync(join(dir, 'policy.yaml'), 'rules: 3\n');
    expect(loadPolicyFile(join(dir, 'policy.yaml'))).toEqual({ ok: false, errors: ['policy.yaml:1:8: rules: expected a list of rules'] });
  });

  it('starts with no rules when the file is missing, and with the file when it is there', () => {
    source = new PolicySource({ dataDir: dir, clock: () => 1000 });
    expect(source.load()).toEqual({ policy: EMPTY_POLICY, file: join(dir, 'policy.yaml'), present: false, error: null, warnings: [], loadedAt: 1000 });
    writeFileSync(join(dir, 'policy.yaml'), ruleYaml('first'));
    const state = source.load();
    expect(state.present).toBe(true);
    expect(state.policy.rules.map((r) => r.name)).toEqual(['first']);
  });

  it('keeps no rules, and says why, when the first file is invalid', () => {
    writeFileSync(join(dir, 'policy.yaml'), 'rules:\n  - name: x\n    then: allow\n');
    const logger = recordingLogger();
    source = new PolicySource({ dataDir: dir, logger });
    const state = source.load();
    expect(state.policy).toBe(EMPTY_POLICY);
    expect(state.error).toBe('policy.yaml:2:5: rules[0] "x".when: would allow every request; name at least one condition');
    expect(logger.lines[0]).toMatch(/^warn policy\.yaml is invalid; keeping no rules/);
  });

  it('follows edits, keeps the last good policy on an invalid one, and follows rename-over saves and deletion', async () => {
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, ruleYaml('first'));
    let now = 1000;
    source = new PolicySource({ dataDir: dir, clock: () => now, debounceMs: 20 });
    const seen: PolicyState[] = [];
    source.onChange((state) => seen.push(state));
    source.load();
    source.watch();
    const good = source.state;
    expect(good.policy.rules[0]!.name).toBe('first');

    // Invalid: the last good policy stays, with the error.
    now = 2000;
    writeFileSync(file, 'rules:\n  - name: broken\n    when: { action: Read }\n    then: allow-ish\n');
    await until(() => source!.state.error !== null);
    expect(source.state.policy).toBe(good.policy);
    expect(source.state.loadedAt).toBe(1000);
    expect(source.state.present).toBe(true);
    expect(source.state.error).toBe('policy.yaml:4:11: rules[0] "broken".then: expected one of allow, deny, ask, review, audit');

    // Fixed: the new policy, no error.
    now = 3000;
    writeFileSync(file, ruleYaml('second'));
    await until(() => source!.state.policy.rules[0]?.name === 'second');
    expect(source.state).toMatchObject({ error: null, loadedAt: 3000, present: true });

    // Saved the way many editors do: a new file renamed over the old one.
    writeFileSync(join(dir, 'policy.yaml.tmp'), ruleYaml('third'));
    renameSync(join(dir, 'policy.yaml.tmp'), file);
    await until(() => source!.state.policy.rules[0]?.name === 'third');

    // Deleted: no rules.
    rmSync(file);
    await until(() => !source!.state.present);
    expect(source.state.policy).toBe(EMPTY_POLICY);
    expect(source.state.error).toBeNull();

    expect(seen.map((s) => [s.policy.rules[0]?.name ?? null, s.error === null])).toEqual([
      ['first', true],
      ['first', false],
      ['second', true],
      ['third', true],
      [null, true],
    ]);
  });

  it('clears a read error once the file is readable again, even with the same text', () => {
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, ruleYaml('first'));
    source = new PolicySource({ dataDir: dir });
    source.load();
    rmSync(file);
    mkdirSync(file);
    expect(source.load().error).toBe('policy.yaml: not a regular file');
    expect(source.state.policy.rules[0]!.name).toBe('first');
    rmSync(file, { recursive: true });
    writeFileSync(file, ruleYaml('first'));
    expect(source.load()).toMatchObject({ error: null, present: true });
  });

  it('keeps notifying when one listener throws', () => {
    const logger = recordingLogger();
    source = new PolicySource({ dataDir: dir, logger });
    const names: string[] = [];
    source.onChange(() => {
      throw new Error('listener bug');
    });
    const unsubscribe = source.onChange((state) => names.push(state.policy.rules[0]!.name));
    writeFileSync(join(dir, 'policy.yaml'), ruleYaml('first'));
    source.load();
    unsubscribe();
    writeFileSync(join(dir, 'policy.yaml'), ruleYaml('second'));
    source.load();
    expect(names).toEqual(['first']);
    expect(logger.lines).toContain('error policy change listener failed');
  });
});
