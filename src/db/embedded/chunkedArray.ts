/**
 * A sorted sequence kept as a list of bounded chunks, so an insert or removal moves at most one
 * chunk (~1k items) instead of the whole array. Positions are (chunk, offset) pairs; a position
 * is only valid until the next insert or removal.
 */
export interface Position {
  chunk: number;
  offset: number;
}

export class ChunkedArray<T> {
  private chunks: T[][] = [];
  private count = 0;

  constructor(
    sorted: T[] = [],
    private readonly chunkSize = 512,
  ) {
    for (let i = 0; i < sorted.length; i += chunkSize) this.chunks.push(sorted.slice(i, i + chunkSize));
    this.count = sorted.length;
  }

  get length(): number {
    return this.count;
  }

  get end(): Position {
    return { chunk: this.chunks.length, offset: 0 };
  }

  /** The first position whose item satisfies `atOrAfter`, a predicate that is false then true along the order. */
  search(atOrAfter: (item: T) => boolean): Position {
    let low = 0;
    let high = this.chunks.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const chunk = this.chunks[middle] as T[];
      if (atOrAfter(chunk[chunk.length - 1] as T)) high = middle;
      else low = middle + 1;
    }
    if (low === this.chunks.length) return this.end;
    const chunk = this.chunks[low] as T[];
    let first = 0;
    let last = chunk.length;
    while (first < last) {
      const middle = (first + last) >>> 1;
      if (atOrAfter(chunk[middle] as T)) last = middle;
      else first = middle + 1;
    }
    return { chunk: low, offset: first };
  }

  at(position: Position): T | undefined {
    return this.chunks[position.chunk]?.[position.offset];
  }

  insert(position: Position, item: T): void {
    this.count++;
    if (this.chunks.length === 0) {
      this.chunks.push([item]);
      return;
    }
    let { chunk: index, offset } = position;
    if (index >= this.chunks.length) {
      index = this.chunks.length - 1;
      offset = (this.chunks[index] as T[]).length;
    }
    const chunk = this.chunks[index] as T[];
    chunk.splice(offset, 0, item);
    if (chunk.length >= this.chunkSize * 2) {
      this.chunks.splice(index, 1, chunk.slice(0, this.chunkSize), chunk.slice(this.chunkSize));
    }
  }

  remove(position: Position): void {
    const chunk = this.chunks[position.chunk];
    if (!chunk || position.offset >= chunk.length) return;
    chunk.splice(position.offset, 1);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(position.chunk, 1);
  }

  /** Items from `from` (inclusive) to `to` (exclusive), in order or in reverse order. */
  *range(from: Position, to: Position, reverse = false): Generator<T> {
    if (reverse) {
      let chunk = to.chunk;
      let offset = to.offset - 1;
      for (;;) {
        if (offset < 0) {
          chunk--;
          if (chunk < 0) return;
          offset = (this.chunks[chunk] as T[]).length - 1;
          continue;
        }
        if (chunk < from.chunk || (chunk === from.chunk && offset < from.offset)) return;
        yield (this.chunks[chunk] as T[])[offset] as T;
        offset--;
      }
    }
    let chunk = from.chunk;
    let offset = from.offset;
    while (chunk < to.chunk || (chunk === to.chunk && offset < to.offset)) {
      const items = this.chunks[chunk];
      if (!items) return;
      if (offset >= items.length) {
        chunk++;
        offset = 0;
        continue;
      }
      yield items[offset] as T;
      offset++;
    }
  }
}
