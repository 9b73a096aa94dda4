/**
 * A sorted sequence of fixed-width rows kept as a list of bounded chunks, so an insert or removal
 * moves at most one chunk (~1k rows) instead of the whole sequence. The rows of a chunk lie
 * end to end in one flat array: a row is a run of `width` slots, not an object of its own (only
 * key values that are objects — strings, dates, ids — stay one each), so an index of n entries
 * adds a few hundred arrays for the garbage collector to trace instead of 2n objects.
 *
 * Positions are (chunk, offset) pairs, the offset counted in rows; a position is only valid until
 * the next insert or removal.
 */
export interface Position {
  chunk: number;
  offset: number;
}

/** A row in place: its slots are `slots[base]` to `slots[base + width - 1]`. */
export interface RowRef {
  slots: readonly unknown[];
  base: number;
}

export class ChunkedRows {
  private chunks: unknown[][] = [];
  private count = 0;

  constructor(
    readonly width: number,
    sorted: ReadonlyArray<readonly unknown[]> = [],
    private readonly chunkRows = 512,
  ) {
    for (let i = 0; i < sorted.length; i += chunkRows) this.chunks.push(sorted.slice(i, i + chunkRows).flat());
    this.count = sorted.length;
  }

  get length(): number {
    return this.count;
  }

  get end(): Position {
    return { chunk: this.chunks.length, offset: 0 };
  }

  private rowsIn(chunk: readonly unknown[]): number {
    return chunk.length / this.width;
  }

  /** The first position whose row satisfies `atOrAfter`, a predicate that is false then true along the order. */
  search(atOrAfter: (slots: readonly unknown[], base: number) => boolean): Position {
    let low = 0;
    let high = this.chunks.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const chunk = this.chunks[middle] as unknown[];
      if (atOrAfter(chunk, chunk.length - this.width)) high = middle;
      else low = middle + 1;
    }
    if (low === this.chunks.length) return this.end;
    const chunk = this.chunks[low] as unknown[];
    let first = 0;
    let last = this.rowsIn(chunk);
    while (first < last) {
      const middle = (first + last) >>> 1;
      if (atOrAfter(chunk, middle * this.width)) last = middle;
      else first = middle + 1;
    }
    return { chunk: low, offset: first };
  }

  /** A copy of the row at a position, or undefined past the end. */
  at(position: Position): unknown[] | undefined {
    const chunk = this.chunks[position.chunk];
    if (!chunk || position.offset >= this.rowsIn(chunk)) return undefined;
    const base = position.offset * this.width;
    return chunk.slice(base, base + this.width);
  }

  insert(position: Position, row: readonly unknown[]): void {
    this.count++;
    if (this.chunks.length === 0) {
      this.chunks.push([...row]);
      return;
    }
    let { chunk: index, offset } = position;
    if (index >= this.chunks.length) {
      index = this.chunks.length - 1;
      offset = this.rowsIn(this.chunks[index] as unknown[]);
    }
    const chunk = this.chunks[index] as unknown[];
    chunk.splice(offset * this.width, 0, ...row);
    if (this.rowsIn(chunk) >= this.chunkRows * 2) {
      const half = this.chunkRows * this.width;
      this.chunks.splice(index, 1, chunk.slice(0, half), chunk.slice(half));
    }
  }

  remove(position: Position): void {
    const chunk = this.chunks[position.chunk];
    if (!chunk || position.offset >= this.rowsIn(chunk)) return;
    chunk.splice(position.offset * this.width, this.width);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(position.chunk, 1);
  }

  /**
   * Rows from `from` (inclusive) to `to` (exclusive), in order or in reverse order. The same
   * RowRef is reused for every row: read it before asking for the next.
   */
  *range(from: Position, to: Position, reverse = false): Generator<RowRef> {
    const ref = { slots: [] as readonly unknown[], base: 0 };
    if (reverse) {
      let chunk = to.chunk;
      let offset = to.offset - 1;
      for (;;) {
        if (offset < 0) {
          chunk--;
          if (chunk < 0) return;
          offset = this.rowsIn(this.chunks[chunk] as unknown[]) - 1;
          continue;
        }
        if (chunk < from.chunk || (chunk === from.chunk && offset < from.offset)) return;
        ref.slots = this.chunks[chunk] as unknown[];
        ref.base = offset * this.width;
        yield ref;
        offset--;
      }
    }
    let chunk = from.chunk;
    let offset = from.offset;
    while (chunk < to.chunk || (chunk === to.chunk && offset < to.offset)) {
      const slots = this.chunks[chunk];
      if (!slots) return;
      if (offset >= this.rowsIn(slots)) {
        chunk++;
        offset = 0;
        continue;
      }
      ref.slots = slots;
      ref.base = offset * this.width;
      yield ref;
      offset++;
    }
  }
}
