/** All databases and collections of one embedded server, loaded from and written to storage. */
import type { Doc } from './documents.js';
import { Collection } from './collection.js';
import { Storage, type SyncMode } from './storage.js';

export class Store {
  private readonly collections = new Map<string, Collection>();
  readonly storage: Storage;

  /** `onCommitFailure`: see Storage — the working set is then ahead of the disk. */
  constructor(dataDir: string, sync: SyncMode = 'NORMAL', onCommitFailure?: (error: Error) => void) {
    this.storage = new Storage(dataDir, sync, onCommitFailure);
    for (const stored of this.storage.load()) {
      const dot = stored.ns.indexOf('.');
      const collection = new Collection(stored.ns.slice(0, dot), stored.ns.slice(dot + 1), this.storage, stored.options);
      this.storage.transaction(() => collection.restore(stored.documents, stored.indexes));
      this.collections.set(stored.ns, collection);
    }
  }

  get(db: string, name: string): Collection | undefined {
    return this.collections.get(`${db}.${name}`);
  }

  /** The collection, created implicitly (as MongoDB does on first write) when missing. */
  obtain(db: string, name: string, options: Doc = {}): Collection {
    const existing = this.get(db, name);
    if (existing) return existing;
    const collection = new Collection(db, name, this.storage, options);
    this.storage.putCollection(collection.ns, options);
    this.collections.set(collection.ns, collection);
    return collection;
  }

  drop(db: string, name: string): boolean {
    const ns = `${db}.${name}`;
    if (!this.collections.has(ns)) return false;
    this.storage.dropCollection(ns);
    this.collections.delete(ns);
    return true;
  }

  /** Moves a collection to a new namespace; the target must not exist. */
  rename(collection: Collection, db: string, name: string): void {
    const from = collection.ns;
    this.storage.renameCollection(from, `${db}.${name}`);
    this.collections.delete(from);
    collection.renameTo(db, name);
    this.collections.set(collection.ns, collection);
  }

  list(db?: string): Collection[] {
    return [...this.collections.values()].filter((collection) => db === undefined || collection.db === db);
  }

  databases(): string[] {
    return [...new Set([...this.collections.values()].map((collection) => collection.db))];
  }

  close(): void {
    this.storage.close();
  }
}
