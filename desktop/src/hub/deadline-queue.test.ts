import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from './deadline-queue.js';
import type { Deadline } from './request-store.js';

/** mulberry32: a small seeded PRNG, so "random" input is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function drain(queue: DeadlineQueue): Deadline[] {
  const out: Deadline[] = [];
  for (let d = queue.pop(); d !== undefined; d = queue.pop()) out.push(d);
  return out;
}

describe('DeadlineQueue', () => {
  it('is empty at first', () => {
    const queue = new DeadlineQueue();
    expect(queue.size).toBe(0);
    expect(queue.peek()).toBeUndefined();
    expect(queue.pop()).toBeUndefined();
  });

  it('peeks the earliest deadline without removing it', () => {
    const queue = new DeadlineQueue();
    queue.push({ id: 'b', expiresAt: 20 });
    queue.push({ id: 'a', expiresAt: 10 });
    queue.push({ id: 'c', expiresAt: 30 });
    expect(queue.peek()).toEqual({ id: 'a', expiresAt: 10 });
    expect(queue.peek()).toEqual({ id: 'a', expiresAt: 10 });
    expect(queue.size).toBe(3);
  });

  it('shrinks by one per pop and ends empty', () => {
    const queue = new DeadlineQueue();
    queue.push({ id: 'a', expiresAt: 5 });
    queue.push({ id: 'b', expiresAt: 1 });
    expect(queue.pop()?.id).toBe('b');
    expect(queue.size).toBe(1);
    expect(queue.pop()?.id).toBe('a');
    expect(queue.size).toBe(0);
    expect(queue.pop()).toBeUndefined();
    expect(queue.size).toBe(0);
  });

  it('keeps every entry of equal deadlines', () => {
    const queue = new DeadlineQueue();
    for (const id of ['a', 'b', 'c', 'd']) queue.push({ id, expiresAt: 100 });
    const popped = drain(queue);
    expect(popped.map((d) => d.id).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(popped.every((d) => d.expiresAt === 100)).toBe(true);
  });

  it.each([1, 2, 3, 42, 2026])('pops random deadlines in order (seed %i)', (seed) => {
    const random = seeded(seed);
    const queue = new DeadlineQueue();
    const pushed: Deadline[] = [];
    for (let i = 0; i < 500; i++) {
      // Few distinct values so ties are common.
      const item = { id: `r${i}`, expiresAt: Math.floor(random() * 200) };
      pushed.push(item);
      queue.push(item);
    }
    expect(queue.size).toBe(500);
    const popped = drain(queue);
    expect(popped.map((d) => d.expiresAt)).toEqual(pushed.map((d) => d.expiresAt).sort((a, b) => a - b));
    expect(popped.map((d) => d.id).sort()).toEqual(pushed.map((d) => d.id).sort());
  });

  it('stays ordered when pushes and pops interleave (seeded)', () => {
    const random = seeded(7);
    const queue = new DeadlineQueue();
    const model: Deadline[] = [];
    for (let step = 0; step < 2000; step++) {
      if (random() < 0.6 || model.length === 0) {
        const item = { id: `s${step}`, expiresAt: Math.floor(random() * 10_000) };
        queue.push(item);
        model.push(item);
      } else {
        const min = Math.min(...model.map((d) => d.expiresAt));
        expect(queue.peek()?.expiresAt).toBe(min);
        const popped = queue.pop()!;
        expect(popped.expiresAt).toBe(min);
        model.splice(model.indexOf(popped), 1);
      }
      expect(queue.size).toBe(model.length);
    }
  });
});
