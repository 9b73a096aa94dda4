import { expect } from 'chai';
import { realMongoUri, startTestMongo, type TestMongo } from '../support/mongo.js';

// MongoDB's TTL monitor runs every 60 s; the embedded store's sweep interval is set to 200 ms here.
// Against a real server this test waits for the monitor, so it allows up to two minutes.
describe('database conformance: TTL indexes', function () {
  this.timeout(realMongoUri ? 150_000 : 10_000);
  let mongo: TestMongo;

  before(async () => {
    mongo = await startTestMongo({ name: 'ttl', ttlIntervalMs: 200 });
  });
  after(async () => mongo.close());

  it('removes documents whose indexed date is older than expireAfterSeconds, and keeps the rest', async () => {
    const nonces = mongo.db.collection('nonces');
    await nonces.createIndex({ seenAt: 1 }, { expireAfterSeconds: 1 });
    const now = Date.now();
    await nonces.insertMany([
      { nonce: 'old', seenAt: new Date(now - 60_000) },
      { nonce: 'fresh', seenAt: new Date(now + 3_600_000) },
      { nonce: 'no-date', seenAt: 'not a date' },
    ]);
    const deadline = Date.now() + (realMongoUri ? 140_000 : 5_000);
    while ((await nonces.countDocuments({ nonce: 'old' })) > 0) {
      if (Date.now() > deadline) throw new Error('expired document was not removed');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const left = (await nonces.find({}).toArray()).map((doc) => doc.nonce).sort();
    expect(left).to.deep.equal(['fresh', 'no-date']);
    const index = (await nonces.indexes()).find((spec) => spec.name === 'seenAt_1');
    expect(index?.expireAfterSeconds).to.equal(1);
  });

  it('expires only the documents a partial TTL index covers', async () => {
    const records = mongo.db.collection('records');
    await records.createIndex({ finishedAt: 1 }, { expireAfterSeconds: 1, partialFilterExpression: { state: 'done' } });
    const long = new Date(Date.now() - 60_000);
    await records.insertMany([
      { name: 'done long ago', state: 'done', finishedAt: long },
      { name: 'failed long ago', state: 'failed', finishedAt: long },
    ]);
    const deadline = Date.now() + (realMongoUri ? 140_000 : 5_000);
    while ((await records.countDocuments({ state: 'done' })) > 0) {
      if (Date.now() > deadline) throw new Error('expired document was not removed');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await records.find({}).toArray()).map((doc) => doc.name)).to.deep.equal(['failed long ago']);
  });
});
