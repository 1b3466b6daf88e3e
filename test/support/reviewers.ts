import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Reviewers for tests through a real hub (policy `then: review`): a reviewer command as a
 * node script, and a local OpenAI-compatible chat-completions server as the judge.
 */

/** A reviewer command: allows `… allow-me`, leaves `… ask-me` to a person, denies the rest; `slowly` waits 1.5 s first. */
export const REVIEWER_SCRIPT = `let s='';process.stdin.on('data',c=>s+=c);process.stdin.on('end',()=>{
const c=JSON.parse(s).arguments.command||'';
const d=c.includes('allow-me')?'allow':c.includes('ask-me')?'ask':'deny';
const say=()=>process.stdout.write(JSON.stringify({decision:d,reason:d==='ask'?'never seen this script':'checked by the script'}));
if(c.includes('slowly'))setTimeout(say,1500);else say()});`;

/** The `policy.yaml` entry of {@link REVIEWER_SCRIPT} as a reviewer command. */
export const shellCheckReviewer = () => ({ command: [process.execPath, '-e', REVIEWER_SCRIPT], timeout: '5s' });

/** A local judge: its `policy.yaml` URL, and how to stop it. */
export interface TestJudge {
  url: string;
  close(): Promise<void>;
}

/**
 * A chat-completions judge that reads the request's title: `fail` → HTTP 500 (a failed
 * review), `deny` → a confident denial (0.97), `unsure` → an approval below the default
 * threshold (0.4, left to the person), anything else → a confident approval (0.99).
 */
export async function startJudge(): Promise<TestJudge> {
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const asked = JSON.parse(JSON.parse(raw).messages[1].content) as { title: string };
      if (asked.title.includes('fail')) return void res.writeHead(500).end('down');
      const verdict = asked.title.includes('deny')
        ? { approved: false, confidence: 0.97, reasoning: 'It drops the production database.' }
        : asked.title.includes('unsure')
          ? { approved: true, confidence: 0.4, reasoning: 'Probably routine, but the script is new.' }
          : { approved: true, confidence: 0.99, reasoning: 'A routine deploy.' };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: JSON.stringify(verdict) } }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
