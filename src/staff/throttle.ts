/**
 * Slows down guessing: after a few failed staff logins or keys from one address, every further
 * attempt from it waits, longer with each failure (up to a ceiling), until a success or until the
 * failures are old. Kept in this process's memory, bounded; each process throttles on its own.
 */
const FREE_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 8_000;
const MAX_ADDRESSES = 10_000;

export class FailureThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** How long an attempt from `address` must wait now (0 for most). */
  delayFor(address: string): number {
    const entry = this.failures.get(address);
    if (!entry) return 0;
    if (this.clock() - entry.since > WINDOW_MS) {
      this.failures.delete(address);
      return 0;
    }
    const beyond = entry.count - FREE_FAILURES;
    return beyond < 0 ? 0 : Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** beyond);
  }

  failed(address: string): void {
    const entry = this.failures.get(address);
    if (entry && this.clock() - entry.since <= WINDOW_MS) entry.count++;
    else this.failures.set(address, { count: 1, since: this.clock() });
    if (this.failures.size > MAX_ADDRESSES) this.failures.delete(this.failures.keys().next().value as string);
  }

  succeeded(address: string): void {
    this.failures.delete(address);
  }
}
