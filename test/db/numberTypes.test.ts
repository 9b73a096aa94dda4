import { expect } from 'chai';
import { Double, Int32, Long, ObjectId, type Collection, type Document } from 'mongodb';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

describe('database conformance: number types survive the store', () => {
  let mongo: TestMongo;
  let items: Collection<Document>;

  before(async () => {
    mongo = await startTestMongo({ name: 'number_types' });
  });
  after(async () => mongo.close());
  beforeEach(async () => {
    items = mongo.db.collection(`numbers_${new ObjectId().toHexString()}`);
    await items.insertOne({ _id: 'n' as unknown as ObjectId, int: new Int32(5), long: Long.fromNumber(5), double: new Double(5), fraction: 2.5 });
  });

  /** The stored document with every number as its BSON type's class. */
  const typed = async (): Promise<Document | null> => items.findOne({}, { promoteValues: false });

  it('returns an int64 as an int64 and a whole double as a double', async () => {
    const doc = await typed();
    expect(doc?.long).to.be.instanceOf(Long);
    expect(doc?.double).to.be.instanceOf(Double);
    expect(doc?.int).to.be.instanceOf(Int32);
    expect((await items.findOne({}, { useBigInt64: true }))?.long).to.equal(5n);
  });

  it('matches $type by the type each number is stored as', async () => {
    const fields = async (type: string): Promise<string[]> => {
      const doc = (await items.findOne({})) ?? {};
      const matching: string[] = [];
      for (const field of Object.keys(doc).filter((name) => name !== '_id')) {
        if ((await items.countDocuments({ [field]: { $type: type } })) > 0) matching.push(field);
      }
      return matching;
    };
    expect(await fields('long')).to.deep.equal(['long']);
    expect(await fields('int')).to.deep.equal(['int']);
    expect(await fields('double')).to.deep.equal(['double', 'fraction']);
    expect(await fields('number')).to.deep.equal(['int', 'long', 'double', 'fraction']);
  });

  it('matches numbers of any type by value', async () => {
    expect(await items.countDocuments({ long: 5, double: 5, int: Long.fromNumber(5) })).to.equal(1);
    expect(await items.countDocuments({ long: { $gt: 4.5 }, double: { $in: [5] } })).to.equal(1);
  });

  it('keeps the type of a number an update changes', async () => {
    await items.updateOne({}, { $inc: { long: 1, double: 1, int: 1 } });
    const doc = await typed();
    expect(doc?.long).to.be.instanceOf(Long);
    expect(doc?.double).to.be.instanceOf(Double);
    expect(doc?.int).to.be.instanceOf(Int32);
    expect(await items.countDocuments({ long: 6, double: 6, int: 6 })).to.equal(1);
  });

  it('sums stored longs and doubles in an aggregation', async () => {
    const [row] = await items.aggregate([{ $project: { total: { $add: ['$long', '$double', '$int'] } } }]).toArray();
    expect(row?.total).to.equal(15);
  });

  it('reads sort directions, projections and limits sent as doubles or longs as their values', async () => {
    await items.insertOne({ _id: 'm' as unknown as ObjectId, int: new Int32(9) });
    const reply = await mongo.db.command({
      find: items.collectionName,
      sort: { int: new Double(-1) },
      projection: { long: new Double(0), double: new Double(0), fraction: 0 },
      limit: Long.fromNumber(1),
    });
    expect(reply.cursor.firstBatch).to.deep.equal([{ _id: 'm', int: 9 }]);
  });

  it('keeps the number type an upsert copies from its filter', async () => {
    await items.updateOne({ _id: 'u' as unknown as ObjectId, d: new Double(7) }, { $set: { x: 1 } }, { upsert: true });
    expect((await items.findOne({ _id: 'u' as unknown as ObjectId }, { promoteValues: false }))?.d).to.be.instanceOf(Double);
  });
});
