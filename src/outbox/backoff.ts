/**
 * When to try a failed send again: exponential backoff with jitter, so that many messages held
 * back by one platform hiccup do not all come back in the same instant.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** After this many attempts a message is given up as failed. */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 30_000, maxAttempts: 15 };

/** Delay before attempt `attempts + 1`: between half and all of base·2^(attempts−1), capped. */
export function retryDelayMs(policy: BackoffPolicy, attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
