/**
 * A token bucket: `ratePerSecond` sends per second on average, with a small burst allowance
 * (a tenth of a second's worth) so that no one-second window sees much more than the rate.
 */
export class TokenBucket {
  private tokens: number;
  private last = Date.now();
  private readonly capacity: number;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly ratePerSecond: number) {
    this.capacity = Math.max(1, Math.ceil(ratePerSecond / 10));
    this.tokens = this.capacity;
  }

  /** Resolves when a send may go; callers are served in the order they asked. */
  take(): Promise<void> {
    const turn = this.chain.then(() => this.waitForToken());
    this.chain = turn;
    return turn;
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }

  private refill(): void {
    const now = Date.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.ratePerSecond) / 1000);
    this.last = now;
  }
}
