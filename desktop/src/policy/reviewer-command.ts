import { spawn } from 'node:child_process';
import { z } from 'zod';
import type { ReviewerCommandConfig } from './policy-schema.js';
import { reviewError, type ReviewInput, type ReviewOutcome } from './reviewer-input.js';

/**
 * A reviewer command (`policy.yaml` `reviewers:`): a local program given the request as
 * JSON on stdin that prints `{ "decision": "allow" | "deny" | "ask", "reason": "…" }`.
 * It is run without a shell, in its own process group so a timeout kills whatever it
 * started. A non-zero exit, a timeout, more than {@link MAX_REVIEWER_OUTPUT} bytes of
 * output or anything but that JSON is an error: the person decides, never an allow.
 */

/** Largest stdout read from a reviewer command. */
export const MAX_REVIEWER_OUTPUT = 64 * 1024;
/** Largest stderr kept to show the person why a command failed. */
const MAX_STDERR_SHOWN = 500;

const AnswerSchema = z.object({
  decision: z.enum(['allow', 'deny', 'ask']),
  reason: z.string().trim().max(2000).optional(),
});

export function runReviewerCommand(name: string, config: ReviewerCommandConfig, input: ReviewInput, signal?: AbortSignal): Promise<ReviewOutcome> {
  if (signal?.aborted) return Promise.resolve(reviewError(name, 'The review was stopped (its request was decided, or the hub stopped) before the reviewer command ran.'));
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: ReviewOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const [program, ...args] = config.command;
    const child = spawn(program!, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: process.platform !== 'win32', windowsHide: true });
    const killGroup = () => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const fail = (reason: string) => {
      killGroup();
      finish(reviewError(name, reason));
    };
    // A real timer, not the hub's clock: it bounds a process in wall-clock time, as the
    // judge's does. The request's own deadline is on the hub's clock; the hub aborts
    // `signal` when the request is settled (deadline, person, agent), killing the group.
    const timer = setTimeout(() => fail(`The reviewer command did not answer within ${config.timeoutMs / 1000}s.`), config.timeoutMs);
    const onAbort = () => fail('The review was stopped (its request was decided, or the hub stopped) before the reviewer command answered.');
    signal?.addEventListener('abort', onAbort, { once: true });

    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_REVIEWER_OUTPUT) fail(`The reviewer command wrote more than ${MAX_REVIEWER_OUTPUT / 1024} KiB.`);
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR_SHOWN) stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => fail(`The reviewer command could not run: ${error.message}`));
    child.on('close', (code, killedBy) => {
      if (code !== 0) {
        const said = stderr.trim().slice(0, MAX_STDERR_SHOWN);
        return fail(`The reviewer command ${killedBy ? `was killed by ${killedBy}` : `exited with code ${code}`}${said ? `: ${said}` : '.'}`);
      }
      let json: unknown;
      try {
        json = JSON.parse(Buffer.concat(out).toString('utf8'));
      } catch {
        return fail('The reviewer command did not print JSON.');
      }
      const answer = AnswerSchema.safeParse(json);
      if (!answer.success) return fail('The reviewer command printed JSON without a decision of allow, deny or ask.');
      const { decision, reason } = answer.data;
      finish({
        review: {
          reviewer: name,
          verdict: decision === 'allow' ? 'approve' : decision === 'deny' ? 'deny' : 'unsure',
          reasoning: reason || (decision === 'ask' ? 'The reviewer left it to a person.' : `The reviewer said ${decision}.`),
        },
        decisive: decision !== 'ask',
      });
    });
    // A command that exits without reading stdin closes the pipe: not an error of ours.
    child.stdin.on('error', () => {});
    child.stdin.end(JSON.stringify(input));
  });
}
