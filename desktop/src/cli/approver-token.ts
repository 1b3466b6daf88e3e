import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, SignoffError } from '@signoff/shared';
import { ensureDataDir } from '../hub/auth.js';

/** Where `signoff pair --save` keeps this terminal's approver token (mode 0600). */
export const APPROVER_TOKEN_FILE = 'approver.token';
/** Overrides the saved approver token for `signoff list` and `signoff respond`. */
export const APPROVER_TOKEN_ENV = 'SIGNOFF_APPROVER_TOKEN';

/** Writes the token readable by its owner only; returns the file's path. */
export function saveApproverToken(dataDir: string, token: string): string {
  ensureDataDir(dataDir);
  const file = join(dataDir, APPROVER_TOKEN_FILE);
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  // `mode` only applies when the file is created; an older file keeps its bits otherwise.
  chmodSync(file, 0o600);
  return file;
}

/** `SIGNOFF_APPROVER_TOKEN`, else `<dataDir>/approver.token`; says how to get one when neither exists. */
export function loadApproverToken(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[APPROVER_TOKEN_ENV];
  if (fromEnv) return fromEnv;
  const file = join(dataDir, APPROVER_TOKEN_FILE);
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token) return token;
  } catch {
    // explained below
  }
  throw new SignoffError(
    ErrorCode.unauthorized,
    `no approver token: run \`signoff pair --save\` while the hub runs (it writes ${file}), or set ${APPROVER_TOKEN_ENV}`,
  );
}
