/**
 * Sessions this process wrote last, kept in memory: a user's next turn here starts from them
 * without a read. Nothing is trusted on that account — every save is still version-checked in
 * the store, so if another process moved the session on, the save fails, the entry is dropped,
 * and the turn reloads and runs again on the newer session.
 */
import type { SessionState, SessionStore, StoredSession, TurnRecord } from './session.js';

const DEFAULT_MAX_ENTRIES = 10_000;

export class CachedSessionStore implements SessionStore {
  /** In order of last use, oldest first (a Map keeps insertion order). */
  private readonly entries = new Map<string, { stored: StoredSession; expiresAt: Date }>();

  constructor(
    private readonly inner: SessionStore,
    private readonly clock: () => Date = () => new Date(),
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
  ) {}

  async load(key: string): Promise<StoredSession> {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    if (entry && entry.expiresAt > this.clock()) {
      this.entries.set(key, entry);
      return entry.stored;
    }
    return this.inner.load(key);
  }

  async save(key: string, version: number, update: { state: SessionState; lastTurn: TurnRecord }, expiresAt: Date): Promise<boolean> {
    this.entries.delete(key);
    const saved = await this.inner.save(key, version, update, expiresAt);
    if (saved) {
      this.entries.set(key, { stored: { version: version + 1, state: update.state, lastTurn: update.lastTurn }, expiresAt });
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    }
    return saved;
  }
}
