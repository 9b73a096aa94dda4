import { expect } from 'chai';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

describe('database conformance: cursors', () => {
  let mongo: TestMongo;

  before(async () => {
    mongo = await startTestMongo({ name: 'cursors' });
    await mongo.db.collection('many').insertMany(Array.from({ length: 1050 }, (_, n) => ({ n, even: n % 2 === 0 })));
  });
  after(async () => mongo.close());

  it('returns every document past the first batch of 101', async () => {
    const all = await mongo.db.collection('many').find({}).toArray();
    expect(all).to.have.length(1050);
    expect(new Set(all.map((doc) => doc.n)).size).to.equal(1050);
  });

  it('iterates in small batches in sort order', async () => {
    const seen: number[] = [];
    for await (const doc of mongo.db.collection('many').find({ even: true }).sort({ n: -1 }).batchSize(7)) {
      seen.push(doc.n as number);
    }
    expect(seen).to.have.length(525);
    expect(seen[0]).to.equal(1048);
    expect(seen.every((value, i) => i === 0 || value < (seen[i - 1] as number))).to.equal(true);
  });

  it('returns aggregation results past the first batch', async () => {
    const out = await mongo.db.collection('many').aggregate([{ $match: { n: { $gte: 100 } } }, { $project: { n: 1 } }]).toArray();
    expect(out).to.have.length(950);
  });

  it('kills a cursor that is closed before it is exhausted', async () => {
    const cursor = mongo.db.collection('many').find({}).batchSize(10);
    expect(await cursor.next()).to.not.equal(null);
    const id = cursor.id;
    expect(id?.isZero()).to.equal(false);
    await cursor.close();
    const error = await mongo.db.command({ getMore: id, collection: 'many' }).catch((caught: unknown) => caught);
    expect(error).to.have.property('code', 43);
  });

  it('splits batches of large documents so every reply stays under the message size limit', async () => {
    const big = mongo.db.collection('big');
    const payload = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 3; i++) await big.insertMany(Array.from({ length: 10 }, (_, n) => ({ n: i * 10 + n, payload })));
    let count = 0;
    for await (const doc of big.find({}, { projection: { n: 1, payload: 1 } })) {
      expect(doc.payload).to.have.length(payload.length);
      count++;
    }
    expect(count).to.equal(30);
  });

  it('honours limit with a batch size smaller than the limit', async () => {
    const docs = await mongo.db.collection('many').find({}).sort({ n: 1 }).limit(250).batchSize(100).toArray();
    expect(docs.map((doc) => doc.n)).to.deep.equal(Array.from({ length: 250 }, (_, n) => n));
  });
});
