/**
 * The documents of a collection in memory: each one's BSON bytes by canonical `_id`, held as a
 * one-byte string (latin1: one character per byte, losslessly). A typed array per document costs
 * about 330 bytes of bookkeeping besides its bytes — its object, its buffer's object and the
 * native record of its backing store — which for 100,000s of small documents (outbox messages,
 * recipients, single-use callback keys) was more than the bytes themselves; a string costs a
 * 16-byte header, and it is still one leaf object for the garbage collector, never scanned inside.
 * A read turns it back into bytes with one copy, next to which decoding them costs far more.
 */
export class HeldDocuments {
  private readonly byId = new Map<string, string>();

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): Uint8Array | undefined {
    const held = this.byId.get(id);
    return held === undefined ? undefined : Buffer.from(held, 'latin1');
  }

  set(id: string, bytes: Uint8Array): void {
    this.byId.set(id, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
  }

  delete(id: string): void {
    this.byId.delete(id);
  }

  /** The bytes of every document together (what the storage rows hold). */
  get byteLength(): number {
    let bytes = 0;
    for (const held of this.byId.values()) bytes += held.length;
    return bytes;
  }

  *values(): Generator<Uint8Array> {
    for (const held of this.byId.values()) yield Buffer.from(held, 'latin1');
  }

  *entries(): Generator<[string, Uint8Array]> {
    for (const [id, held] of this.byId) yield [id, Buffer.from(held, 'latin1')];
  }
}
