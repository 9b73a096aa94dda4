import { expect } from 'chai';
import type { Document } from 'mongodb';
import { realMongoUri, startTestMongo, type TestMongo } from '../../support/mongo.js';

interface Explained {
  queryPlanner: { winningPlan: { stage: string; inputStage?: { stage: string; indexName?: string } } };
  executionStats: { nReturned: number; totalKeysExamined: number; totalDocsExamined: number };
}

describe('embedded store: queries use indexes (embedded store only: explain figures are engine-specific)', () => {
  let mongo: TestMongo;
  const size = 5000;

  before(async function () {
    if (realMongoUri) this.skip();
    mongo = await startTestMongo({ name: 'index_usage' });
    const docs = Array.from({ length: size }, (_, n) => ({
      n,
      hall: `h${n % 10}`,
      day: new Date(Date.UTC(2026, 0, 1 + (n % 100))),
      status: n % 3 === 0 ? 'queued' : 'sent',
      tags: [`t${n % 7}`, `u${n % 5}`],
    }));
    const outbox = mongo.db.collection('outbox');
    await outbox.insertMany(docs);
    await outbox.createIndex({ n: 1 }, { unique: true });
    await outbox.createIndex({ hall: 1, day: 1 });
    await outbox.createIndex({ tags: 1 });
  });
  after(async () => mongo?.close());

  const explain = async (filter: Document): Promise<Explained> =>
    (await mongo.db.collection('outbox').find(filter).explain('executionStats')) as unknown as Explained;

  it('looks up an equality on an indexed field without scanning', async () => {
    const result = await explain({ n: 4321 });
    expect(result.queryPlanner.winningPlan.inputStage).to.deep.equal({ stage: 'IXSCAN', indexName: 'n_1' });
    expect(result.executionStats).to.include({ nReturned: 1, totalDocsExamined: 1 });
  });

  it('reads only the matching keys of a range', async () => {
    const result = await explain({ n: { $gte: 100, $lt: 150 } });
    expect(result.executionStats).to.include({ nReturned: 50, totalKeysExamined: 50, totalDocsExamined: 50 });
    const open = await explain({ n: { $gt: size - 10 } });
    expect(open.executionStats.totalDocsExamined).to.equal(9);
  });

  it('uses a compound index prefix, and prefix plus range', async () => {
    const prefix = await explain({ hall: 'h3' });
    expect(prefix.queryPlanner.winningPlan.inputStage?.indexName).to.equal('hall_1_day_1');
    expect(prefix.executionStats).to.include({ nReturned: size / 10, totalDocsExamined: size / 10 });
    const ranged = await explain({ hall: 'h3', day: { $lt: new Date(Date.UTC(2026, 0, 11)) } });
    expect(ranged.executionStats.nReturned).to.equal(50);
    expect(ranged.executionStats.totalDocsExamined).to.equal(50);
  });

  it('expands $in into point lookups and finds array elements through a multikey index', async () => {
    const inList = await explain({ n: { $in: [1, 2, 3, 99999] } });
    expect(inList.executionStats).to.include({ nReturned: 3, totalDocsExamined: 3 });
    const multikey = await explain({ tags: 't3' });
    expect(multikey.queryPlanner.winningPlan.inputStage?.indexName).to.equal('tags_1');
    expect(multikey.executionStats.totalDocsExamined).to.equal(multikey.executionStats.nReturned);
  });

  it('applies the rest of the filter to index candidates', async () => {
    const result = await explain({ hall: 'h0', status: 'queued' });
    const expected = await mongo.db.collection('outbox').countDocuments({ hall: 'h0', status: 'queued' });
    expect(result.executionStats.nReturned).to.equal(expected);
    expect(result.executionStats.totalDocsExamined).to.equal(size / 10);
  });

  it('reads a sorted, limited page in index order and stops after the limit', async () => {
    const outbox = mongo.db.collection('outbox');
    const page = (await outbox.find({ hall: 'h3' }).sort({ day: -1 }).limit(5).explain('executionStats')) as unknown as Explained;
    expect(page.executionStats).to.include({ nReturned: 5, totalDocsExamined: 5 });
    const latest = (await outbox.find({}).sort({ n: -1 }).limit(3).explain('executionStats')) as unknown as Explained;
    expect(latest.executionStats).to.include({ nReturned: 3, totalDocsExamined: 3 });
    const newest = (await outbox.find({}).sort({ _id: -1 }).limit(2).explain('executionStats')) as unknown as Explained;
    expect(newest.queryPlanner.winningPlan.inputStage?.indexName).to.equal('_id_');
    expect(newest.executionStats).to.include({ nReturned: 2, totalDocsExamined: 2 });
    const docs = await outbox.find({}).sort({ n: -1 }).limit(3).toArray();
    expect(docs.map((doc) => doc.n)).to.deep.equal([size - 1, size - 2, size - 3]);
  });

  it('scans the collection when no index applies', async () => {
    const result = await explain({ status: 'queued' });
    expect(result.queryPlanner.winningPlan.stage).to.equal('COLLSCAN');
    expect(result.executionStats.totalDocsExamined).to.equal(size);
  });

  it('keeps index results correct after updates and deletes', async () => {
    const outbox = mongo.db.collection('outbox');
    await outbox.updateOne({ n: 10 }, { $set: { hall: 'moved' } });
    await outbox.deleteOne({ n: 20 });
    expect(await outbox.countDocuments({ hall: 'moved' })).to.equal(1);
    expect(await outbox.countDocuments({ hall: 'h0' })).to.equal(size / 10 - 2);
    expect(await outbox.findOne({ n: 20 })).to.equal(null);
  });
});
