import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built `signoff` command (`npm test` builds before running vitest). */
export const SIGNOFF_BIN = fileURLToPath(new URL('../../desktop/bin/signoff.js', import.meta.url));

export interface CliRun {
  child: ChildProcess;
  /** Resolves with the exit code and everything printed. */
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Resolves once stdout or stderr contains `text`. */
  printed(text: string): Promise<void>;
}

export function runCli(args: string[], env: Record<string, string> = {}, stdin?: string): CliRun {
  const child = spawn(process.execPath, [SIGNOFF_BIN, ...args], {
    env: { ...process.env, SIGNOFF_URL: '', SIGNOFF_TOKEN: '', SIGNOFF_PORT: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const l of listeners) l();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const l of listeners) l();
  });
  if (stdin !== undefined) child.stdin!.end(stdin);
  else child.stdin!.end();
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return {
    child,
    done,
    printed: (text) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (stdout.includes(text) || stderr.includes(text)) {
            listeners.delete(check);
            resolve();
          }
        };
        listeners.add(check);
        check();
        void done.then(() => {
          if (!stdout.includes(text) && !stderr.includes(text)) reject(new Error(`exited without printing ${text}:\n${stdout}\n${stderr}`));
        });
      }),
  };
}
