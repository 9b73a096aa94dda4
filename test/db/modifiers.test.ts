import { expect } from 'chai';
import { Long, ObjectId, type Collection, type Document } from 'mongodb';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

describe('database conformance: what counts as a modification', () => {
  let mongo: TestMongo;
  let items: Collection<Document>;

  before(async () => {
    mongo = await startTestMongo({ name: 'modifiers' });
  });
  after(async () => mongo.close());
  beforeEach(async () => {
    items = mongo.db.collection(`modifiers_${new ObjectId().toHexString()}`);
    await items.insertOne({ _id: 'd' as unknown as ObjectId, s: 'a', n: 1, at: new Date(1000), tags: ['x'], sub: { k: 1 } });
  });

  const modified = async (update: Document): Promise<number> => (await items.updateOne({ _id: 'd' as unknown as ObjectId }, update)).modifiedCount;

  it('does not count setting the values a document already has', async () => {
    expect(await modified({ $set: { s: 'a', n: 1, at: new Date(1000), tags: ['x'], sub: { k: 1 } } })).to.equal(0);
    expect(await modified({ $inc: { n: 0 } })).to.equal(0);
    expect(await modified({ $unset: { missing: '' } })).to.equal(0);
  });

  it('counts and applies real changes of plain fields, keeping field order', async () => {
    expect(await modified({ $set: { s: 'b', added: true }, $inc: { n: 2, fresh: 5 }, $unset: { tags: '' } })).to.equal(1);
    expect(await modified({ $set: { sub: { k: 1, j: 2 } } })).to.equal(1);
    const doc = await items.findOne({});
    expect(doc).to.deep.equal({ _id: 'd', s: 'b', n: 3, at: new Date(1000), sub: { k: 1, j: 2 }, added: true, fresh: 5 });
    expect(Object.keys(doc ?? {})).to.deep.equal(['_id', 's', 'n', 'at', 'sub', 'added', 'fresh']);
  });

  it('matches equality filters on scalars, array elements and 64-bit integers', async () => {
    await items.insertOne({ _id: 'l' as unknown as ObjectId, n: Long.fromNumber(7), tags: ['y', 'z'] });
    expect(await items.countDocuments({ tags: 'z' })).to.equal(1);
    expect(await items.countDocuments({ n: 7 })).to.equal(1);
    expect(await items.countDocuments({ s: 'a', n: 1 })).to.equal(1);
    expect(await items.countDocuments({ s: 'a', n: 2 })).to.equal(0);
    expect(await items.countDocuments({ sub: { k: 1 } })).to.equal(1);
  });
});
