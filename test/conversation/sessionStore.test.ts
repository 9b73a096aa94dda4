import { expect } from 'chai';
import type { Collection } from 'mongodb';
import { createConnection, type Connection } from 'mongoose';
import type { SessionStore } from '../../src/conversation/session.js';
import { MemorySessionStore, MongoSessionStore, type SessionDocument } from '../../src/conversation/sessionStores.js';
import { CachedSessionStore } from '../../src/conversation/sessionCache.js';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

const TURN = { messageId: 'm1', replies: [{ userId: 'tel:+8613800138000', body: { type: 'text' as const, text: '好' } }] };

/** One behaviour, two stores: each spec runs against memory and against MongoDB through mongoose. */
function sessionStoreSpec(name: string, create: () => Promise<{ store: SessionStore; expire(): Promise<void>; close(): Promise<void> }>): void {
  describe(`session store: ${name}`, function () {
    this.timeout(20_000);
    let subject: Awaited<ReturnType<typeof create>>;
    beforeEach(async () => (subject = await create()));
    afterEach(() => subject.close());
    // Computed when each test runs: the suite may run long after this file was loaded.
    const later = (): Date => new Date(Date.now() + 60_000);

    it('starts a new session at version 0 with an empty state', async () => {
      expect(await subject.store.load('a')).to.deep.equal({ version: 0, state: {} });
    });

    it('saves state and the last turn, and loads them back at the next version', async () => {
      expect(await subject.store.save('a', 0, { state: { guide: { item: 'x' } }, lastTurn: TURN }, later())).to.equal(true);
      expect(await subject.store.load('a')).to.deep.equal({ version: 1, state: { guide: { item: 'x' } }, lastTurn: TURN });
    });

    it('refuses a save from a turn that loaded an older version', async () => {
      await subject.store.save('a', 0, { state: { n: 1 }, lastTurn: TURN }, later());
      expect(await subject.store.save('a', 0, { state: { n: 2 }, lastTurn: TURN }, later())).to.equal(false);
      expect(await subject.store.save('a', 1, { state: { n: 3 }, lastTurn: TURN }, later())).to.equal(true);
      expect(await subject.store.save('a', 1, { state: { n: 4 }, lastTurn: TURN }, later())).to.equal(false);
      expect((await subject.store.load('a')).state).to.deep.equal({ n: 3 });
    });

    it('lets exactly one of two concurrent first saves win', async () => {
      const results = await Promise.all([1, 2, 3].map((n) => subject.store.save('b', 0, { state: { n }, lastTurn: TURN }, later())));
      expect(results.filter(Boolean)).to.have.length(1);
    });

    it('forgets a session once it has expired', async () => {
      await subject.store.save('c', 0, { state: { n: 1 }, lastTurn: TURN }, new Date(Date.now() - 1_000));
      await subject.expire();
      expect(await subject.store.load('c')).to.deep.equal({ version: 0, state: {} });
    });
  });
}

sessionStoreSpec('memory', async () => ({ store: new MemorySessionStore(), expire: async () => undefined, close: async () => undefined }));

sessionStoreSpec('MongoDB', async () => {
  const mongo: TestMongo = await startTestMongo({ name: 'sessions', ttlIntervalMs: 50 });
  const connection: Connection = await createConnection(mongo.uri, { dbName: mongo.dbName }).asPromise();
  const store = new MongoSessionStore(connection);
  await store.init();
  return {
    store,
    async expire() {
      // The embedded store sweeps every 50 ms here; a real MongoDB sweeps each minute, so wait for the document to go.
      for (let waited = 0; waited < 90_000 && (await store.model.countDocuments({ _id: 'c' })) > 0; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    },
    async close() {
      await connection.close();
      await mongo.close();
    },
  };
});

describe('session store: MongoDB records', function () {
  this.timeout(20_000);
  let mongo: TestMongo;
  let connection: Connection;
  let store: MongoSessionStore;
  before(async () => {
    mongo = await startTestMongo({ name: 'session-records' });
    connection = await createConnection(mongo.uri, { dbName: mongo.dbName }).asPromise();
    store = new MongoSessionStore(connection);
    await store.init();
  });
  after(async () => {
    await connection.close();
    await mongo.close();
  });

  it('keeps the last replies as one string, and reads records that hold them as documents', async () => {
    const records = store.model.collection as unknown as Collection<SessionDocument>;
    await store.save('new', 0, { state: {}, lastTurn: TURN }, new Date(Date.now() + 60_000));
    const written = await records.findOne({ _id: 'new' });
    expect(written?.lastTurn).to.deep.equal({ messageId: 'm1', replies: JSON.stringify(TURN.replies) });

    await records.insertOne({ _id: 'old', version: 3, state: { n: 1 }, lastTurn: TURN, updatedAt: new Date(), expiresAt: new Date(Date.now() + 60_000) });
    expect(await store.load('old')).to.deep.equal({ version: 3, state: { n: 1 }, lastTurn: TURN });
  });
});

describe('session store: the cache of the sessions a process wrote', () => {
  const later = (): Date => new Date(Date.now() + 60_000);

  it('starts the next turn from what this process wrote, and notices another process moved on', async () => {
    const shared = new MemorySessionStore();
    let reads = 0;
    const counting: SessionStore = { load: (key) => (reads++, shared.load(key)), save: (...args) => shared.save(...args) };
    const processA = new CachedSessionStore(counting);
    const processB = new CachedSessionStore(counting);
    expect(await processA.save('u', 0, { state: { n: 1 }, lastTurn: TURN }, later())).to.equal(true);
    expect(await processA.load('u')).to.deep.include({ version: 1, state: { n: 1 } });
    expect(reads, 'the cached session needs no read').to.equal(0);
    const inB = await processB.load('u');
    expect(await processB.save('u', inB.version, { state: { n: 2 }, lastTurn: TURN }, later())).to.equal(true);
    const stale = await processA.load('u');
    expect(stale.version).to.equal(1);
    expect(await processA.save('u', stale.version, { state: { n: 3 }, lastTurn: TURN }, later()), 'the stale save is refused').to.equal(false);
    expect(await processA.load('u')).to.deep.include({ version: 2, state: { n: 2 } });
  });

  it('forgets what expired and keeps at most its limit of sessions', async () => {
    let now = new Date('2026-12-03T02:00:00Z');
    const shared = new MemorySessionStore(() => now);
    const cache = new CachedSessionStore(shared, () => now, 2);
    for (const key of ['a', 'b', 'c']) await cache.save(key, 0, { state: { key }, lastTurn: TURN }, new Date(now.getTime() + 60_000));
    now = new Date(now.getTime() + 120_000);
    expect(await cache.load('c')).to.deep.equal({ version: 0, state: {} });
  });
});
