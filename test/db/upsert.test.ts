import { expect } from 'chai';
import { ObjectId, type Collection, type Document } from 'mongodb';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

type Keyed = { _id: string } & Document;

describe('database conformance: upserts seeded from the filter', () => {
  let mongo: TestMongo;
  let items: Collection<Keyed>;

  before(async () => {
    mongo = await startTestMongo({ name: 'upsert' });
  });
  after(async () => mongo.close());
  beforeEach(async () => {
    items = mongo.db.collection<Keyed>(`upsert_${new ObjectId().toHexString()}`);
  });

  it('inserts with the _id of an equality filter, then updates the same document', async () => {
    const first = await items.updateOne({ _id: 'k' }, { $set: { v: 1 } }, { upsert: true });
    expect(first).to.include({ upsertedCount: 1, matchedCount: 0, upsertedId: 'k' });
    const second = await items.updateOne({ _id: 'k' }, { $set: { v: 2 } }, { upsert: true });
    expect(second).to.include({ upsertedCount: 0, matchedCount: 1, modifiedCount: 1 });
    expect(await items.find().toArray()).to.deep.equal([{ _id: 'k', v: 2 }]);
  });

  it('seeds _id and the other equality fields in findOneAndUpdate upserts', async () => {
    const after = await items.findOneAndUpdate(
      { _id: 'job-1', status: 'new', tries: { $lt: 3 } },
      { $set: { owner: 'w1' }, $inc: { tries: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(after).to.deep.equal({ _id: 'job-1', status: 'new', owner: 'w1', tries: 1 });
    const before = await items.findOneAndUpdate({ _id: { $eq: 'job-2' } }, { $set: { owner: 'w2' } }, { upsert: true });
    expect(before).to.equal(null);
    expect(await items.findOne({ _id: 'job-2' })).to.deep.equal({ _id: 'job-2', owner: 'w2' });
  });

  it('accepts $setOnInsert or $set of the same _id the filter names', async () => {
    await items.updateOne({ _id: 'a' }, { $setOnInsert: { _id: 'a', n: 1 } }, { upsert: true });
    await items.updateOne({ _id: 'b' }, { $set: { _id: 'b', n: 2 } }, { upsert: true });
    expect(await items.find().sort({ _id: 1 }).toArray()).to.deep.equal([
      { _id: 'a', n: 1 },
      { _id: 'b', n: 2 },
    ]);
  });

  it('takes _id from $setOnInsert when the filter does not name it', async () => {
    const result = await items.updateOne({ name: 'x' }, { $setOnInsert: { _id: 'from-insert' } }, { upsert: true });
    expect(result.upsertedId).to.equal('from-insert');
    expect(await items.findOne({ _id: 'from-insert' })).to.deep.equal({ _id: 'from-insert', name: 'x' });
  });

  it('refuses an upsert that would set a different _id than the filter', async () => {
    const error = await items
      .updateOne({ _id: 'c' }, { $setOnInsert: { _id: 'other' } }, { upsert: true })
      .catch((caught: unknown) => caught);
    expect(error).to.have.property('code', 66);
    const viaSet = await items
      .findOneAndUpdate({ _id: 'c' }, { $set: { _id: 'other' } }, { upsert: true })
      .catch((caught: unknown) => caught);
    expect(viaSet).to.have.property('code', 66);
    expect(await items.countDocuments()).to.equal(0);
  });

  it('creates each keyed document once under concurrent upserts', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        items.updateOne({ _id: `c${i % 4}` }, { $setOnInsert: { createdBy: i }, $inc: { hits: 1 } }, { upsert: true }),
      ),
    );
    const docs = await items.find().sort({ _id: 1 }).toArray();
    expect(docs.map((doc) => doc._id)).to.deep.equal(['c0', 'c1', 'c2', 'c3']);
    expect(docs.map((doc) => doc.hits)).to.deep.equal([5, 5, 5, 5]);
  });
});
