import { expect } from 'chai';
import { ObjectId, type Collection, type Document } from 'mongodb';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

describe('database conformance: CRUD and operators', () => {
  let mongo: TestMongo;
  let items: Collection<Document>;

  before(async () => {
    mongo = await startTestMongo({ name: 'crud' });
  });
  after(async () => mongo.close());
  beforeEach(async () => {
    items = mongo.db.collection(`items_${new ObjectId().toHexString()}`);
  });

  it('assigns an ObjectId _id when missing and finds documents by it', async () => {
    const { insertedId } = await items.insertOne({ name: 'a' });
    expect(insertedId).to.be.instanceOf(ObjectId);
    const found = await items.findOne({ _id: insertedId });
    expect(found).to.deep.equal({ _id: insertedId, name: 'a' });
    expect(Object.keys(found ?? {})[0]).to.equal('_id');
  });

  it('keeps _id unique', async () => {
    await items.insertOne({ _id: 'x' as unknown as ObjectId });
    const error = await items.insertOne({ _id: 'x' as unknown as ObjectId }).catch((caught: unknown) => caught);
    expect(error).to.have.property('code', 11000);
  });

  it('applies comparison, logical, element, array and regex query operators', async () => {
    await items.insertMany([
      { n: 1, tags: ['a', 'b'], name: 'alpha', nested: { k: 1 } },
      { n: 2, tags: ['b'], name: 'beta', nested: { k: 2 } },
      { n: 3, name: 'gamma' },
    ]);
    const names = async (filter: Document): Promise<string[]> =>
      (await items.find(filter).sort({ n: 1 }).toArray()).map((doc) => doc.name as string);
    expect(await names({ n: { $gte: 2 } })).to.deep.equal(['beta', 'gamma']);
    expect(await names({ n: { $in: [1, 3] } })).to.deep.equal(['alpha', 'gamma']);
    expect(await names({ $or: [{ n: 1 }, { name: 'gamma' }] })).to.deep.equal(['alpha', 'gamma']);
    expect(await names({ tags: 'b' })).to.deep.equal(['alpha', 'beta']);
    expect(await names({ tags: { $exists: false } })).to.deep.equal(['gamma']);
    expect(await names({ tags: { $size: 2 } })).to.deep.equal(['alpha']);
    expect(await names({ name: /^.a/ })).to.deep.equal(['gamma']);
    expect(await names({ 'nested.k': { $ne: 1 } })).to.deep.equal(['beta', 'gamma']);
    expect(await names({ n: { $not: { $lt: 3 } } })).to.deep.equal(['gamma']);
    expect(await names({ tags: { $all: ['a', 'b'] } })).to.deep.equal(['alpha']);
    expect(await names({ nested: { $type: 'object' }, n: { $mod: [2, 0] } })).to.deep.equal(['beta']);
    expect(await names({ $expr: { $gt: ['$n', '$nested.k'] } })).to.deep.equal(['gamma']);
    expect(await names({ $expr: { $lt: ['$n', 2] } })).to.deep.equal(['alpha']);
    expect(await names({ $nor: [{ n: 1 }, { n: 3 }] })).to.deep.equal(['beta']);
  });

  it('matches array elements with $elemMatch', async () => {
    await items.insertMany([
      { name: 'one', slots: [{ day: 1, free: false }, { day: 2, free: true }] },
      { name: 'two', slots: [{ day: 1, free: true }] },
    ]);
    const found = await items.find({ slots: { $elemMatch: { day: 2, free: true } } }).toArray();
    expect(found.map((doc) => doc.name)).to.deep.equal(['one']);
    const mixed = await items.find({ 'slots.day': 2, 'slots.free': false }).toArray();
    expect(mixed.map((doc) => doc.name)).to.deep.equal(['one']);
  });

  it('refuses findOneAndDelete with a bad projection before deleting anything', async () => {
    await items.insertOne({ _id: 'kept', a: 1, b: 2 } as never);
    const error = await items.findOneAndDelete({ _id: 'kept' } as never, { projection: { a: 1, b: 0 } }).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(Error);
    expect(await items.findOne({ _id: 'kept' } as never)).to.deep.equal({ _id: 'kept', a: 1, b: 2 });
  });

  it('sorts, skips, limits and projects', async () => {
    await items.insertMany([5, 3, 9, 1].map((n) => ({ n, secret: 's', label: `n${n}` })));
    const page = await items.find({}, { projection: { secret: 0, _id: 0 } }).sort({ n: -1 }).skip(1).limit(2).toArray();
    expect(page).to.deep.equal([
      { n: 5, label: 'n5' },
      { n: 3, label: 'n3' },
    ]);
    const included = await items.findOne({ n: 1 }, { projection: { label: 1 } });
    expect(Object.keys(included ?? {}).sort()).to.deep.equal(['_id', 'label']);
  });

  it('applies update operators and reports matched and modified counts', async () => {
    const { insertedId } = await items.insertOne({ n: 1, list: [1], old: true, keep: 'x' });
    const change: Document = {
      $inc: { n: 2 },
      $push: { list: 2 },
      $unset: { old: '' },
      $set: { 'deep.field': 'v' },
      $addToSet: { set: 'a' },
    };
    const result = await items.updateOne({ _id: insertedId }, change);
    expect(result).to.include({ matchedCount: 1, modifiedCount: 1 });
    expect(await items.findOne({ _id: insertedId }, { projection: { _id: 0 } })).to.deep.equal({
      n: 3,
      list: [1, 2],
      keep: 'x',
      deep: { field: 'v' },
      set: ['a'],
    });
    const noop = await items.updateOne({ _id: insertedId }, { $set: { n: 3 } });
    expect(noop).to.include({ matchedCount: 1, modifiedCount: 0 });
  });

  it('applies the array and arithmetic update operators', async () => {
    const { insertedId } = await items.insertOne({
      list: [5, 1, 4],
      queue: [1, 2, 3],
      scores: [{ v: 1 }, { v: 2 }],
      low: 10,
      high: 10,
      price: 3,
      oldName: 'x',
    });
    const change: Document = {
      $push: { list: { $each: [9, 0], $sort: 1, $slice: 4 } },
      $pull: { queue: { $gte: 3 } },
      $inc: { 'scores.$[].v': 10 },
      $min: { low: 5 },
      $max: { high: 50 },
      $mul: { price: 2.5 },
      $rename: { oldName: 'newName' },
      $currentDate: { touchedAt: true },
    };
    await items.updateOne({ _id: insertedId }, change);
    await items.updateOne({ _id: insertedId }, { $pop: { queue: -1 } });
    const doc = await items.findOne({ _id: insertedId });
    expect(doc).to.deep.include({
      list: [0, 1, 4, 5],
      queue: [2],
      scores: [{ v: 11 }, { v: 12 }],
      low: 5,
      high: 50,
      price: 7.5,
      newName: 'x',
    });
    expect(doc).to.not.have.property('oldName');
    expect(doc?.touchedAt).to.be.instanceOf(Date);
  });

  it('updates many documents and array elements chosen by arrayFilters', async () => {
    await items.insertMany([
      { group: 'a', grades: [{ v: 1 }, { v: 5 }] },
      { group: 'a', grades: [{ v: 7 }] },
      { group: 'b', grades: [{ v: 9 }] },
    ]);
    const result = await items.updateMany(
      { group: 'a' },
      { $set: { 'grades.$[high].passed': true } },
      { arrayFilters: [{ 'high.v': { $gte: 5 } }] },
    );
    expect(result).to.include({ matchedCount: 2, modifiedCount: 2 });
    const passed = await items.countDocuments({ 'grades.passed': true });
    expect(passed).to.equal(2);
    const first = await items.findOne({ 'grades.v': 1 });
    expect(first?.grades).to.deep.equal([{ v: 1 }, { v: 5, passed: true }]);
  });

  it('updates the array element matched by the filter through the positional $ operator', async () => {
    const { insertedId } = await items.insertOne({ slots: [{ at: 9, free: true }, { at: 10, free: true }] });
    const result = await items.updateOne({ _id: insertedId, 'slots.at': 10 }, { $set: { 'slots.$.free': false } });
    expect(result.modifiedCount).to.equal(1);
    expect((await items.findOne({ _id: insertedId }))?.slots).to.deep.equal([
      { at: 9, free: true },
      { at: 10, free: false },
    ]);
  });

  it('replaces a whole document, keeping its _id', async () => {
    const { insertedId } = await items.insertOne({ a: 1, b: 2 });
    await items.replaceOne({ _id: insertedId }, { c: 3 });
    expect(await items.findOne({ _id: insertedId })).to.deep.equal({ _id: insertedId, c: 3 });
  });

  it('upserts from the filter equality fields, applying $setOnInsert only on insert', async () => {
    const first = await items.updateOne(
      { key: 'k1', status: { $eq: 'new' } },
      { $set: { seen: 1 }, $setOnInsert: { createdBy: 'upsert' } },
      { upsert: true },
    );
    expect(first.upsertedCount).to.equal(1);
    const second = await items.updateOne(
      { key: 'k1', status: 'new' },
      { $set: { seen: 2 }, $setOnInsert: { createdBy: 'other' } },
      { upsert: true },
    );
    expect(second).to.include({ upsertedCount: 0, matchedCount: 1, modifiedCount: 1 });
    expect(await items.findOne({ key: 'k1' }, { projection: { _id: 0 } })).to.deep.equal({
      key: 'k1',
      status: 'new',
      seen: 2,
      createdBy: 'upsert',
    });
    const replaced = await items.replaceOne({ key: 'k2' }, { key: 'k2', v: 1 }, { upsert: true });
    expect(replaced.upsertedId).to.be.instanceOf(ObjectId);
  });

  it('deletes one or many', async () => {
    await items.insertMany([{ t: 1 }, { t: 1 }, { t: 1 }, { t: 2 }]);
    expect((await items.deleteOne({ t: 1 })).deletedCount).to.equal(1);
    expect((await items.deleteMany({ t: 1 })).deletedCount).to.equal(2);
    expect(await items.countDocuments()).to.equal(1);
  });

  it('findOneAndUpdate/Delete/Replace return the document before or after, in sort order', async () => {
    await items.insertMany([
      { job: 1, status: 'queued', at: 3 },
      { job: 2, status: 'queued', at: 1 },
    ]);
    const claimed = await items.findOneAndUpdate(
      { status: 'queued' },
      { $set: { status: 'running' } },
      { sort: { at: 1 }, returnDocument: 'after', projection: { _id: 0, job: 1, status: 1 } },
    );
    expect(claimed).to.deep.equal({ job: 2, status: 'running' });
    const before = await items.findOneAndUpdate({ job: 1 }, { $inc: { at: 1 } }, { returnDocument: 'before' });
    expect(before?.at).to.equal(3);
    const upserted = await items.findOneAndUpdate(
      { job: 3 },
      { $setOnInsert: { status: 'queued' } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(upserted).to.include({ job: 3, status: 'queued' });
    const missing = await items.findOneAndUpdate({ job: 99 }, { $set: { x: 1 } });
    expect(missing).to.equal(null);
    const removed = await items.findOneAndDelete({ job: 1 });
    expect(removed?.job).to.equal(1);
    const replaced = await items.findOneAndReplace({ job: 2 }, { job: 2, replaced: true }, { returnDocument: 'after' });
    expect(replaced).to.include({ job: 2, replaced: true });
    expect(await items.countDocuments()).to.equal(2);
  });

  it('counts and lists distinct values, flattening arrays', async () => {
    await items.insertMany([{ tags: ['a', 'b'], k: 1 }, { tags: ['b', 'c'], k: 1 }, { tags: 'd', k: 2 }]);
    expect(await items.countDocuments({ k: 1 })).to.equal(2);
    expect(await items.estimatedDocumentCount()).to.equal(3);
    expect((await items.distinct('tags')).sort()).to.deep.equal(['a', 'b', 'c', 'd']);
    expect((await items.distinct('tags', { k: 1 })).sort()).to.deep.equal(['a', 'b', 'c']);
  });

  it('round-trips BSON types: dates, ObjectIds, nested arrays, null, booleans, big numbers', async () => {
    const doc = { at: new Date('2026-01-02T03:04:05.678Z'), ref: new ObjectId(), deep: [[1, 2], { x: null }], flag: false, big: 2 ** 40, real: 1.5 };
    const { insertedId } = await items.insertOne({ ...doc });
    expect(await items.findOne({ _id: insertedId }, { projection: { _id: 0 } })).to.deep.equal(doc);
    expect(await items.countDocuments({ at: { $gt: new Date('2026-01-01') } })).to.equal(1);
  });

  it('takes unacknowledged (w: 0) writes and keeps the connection usable', async () => {
    const result = await items.insertOne({ fireAndForget: true }, { writeConcern: { w: 0 } });
    expect(result.acknowledged).to.equal(false);
    const deadline = Date.now() + 2000;
    while ((await items.countDocuments({ fireAndForget: true })) === 0) {
      if (Date.now() > deadline) throw new Error('unacknowledged insert never arrived');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await items.countDocuments({ fireAndForget: true })).to.equal(1);
  });

  it('supports bulkWrite with mixed operations', async () => {
    const result = await items.bulkWrite([
      { insertOne: { document: { b: 1 } } },
      { updateOne: { filter: { b: 1 }, update: { $set: { c: 1 } } } },
      { updateOne: { filter: { b: 2 }, update: { $set: { c: 2 } }, upsert: true } },
      { deleteMany: { filter: { c: 1 } } },
    ]);
    expect(result).to.include({ insertedCount: 1, matchedCount: 1, modifiedCount: 1, upsertedCount: 1, deletedCount: 1 });
  });
});
