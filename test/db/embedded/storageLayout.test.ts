import { expect } from 'chai';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'bson';
import { MongoClient, UUID } from 'mongodb';
import { pino } from 'pino';
import { canonicalKey } from '../../../src/db/embedded/bsonOrder.js';
import { EmbeddedMongoServer } from '../../../src/db/embedded/server.js';
import { Storage } from '../../../src/db/embedded/storage.js';
import { realMongoUri } from '../../support/mongo.js';

/** A data directory as the first storage layout wrote it: documents in a WITHOUT ROWID table keyed by (ns, id). */
function writeFirstLayout(dataDir: string): void {
  const db = new Database(join(dataDir, 'store.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec(`
    CREATE TABLE collections (ns TEXT PRIMARY KEY, options BLOB NOT NULL);
    CREATE TABLE indexes (ns TEXT NOT NULL, name TEXT NOT NULL, spec BLOB NOT NULL, PRIMARY KEY (ns, name));
    CREATE TABLE documents (ns TEXT NOT NULL, id TEXT NOT NULL, body BLOB NOT NULL, PRIMARY KEY (ns, id)) WITHOUT ROWID;
  `);
  db.prepare('INSERT INTO collections VALUES (?, ?)').run('rcs.notes', serialize({}));
  const insert = db.prepare('INSERT INTO documents VALUES (?, ?, ?)');
  for (const n of [1, 2, 3]) insert.run('rcs.notes', canonicalKey(`n${n}`), serialize({ _id: `n${n}`, text: `note ${n}` }));
  db.close();
}

describe('embedded store: storage layout (embedded store only)', function () {
  this.timeout(30_000);
  let dataDir: string;

  beforeEach(function () {
    if (realMongoUri) this.skip();
    dataDir = mkdtempSync(join(tmpdir(), 'rcs-layout-'));
  });
  afterEach(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function withServer<T>(work: (client: MongoClient) => Promise<T>): Promise<T> {
    const server = new EmbeddedMongoServer({ dataDir, port: 0, log: pino({ level: 'silent' }) });
    const client = await MongoClient.connect(await server.start());
    try {
      return await work(client);
    } finally {
      await client.close();
      await server.stop();
    }
  }

  it('moves documents written by the first layout over on start, and writes them in the new one', async () => {
    writeFirstLayout(dataDir);
    await withServer(async (client) => {
      const notes = client.db('rcs').collection<{ _id: string; text: string }>('notes');
      expect(await notes.find().sort({ _id: 1 }).toArray()).to.deep.equal([1, 2, 3].map((n) => ({ _id: `n${n}`, text: `note ${n}` })));
      await notes.updateOne({ _id: 'n2' }, { $set: { text: 'edited' } });
      await notes.deleteOne({ _id: 'n3' });
    });
    const db = new Database(join(dataDir, 'store.sqlite'), { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).to.equal(1);
      expect(db.prepare('SELECT id FROM documents ORDER BY rowid').all()).to.deep.equal([{ id: canonicalKey('n1') }, { id: canonicalKey('n2') }]);
    } finally {
      db.close();
    }
    await withServer(async (client) => {
      expect(await client.db('rcs').collection('notes').find().sort({ _id: 1 }).toArray()).to.deep.equal([
        { _id: 'n1', text: 'note 1' },
        { _id: 'n2', text: 'edited' },
      ]);
    });
  });

  it('moves a document keyed before binary keys held their subtype to its current key on start', async () => {
    const id = new UUID();
    await withServer(async (client) => {
      await client.db('rcs').collection<{ _id: UUID; n: number }>('devices').insertOne({ _id: id, n: 1 });
    });
    const db = new Database(join(dataDir, 'store.sqlite'));
    db.prepare('UPDATE documents SET id = ?').run(`b${Buffer.from(id.buffer).toString('base64')}`);
    db.close();
    await withServer(async (client) => {
      const devices = client.db('rcs').collection<{ _id: UUID; n: number }>('devices');
      expect(await devices.updateOne({ _id: id }, { $inc: { n: 1 } })).to.include({ matchedCount: 1 });
      expect(await devices.find().toArray()).to.deep.equal([{ _id: id, n: 2 }]);
    });
  });

  it('rewrites a document in its row, so rows keep the order documents were first written in', async () => {
    await withServer(async (client) => {
      const notes = client.db('rcs').collection<{ _id: string; v: number }>('notes');
      await notes.insertMany(['c', 'a', 'b'].map((_id) => ({ _id, v: 0 })));
      for (let round = 1; round <= 5; round++) await notes.updateMany({}, { $set: { v: round } });
    });
    const db = new Database(join(dataDir, 'store.sqlite'), { readonly: true });
    try {
      const rows = db.prepare('SELECT rowid, id FROM documents ORDER BY rowid').all() as Array<{ rowid: number; id: string }>;
      expect(rows.map((row) => row.id)).to.deep.equal(['c', 'a', 'b'].map(canonicalKey));
      expect(rows.map((row) => row.rowid)).to.deep.equal([1, 2, 3]);
    } finally {
      db.close();
    }
  });

  it('keeps each document in its own row when a rolled-back insert left its rowid to another document', () => {
    const storage = new Storage(dataDir);
    try {
      storage.putCollection('rcs.notes', {});
      expect(() =>
        storage.transaction(() => {
          storage.putDocument('rcs.notes', canonicalKey('lost'), serialize({ _id: 'lost', v: 1 }));
          throw new Error('the command failed after writing');
        }),
      ).to.throw(/failed after writing/);
      // The rolled-back row's rowid is free again and goes to the next document.
      storage.putDocument('rcs.notes', canonicalKey('other'), serialize({ _id: 'other', v: 1 }));
      storage.putDocument('rcs.notes', canonicalKey('lost'), serialize({ _id: 'lost', v: 2 }));
      storage.deleteDocument('rcs.notes', canonicalKey('gone'));
    } finally {
      storage.close();
    }
    const reopened = new Storage(dataDir);
    try {
      const [notes] = reopened.load();
      expect(notes?.documents.map(([, body]) => deserialize(body))).to.deep.equal([
        { _id: 'other', v: 1 },
        { _id: 'lost', v: 2 },
      ]);
    } finally {
      reopened.close();
    }
  });

  it('forgets nothing a rolled-back delete kept, so a deleted document stays deleted across a restart', () => {
    const notes = 'rcs.notes';
    const storage = new Storage(dataDir);
    try {
      storage.putCollection(notes, {});
      storage.putDocument(notes, canonicalKey('x'), serialize({ _id: 'x', v: 1 }));
      expect(() =>
        storage.transaction(() => {
          storage.deleteDocument(notes, canonicalKey('x'));
          throw new Error('the command failed after deleting');
        }),
      ).to.throw(/failed after deleting/);
      storage.putDocument(notes, canonicalKey('x'), serialize({ _id: 'x', v: 2 }));
      storage.deleteDocument(notes, canonicalKey('x'));
    } finally {
      storage.close();
    }
    const reopened = new Storage(dataDir);
    try {
      expect(reopened.load()[0]?.documents).to.deep.equal([]);
    } finally {
      reopened.close();
    }
  });

  it('refuses a data directory written by a newer layout', () => {
    new Storage(dataDir).close();
    const db = new Database(join(dataDir, 'store.sqlite'));
    db.pragma('user_version = 2');
    db.close();
    expect(() => new Storage(dataDir)).to.throw(/newer version of the store \(layout 2/);
  });

  it('drops and renames collections with their documents, and finds them so after a restart', async () => {
    await withServer(async (client) => {
      const db = client.db('rcs');
      await db.collection('kept').insertMany([{ _id: 1 }, { _id: 2 }] as never[]);
      await db.collection('dropped').insertMany([{ _id: 1 }, { _id: 2 }] as never[]);
      await db.collection('old').insertMany([{ _id: 'x' }] as never[]);
      await db.collection('dropped').drop();
      await db.collection('old').rename('renamed');
      await db.collection('renamed').insertOne({ _id: 'y' } as never);
    });
    await withServer(async (client) => {
      const db = client.db('rcs');
      expect(await db.collection('kept').countDocuments()).to.equal(2);
      expect(await db.collection('dropped').countDocuments()).to.equal(0);
      expect(await db.collection('old').countDocuments()).to.equal(0);
      expect(await db.collection('renamed').find().sort({ _id: 1 }).toArray()).to.deep.equal([{ _id: 'x' }, { _id: 'y' }]);
    });
  });
});
