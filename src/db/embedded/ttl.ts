/**
 * The TTL monitor: removes documents whose indexed date is older than the index's
 * expireAfterSeconds. MongoDB runs it every 60 s; the interval is an option so tests can be fast.
 */
import type { Logger } from 'pino';
import type { Doc } from './documents.js';
import type { Store } from './store.js';

export function sweepExpired(store: Store, now = Date.now()): number {
  let removed = 0;
  store.storage.transaction(() => {
    for (const collection of store.list()) {
      for (const index of collection.indexes.values()) {
        const seconds = index.spec.expireAfterSeconds;
        if (typeof seconds !== 'number' || index.fields.length !== 1) continue;
        const field = index.fields[0] as string;
        const cutoff = new Date(now - seconds * 1000);
        // Like MongoDB, a partial TTL index expires only the documents it covers.
        const partial = index.spec.partialFilterExpression as Doc | undefined;
        const expired = partial ? { $and: [{ [field]: { $lt: cutoff } }, partial] } : { [field]: { $lt: cutoff } };
        for (const doc of collection.match(expired)) {
          collection.remove(doc);
          removed++;
        }
      }
    }
  });
  return removed;
}

export function startTtlMonitor(store: Store, intervalMs: number, log: Logger): () => void {
  const timer = setInterval(() => {
    try {
      const removed = sweepExpired(store);
      if (removed > 0) log.debug({ removed }, 'expired documents removed');
    } catch (error) {
      log.error({ err: error }, 'TTL sweep failed');
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
