import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@signoff/shared';

/**
 * The data dir holds the agent token, the hub's key, approver credentials and every
 * request: nobody but its owner may read it. These helpers set modes explicitly, so
 * they hold whatever the process umask is; the hub's entry points also set
 * {@link PRIVATE_UMASK} so that files made by anything else in the process (SQLite's
 * journal, a library's temp file) are private too.
 */

/** Owner-only: what `signoff hub` and the tray run with. */
export const PRIVATE_UMASK = 0o077;
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** Sets the process umask to {@link PRIVATE_UMASK}. For entry points only: the umask is process-wide. */
export function usePrivateUmask(): void {
  process.umask(PRIVATE_UMASK);
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/** Files the hub keeps secret: the database and its journal, tokens, keys. */
const SECRET_FILE = /^(signoff\.db(-wal|-shm|-journal)?|.+\.(token|key))$/;

/**
 * Creates the data dir (0700), or tightens an existing one that group or others may
 * enter, saying so; and tightens the secret files in it (a database, WAL or token made
 * by an older version under a loose umask). Never follows symlinks. A dir the process
 * cannot chmod (not its owner) is left as it is, with a warning: the files in it are
 * still 0600.
 */
export function securePrivateDir(dir: string, logger?: Logger): void {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  const mode = lstatSync(dir).mode & 0o777;
  if (mode & 0o077) {
    try {
      chmodSync(dir, mode & DIR_MODE);
      logger?.warn(`data dir ${dir} was ${octal(mode)}; tightened it to ${octal(mode & DIR_MODE)} (owner only)`);
    } catch (error) {
      logger?.warn(`data dir ${dir} is ${octal(mode)} and could not be tightened: ${(error as Error).message}`);
    }
  }
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && SECRET_FILE.test(entry.name)) tightenFile(join(dir, entry.name), logger);
  }
}

/** Drops group and other bits from a regular file; never follows symlinks, never fails the caller. */
function tightenFile(file: string, logger?: Logger): void {
  try {
    const stat = lstatSync(file);
    if (!stat.isFile() || (stat.mode & 0o077) === 0) return;
    chmodSync(file, stat.mode & 0o700);
    logger?.warn(`${file} was ${octal(stat.mode)}; tightened it to ${octal(stat.mode & 0o700)}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger?.warn(`could not tighten ${file}: ${(error as Error).message}`);
  }
}

/**
 * Makes sure `file` exists with mode 0600 before a library opens it: SQLite creates
 * its database with 0644 less the umask, and gives its `-wal` and `-shm` files the
 * database file's mode, so a 0600 database keeps its journal 0600 too. Existing
 * `-wal`/`-shm` files from a looser past are tightened as well.
 */
export function ensurePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', FILE_MODE));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      const mode = lstatSync(path).mode;
      if (mode & 0o077) chmodSync(path, FILE_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
