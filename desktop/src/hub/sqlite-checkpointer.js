// @ts-check
/**
 * The background checkpointer's worker thread (started by `sqlite-checkpoints.ts`): a
 * second connection to the same file that runs a PASSIVE checkpoint when asked. PASSIVE
 * never waits for, nor blocks, the hub's own connection; the point is that the
 * checkpoint's fsyncs block this thread, not the hub's event loop. On `close` it closes
 * its connection and flags `closed` for the hub thread waiting on it.
 *
 * JavaScript, not TypeScript: a worker thread runs a file as it is, and the unit tests
 * run the hub from its sources, so the same file must run from `src/`, `dist/` (tsc
 * copies it, `allowJs`) and `dist/cli-bundle/` (its own entry point in `bundle-cli.js`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ file: string; closed: Int32Array }} */
const { file, closed } = workerData;
const port = parentPort;
if (!port) throw new Error('sqlite-checkpointer.js runs as a worker thread');

const db = new Database(file, { fileMustExist: true });
// A checkpoint syncs the WAL before copying it and the database after: keep those fsyncs.
db.pragma('synchronous = NORMAL');
port.on('message', (message) => {
  if (message === 'checkpoint') {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // the next write asks again
    }
    return;
  }
  try {
    db.close();
  } finally {
    Atomics.store(closed, 0, 1);
    Atomics.notify(closed, 0);
    port.close();
  }
});
