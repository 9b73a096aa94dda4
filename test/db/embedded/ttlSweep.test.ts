import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Store } from '../../../src/db/embedded/store.js';
import { startTtlMonitor, sweepExpired, SWEEP_BATCH } from '../../../src/db/embedded/ttl.js';

describe('embedded store: the TTL sweep works in bounded batches', () => {
  let dataDir: string;
  let store: Store;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'rcs-ttl-'));
    store = new Store(dataDir);
    const records = store.obtain('rcs', 'records');
    records.addIndex({ v: 2, key: { expiresAt: 1 }, name: 'expiresAt_1', expireAfterSeconds: 0 });
    const past = Date.now() - 60_000;
    store.storage.transaction(() => {
      for (let i = 0; i < 2 * SWEEP_BATCH + 50; i++) records.insert({ _id: `old-${i}`, expiresAt: new Date(past + i) });
      for (let i = 0; i < 3; i++) records.insert({ _id: `fresh-${i}`, expiresAt: new Date(Date.now() + 3_600_000) });
    });
  });
  afterEach(() => {
    store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('removes at most the given number of expired documents per call, oldest first', () => {
    const records = store.get('rcs', 'records');
    expect(sweepExpired(store, Date.now(), SWEEP_BATCH)).to.equal(SWEEP_BATCH);
    expect(records?.get(`old-${SWEEP_BATCH - 1}`)).to.equal(undefined);
    expect(records?.get(`old-${SWEEP_BATCH}`)).to.not.equal(undefined);
    expect(sweepExpired(store, Date.now(), SWEEP_BATCH)).to.equal(SWEEP_BATCH);
    expect(sweepExpired(store, Date.now(), SWEEP_BATCH)).to.equal(50);
    expect(sweepExpired(store, Date.now(), SWEEP_BATCH)).to.equal(0);
    expect([...(records?.all() ?? [])].map((doc) => doc._id)).to.deep.equal(['fresh-0', 'fresh-1', 'fresh-2']);
  });

  it('lets other work run between the batches of one sweep, and finishes the sweep', async () => {
    const records = store.get('rcs', 'records');
    const seenBetweenBatches: number[] = [];
    const stop = startTtlMonitor(store, 10, pino({ level: 'silent' }));
    try {
      const deadline = Date.now() + 5_000;
      while ((records?.count ?? 0) > 3) {
        if (Date.now() > deadline) throw new Error('the sweep did not finish');
        seenBetweenBatches.push(records?.count ?? 0);
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      stop();
    }
    // Looking after each turn of the event loop saw the collection part-way through the sweep.
    expect(seenBetweenBatches.some((count) => count > 3 && count < 2 * SWEEP_BATCH + 53)).to.equal(true);
    expect(records?.count).to.equal(3);
  });
});
