/**
 * Open cursors: the rest of a result set materialised at the first batch (a snapshot of
 * immutable documents), handed out by getMore. Idle cursors are closed after ten minutes, like
 * MongoDB's cursorTimeoutMillis default.
 */
import { calculateObjectSize, Long } from 'bson';
import type { Doc } from './documents.js';
import { cursorNotFound } from './errors.js';

export const DEFAULT_BATCH_SIZE = 101;
/** Like MongoDB, a batch stops growing at 16 MB so the reply fits in one message. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 16 * 1024;

/** Up to `count` documents from `start`, fewer if they would exceed MAX_BATCH_BYTES (at least one). */
function takeBatch(docs: Doc[], start: number, count: number): Doc[] {
  const end = Math.min(docs.length, start + count);
  let bytes = 0;
  for (let i = start; i < end; i++) {
    bytes += calculateObjectSize(docs[i] as Doc);
    if (bytes > MAX_BATCH_BYTES && i > start) return docs.slice(start, i);
  }
  return docs.slice(start, end);
}
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface OpenCursor {
  ns: string;
  docs: Doc[];
  position: number;
  lastUsed: number;
}

export interface CursorReply extends Doc {
  cursor: { id: Long; ns: string; firstBatch?: Doc[]; nextBatch?: Doc[] };
  ok: 1;
}

export class CursorRegistry {
  private readonly open = new Map<string, OpenCursor>();
  private nextId = 1;

  /** The first batch of `docs`; the rest stays open under a cursor id unless `singleBatch`. */
  first(ns: string, docs: Doc[], batchSize: number | undefined, singleBatch = false): CursorReply {
    const size = batchSize === 0 ? 0 : batchSize && batchSize > 0 ? batchSize : DEFAULT_BATCH_SIZE;
    const firstBatch = takeBatch(docs, 0, size);
    if (singleBatch || docs.length <= firstBatch.length) {
      return { cursor: { id: Long.ZERO, ns, firstBatch }, ok: 1 };
    }
    const id = this.nextId++;
    this.open.set(String(id), { ns, docs, position: firstBatch.length, lastUsed: Date.now() });
    return { cursor: { id: Long.fromNumber(id), ns, firstBatch }, ok: 1 };
  }

  more(cursorId: unknown, batchSize: number | undefined): CursorReply {
    const key = String(cursorId);
    const cursor = this.open.get(key);
    if (!cursor) throw cursorNotFound(key);
    const size = batchSize && batchSize > 0 ? batchSize : Number.MAX_SAFE_INTEGER;
    const nextBatch = takeBatch(cursor.docs, cursor.position, size);
    cursor.position += nextBatch.length;
    cursor.lastUsed = Date.now();
    const exhausted = cursor.position >= cursor.docs.length;
    if (exhausted) this.open.delete(key);
    return { cursor: { id: exhausted ? Long.ZERO : Long.fromString(key), ns: cursor.ns, nextBatch }, ok: 1 };
  }

  kill(cursorIds: unknown[]): { killed: Long[]; notFound: Long[] } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const cursorId of cursorIds) {
      const key = String(cursorId);
      (this.open.delete(key) ? killed : notFound).push(Long.fromString(key));
    }
    return { killed, notFound };
  }

  closeIdle(now = Date.now()): void {
    for (const [key, cursor] of this.open) if (now - cursor.lastUsed > IDLE_TIMEOUT_MS) this.open.delete(key);
  }
}
