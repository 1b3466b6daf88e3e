import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HubOptions } from '@signoff/desktop/hub';
import type { Logger } from '@signoff/shared';
import { FakeClock, startTestHub, type TestHub } from '../support/hub.js';
import { bashRequest, POLICY_HOME } from '../support/requests.js';
import { RestClient } from '../support/rest-client.js';
import { shellCheckReviewer, startJudge, type TestJudge } from '../support/reviewers.js';
import { RecordedSocket } from '../support/socket-client.js';

/**
 * A reviewer command that holds: it writes its pid to `<dir>/<request id>.pid`, then
 * allows once `<dir>/go` exists — so a test knows when it runs and says when it answers.
 */
const HELD_SCRIPT = `const fs=require('fs'),dir=process.argv[1];let s='';process.stdin.on('data',c=>s+=c);process.stdin.on('end',()=>{
fs.writeFileSync(dir+'/'+JSON.parse(s).id+'.pid',String(process.pid));
const t=setInterval(()=>{if(fs.existsSync(dir+'/go')){clearInterval(t);process.stdout.write(JSON.stringify({decision:'allow',reason:'held, then allowed'}))}},20)});`;

/** Resolves once `check` holds (the test's own timeout bounds the wait). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The local chat-completions judge (see `startJudge`). */
let judge: TestJudge;
beforeAll(async () => {
  judge = await startJudge();
});
afterAll(() => judge.close());

describe('reviewers in the hub', () => {
  let t: TestHub | undefined;
  const sockets: RecordedSocket[] = [];

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await t?.dispose();
    t = undefined;
  });

  const start = async (options: Partial<HubOptions> = {}) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signoff-reviewers-'));
    const heldDir = mkdtempSync(join(tmpdir(), 'signoff-held-'));
    const policy = {
      judge: { url: judge.url, model: 'test-model', criteria: 'Approve routine deploys.', timeout: '5s' },
      reviewers: {
        'shell-check': shellCheckReviewer(),
        held: { command: [process.execPath, '-e', HELD_SCRIPT, heldDir], timeout: '5m' },
      },
      rules: [
        { name: 'shell by script', when: { action: 'Bash' }, then: 'review', reviewer: 'shell-check' },
        { name: 'deploys by judge', when: { action: 'deploy' }, then: 'review', reviewer: 'judge' },
        { name: 'held by held', when: { action: 'held' }, then: 'review', reviewer: 'held' },
      ],
    };
    writeFileSync(join(dataDir, 'policy.yaml'), JSON.stringify(policy, null, 2));
    t = await startTestHub({ dataDir, home: POLICY_HOME, ...options });
    const approverToken = await t.pairApprover('Ada');
    const watcher = await RecordedSocket.connect(t.url, '/approver', approverToken);
    sockets.push(watcher);
    return { agent: new RestClient(t.url, t.agentToken), approver: new RestClient(t.url, approverToken), watcher, heldDir };
  };
  /** A request for the `held` reviewer. */
  const held = (agentId: string, more: Record<string, unknown> = {}) => ({ kind: 'approval', agentId, title: 'Held', severity: 'high', action: { name: 'held', args: {} }, ...more });
  /** The pid of the held reviewer of request `id`, once it runs. */
  const heldPid = async (heldDir: string, id: string) => {
    const file = join(heldDir, `${id}.pid`);
    await until(() => existsSync(file) && readFileSync(file, 'utf8') !== '');
    return Number(readFileSync(file, 'utf8'));
  };
  const withReview = (id: string) => (r: unknown) => (r as { id: string }).id === id && (r as { review?: unknown }).review !== undefined;
  /** The request once settled, by the agent's long-poll. */
  const settledAs = async (agent: RestClient, id: string) => (await agent.get(`/requests/${id}?wait=10`)).body;
  const deploy = (title: string, severity = 'high') => ({ kind: 'approval', agentId: 'ops-bot', title, severity, action: { name: 'deploy', args: { env: 'prod' } } });

  it('lets a reviewer command allow: the agent is told via reviewer, after a pending ack', async () => {
    const { agent } = await start();
    const created = await agent.post('/requests', bashRequest('./build.sh allow-me'));
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('pending');
    expect(await settledAs(agent, created.body.id)).toMatchObject({
      status: 'resolved',
      decision: { via: 'reviewer', respondedBy: 'reviewer:shell-check', response: { approved: true }, reason: 'checked by the script' },
    });
  });

  it('still runs the guardrails after a reviewer allowed', async () => {
    const { agent } = await start();
    const created = await agent.post('/requests', bashRequest('rm -rf / allow-me'));
    expect(await settledAs(agent, created.body.id)).toMatchObject({ status: 'blocked', decision: { via: 'reviewer', guardrail: { id: 'code-safety' } } });
  });

  it('leaves ask to the person, who sees the review, also after a restart; the agent does not', async () => {
    const { agent, approver, watcher } = await start();
    const created = await agent.post('/requests', bashRequest('./migrate.sh ask-me'));
    const pushed = await watcher.waitFor('request:new', (r) => (r as { id: string; review?: unknown }).id === created.body.id && (r as { review?: unknown }).review !== undefined);
    expect(pushed).toMatchObject({ status: 'pending', review: { reviewer: 'shell-check', verdict: 'unsure', reasoning: 'never seen this script' } });
    expect((await approver.get(`/requests/${created.body.id}`)).body.review).toEqual({ reviewer: 'shell-check', verdict: 'unsure', reasoning: 'never seen this script' });
    expect((await agent.get(`/requests/${created.body.id}`)).body.review).toBeUndefined();
    // Kept in the data file: a restarted hub still shows it to the person.
    await t!.stop();
    t = await startTestHub({ dataDir: t!.dataDir, home: POLICY_HOME });
    const again = new RestClient(t.url, approver.token);
    expect((await again.get(`/requests/${created.body.id}`)).body.review).toMatchObject({ reviewer: 'shell-check', verdict: 'unsure' });
    expect((await again.get('/requests?status=pending')).body.requests[0].review).toMatchObject({ reviewer: 'shell-check' });
    const reconnected = await RecordedSocket.connect(t.url, '/approver', approver.token);
    sockets.push(reconnected);
    const snapshot = (await reconnected.waitFor('snapshot')) as { requests: { review?: unknown }[] };
    expect(snapshot.requests[0]!.review).toMatchObject({ reviewer: 'shell-check', verdict: 'unsure' });
    const answered = await again.post(`/requests/${created.body.id}/respond`, { approved: true });
    expect(answered.body).toMatchObject({ status: 'resolved', respondedBy: 'Ada' });
  });

  it('lets a confident judge deny', async () => {
    const { agent } = await start();
    const created = await agent.post('/requests', deploy('deploy and deny'));
    expect(await settledAs(agent, created.body.id)).toMatchObject({
      status: 'resolved',
      decision: { via: 'judge', respondedBy: 'judge', confidence: 0.97, response: { approved: false, reason: 'It drops the production database.' } },
    });
  });

  it('never lets the judge approve a critical request: the person decides, seeing its verdict', async () => {
    const { agent, watcher } = await start();
    const routine = await agent.post('/requests', deploy('routine deploy'));
    expect((await settledAs(agent, routine.body.id)).decision).toMatchObject({ via: 'judge', response: { approved: true } });
    const critical = await agent.post('/requests', deploy('routine deploy', 'critical'));
    const pushed = await watcher.waitFor('request:new', (r) => (r as { id: string; review?: unknown }).id === critical.body.id && (r as { review?: unknown }).review !== undefined);
    expect(pushed).toMatchObject({ status: 'pending', review: { reviewer: 'judge', verdict: 'approve', confidence: 0.99 } });
    expect((await agent.get(`/requests/${critical.body.id}`)).body.status).toBe('pending');
  });

  it('keeps the first decision: a person who answers before the reviewer wins', async () => {
    const { agent, approver } = await start();
    const created = await agent.post('/requests', bashRequest('./build.sh allow-me slowly'));
    const answered = await approver.post(`/requests/${created.body.id}/respond`, { approved: false, reason: 'not today' });
    expect(answered.body).toMatchObject({ status: 'resolved', respondedBy: 'Ada' });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await agent.get(`/requests/${created.body.id}`)).body.decision).toMatchObject({ via: 'rest', respondedBy: 'Ada', response: { approved: false } });
  });

  it('sends the next request to the person after three judge denials in a row for one agent and action', async () => {
    const { agent, watcher } = await start();
    for (let i = 0; i < 3; i++) {
      const denied = await agent.post('/requests', deploy(`deny ${i}`));
      expect((await settledAs(agent, denied.body.id)).decision).toMatchObject({ via: 'judge', response: { approved: false } });
    }
    const fourth = await agent.post('/requests', deploy('deny 3'));
    const pushed = await watcher.waitFor('request:new', (r) => (r as { id: string; review?: unknown }).id === fourth.body.id && (r as { review?: unknown }).review !== undefined);
    expect(pushed).toMatchObject({ status: 'pending', review: { reviewer: 'judge', verdict: 'deny' } });
    // The streak starts again: the judge decides the next one.
    const fifth = await agent.post('/requests', deploy('deny 4'));
    expect((await settledAs(agent, fifth.body.id)).decision).toMatchObject({ via: 'judge' });
  });

  it('runs at most reviewsRunning reviews at once and reviewsRunningPerAgentId per agent; past them the person decides, told why', async () => {
    const { agent, approver, watcher, heldDir } = await start({ limits: { reviewsRunning: 3, reviewsRunningPerAgentId: 2 } });
    const create = async (agentId: string) => (await agent.post('/requests', held(agentId))).body.id as string;
    const a1 = await create('a');
    const a2 = await create('a');
    const a3 = await create('a'); // a's two places are taken
    const b1 = await create('b');
    const c1 = await create('c'); // the hub's three places are taken
    expect(t!.hub.lifecycle.reviewsRunning).toBe(3);
    for (const id of [a3, c1]) {
      expect(await watcher.waitFor('request:new', withReview(id))).toMatchObject({
        status: 'pending',
        review: { reviewer: 'held', verdict: 'error', reasoning: 'Not reviewed: too many reviews running. Decide it yourself.' },
      });
    }
    // A request cancelled by its agent or answered by the person stops its reviewer: the process is killed, its place freed.
    const pids = [await heldPid(heldDir, a1), await heldPid(heldDir, a2)];
    expect((await agent.delete(`/requests/${a1}`)).body).toMatchObject({ status: 'cancelled' });
    expect((await approver.post(`/requests/${a2}/respond`, { approved: false })).body).toMatchObject({ status: 'resolved', respondedBy: 'Ada' });
    await until(() => !pids.some(alive));
    await until(() => t!.hub.lifecycle.reviewsRunning === 1);
    const a4 = await create('a');
    expect(t!.hub.lifecycle.reviewsRunning).toBe(2);
    // The reviewers that still run decide their requests; the ones never reviewed wait for the person.
    writeFileSync(join(heldDir, 'go'), '');
    for (const id of [b1, a4]) expect(await settledAs(agent, id)).toMatchObject({ status: 'resolved', decision: { via: 'reviewer', respondedBy: 'reviewer:held' } });
    for (const id of [a3, c1]) expect((await agent.get(`/requests/${id}`)).body.status).toBe('pending');
    expect((await agent.get(`/requests/${a2}`)).body.decision).toMatchObject({ respondedBy: 'Ada', response: { approved: false } });
    expect(t!.hub.lifecycle.reviewsRunning).toBe(0);
  });

  it('lets the deadline on the hub clock decide first: a verdict arriving after it does not settle the request', async () => {
    const clock = new FakeClock();
    const { agent, heldDir } = await start({ clock });
    const id = (await agent.post('/requests', held('a', { timeoutMs: 60_000 }))).body.id as string;
    await heldPid(heldDir, id);
    // The hub's clock passes the deadline before its timer ran (a busy hub); then the reviewer allows.
    clock.current += 60_000;
    writeFileSync(join(heldDir, 'go'), '');
    expect(await settledAs(agent, id)).toMatchObject({ status: 'expired', decision: { via: 'timeout', respondedBy: 'timeout' } });
  });

  it('stops the review of a request whose deadline passed', async () => {
    const clock = new FakeClock();
    const { agent, heldDir } = await start({ clock });
    const id = (await agent.post('/requests', held('a', { timeoutMs: 60_000 }))).body.id as string;
    const pid = await heldPid(heldDir, id);
    clock.advance(60_000);
    expect((await agent.get(`/requests/${id}`)).body).toMatchObject({ status: 'expired', decision: { via: 'timeout' } });
    await until(() => !alive(pid) && t!.hub.lifecycle.reviewsRunning === 0);
  });

  it("logs a verdict the store refused, naming the request but not what it asks, and still shows it to the person", async () => {
    const logged: string[] = [];
    const logger: Logger = { info() {}, warn() {}, error: (...parts: unknown[]) => logged.push(parts.join(' ')) };
    const { agent, watcher } = await start({ logger });
    t!.hub.store.reviews.put = () => {
      throw new Error('SQLITE_FULL: database or disk is full');
    };
    const id = (await agent.post('/requests', bashRequest('./migrate.sh ask-me'))).body.id as string;
    expect(await watcher.waitFor('request:new', withReview(id))).toMatchObject({ review: { reviewer: 'shell-check', verdict: 'unsure' } });
    expect(logged).toEqual([`could not record the review of request ${id}: SQLITE_FULL: database or disk is full`]);
  });

  it('keeps a snapshot and a page with large reviews within the 4 MB bound, paging the rest', async () => {
    const { agent, approver } = await start();
    // 17 requests of ~245 KB fit one 4 MB page; the largest reviews a judge can leave take it past the bound.
    const ids: string[] = [];
    for (let i = 0; i < 17; i++) {
      const created = await agent.post('/requests', { kind: 'approval', agentId: `writer-${i}`, title: `Write ${i}`, action: { name: 'Write', args: { content: 'x'.repeat(245_000) } } });
      expect(created.status).toBe(201);
      ids.push(created.body.id as string);
      t!.hub.store.reviews.put(created.body.id as string, { reviewer: 'judge', verdict: 'unsure', confidence: 0.5, reasoning: '"'.repeat(4000) });
    }
    const bound = 4 * 1024 * 1024;
    const size = (requests: unknown[]) => requests.reduce<number>((n, r) => n + JSON.stringify(r).length, 0);
    const socket = await RecordedSocket.connect(t!.url, '/approver', approver.token);
    sockets.push(socket);
    const snapshot = (await socket.waitFor('snapshot')) as { requests: { id: string; review?: unknown }[]; more: boolean; total: number };
    expect(snapshot).toMatchObject({ more: true, total: 17 });
    expect(size(snapshot.requests)).toBeLessThanOrEqual(bound);
    expect(snapshot.requests.every((r) => r.review !== undefined)).toBe(true);
    const rest = await socket.call<{ requests: { id: string; review?: unknown }[]; more: boolean }>('request:list', { status: 'pending', before: snapshot.requests.at(-1)!.id });
    expect([...snapshot.requests, ...rest.requests].map((r) => r.id)).toEqual([...ids].reverse());
    expect(rest.requests.every((r) => r.review !== undefined)).toBe(true);
    const listed = (await approver.get('/requests?status=pending')).body as { requests: unknown[]; more: boolean };
    expect(listed.more).toBe(true);
    expect(size(listed.requests)).toBeLessThanOrEqual(bound);
  });
});
