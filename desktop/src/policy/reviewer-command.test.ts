import { describe, expect, it } from 'vitest';
import { MAX_REVIEWER_OUTPUT, runReviewerCommand } from './reviewer-command.js';
import type { ReviewInput } from './reviewer-input.js';

const INPUT: ReviewInput = {
  id: 'r1',
  kind: 'approval',
  agent: 'coder',
  severity: 'medium',
  title: 'Run the tests',
  body: null,
  action: 'Bash',
  arguments: { command: 'npm test' },
  context: {},
};

/** A reviewer command: node running `script`, which gets the request on stdin. */
const node = (script: string, timeoutMs = 5000) => ({ command: [process.execPath, '-e', script], timeoutMs });
const readingStdin = (then: string) =>
  `let s='';process.stdin.on('data',c=>s+=c);process.stdin.on('end',()=>{const r=JSON.parse(s);${then}});`;

describe('reviewer commands', () => {
  it('reads the request on stdin and allows', async () => {
    const cmd = node(readingStdin(`process.stdout.write(JSON.stringify({decision: r.arguments.command === 'npm test' ? 'allow' : 'deny', reason: 'tests are fine for ' + r.agent}))`));
    expect(await runReviewerCommand('lint-check', cmd, INPUT)).toEqual({
      review: { reviewer: 'lint-check', verdict: 'approve', reasoning: 'tests are fine for coder' },
      decisive: true,
    });
  });

  it('denies', async () => {
    const outcome = await runReviewerCommand('strict', node(`console.log(JSON.stringify({decision:'deny',reason:'not on Fridays'}))`), INPUT);
    expect(outcome).toEqual({ review: { reviewer: 'strict', verdict: 'deny', reasoning: 'not on Fridays' }, decisive: true });
  });

  it('leaves ask to the person', async () => {
    const outcome = await runReviewerCommand('unsure', node(`console.log(JSON.stringify({decision:'ask',reason:'never seen this script'}))`), INPUT);
    expect(outcome).toEqual({ review: { reviewer: 'unsure', verdict: 'unsure', reasoning: 'never seen this script' }, decisive: false });
  });

  it.each([
    ['a crash', node(`console.error('bad config');console.log(JSON.stringify({decision:'allow'}));process.exit(3)`), 'exited with code 3: bad config'],
    ['garbage', node(`console.log('sure, go ahead')`), 'did not print JSON'],
    ['JSON without a decision', node(`console.log(JSON.stringify({decision:'yes'}))`), 'without a decision'],
    ['too much output', node(`process.stdout.write('x'.repeat(${MAX_REVIEWER_OUTPUT + 10}))`), 'more than 64 KiB'],
    ['a program that does not exist', { command: ['/nonexistent/reviewer'], timeoutMs: 5000 }, 'could not run'],
  ])('never allows on %s', async (_name, cmd, says) => {
    const outcome = await runReviewerCommand('r', cmd, INPUT);
    expect(outcome.decisive).toBe(false);
    expect(outcome.review).toMatchObject({ verdict: 'error', reasoning: expect.stringContaining(says) });
  });

  it('kills a command that hangs, with what it started', async () => {
    // The child starts a grandchild that would outlive a plain kill of its parent.
    const hang = node(`require('child_process').spawn(process.execPath,['-e','setInterval(()=>{},1000)'],{stdio:'inherit'});setInterval(()=>{},1000)`, 300);
    const started = Date.now();
    const outcome = await runReviewerCommand('slow', hang, INPUT);
    expect(outcome.review).toMatchObject({ verdict: 'error', reasoning: expect.stringContaining('did not answer within 0.3s') });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
