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
 *
 * Through the public URL (origin-guard.ts) the hub's peer is the proxy, whose pooled
 * connections carry many people's requests, so connections say nothing there. Public
 * wrong codes are counted per source instead — the address the proxy saw, the last
 * `X-Forwarded-For` entry — and across all public sources together, each within a
 * window (`wrongPairingCodesPerSource`, `wrongPairingCodesPublic`, `pairingWindowMs`).
 * The global count bounds what many sources together can try in a code's life (30 per
 * 5 minutes by default: a chance of 3.5 × 10^-11 at a live code); past it public
 * pairing answers 429 until the window ends, and the local route pairs as before: a
 * stranger can delay pairing from the phone, never from this machine. It also bounds
 * the per-source table: a source is only remembered for a wrong code the global count let in.
 */
export class PairingAttempts {
  private readonly wrong = new WeakMap<Socket, number>();
  private readonly bySource = new Map<string, number>();
  private publicWrong = 0;
  private windowEnds = 0;

  constructor(
    private readonly maxWrongPerConnection: number,
    private readonly publicLimits: { perSource: number; total: number; windowMs: number },
    private readonly now: () => number,
  ) {}

  /**
   * Why a public pairing attempt from `source` is refused before its code is even
   * read (`null`: go ahead), with the seconds until the window ends.
   */
  publicRefusal(source: string): { reason: 'source' | 'public'; retryAfterSeconds: number } | null {
    this.roll();
    const retryAfterSeconds = Math.max(1, Math.ceil((this.windowEnds - this.now()) / 1000));
    if (this.publicWrong >= this.publicLimits.total) return { reason: 'public', retryAfterSeconds };
    if ((this.bySource.get(source) ?? 0) >= this.publicLimits.perSource) return { reason: 'source', retryAfterSeconds };
    return null;
  }

  /** Counts a wrong code sent through the public URL by `source`. */
  failPublic(source: string): void {
    this.roll();
    this.publicWrong += 1;
    this.bySource.set(source, (this.bySource.get(source) ?? 0) + 1);
  }

  /** Starts a new window once the last one has ended (a fixed window: a clock stepping back only prolongs it). */
  private roll(): void {
    const now = this.now();
    if (now < this.windowEnds) return;
    this.windowEnds = now + this.publicLimits.windowMs;
    this.publicWrong = 0;
    this.bySource.clear();
  }

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
