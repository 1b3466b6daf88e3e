import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** Delay between a write and the background checkpoint it asks for, so a burst of writes shares one. */
const CHECKPOINT_DELAY_MS = 50;
/**
 * With background checkpoints on, the connection's own auto-checkpoint is only a
 * backstop (≈ 40 MB of WAL): for sustained writes that never pause long enough for the
 * background one to finish, or a checkpointer that could not start. SQLite's default is 1000.
 */
const BACKSTOP_CHECKPOINT_PAGES = 10_000;
const DEFAULT_CHECKPOINT_PAGES = 1000;

/**
 * The worker's file, beside this module: `src/hub/` under a test runner, `dist/hub/`
 * compiled, and `dist/cli-bundle/` when bundled (`desktop/scripts/bundle-cli.js` emits it
 * next to the chunk that holds this code).
 */
const CHECKPOINTER = new URL('./sqlite-checkpointer.js', import.meta.url);

/**
 * WAL checkpoints in a worker thread (`sqlite-checkpointer.js`) instead of inside the
 * commit that crosses SQLite's threshold. The stores call {@link noteWrite} after each
 * commit. If the worker cannot start, or fails later, the connection checkpoints inline
 * as SQLite does by default.
 */
export class BackgroundCheckpoints {
  private worker: Worker | null;
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly db: Database.Database,
    worker: Worker,
    private readonly closed: Int32Array,
  ) {
    this.worker = worker;
  }

  /** Starts the checkpointer for `db` (open on `file`); `null` when it cannot start (the connection checkpoints inline as before). */
  static start(db: Database.Database, file: string): BackgroundCheckpoints | null {
    const closed = new Int32Array(new SharedArrayBuffer(4));
    let worker: Worker;
    try {
      worker = new Worker(CHECKPOINTER, { workerData: { file, closed } });
    } catch {
      return null;
    }
    worker.unref(); // never what keeps a process alive
    const checkpoints = new BackgroundCheckpoints(db, worker, closed);
    worker.on('error', () => checkpoints.fallBack(worker));
    db.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
    return checkpoints;
  }

  /** After a commit: asks the checkpointer for a checkpoint soon, once per burst of writes. */
  noteWrite(): void {
    if (!this.worker || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.worker?.postMessage('checkpoint');
    }, CHECKPOINT_DELAY_MS);
    this.timer.unref();
  }

  /**
   * Closes the checkpointer's connection, waiting (bounded) for it, so that the hub's is
   * the last one and SQLite checkpoints and removes the WAL when the hub closes it, as before.
   */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    worker.postMessage('close');
    Atomics.wait(this.closed, 0, 0, 1000);
  }

  /** The worker failed: back to SQLite's inline checkpoints. */
  private fallBack(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = null;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${DEFAULT_CHECKPOINT_PAGES}`);
  }
}
