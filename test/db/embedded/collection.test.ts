import { expect } from 'chai';
import { serialize } from 'bson';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalKey } from '../../../src/db/embedded/bsonOrder.js';
import { Storage } from '../../../src/db/embedded/storage.js';
import { Store } from '../../../src/db/embedded/store.js';
import { Query } from '../../../src/db/embedded/mql.js';
import { planQuery } from '../../../src/db/embedded/planner.js';
import { seededRandom } from '../../../src/util/seededRandom.js';

describe('embedded store: the working set of a collection', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'rcs-collection-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('hands every read its own copy, so changing what was read changes nothing stored', () => {
    const store = new Store(dataDir);
    try {
      const notes = store.obtain('rcs', 'notes');
      notes.insert({ _id: 'a', tags: ['x'], card: { title: 't' } });
      const first = notes.get('a') as { tags: string[]; card: { title: string } };
      first.tags.push('y');
      first.card.title = 'changed';
      expect(notes.get('a')).to.deep.equal({ _id: 'a', tags: ['x'], card: { title: 't' } });
      const [matched] = notes.match({ _id: 'a' });
      expect(matched).to.not.equal(notes.get('a'));
      expect(notes.all().next().value).to.deep.equal({ _id: 'a', tags: ['x'], card: { title: 't' } });
    } finally {
      store.close();
    }
  });

  it('moves a document stored under an older key format to its current key when it loads', () => {
    const storage = new Storage(dataDir);
    storage.putCollection('rcs.notes', {});
    storage.transaction(() => storage.putDocument('rcs.notes', 'key-in-an-older-format', serialize({ _id: 'a', v: 1 })));
    storage.close();

    const store = new Store(dataDir);
    try {
      const notes = store.get('rcs', 'notes');
      expect(notes?.get('a')).to.deep.equal({ _id: 'a', v: 1 });
      expect(notes?.count).to.equal(1);
    } finally {
      store.close();
    }
    const reopened = new Storage(dataDir);
    try {
      expect(reopened.load()[0]?.documents.map(([id]) => id)).to.deep.equal([canonicalKey('a')]);
    } finally {
      reopened.close();
    }
  });

  it('keeps the later of two rows stored for one _id under keys of different formats, in memory, indexes and on disk', () => {
    const storage = new Storage(dataDir);
    storage.putCollection('rcs.notes', {});
    storage.putIndex('rcs.notes', { v: 2, key: { code: 1 }, name: 'code_1', unique: true });
    storage.transaction(() => {
      storage.putDocument('rcs.notes', 'key-in-an-older-format', serialize({ _id: 'a', code: 'first' }));
      storage.putDocument('rcs.notes', canonicalKey('a'), serialize({ _id: 'a', code: 'second' }));
    });
    storage.close();

    for (let opening = 0; opening < 2; opening++) {
      const store = new Store(dataDir);
      try {
        const notes = store.get('rcs', 'notes');
        expect(notes?.get('a')).to.deep.equal({ _id: 'a', code: 'second' });
        if (opening === 0) {
          // No entry of the replaced row is left in the unique index to refuse its code.
          notes?.insert({ _id: 'b', code: 'first' });
        }
        expect(notes?.count).to.equal(2);
      } finally {
        store.close();
      }
    }
  });

  it('rebuilds every index from the stored documents when it loads', () => {
    const store = new Store(dataDir);
    try {
      const outbox = store.obtain('rcs', 'outbox');
      outbox.addIndex({ v: 2, key: { status: 1, seq: 1 }, name: 'status_1_seq_1' });
      for (let seq = 0; seq < 50; seq++) outbox.insert({ _id: `m${seq}`, seq, status: seq % 5 === 0 ? 'queued' : 'sent' });
    } finally {
      store.close();
    }
    const reloaded = new Store(dataDir);
    try {
      const outbox = reloaded.get('rcs', 'outbox');
      const stats = { stage: 'COLLSCAN' as const, keysExamined: 0, docsExamined: 0 };
      const queued = outbox?.query({ status: 'queued' }, { sort: { seq: -1 }, limit: 3, stats });
      expect(queued?.map((doc) => doc._id)).to.deep.equal(['m45', 'm40', 'm35']);
      expect(stats).to.include({ stage: 'IXSCAN', indexName: 'status_1_seq_1', docsExamined: 3 });
    } finally {
      reloaded.close();
    }
  });

  it('counts from the index alone exactly what the filter matches', () => {
    const random = seededRandom(11);
    const pick = <T,>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    const statuses = ['queued', 'sending', 'sent', 'failed'];
    const store = new Store(dataDir);
    try {
      const outbox = store.obtain('rcs', 'outbox');
      outbox.addIndex({ v: 2, key: { status: 1, seq: 1 }, name: 'status_1_seq_1' });
      outbox.addIndex({ v: 2, key: { user: 1 }, name: 'user_1', sparse: true });
      for (let i = 0; i < 400; i++) {
        const doc: Record<string, unknown> = { _id: `m${i}`, seq: pick([i, i + 0.5, `s${i % 50}`, new Date(1_000 * i), null]) };
        // Some documents have no status, a null one or one of another type.
        const status = pick([...statuses, ...statuses, null, undefined, 7]);
        if (status !== undefined) doc.status = status;
        if (random() < 0.7) doc.user = `u${i % 13}`;
        outbox.insert(doc);
      }
      let coveredFilters = 0;
      for (let round = 0; round < 300; round++) {
        const filter = pick<() => Record<string, unknown>>([
          () => ({ status: pick(statuses) }),
          () => ({ status: { $in: [pick(statuses), pick(statuses), pick(statuses)] } }),
          () => ({ status: pick(statuses), seq: { $gt: Math.floor(random() * 400) } }),
          () => ({ status: { $in: [pick(statuses), pick(statuses)] }, seq: { $gte: Math.floor(random() * 200), $lt: 200 + Math.floor(random() * 200) } }),
          () => ({ status: pick(statuses), seq: { $lte: `s${Math.floor(random() * 50)}` } }),
          () => ({ status: pick(statuses), seq: { $gte: new Date(1_000 * Math.floor(random() * 400)) } }),
          () => ({ status: pick(statuses), seq: Math.floor(random() * 400) }),
          () => ({ user: `u${Math.floor(random() * 13)}` }),
          // Not covered: the planner's ranges are not the whole filter.
          () => ({ status: pick(statuses), seq: { $gt: 5, $type: 'number' } }),
          () => ({ status: null }),
          () => ({ user: { $in: ['u1', null] } }),
          () => ({ status: pick(statuses), seq: { $gt: 5, $lt: 'zz' } }),
        ])();
        const expected = [...outbox.all()].filter((doc) => new Query(filter).test(doc)).length;
        expect(outbox.countMatching(filter), JSON.stringify(filter)).to.equal(expected);
        if (planQuery(filter, outbox.indexes.values())?.covers) coveredFilters++;
      }
      expect(coveredFilters).to.be.greaterThan(100);
    } finally {
      store.close();
    }
  });
});
