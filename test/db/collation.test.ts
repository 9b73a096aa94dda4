import { expect } from 'chai';
import { ObjectId, type Collection, type Document } from 'mongodb';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

const caseInsensitive = { locale: 'en_US', strength: 1 };

describe('database conformance: collation', () => {
  let mongo: TestMongo;
  let items: Collection<Document>;

  before(async () => {
    mongo = await startTestMongo({ name: 'collation' });
  });
  after(async () => mongo.close());
  beforeEach(async () => {
    items = mongo.db.collection(`collation_${new ObjectId().toHexString()}`);
    await items.insertMany([{ name: 'Zeta' }, { name: 'alpha' }, { name: 'a' }, { name: 'A' }, { name: 'é' }]);
  });

  const names = (docs: Document[]): string[] => docs.map((doc) => doc.name as string);

  it('matches and sorts strings by a command’s collation, and by code points without one', async () => {
    expect(await items.countDocuments({ name: 'a' }, { collation: caseInsensitive })).to.equal(2);
    expect(await items.countDocuments({ name: 'a' })).to.equal(1);
    expect(names(await items.find({ name: { $in: ['ZETA'] } }, { collation: caseInsensitive }).toArray())).to.deep.equal(['Zeta']);
    expect(names(await items.find({ name: { $gt: 'b' } }, { collation: caseInsensitive }).toArray())).to.deep.equal(['Zeta', 'é']);
    expect(names(await items.find({}, { sort: { name: 1 } }).toArray())).to.deep.equal(['A', 'Zeta', 'a', 'alpha', 'é']);
    const collated = names(await items.find({ name: { $ne: 'é' } }, { sort: { name: 1 }, collation: { locale: 'en' } }).toArray());
    expect(collated).to.deep.equal(['a', 'A', 'alpha', 'Zeta']);
  });

  it('applies a collection’s default collation unless the command names another', async () => {
    const name = `default_${new ObjectId().toHexString()}`;
    await mongo.db.createCollection(name, { collation: caseInsensitive });
    const collated = mongo.db.collection(name);
    await collated.insertMany([{ name: 'b' }, { name: 'B' }, { name: 'a' }]);
    expect(await collated.countDocuments({ name: 'b' })).to.equal(2);
    expect(await collated.countDocuments({ name: 'b' }, { collation: { locale: 'simple' } })).to.equal(1);
  });

  it('applies collation in aggregation, updates and deletes', async () => {
    const sorted = await items.aggregate([{ $match: { name: { $ne: 'é' } } }, { $sort: { name: 1 } }], { collation: { locale: 'en' } }).toArray();
    expect(names(sorted)).to.deep.equal(['a', 'A', 'alpha', 'Zeta']);
    expect((await items.updateMany({ name: 'A' }, { $set: { hit: true } }, { collation: caseInsensitive })).modifiedCount).to.equal(2);
    expect((await items.deleteMany({ name: 'ZETA' }, { collation: caseInsensitive })).deletedCount).to.equal(1);
  });
});
