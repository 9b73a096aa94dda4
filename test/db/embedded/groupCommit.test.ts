import { expect } from 'chai';
import { serialize } from 'bson';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Storage } from '../../../src/db/embedded/storage.js';

describe('embedded store: group commit', () => {
  let dataDir: string;
  let storage: Storage | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'rcs-group-'));
  });
  afterEach(() => {
    storage?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const storedIds = (directory: string): string[] => {
    const reopened = new Storage(directory);
    try {
      return reopened.load().flatMap((collection) => collection.documents.map(([id]) => id));
    } finally {
      reopened.close();
    }
  };

  it('releases replies only after the shared commit, in arrival order', async () => {
    storage = new Storage(dataDir);
    storage.startGroupCommit();
    storage.putCollection('db.c', {});
    const released: string[] = [];
    storage.transaction(() => storage?.putDocument('db.c', 'a', serialize({ _id: 'a' })));
    storage.afterCommit(() => released.push('a'));
    storage.transaction(() => storage?.putDocument('db.c', 'b', serialize({ _id: 'b' })));
    storage.afterCommit(() => released.push('b'));
    expect(released).to.deep.equal([]);
    await nextTurn();
    expect(released).to.deep.equal(['a', 'b']);
    storage.afterCommit(() => released.push('now'));
    expect(released).to.deep.equal(['a', 'b', 'now']);
  });

  it('rolls back only the failed command of a shared transaction', async () => {
    storage = new Storage(dataDir);
    storage.startGroupCommit();
    storage.putCollection('db.c', {});
    storage.transaction(() => storage?.putDocument('db.c', 'kept', serialize({ _id: 'kept' })));
    expect(() =>
      storage?.transaction(() => {
        storage?.putDocument('db.c', 'lost', serialize({ _id: 'lost' }));
        throw new Error('command failed');
      }),
    ).to.throw('command failed');
    storage.transaction(() => storage?.putDocument('db.c', 'after', serialize({ _id: 'after' })));
    await nextTurn();
    storage.close();
    storage = undefined;
    expect(storedIds(dataDir).sort()).to.deep.equal(['after', 'kept']);
  });
});
