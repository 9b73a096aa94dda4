import { expect } from 'chai';
import { MongoServerError } from 'mongodb';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

describe('database conformance: commands, collections and indexes', () => {
  let mongo: TestMongo;

  before(async () => {
    mongo = await startTestMongo({ name: 'commands' });
  });
  after(async () => mongo.close());

  it('answers an unknown command like MongoDB does', async () => {
    const error = await mongo.db.command({ frobnicate: 1 }).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(MongoServerError);
    expect(error).to.include({ code: 59, codeName: 'CommandNotFound', message: "no such command: 'frobnicate'" });
  });

  it('answers ping and reports a server version', async () => {
    expect(await mongo.db.command({ ping: 1 })).to.include({ ok: 1 });
    const info = await mongo.db.admin().buildInfo();
    expect(info.version).to.match(/^\d+\.\d+/);
  });

  it('creates, lists, filters and drops collections', async () => {
    await mongo.db.createCollection('alpha');
    await mongo.db.collection('beta').insertOne({ x: 1 });
    const names = (await mongo.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    expect(names).to.include.members(['alpha', 'beta']);
    const filtered = await mongo.db.listCollections({ name: 'beta' }).toArray();
    expect(filtered.map((c) => c.name)).to.deep.equal(['beta']);
    expect(await mongo.db.collection('beta').drop()).to.equal(true);
    const after = (await mongo.db.listCollections().toArray()).map((c) => c.name);
    expect(after).to.not.include('beta');
  });

  it('lists the database among all databases and drops it', async () => {
    const other = mongo.client.db(`${mongo.dbName}_other`);
    await other.collection('c').insertOne({ a: 1 });
    const { databases } = await mongo.db.admin().listDatabases();
    expect(databases.map((db) => db.name)).to.include(`${mongo.dbName}_other`);
    await other.dropDatabase();
    expect(await other.listCollections().toArray()).to.deep.equal([]);
  });

  it('creates compound and named indexes, lists and drops them', async () => {
    const halls = mongo.db.collection('halls');
    await halls.insertOne({ district: 'd', name: 'n' });
    const name = await halls.createIndex({ district: 1, name: -1 });
    expect(name).to.equal('district_1_name_-1');
    await halls.createIndex({ name: 1 }, { name: 'by_name', sparse: true });
    const specs = await halls.indexes();
    expect(specs.map((spec) => spec.name)).to.deep.equal(['_id_', 'district_1_name_-1', 'by_name']);
    expect(specs[2]).to.include({ sparse: true });
    // Creating the same index again is a no-op.
    expect(await halls.createIndex({ name: 1 }, { name: 'by_name', sparse: true })).to.equal('by_name');
    await halls.dropIndex('by_name');
    expect((await halls.indexes()).map((spec) => spec.name)).to.deep.equal(['_id_', 'district_1_name_-1']);
    const error = await halls.dropIndex('nope').catch((caught: unknown) => caught);
    expect(error).to.have.property('code', 27);
  });

  it('refuses a different index under an existing name', async () => {
    const c = mongo.db.collection('conflict');
    await c.createIndex({ a: 1 }, { name: 'idx' });
    const error = await c.createIndex({ b: 1 }, { name: 'idx' }).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(MongoServerError);
    expect([85, 86]).to.include((error as MongoServerError).code);
  });

  it('renames a collection with its documents and indexes, refusing an existing target unless told to drop it', async () => {
    const old = mongo.db.collection('old_name');
    await old.createIndex({ code: 1 }, { unique: true });
    await old.insertMany([{ code: 'a' }, { code: 'b' }]);
    const renamed = await old.rename('new_name');
    expect(await renamed.countDocuments()).to.equal(2);
    expect(await renamed.insertOne({ code: 'a' }).catch((caught: unknown) => caught)).to.have.property('code', 11000);
    const names = (await mongo.db.listCollections().toArray()).map((c) => c.name);
    expect(names).to.include('new_name').and.not.include('old_name');
    await mongo.db.collection('other_name').insertOne({ x: 1 });
    const refused = await mongo.db.collection('other_name').rename('new_name').catch((caught: unknown) => caught);
    expect(refused).to.have.property('code', 48);
    await mongo.db.collection('other_name').rename('new_name', { dropTarget: true });
    expect(await mongo.db.collection('new_name').find({}, { projection: { _id: 0 } }).toArray()).to.deep.equal([{ x: 1 }]);
  });

  it('ignores a hint and still finds by other indexed fields', async () => {
    const c = mongo.db.collection('hinted');
    await c.createIndex({ a: 1 });
    await c.insertMany([{ a: 1 }, { a: 2 }]);
    expect(await c.find({ a: 2 }).hint({ a: 1 }).toArray()).to.have.length(1);
  });
});
