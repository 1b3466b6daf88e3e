import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JudgeConfig } from './policy-schema.js';
import type { ReviewInput } from './reviewer-input.js';
import { runJudge } from './reviewer-judge.js';

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

/** A chat-completions endpoint whose answer depends on the path. */
const received: { path: string; auth: string | undefined; body: { model: string; messages: { role: string; content: string }[]; response_format: unknown } }[] = [];
let server: Server;
let base: string;

const completion = (content: string) => JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content } }] });

function answer(req: IncomingMessage, res: ServerResponse, raw: string): void {
  received.push({ path: req.url!, auth: req.headers.authorization, body: JSON.parse(raw) });
  const json = (body: string): void => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  };
  switch (req.url) {
    case '/approve':
      return json(completion(JSON.stringify({ approved: true, confidence: 0.95, reasoning: 'Running the tests is harmless.' })));
    case '/deny':
      return json(completion(JSON.stringify({ approved: false, confidence: 0.9, reasoning: 'It deletes the home directory.' })));
    case '/unsure':
      return json(completion(JSON.stringify({ approved: true, confidence: 0.62, reasoning: 'Probably fine, but the script is unknown.' })));
    case '/malformed':
      return json(completion('{"approved": "yes"'));
    case '/slow':
      setTimeout(() => json(completion(JSON.stringify({ approved: true, confidence: 1, reasoning: 'late' }))), 2000).unref();
      return;
    default:
      res.writeHead(500).end('boom');
      return;
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => answer(req, res, raw));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const config = (path: string, extra: Partial<JudgeConfig> = {}): JudgeConfig => ({
  url: `${base}${path}`,
  model: 'llama3.1',
  criteria: 'Approve only what cannot lose work.',
  threshold: 0.8,
  timeoutMs: 2000,
  ...extra,
});

describe('the LLM judge', () => {
  it('sends the request as chat messages asking for a JSON object, with the key from the named variable', async () => {
    received.length = 0;
    const outcome = await runJudge(config('/approve', { apiKeyEnv: 'JUDGE_KEY' }), INPUT, undefined, { env: { JUDGE_KEY: 'sk-test' } });
    expect(outcome).toEqual({ review: { reviewer: 'judge', verdict: 'approve', confidence: 0.95, reasoning: 'Running the tests is harmless.' }, decisive: true });
    const [call] = received;
    expect(call!.auth).toBe('Bearer sk-test');
    expect(call!.body.model).toBe('llama3.1');
    expect(call!.body.response_format).toEqual({ type: 'json_object' });
    expect(call!.body.messages[0]!.content).toContain('Approve only what cannot lose work.');
    expect(JSON.parse(call!.body.messages[1]!.content)).toEqual(INPUT);
  });

  it('sends no Authorization header without apiKeyEnv, and refuses to call without the named key', async () => {
    received.length = 0;
    await runJudge(config('/approve'), INPUT);
    expect(received[0]!.auth).toBeUndefined();
    const missing = await runJudge(config('/approve', { apiKeyEnv: 'NOT_SET_ANYWHERE' }), INPUT, undefined, { env: {} });
    expect(missing).toMatchObject({ review: { verdict: 'error', reasoning: expect.stringContaining('NOT_SET_ANYWHERE') }, decisive: false });
  });

  it('is decisive on a confident denial', async () => {
    expect(await runJudge(config('/deny'), INPUT)).toEqual({
      review: { reviewer: 'judge', verdict: 'deny', confidence: 0.9, reasoning: 'It deletes the home directory.' },
      decisive: true,
    });
  });

  it('leaves a low confidence to the person, with its verdict', async () => {
    expect(await runJudge(config('/unsure'), INPUT)).toEqual({
      review: { reviewer: 'judge', verdict: 'approve', confidence: 0.62, reasoning: 'Probably fine, but the script is unknown.' },
      decisive: false,
    });
  });

  it.each([
    ['/malformed', {}, 'did not answer with'],
    ['/slow', { timeoutMs: 200 }, 'did not answer within 0.2s'],
    ['/fail', {}, 'HTTP 500'],
  ])('leaves %s to the person as an error', async (path, extra, says) => {
    const outcome = await runJudge(config(path, extra), INPUT);
    expect(outcome.decisive).toBe(false);
    expect(outcome.review).toMatchObject({ reviewer: 'judge', verdict: 'error', reasoning: expect.stringContaining(says) });
  });

  it('gives up when the hub stops', async () => {
    const stop = new AbortController();
    const pending = runJudge(config('/slow'), INPUT, stop.signal);
    stop.abort();
    expect((await pending).review).toMatchObject({ verdict: 'error', reasoning: expect.stringContaining('was stopped') });
  });
});
