import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

describe('database conformance: atomic claims', () => {
  let mongo: TestMongo;

  before(async () => {
    mongo = await startTestMongo({ name: 'claims' });
  });
  after(async () => mongo.close());

  it('gives each queued document to exactly one of 100 concurrent findOneAndUpdate claims', async () => {
    const jobs = mongo.db.collection('jobs');
    await jobs.insertMany(Array.from({ length: 50 }, (_, n) => ({ n, status: 'queued' })));
    // A second client adds more connections racing each other, like a second web process.
    const other = await MongoClient.connect(mongo.uri, { maxPoolSize: 20 });
    try {
      const otherJobs = other.db(mongo.dbName).collection('jobs');
      const claims = await Promise.all(
        Array.from({ length: 100 }, (_, worker) =>
          (worker % 2 === 0 ? jobs : otherJobs).findOneAndUpdate(
            { status: 'queued' },
            { $set: { status: 'claimed', worker } },
            { sort: { n: 1 }, returnDocument: 'after' },
          ),
        ),
      );
      const won = claims.filter((claim) => claim !== null);
      expect(won).to.have.length(50);
      expect(new Set(won.map((claim) => claim?.n)).size).to.equal(50);
      for (const claim of won) {
        const stored = await jobs.findOne({ n: claim?.n });
        expect(stored?.worker).to.equal(claim?.worker);
      }
      expect(await jobs.countDocuments({ status: 'queued' })).to.equal(0);
    } finally {
      await other.close();
    }
  });

  it('applies concurrent $inc updates without losing any', async () => {
    const counters = mongo.db.collection('counters');
    await counters.insertOne({ _id: 'c' as never, value: 0 });
    await Promise.all(Array.from({ length: 200 }, () => counters.updateOne({ _id: 'c' as never }, { $inc: { value: 1 } })));
    expect((await counters.findOne({ _id: 'c' as never }))?.value).to.equal(200);
  });
});
