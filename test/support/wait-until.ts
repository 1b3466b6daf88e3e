/** Longest `waitUntil` polls before failing the test (a guard, not a threshold). */
const GUARD_MS = 5_000;

/**
 * Polls `check` every 10 ms until it returns something truthy, and returns it;
 * fails after the guard with `what` in the message.
 */
export async function waitUntil<T>(check: () => T | Promise<T>, what: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + GUARD_MS;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
