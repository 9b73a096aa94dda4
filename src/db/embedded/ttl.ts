/**
 * The TTL monitor: removes documents whose indexed date is older than the index's
 * expireAfterSeconds (or, in a time-series collection, whose timeField is older than the
 * collection's expireAfterSeconds). MongoDB runs it every 60 s; the interval is an option so tests can be fast.
 *
 * Commands run one at a time on the store's thread, so a sweep must not remove everything due
 * at once: a minute of expired messages at a few hundred a second would hold every command for
 * the better part of a second. It removes at most SWEEP_BATCH documents per turn of the event
 * loop and lets the commands that arrived meanwhile run before the next batch.
 */
import type { Logger } from 'pino';
import type { Collection } from './collection.js';
import { isPlainObject, type Doc } from './documents.js';
import type { Store } from './store.js';

export const SWEEP_BATCH = 200;

interface ExpiryRule {
  field: string;
  seconds: number;
  /** Like MongoDB, a partial TTL index expires only the documents it covers. */
  partial?: Doc;
}

/** A collection's TTL indexes, and a time-series collection's expireAfterSeconds on its timeField. */
function expiryRules(collection: Collection): ExpiryRule[] {
  const rules: ExpiryRule[] = [];
  for (const index of collection.indexes.values()) {
    // A client may have sent the number as a double or a long.
    const seconds = Number(index.spec.expireAfterSeconds);
    if (!Number.isFinite(seconds) || index.fields.length !== 1) continue;
    rules.push({ field: index.fields[0] as string, seconds, partial: index.spec.partialFilterExpression });
  }
  const { timeseries, expireAfterSeconds } = collection.options;
  const seconds = Number(expireAfterSeconds);
  if (isPlainObject(timeseries) && typeof timeseries.timeField === 'string' && Number.isFinite(seconds)) {
    rules.push({ field: timeseries.timeField, seconds });
  }
  return rules;
}

/** Removes expired documents, at most `limit` of them, in one transaction; returns how many. */
export function sweepExpired(store: Store, now = Date.now(), limit = Number.POSITIVE_INFINITY): number {
  let removed = 0;
  store.storage.transaction(() => {
    for (const collection of store.list()) {
      for (const { field, seconds, partial } of expiryRules(collection)) {
        if (removed >= limit) return;
        const cutoff = new Date(now - seconds * 1000);
        const expired = partial ? { $and: [{ [field]: { $lt: cutoff } }, partial] } : { [field]: { $lt: cutoff } };
        for (const doc of collection.match(expired, undefined, limit - removed)) {
          collection.remove(doc);
          removed++;
        }
      }
    }
  });
  return removed;
}

export function startTtlMonitor(store: Store, intervalMs: number, log: Logger): () => void {
  let sweeping = false;
  let stopped = false;
  let next: NodeJS.Immediate | undefined;
  let total = 0;
  // One cutoff for all batches of a sweep: each new cutoff would be a new filter to compile.
  let now = Date.now();
  const batch = (): void => {
    next = undefined;
    let removed = 0;
    try {
      removed = sweepExpired(store, now, SWEEP_BATCH);
    } catch (error) {
      log.error({ err: error }, 'TTL sweep failed');
    }
    total += removed;
    if (removed === SWEEP_BATCH && !stopped) {
      next = setImmediate(batch);
      return;
    }
    if (total > 0) log.debug({ removed: total }, 'expired documents removed');
    total = 0;
    sweeping = false;
  };
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    now = Date.now();
    batch();
  }, intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
    if (next) clearImmediate(next);
  };
}
