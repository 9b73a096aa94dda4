import { expect } from 'chai';
import type { Collection, Document } from 'mongodb';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

/** Small deterministic PRNG so a failure can be replayed. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('database conformance: indexed and unindexed collections answer alike', () => {
  let mongo: TestMongo;
  let indexed: Collection<Document>;
  let plain: Collection<Document>;
  const random = prng(42);
  const pick = <T>(values: T[]): T => values[Math.floor(random() * values.length)] as T;
  const day = (n: number): Date => new Date(Date.UTC(2026, 0, n));
  const aValues = [1, 2, 2.5, 3, 10, -1, 'x', 'y', null, day(1), day(5), true];

  before(async () => {
    mongo = await startTestMongo({ name: 'indexed_queries' });
    indexed = mongo.db.collection('indexed');
    plain = mongo.db.collection('plain');
    await indexed.createIndex({ a: 1 });
    await indexed.createIndex({ b: 1, a: 1 });
    await indexed.createIndex({ b: 1, c: -1 });
    await indexed.createIndex({ tags: 1 });
    const docs = Array.from({ length: 3000 }, (_, n) => {
      const doc: Document = { _id: n, b: n % 7, c: Math.floor(random() * 50) };
      if (random() < 0.9) doc.a = pick(aValues);
      if (random() < 0.5) doc.tags = [pick(['t1', 't2', 't3']), pick(['t2', 't4'])];
      return doc;
    });
    await indexed.insertMany(docs);
    await plain.insertMany(docs);
  });
  after(async () => mongo.close());

  const filters = (): Document[] => [
    { a: pick(aValues) },
    { a: { $gt: pick([1, 2, 'x', day(2)]) } },
    { a: { $gte: 1, $lt: 3 } },
    { a: { $lte: pick([2.5, 'y', day(5)]) } },
    { a: null },
    { a: { $in: [1, 'x', null] } },
    { b: pick([0, 1, 6]), a: { $lt: 3 } },
    { b: { $in: [1, 2] }, c: { $gte: 10 } },
    { b: pick([2, 3]), c: { $lt: 25 } },
    { tags: pick(['t1', 't2', 't4']) },
    { tags: { $in: ['t3', 't4'] }, b: { $gt: 3 } },
    { $and: [{ a: { $gt: 0 } }, { a: { $lt: 5 } }] },
    { _id: { $gte: pick([0, 100, 2500]), $lt: pick([50, 700, 3000]) } },
    { _id: { $in: [3, 4, 5000] }, b: { $ne: 1 } },
    {},
  ];
  const sorts: Array<Document | undefined> = [undefined, { a: 1 }, { a: -1 }, { c: -1 }, { c: 1 }, { b: 1, c: 1 }, { _id: -1 }, { _id: 1 }];

  async function compareRandomQueries(rounds: number): Promise<void> {
    for (let round = 0; round < rounds; round++) {
      const filter = pick(filters());
      const sort = pick(sorts);
      const limit = pick([0, 0, 1, 5]);
      const run = (collection: Collection<Document>) => {
        let cursor = collection.find(filter);
        if (sort) cursor = cursor.sort(sort);
        if (limit) cursor = cursor.limit(limit);
        return cursor.toArray();
      };
      const [fromIndexed, fromPlain] = await Promise.all([run(indexed), run(plain)]);
      const context = JSON.stringify({ filter, sort, limit });
      expect(fromIndexed.length, context).to.equal(fromPlain.length);
      if (sort) {
        const keys = (docs: Document[]) => docs.map((doc) => Object.keys(sort).map((field) => doc[field] ?? null));
        expect(keys(fromIndexed), context).to.deep.equal(keys(fromPlain));
      }
      if (!limit) {
        const ids = (docs: Document[]) => docs.map((doc) => doc._id as number).sort((x, y) => x - y);
        expect(ids(fromIndexed), context).to.deep.equal(ids(fromPlain));
      }
    }
  }

  it('returns the same documents in the same sort-key order for random filters, sorts and limits', async () => {
    await compareRandomQueries(120);
  });

  it('still agrees after many updates and deletes have moved index entries', async () => {
    for (const collection of [indexed, plain]) {
      await collection.deleteMany({ _id: { $mod: [3, 0] } } as Document);
      await collection.updateMany({ b: 2 }, { $set: { a: 'moved' }, $inc: { c: 100 } });
      await collection.updateMany({ _id: { $mod: [5, 1] } } as Document, { $set: { tags: ['t9'] } });
    }
    await compareRandomQueries(120);
  });
});
