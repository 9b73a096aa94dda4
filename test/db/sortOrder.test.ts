import { expect } from 'chai';
import { Binary, ObjectId, type Collection, type Document } from 'mongodb';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

describe('database conformance: sort order of an in-memory sort', () => {
  let mongo: TestMongo;
  let items: Collection<Document>;

  before(async () => {
    mongo = await startTestMongo({ name: 'sort_order' });
  });
  after(async () => mongo.close());
  beforeEach(async () => {
    items = mongo.db.collection(`sort_${new ObjectId().toHexString()}`);
  });

  const order = async (sort: Document): Promise<string[]> => (await items.find({}, { sort }).toArray()).map((doc) => doc.name as string);

  it('orders binary data by length first, then by bytes', async () => {
    await items.insertMany([
      { name: 'long', data: new Binary(Buffer.from([0, 0, 0])) },
      { name: 'short-high', data: new Binary(Buffer.from([9])) },
      { name: 'short-low', data: new Binary(Buffer.from([1])) },
    ]);
    expect(await order({ data: 1 })).to.deep.equal(['short-low', 'short-high', 'long']);
  });

  it('orders across types in BSON order, missing fields with null first', async () => {
    await items.insertMany([{ name: 'string', v: 'a' }, { name: 'number', v: 2 }, { name: 'missing' }, { name: 'date', v: new Date(0) }]);
    expect(await order({ v: 1 })).to.deep.equal(['missing', 'number', 'string', 'date']);
  });

  it('sorts an array field by its smallest element ascending and its largest descending', async () => {
    await items.insertMany([
      { name: 'wide', v: [1, 9] },
      { name: 'middle', v: 5 },
    ]);
    expect(await order({ v: 1 })).to.deep.equal(['wide', 'middle']);
    expect(await order({ v: -1 })).to.deep.equal(['wide', 'middle']);
  });

  it('sorts the same way in an aggregation $sort', async () => {
    await items.insertMany([
      { name: 'long', data: new Binary(Buffer.from([0, 0, 0])) },
      { name: 'short', data: new Binary(Buffer.from([9])) },
      { name: 'array', data: [new Binary(Buffer.from([0, 0, 0, 0])), new Binary(Buffer.from([]))] },
    ]);
    const rows = await items.aggregate([{ $sort: { data: 1 } }]).toArray();
    expect(rows.map((row) => row.name)).to.deep.equal(['array', 'short', 'long']);
  });
});
