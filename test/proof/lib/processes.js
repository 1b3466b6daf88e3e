// @ts-check
/**
 * Everything the proof starts outside its own process (hub children, browsers) and
 * every temp dir it makes, so nothing outlives a run — even one that throws or is
 * interrupted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();
/** @type {Set<string>} */
const tempDirs = new Set();
/** @type {Set<() => Promise<void>>} */
const asyncCleanups = new Set();

/** A fresh temp dir, removed when the proof exits (unless SIGNOFF_PROOF_KEEP=1). */
export function makeTempDir(prefix = 'signoff-proof-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** @param {import('node:child_process').ChildProcess} child */
export function trackChild(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/**
 * Registers an async cleanup (closing a browser); returns a function that unregisters it.
 * @param {() => Promise<void>} fn
 */
export function onCleanup(fn) {
  asyncCleanups.add(fn);
  return () => asyncCleanups.delete(fn);
}

/** Runs the async cleanups (browsers) then kills children; for the normal end of a run. */
export async function cleanupAll() {
  for (const fn of [...asyncCleanups]) {
    asyncCleanups.delete(fn);
    await fn().catch(() => {});
  }
  cleanupSync();
}

function cleanupSync() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  if (process.env.SIGNOFF_PROOF_KEEP !== '1') {
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  }
  tempDirs.clear();
}

process.on('exit', cleanupSync);
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => {
    cleanupSync();
    process.exit(130);
  });
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Rejects if `promise` has not settled within `ms` (a hang guard, never a performance threshold).
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} label
 * @returns {Promise<T>}
 */
export function withDeadline(promise, ms, label) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${label}: no result within ${ms} ms`), { hang: true })), ms);
  });
  return /** @type {Promise<T>} */ (Promise.race([promise, timeout]).finally(() => clearTimeout(timer)));
}

/**
 * Runs `worker` over `items` with at most `limit` in flight.
 * @template T
 * @param {T[]} items
 * @param {number} limit
 * @param {(item: T, index: number) => Promise<void>} worker
 */
export async function runPool(items, limit, worker) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await worker(/** @type {T} */ (items[index]), index);
    }
  });
  await Promise.all(lanes);
}

/** A small seeded PRNG (mulberry32), so a run can be replayed with SIGNOFF_PROOF_SEED. */
export function rng(seed = 1) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** @param {number} lo @param {number} hi */
    between: (lo, hi) => lo + next() * (hi - lo),
    /** @param {number} n */
    int: (n) => Math.floor(next() * n),
    /** @template X @param {X[]} xs @returns {X} */
    pick: (xs) => /** @type {X} */ (xs[Math.floor(next() * xs.length)]),
  };
}
