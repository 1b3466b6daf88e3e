/** A fixed-window counter: at most `max` hits per `windowMs`. */
export class RateLimit {
  private windowStart = 0;
  private hits = 0;

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Counts a hit; false when over the limit. */
  take(now: number): boolean {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.hits = 0;
    }
    this.hits += 1;
    return this.hits <= this.max;
  }
}
