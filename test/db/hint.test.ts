import { expect } from 'chai';
import { ObjectId, type Collection, type Document } from 'mongodb';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

describe('database conformance: index hints', () => {
  let mongo: TestMongo;
  let items: Collection<Document>;

  before(async () => {
    mongo = await startTestMongo({ name: 'hint' });
  });
  after(async () => mongo.close());
  beforeEach(async () => {
    items = mongo.db.collection(`hint_${new ObjectId().toHexString()}`);
    await items.createIndex({ qty: -1, name: -1 }, { name: 'qty_desc' });
    await items.insertMany([
      { name: 'Andrew', qty: 4 },
      { name: 'Betty', qty: 5 },
      { name: 'Charlie', qty: 4 },
    ]);
  });

  const names = (docs: Document[]): string[] => docs.map((doc) => doc.name as string);

  it('reads in the hinted index’s order, by key pattern or by name, in find and aggregate', async () => {
    expect(names(await items.find({}).hint({ qty: -1, name: -1 }).toArray())).to.deep.equal(['Betty', 'Charlie', 'Andrew']);
    expect(names(await items.find({ qty: 4 }).hint('qty_desc').toArray())).to.deep.equal(['Charlie', 'Andrew']);
    expect(names(await items.aggregate([{ $match: {} }], { hint: { qty: -1, name: -1 } }).toArray())).to.deep.equal(['Betty', 'Charlie', 'Andrew']);
  });

  it('reads in reverse natural order for {$natural: -1}', async () => {
    expect(names(await items.find({}).hint({ $natural: -1 }).toArray())).to.deep.equal(['Charlie', 'Betty', 'Andrew']);
  });

  it('refuses a hint naming no index', async () => {
    const error = await items.find({}).hint({ missing: 1 }).toArray().catch((caught: unknown) => caught);
    expect(error).to.have.property('code', 2);
  });
});
