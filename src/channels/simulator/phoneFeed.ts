/**
 * What each simulated phone shows: the user's own messages and the bot's, in order. The phone
 * page loads the history and then follows new entries as they happen.
 */
import type { ReceivedPart } from './types.js';

export type PhoneEntry =
  /** `text` is what the phone shows for the user's message; `contentType` says what kind it was. */
  | { seq: number; at: string; from: 'user'; contentType: string; text: string }
  | { seq: number; at: string; from: 'bot'; messageId: string; parts: ReceivedPart[]; as: 'rcs' | 'sms'; smsContent?: string }
  | { seq: number; at: string; from: 'platform'; revokedMessageId: string };

export type NewEntry = PhoneEntry extends infer E ? (E extends PhoneEntry ? Omit<E, 'seq' | 'at'> : never) : never;
type Listener = (entry: PhoneEntry) => void;

/** A phone keeps the recent conversation only (benchmarks send many thousands of messages). */
const MAX_ENTRIES_PER_PHONE = 300;

export class PhoneFeed {
  private readonly entries = new Map<string, PhoneEntry[]>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private seq = 0;

  add(user: string, entry: NewEntry): void {
    const full = { ...entry, seq: ++this.seq, at: new Date().toISOString() } as PhoneEntry;
    const list = this.entries.get(user) ?? [];
    list.push(full);
    if (list.length > MAX_ENTRIES_PER_PHONE) list.splice(0, list.length - MAX_ENTRIES_PER_PHONE);
    this.entries.set(user, list);
    for (const listener of this.listeners.get(user) ?? []) listener(full);
  }

  history(user: string): PhoneEntry[] {
    return [...(this.entries.get(user) ?? [])];
  }

  subscribe(user: string, listener: Listener): () => void {
    const set = this.listeners.get(user) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(user, set);
    return () => set.delete(listener);
  }
}
