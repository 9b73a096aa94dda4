/**
 * The durable layer: one SQLite file (WAL) holding every document as a BSON blob with its
 * namespace and canonical _id, plus the catalog of collections and indexes. Each command's
 * writes run in one SQLite transaction (or a savepoint of a transaction shared with the commands
 * received at the same time), committed before the reply is sent.
 *
 * Documents are rows in the order they were first written (rowid), found again through the
 * rowid remembered here for each one, with no index on (namespace, _id): new documents append
 * to the table's last pages, and the documents a burst of work rewrites (messages just received,
 * replies just queued) sit together, so a commit writes a few pages to the WAL instead of one
 * random page per document — less to write, and less for each checkpoint to copy back.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'bson';
import type { Doc } from './documents.js';
import type { IndexSpec } from './sortedIndex.js';

export type SyncMode = 'NORMAL' | 'FULL';

/** The layout of the documents table, kept in SQLite's user_version (see migrateDocuments). */
const DOCUMENTS_LAYOUT = 1;

export interface StoredCollection {
  ns: string;
  options: Doc;
  indexes: IndexSpec[];
  /** Stored _id key and BSON body of each document, in natural order. */
  documents: Array<[string, Uint8Array]>;
}

export class Storage {
  private readonly db: Database.Database;
  private readonly insertDocumentStatement: Database.Statement;
  private readonly updateDocumentStatement: Database.Statement;
  private readonly renameCollectionDocumentsStatement: Database.Statement;
  private readonly deleteCollectionDocumentsStatement: Database.Statement;
  private readonly deleteDocumentStatement: Database.Statement;
  private readonly putCollectionStatement: Database.Statement;
  private readonly deleteCollectionStatement: Database.Statement;
  private readonly deleteCollectionIndexesStatement: Database.Statement;
  private readonly putIndexStatement: Database.Statement;
  private readonly deleteIndexStatement: Database.Statement;
  /** Each stored document's rowid, by namespace and canonical _id. */
  private readonly rowids = new Map<string, Map<string, number>>();

  /**
   * @param onCommitFailure told when a group commit fails: its writes are rolled back on disk
   *   but not in the working set in memory, so the owner must stop serving (and reload from disk).
   */
  constructor(
    dataDir: string,
    sync: SyncMode = 'NORMAL',
    private readonly onCommitFailure?: (error: Error) => void,
  ) {
    // Owner only: the files hold citizens' numbers and messages. SQLite gives its journal files
    // the database file's permissions, so creating that one 0600 covers them too.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700);
    const file = join(dataDir, 'store.sqlite');
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
    this.db = new Database(file, { timeout: 500 });
    // Exclusive locking: a second process opening the same directory would load its own copy
    // of the working set and the two would silently diverge. The lock dies with the process.
    this.db.pragma('locking_mode = EXCLUSIVE');
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.exec('BEGIN IMMEDIATE; COMMIT');
    } catch (error) {
      this.db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') {
        throw new Error(`data directory ${dataDir} is in use by another embedded store process`, { cause: error });
      }
      throw error;
    }
    this.db.pragma(`synchronous = ${sync}`);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS collections (ns TEXT PRIMARY KEY, options BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS indexes (ns TEXT NOT NULL, name TEXT NOT NULL, spec BLOB NOT NULL,
        PRIMARY KEY (ns, name));
    `);
    this.migrateDocuments();
    this.insertDocumentStatement = this.db.prepare('INSERT INTO documents (ns, id, body) VALUES (?, ?, ?)');
    // Guarded by ns and id as well as rowid: a belt to the braces of re-reading the rowids after
    // every rollback (see transaction), so that a write can never land on another document's row.
    this.updateDocumentStatement = this.db.prepare('UPDATE documents SET body = ? WHERE rowid = ? AND ns = ? AND id = ?');
    this.deleteDocumentStatement = this.db.prepare('DELETE FROM documents WHERE rowid = ? AND ns = ? AND id = ?');
    this.renameCollectionDocumentsStatement = this.db.prepare('UPDATE documents SET ns = ? WHERE ns = ?');
    this.deleteCollectionDocumentsStatement = this.db.prepare('DELETE FROM documents WHERE ns = ?');
    this.putCollectionStatement = this.db.prepare('INSERT OR REPLACE INTO collections (ns, options) VALUES (?, ?)');
    this.deleteCollectionStatement = this.db.prepare('DELETE FROM collections WHERE ns = ?');
    this.deleteCollectionIndexesStatement = this.db.prepare('DELETE FROM indexes WHERE ns = ?');
    this.putIndexStatement = this.db.prepare('INSERT OR REPLACE INTO indexes (ns, name, spec) VALUES (?, ?, ?)');
    this.deleteIndexStatement = this.db.prepare('DELETE FROM indexes WHERE ns = ? AND name = ?');
  }

  /**
   * The documents table in its current layout (user_version 1): rowid order. Data directories
   * written by the first layout (a WITHOUT ROWID table keyed by namespace and _id) are copied
   * over once, in one transaction (in key order; from then on new rows append). A layout newer
   * than this code knows is refused rather than written wrongly.
   */
  private migrateDocuments(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > DOCUMENTS_LAYOUT) {
      this.db.close();
      throw new Error(`data directory written by a newer version of the store (layout ${version}; this one knows ${DOCUMENTS_LAYOUT})`);
    }
    if (version === DOCUMENTS_LAYOUT) return;
    const create = 'CREATE TABLE documents (ns TEXT NOT NULL, id TEXT NOT NULL, body BLOB NOT NULL)';
    this.db.transaction(() => {
      const previous = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents'").get();
      if (previous) {
        this.db.exec(`ALTER TABLE documents RENAME TO documents_keyed; ${create};
          INSERT INTO documents (ns, id, body) SELECT ns, id, body FROM documents_keyed; DROP TABLE documents_keyed;`);
      } else this.db.exec(create);
      this.db.pragma(`user_version = ${DOCUMENTS_LAYOUT}`);
    }).immediate();
  }

  /** Reply senders waiting for the open shared transaction to commit; undefined when none is open. */
  private waiting: Array<(error?: Error) => void> | undefined;
  private grouping = false;

  /**
   * Group commit: from now on the first write opens a transaction that stays open until the
   * event loop has taken every message already received, so their writes share one commit.
   * Callers must then release a command's reply through `afterCommit`, never before.
   */
  startGroupCommit(): void {
    this.grouping = true;
  }

  /**
   * Runs `work` atomically: on a throw its writes are rolled back (to a savepoint inside a shared
   * transaction). Without group commit everything it wrote is durable when this returns; with
   * it, durable when the `afterCommit` callbacks run.
   */
  transaction<T>(work: () => T): T {
    if (this.grouping && !this.db.inTransaction) this.openGroup();
    try {
      if (this.db.inTransaction) return this.db.transaction(work)();
      return this.db.transaction(work).immediate();
    } catch (error) {
      // The rolled-back writes took their rowid changes with them.
      this.rereadRowids();
      throw error;
    }
  }

  private openGroup(): void {
    this.db.exec('BEGIN IMMEDIATE');
    this.waiting = [];
    setImmediate(() => this.commitGroup());
  }

  /** Calls `done` once everything written so far is durable, or with the error that kept it from being. */
  afterCommit(done: (error?: Error) => void): void {
    if (this.waiting) this.waiting.push(done);
    else done();
  }

  /** Commits the shared transaction, then releases the replies that waited for it. */
  commitGroup(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = undefined;
    let failure: Error | undefined;
    try {
      if (this.db.inTransaction) this.db.exec('COMMIT');
    } catch (error) {
      failure = error as Error;
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.rereadRowids();
    }
    for (const done of waiting) done(failure);
    // The working set in memory still holds what was just rolled back: nothing may go on from here.
    if (failure) this.onCommitFailure?.(failure);
  }

  /** Rebuilds the rowid of every document from the table (after a rollback). */
  private rereadRowids(): void {
    this.rowids.clear();
    for (const row of this.db.prepare('SELECT rowid, ns, id FROM documents').iterate() as Iterable<{ rowid: number; ns: string; id: string }>) {
      this.rowidsOf(row.ns).set(row.id, row.rowid);
    }
  }

  putDocument(ns: string, id: string, body: Uint8Array): void {
    const rowids = this.rowidsOf(ns);
    const rowid = rowids.get(id);
    if (rowid !== undefined && this.updateDocumentStatement.run(body, rowid, ns, id).changes === 1) return;
    rowids.set(id, Number(this.insertDocumentStatement.run(ns, id, body).lastInsertRowid));
  }

  deleteDocument(ns: string, id: string): void {
    const rowids = this.rowids.get(ns);
    const rowid = rowids?.get(id);
    if (!rowids || rowid === undefined) return;
    this.deleteDocumentStatement.run(rowid, ns, id);
    rowids.delete(id);
  }

  private rowidsOf(ns: string): Map<string, number> {
    let rowids = this.rowids.get(ns);
    if (!rowids) this.rowids.set(ns, (rowids = new Map()));
    return rowids;
  }

  putCollection(ns: string, options: Doc): void {
    this.putCollectionStatement.run(ns, serialize(options));
  }

  /** Rare, so a scan of the documents table (which has no index on ns) is fine. */
  dropCollection(ns: string): void {
    this.transaction(() => {
      this.deleteCollectionStatement.run(ns);
      this.deleteCollectionDocumentsStatement.run(ns);
      this.deleteCollectionIndexesStatement.run(ns);
    });
    this.rowids.delete(ns);
  }

  renameCollection(from: string, to: string): void {
    this.transaction(() => {
      for (const table of ['collections', 'indexes']) {
        this.db.prepare(`UPDATE ${table} SET ns = ? WHERE ns = ?`).run(to, from);
      }
      this.renameCollectionDocumentsStatement.run(to, from);
    });
    const rowids = this.rowids.get(from);
    this.rowids.delete(from);
    if (rowids) this.rowids.set(to, rowids);
  }

  putIndex(ns: string, spec: IndexSpec): void {
    this.putIndexStatement.run(ns, spec.name, serialize(spec));
  }

  deleteIndex(ns: string, name: string): void {
    this.deleteIndexStatement.run(ns, name);
  }

  /** Everything on disk, grouped by collection, for rebuilding the in-memory working set. */
  load(): StoredCollection[] {
    const collections = new Map<string, StoredCollection>();
    for (const row of this.db.prepare('SELECT ns, options FROM collections').iterate() as Iterable<{
      ns: string;
      options: Buffer;
    }>) {
      collections.set(row.ns, { ns: row.ns, options: deserialize(row.options), indexes: [], documents: [] });
    }
    for (const row of this.db.prepare('SELECT ns, spec FROM indexes').iterate() as Iterable<{
      ns: string;
      spec: Buffer;
    }>) {
      collections.get(row.ns)?.indexes.push(deserialize(row.spec) as IndexSpec);
    }
    for (const row of this.db.prepare('SELECT rowid, ns, id, body FROM documents ORDER BY rowid').iterate() as Iterable<{
      rowid: number;
      ns: string;
      id: string;
      body: Buffer;
    }>) {
      this.rowidsOf(row.ns).set(row.id, row.rowid);
      collections.get(row.ns)?.documents.push([row.id, row.body]);
    }
    return [...collections.values()];
  }

  close(): void {
    if (!this.db.open) return;
    this.commitGroup();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
