import { expect } from 'chai';
import { ObjectId, type Collection, type Document } from 'mongodb';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

const id = (value: unknown): ObjectId => value as ObjectId;

describe('database conformance: find projections', () => {
  let mongo: TestMongo;
  let items: Collection<Document>;

  before(async () => {
    mongo = await startTestMongo({ name: 'projection' });
  });
  after(async () => mongo.close());
  beforeEach(async () => {
    items = mongo.db.collection(`projection_${new ObjectId().toHexString()}`);
    await items.insertOne({ _id: id(1), v: 1, w: 2, s: 'x', dates: [1, 5, 7], tags: [{ tag: 'ham' }, { tag: 'eggs' }], arr: [1, 2, 3, 4] });
  });

  const project = async (projection: Document, filter: Document = {}): Promise<Document | null> => items.findOne(filter, { projection });

  it('keeps included fields in the order the document has them, _id first', async () => {
    const doc = await project({ w: 1, v: 1 });
    expect(Object.keys(doc ?? {})).to.deep.equal(['_id', 'v', 'w']);
  });

  it('returns only _id for {_id: 1}, and everything but _id for {_id: 0}', async () => {
    expect(await project({ _id: 1 })).to.deep.equal({ _id: 1 });
    expect(Object.keys((await project({ _id: 0 })) ?? {})).to.deep.equal(['v', 'w', 's', 'dates', 'tags', 'arr']);
  });

  it('projects the first element an operator-only $elemMatch accepts, with _id', async () => {
    expect(await project({ dates: { $elemMatch: { $gte: 4 } } })).to.deep.equal({ _id: 1, dates: [5] });
    expect(await project({ dates: { $elemMatch: { $gte: 40 } } })).to.deep.equal({ _id: 1 });
  });

  it('slices an array without dropping the other fields, alone or beside an exclusion', async () => {
    expect(await project({ arr: { $slice: 1 } })).to.include({ v: 1, w: 2, s: 'x' }).and.to.deep.include({ arr: [1] });
    const excluding = await project({ arr: { $slice: [1, 2] }, s: 0 });
    expect(excluding).to.deep.include({ arr: [2, 3], v: 1 });
    expect(excluding).to.not.have.property('s');
    expect((await project({ arr: { $slice: -2 }, v: 1 }))?.arr).to.deep.equal([3, 4]);
  });

  it('projects the array element the query matched with a positional projection', async () => {
    expect(await project({ 'tags.$': 1 }, { 'tags.tag': 'eggs' })).to.deep.equal({ _id: 1, tags: [{ tag: 'eggs' }] });
  });

  it('refuses a projection that both includes and excludes fields', async () => {
    const error = await project({ v: 1, w: 0 }).catch((caught: unknown) => caught);
    expect(error).to.have.property('code', 31254);
  });

  it('evaluates aggregation expressions in a find projection', async () => {
    expect(await project({ _id: 0, total: { $add: ['$v', '$w'] } })).to.deep.equal({ total: 3 });
  });
});
