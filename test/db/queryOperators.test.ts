import { expect } from 'chai';
import { Binary, DBRef, ObjectId, type Collection, type Document } from 'mongodb';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

describe('database conformance: query operators on BSON values', () => {
  let mongo: TestMongo;
  let items: Collection<Document>;

  before(async () => {
    mongo = await startTestMongo({ name: 'query_operators' });
  });
  after(async () => mongo.close());
  beforeEach(async () => {
    items = mongo.db.collection(`query_${new ObjectId().toHexString()}`);
  });

  const names = async (filter: Document): Promise<string[]> => (await items.find(filter).sort({ name: 1 }).toArray()).map((doc) => doc.name as string);

  it('matches $all against a scalar field as against a one-element array', async () => {
    await items.insertMany([{ name: 'scalar', v: 4 }, { name: 'array', v: [4, 5] }, { name: 'other', v: 5 }]);
    expect(await names({ v: { $all: [4] } })).to.deep.equal(['array', 'scalar']);
    expect(await names({ v: { $all: [] } })).to.deep.equal([]);
  });

  it('finds binary data with $in and $nin by bytes', async () => {
    await items.insertMany([
      { name: 'a', data: new Binary(Buffer.from('über')) },
      { name: 'b', data: new Binary(Buffer.from('hello')) },
    ]);
    expect(await names({ data: { $in: [new Binary(Buffer.from('hello')), new Binary(Buffer.from('x'))] } })).to.deep.equal(['b']);
    expect(await names({ data: { $nin: [new Binary(Buffer.from('über'))] } })).to.deep.equal(['b']);
  });

  it('compares ranges only within the bound’s type class', async () => {
    await items.insertMany([{ name: 'number', v: 5 }, { name: 'string', v: '9' }, { name: 'date', v: new Date(5) }, { name: 'missing' }]);
    expect(await names({ v: { $gt: 1 } })).to.deep.equal(['number']);
    expect(await names({ v: { $gte: null } })).to.deep.equal(['missing']);
  });

  it('queries the fields of a DBRef by path and inside $elemMatch', async () => {
    const target = new ObjectId();
    await items.insertMany([
      { name: 'one', ref: new DBRef('users', target), refs: [new DBRef('users', target)] },
      { name: 'two', ref: new DBRef('users', new ObjectId()), refs: [] },
    ]);
    expect(await names({ 'ref.$id': target })).to.deep.equal(['one']);
    expect(await names({ 'ref.$ref': 'users' })).to.deep.equal(['one', 'two']);
    expect(await names({ refs: { $elemMatch: { $ref: 'users', $id: target } } })).to.deep.equal(['one']);
  });

  it('refuses an unknown top-level operator with BadValue even where no document exists', async () => {
    const error = await mongo.db.collection('never_written').find({ $bad: 1 }).toArray().catch((caught: unknown) => caught);
    expect(error).to.have.property('code', 2);
  });

  it('tells binary data of different subtypes apart, in queries and updates', async () => {
    await items.insertOne({ name: 'generic', data: new Binary(Buffer.from('hi'), 128) });
    expect(await names({ data: new Binary(Buffer.from('hi'), 0) })).to.deep.equal([]);
    const { modifiedCount } = await items.updateOne({}, { $set: { data: new Binary(Buffer.from('hi'), 0) } });
    expect(modifiedCount).to.equal(1);
    expect(await names({ data: new Binary(Buffer.from('hi'), 0) })).to.deep.equal(['generic']);
  });

  it('tests bits of integers and of binary data', async () => {
    await items.insertMany([
      { name: 'int', v: 0b1010 },
      { name: 'negative', v: -1 },
      { name: 'binary', v: new Binary(Buffer.from([0xff, 0x00])) },
      { name: 'fraction', v: 2.5 },
    ]);
    expect(await names({ v: { $bitsAllSet: [1, 3] } })).to.deep.equal(['binary', 'int', 'negative']);
    expect(await names({ v: { $bitsAnySet: 2 ** 40 } })).to.deep.equal(['negative']);
    expect(await names({ v: { $bitsAllClear: [8, 9] } })).to.deep.equal(['binary', 'int']);
    expect(await names({ v: { $bitsAnyClear: new Binary(Buffer.from([0x01])) } })).to.deep.equal(['int']);
  });

  it('refuses geo, text and $where queries as a MongoDB without them (and without scripting) does', async () => {
    await items.insertOne({ name: 'place', loc: [1, 2] });
    const refusal = async (filter: Document): Promise<unknown> => items.find(filter).toArray().catch((caught: unknown) => caught);
    expect(await refusal({ loc: { $near: [1, 2] } })).to.include({ code: 2, message: 'unknown operator: $near' });
    expect(await refusal({ $text: { $search: 'x' } })).to.include({ code: 2 }).and.to.have.property('message').that.matches(/^unknown top level operator: \$text/);
    expect(await refusal({ $where: 'true' })).to.include({ code: 2, message: 'no globalScriptEngine in $where parsing' });
  });
});
