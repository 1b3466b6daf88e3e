import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SignoffRequest } from '@signoff/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/support/hub.js';
import type { PolicySource } from '../policy/policy-file.js';
import { validatePolicy } from '../policy/policy-schema.js';
import { Lifecycle } from './lifecycle.js';
import { PolicyDesk } from './policy-desk.js';
import { SqliteStore } from './sqlite-store.js';

const OWNER = 'agent-0123456789ab';

let dir: string;
let store: SqliteStore;
let lifecycle: Lifecycle;
let logged: string[];
let reviewed: SignoffRequest[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signoff-lifecycle-review-'));
  store = new SqliteStore(join(dir, 'signoff.db'));
  const checked = validatePolicy({
    reviewers: { yes: { command: [process.execPath, '-e', `process.stdout.write('{"decision":"allow","reason":"fine"}')`] } },
    rules: [{ name: 'deploys', when: { action: 'deploy' }, then: 'review', reviewer: 'yes' }],
  });
  if (!checked.ok) throw new Error(checked.errors.map((e) => e.message).join('\n'));
  const clock = new FakeClock();
  const desk = new PolicyDesk({ policy: checked.policy } as PolicySource, store.grants, () => clock.now(), '/home/me');
  logged = [];
  lifecycle = new Lifecycle(store, clock, undefined, desk, { logger: { info() {}, warn() {}, error: (...parts: unknown[]) => logged.push(parts.join(' ')) } });
  lifecycle.start();
  reviewed = [];
  lifecycle.subscribe({ reviewed: (request) => reviewed.push(request) });
});

afterEach(() => {
  lifecycle.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a review the hub cannot record', () => {
  it('is logged by request id, and the person is told the verdict was lost', async () => {
    store.requests.settle = () => {
      throw new Error('SQLITE_BUSY: database is locked');
    };
    const { request } = lifecycle.create(OWNER, { kind: 'approval', title: 'Deploy the secret project', severity: 'high', agentId: 'ops', action: { name: 'deploy', args: {} } } as never);
    await expect.poll(() => reviewed.length).toBe(1);
    expect(reviewed[0]).toMatchObject({ id: request.id, status: 'pending', review: { reviewer: 'hub', verdict: 'error', reasoning: "The hub could not record the reviewer's verdict." } });
    expect(logged).toEqual([`could not record the review of request ${request.id}: SQLITE_BUSY: database is locked`]);
    expect(lifecycle.reviewsRunning).toBe(0);
  });
});
