import type { PolicyStatus } from '@signoff/shared';
import { parseHTML } from 'linkedom';
import { h, render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { PolicyBanner, policyBannerLines } from './policy-banner.js';

const status = (fields: Partial<PolicyStatus> = {}): PolicyStatus => ({
  file: '/home/ada/.signoff/policy.yaml',
  present: true,
  rules: 3,
  guardrails: { 'code-safety': true, pii: true },
  error: null,
  warnings: [],
  loadedAt: 1,
  ...fields,
});

const globals = globalThis as { document?: unknown };
afterEach(() => {
  delete globals.document;
});

describe('policyBannerLines', () => {
  it('says nothing when the policy is valid with every guardrail on, or not known yet', () => {
    expect(policyBannerLines(status())).toEqual([]);
    expect(policyBannerLines(null)).toEqual([]);
  });

  it('says the file is invalid and that the last good policy stands, with its rule count', () => {
    expect(policyBannerLines(status({ error: 'line 4, column 3: bad indentation', rules: 1 }))).toEqual([
      { tone: 'error', text: 'policy.yaml is invalid: line 4, column 3: bad indentation. The hub keeps the last good policy (1 rule).' },
    ]);
  });

  it('names every guardrail turned off', () => {
    expect(policyBannerLines(status({ guardrails: { 'code-safety': false, pii: false } }))).toEqual([
      { tone: 'warn', text: 'Guardrail code-safety is off in policy.yaml.' },
      { tone: 'warn', text: 'Guardrail pii is off in policy.yaml.' },
    ]);
  });
});

describe('PolicyBanner', () => {
  it('renders the error as an alert and a guardrail off as a status, as text', () => {
    const { document } = parseHTML('<!doctype html><html><body><div id="root"></div></body></html>');
    globals.document = document;
    const root = document.getElementById('root') as unknown as HTMLElement;
    render(h(PolicyBanner, { status: status({ error: 'rules[0].name: <b>required</b>', guardrails: { 'code-safety': false, pii: true } }) }), root);
    expect(root.querySelector('[role="alert"]')?.textContent).toBe('policy.yaml is invalid: rules[0].name: <b>required</b>. The hub keeps the last good policy (3 rules).');
    expect(root.querySelector('b')).toBeNull();
    expect(root.querySelector('[role="status"]')?.textContent).toBe('Guardrail code-safety is off in policy.yaml.');
  });
});
