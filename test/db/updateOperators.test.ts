import { expect } from 'chai';
import { ObjectId, type Collection, type Document } from 'mongodb';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

const id = (value: unknown): ObjectId => value as ObjectId;

async function failure(promise: Promise<unknown>): Promise<{ code?: number }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'the command should have failed').to.be.instanceOf(Error);
  return error as { code?: number };
}

describe('database conformance: update operators as MongoDB applies them', () => {
  let mongo: TestMongo;
  let items: Collection<Document>;

  before(async () => {
    mongo = await startTestMongo({ name: 'update_operators' });
  });
  after(async () => mongo.close());
  beforeEach(async () => {
    items = mongo.db.collection(`updates_${new ObjectId().toHexString()}`);
  });

  it('sets two fields of the element the query matched through one positional $', async () => {
    await items.insertOne({ _id: id(1), kids: [{ _id: 1 }, { _id: 2 }] });
    await items.updateOne({ 'kids._id': 2 }, { $set: { 'kids.$.n': 1, 'kids.$.t': 1 } });
    expect((await items.findOne({}))?.kids).to.deep.equal([{ _id: 1 }, { _id: 2, n: 1, t: 1 }]);
  });

  it('adds to a set inside the matched element beside a $set of that element', async () => {
    await items.insertOne({ _id: id(1), comments: [{ body: 'a', replies: [] }, { body: 'b', replies: ['x'] }] });
    await items.updateOne({ 'comments.body': 'b' }, { $set: { 'comments.$.seen': true }, $addToSet: { 'comments.$.replies': 'y' } });
    await items.updateOne({ 'comments.body': 'b' }, { $addToSet: { 'comments.$.replies': 'y' } });
    expect((await items.findOne({}))?.comments).to.deep.equal([{ body: 'a', replies: [] }, { body: 'b', replies: ['x', 'y'], seen: true }]);
  });

  it('refuses a positional update the query matched no element for', async () => {
    await items.insertOne({ _id: id(1), kids: [{ n: 1 }] });
    expect((await failure(items.updateOne({ _id: id(1) }, { $set: { 'kids.$.n': 2 } }))).code).to.equal(2);
  });

  it('refuses paths of one update that overlap, with ConflictingUpdateOperators', async () => {
    await items.insertOne({ _id: id(1), a: { b: 1 } });
    expect((await failure(items.updateOne({}, { $set: { a: {} }, $inc: { 'a.b': 1 } }))).code).to.equal(40);
    expect((await failure(items.updateOne({}, { $set: { 'a.b': 2 }, $unset: { 'a.b': '' } }))).code).to.equal(40);
  });

  it('refuses a field name through an array with PathNotViable, and $push onto a non-array', async () => {
    await items.insertOne({ _id: id(1), comments: [{ body: 'a' }], count: 3 });
    expect((await failure(items.updateOne({}, { $set: { 'comments.body': 'b' } }))).code).to.equal(28);
    expect((await failure(items.updateOne({}, { $push: { count: 4 } } as Document))).code).to.equal(2);
    expect(await items.findOne({})).to.deep.equal({ _id: 1, comments: [{ body: 'a' }], count: 3 });
  });

  it('pulls the embedded documents an $or condition matches, and scalars an operator matches', async () => {
    await items.insertOne({ _id: id(1), people: [{ n: 'a', age: 1 }, { n: 'b', age: 2 }, { n: 'c', age: 3 }], v: [1, 5, 7] });
    await items.updateOne({}, { $pull: { people: { $or: [{ n: 'a' }, { age: 3 }] }, v: { $gte: 5 } } } as Document);
    expect(await items.findOne({})).to.deep.equal({ _id: 1, people: [{ n: 'b', age: 2 }], v: [1] });
  });

  it('pushes with $each, $position, $sort and $slice', async () => {
    await items.insertOne({ _id: id(1), scores: [5, 1] });
    await items.updateOne({}, { $push: { scores: { $each: [4, 9], $sort: -1, $slice: 3 } } } as Document);
    await items.updateOne({}, { $push: { scores: { $each: [0], $position: 1 } } } as Document);
    expect((await items.findOne({}))?.scores).to.deep.equal([9, 0, 5, 4]);
  });

  it('updates the elements an array filter selects and refuses an array filter no path uses', async () => {
    await items.insertOne({ _id: id(1), grades: [{ g: 80 }, { g: 95 }] });
    await items.updateOne({}, { $set: { 'grades.$[high].top': true } }, { arrayFilters: [{ 'high.g': { $gte: 90 } }] });
    expect((await items.findOne({}))?.grades).to.deep.equal([{ g: 80 }, { g: 95, top: true }]);
    const unused = items.updateOne({}, { $set: { x: 1 } }, { arrayFilters: [{ 'other.g': 1 }] });
    expect((await failure(unused)).code).to.equal(9);
  });

  it('writes new fields in field-name order, whatever order the update names them', async () => {
    await items.insertOne({ _id: id(1) });
    await items.updateOne({}, { $set: { z: 1, 'm.y': 1, 'm.b': 1 }, $inc: { a: 1 } });
    const doc = await items.findOne({});
    expect(Object.keys(doc ?? {})).to.deep.equal(['_id', 'a', 'm', 'z']);
    expect(Object.keys(doc?.m as Document)).to.deep.equal(['b', 'y']);
  });

  it('accepts $-prefixed field names in $set, as MongoDB 5 and later do', async () => {
    await items.insertOne({ _id: id(1) });
    await items.updateOne({}, { $set: { $price: 3, 'meta.$each': 1 } });
    expect(await items.findOne({})).to.deep.equal({ _id: 1, $price: 3, meta: { $each: 1 } });
  });

  it('upserts a document whose _id is null when the filter names _id null', async () => {
    const { upsertedId } = await items.updateOne({ _id: null } as Document, { $set: { n: 1 } }, { upsert: true });
    expect(upsertedId).to.equal(null);
    expect(await items.findOne({})).to.deep.equal({ _id: null, n: 1 });
  });

  it('stores a field named __proto__ as plain data', async () => {
    await items.insertOne({ _id: id(1) });
    const update = JSON.parse('{"$set":{"__proto__":{"polluted":true},"sub.__proto__":{"x":1}}}') as Document;
    await items.updateOne({}, update);
    const doc = await items.findOne({});
    expect(Object.getPrototypeOf(doc)).to.equal(Object.prototype);
    expect(Object.hasOwn(doc ?? {}, '__proto__')).to.equal(true);
    expect(({} as Document).polluted).to.equal(undefined);
  });
});
