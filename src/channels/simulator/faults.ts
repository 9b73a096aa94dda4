/**
 * What goes wrong on the platform side: injected failures for the next N message calls, and the
 * per-second rate limit (errorCode 30003 past it).
 */
import type { FailureInjection } from './types.js';

export type Fault =
  | { kind: 'serverError' }
  | { kind: 'busy' }
  | { kind: 'timeout' }
  | { kind: 'lostResponse' }
  | { kind: 'rateLimited' }
  | { kind: 'tokenExpired' }
  | { kind: 'rejection'; errorCode: number };

type Counter = Exclude<keyof FailureInjection, 'rejections'>;

const KIND_OF: Record<Counter, Exclude<Fault['kind'], 'rejection'>> = {
  serverErrors: 'serverError',
  busy: 'busy',
  timeouts: 'timeout',
  lostResponses: 'lostResponse',
  rateLimited: 'rateLimited',
  tokenExpired: 'tokenExpired',
};

/** Hands out injected faults, one per message call, until each count is used up. */
export class FaultInjector {
  private readonly pending: Fault[] = [];

  /** Adds faults; several kinds interleave so a sender meets a mix, not one long run of a kind. */
  inject(injection: FailureInjection): void {
    const runs: Fault[][] = (Object.keys(KIND_OF) as Counter[]).map((key) =>
      Array.from({ length: injection[key] ?? 0 }, () => ({ kind: KIND_OF[key] }) as Fault),
    );
    const rejections = injection.rejections;
    if (rejections) runs.push(Array.from({ length: rejections.count }, () => ({ kind: 'rejection', errorCode: rejections.errorCode })));
    const longest = Math.max(0, ...runs.map((run) => run.length));
    for (let index = 0; index < longest; index++) {
      for (const run of runs) {
        const fault = run[index];
        if (fault) this.pending.push(fault);
      }
    }
  }

  next(): Fault | undefined {
    return this.pending.shift();
  }

  get remaining(): number {
    return this.pending.length;
  }

  clear(): void {
    this.pending.length = 0;
  }
}

/** Counts calls in a sliding one-second window. */
export class RateWindow {
  private readonly stamps: number[] = [];

  constructor(private limitPerSecond: number | undefined) {}

  setLimit(limitPerSecond: number | undefined): void {
    this.limitPerSecond = limitPerSecond;
  }

  /** Records a call and says whether it is within the limit; refused calls are not counted. */
  admit(now = Date.now()): boolean {
    if (this.limitPerSecond === undefined) return true;
    while (this.stamps.length > 0 && (this.stamps[0] as number) <= now - 1000) this.stamps.shift();
    if (this.stamps.length >= this.limitPerSecond) return false;
    this.stamps.push(now);
    return true;
  }
}
