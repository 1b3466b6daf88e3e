import type { Socket } from 'node:net';

/**
 * Wrong pairing codes are counted per TCP connection, never against the live codes.
 *
 * A wrong code names no code, so the only way to count it "per code" is against every
 * live one — which is how a stranger without a token kept pairing locked: five wrong
 * guesses every five minutes. Now a wrong guess costs its sender only: after
 * `wrongPairingCodesPerConnection` (agent-limits.ts) wrong codes the last answer is
 * 429 with `Connection: close`, and the person's own code, whenever it is typed, is
 * checked like any other and works. Each code still pairs once, within its 5 minutes
 * (`PAIRING_CODE_TTL_MS`), and the hub makes no write for a wrong guess.
 *
 * Why guessing stays negligible: a code is 8 characters from a 31-letter alphabet,
 * 31^8 ≈ 8.5 × 10^11 codes, and lives 5 minutes. Every few guesses cost a new TCP
 * connection, and the hub checks codes one at a time on its one thread: flooded from
 * three processes with 64 connections each on the 2-core build machine, it answered
 * about 1,000 wrong codes a second. Even at ten times that, 10,000 a second for a
 * code's whole life is 3 × 10^6 guesses, which find a given live code with probability
 * 3 × 10^6 / 8.5 × 10^11 ≈ 3.5 × 10^-6 (one in 280,000; at the measured rate, one in
 * 2.8 million) — and the hub is saturated, so everyone sees it, all that time.
 */
export class PairingAttempts {
  private readonly wrong = new WeakMap<Socket, number>();

  constructor(private readonly maxWrongPerConnection: number) {}

  /** True when this connection has no wrong tries left (it is being closed). */
  exhausted(connection: Socket): boolean {
    return (this.wrong.get(connection) ?? 0) >= this.maxWrongPerConnection;
  }

  /** Counts a wrong code; true when it was the connection's last allowed one. */
  fail(connection: Socket): boolean {
    const count = (this.wrong.get(connection) ?? 0) + 1;
    this.wrong.set(connection, count);
    return count >= this.maxWrongPerConnection;
  }
}
