import { expect } from 'chai';
import { ChunkedRows, type Position } from '../../../src/db/embedded/chunkedRows.js';
import { seededRandom } from '../../../src/util/seededRandom.js';

/** Rows of [key, id] ordered by key, then id. */
const atOrAfter =
  (key: number, id: string) =>
  (slots: readonly unknown[], base: number): boolean => {
    const k = slots[base] as number;
    return k > key || (k === key && (slots[base + 1] as string) >= id);
  };

function collect(rows: ChunkedRows, from: Position, to: Position, reverse: boolean): unknown[][] {
  const out: unknown[][] = [];
  for (const { slots, base } of rows.range(from, to, reverse)) out.push(slots.slice(base, base + rows.width));
  return out;
}

describe('embedded store: chunked rows of an index', () => {
  it('stays sorted and complete through random inserts and removals across chunk splits', () => {
    const random = seededRandom(7);
    // Chunks of 4 rows split at 8, so a few hundred operations cross many chunk boundaries.
    const rows = new ChunkedRows(2, [], 4);
    let model: Array<[number, string]> = [];
    for (let step = 0; step < 600; step++) {
      if (model.length > 0 && random() < 0.35) {
        const [key, id] = model[Math.floor(random() * model.length)] as [number, string];
        const position = rows.search(atOrAfter(key, id));
        expect(rows.at(position)).to.deep.equal([key, id]);
        rows.remove(position);
        model = model.filter(([k, i]) => k !== key || i !== id);
      } else {
        const row: [number, string] = [Math.floor(random() * 50), `d${step}`];
        rows.insert(rows.search(atOrAfter(row[0], row[1])), row);
        model.push(row);
        model.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
      }
      expect(rows.length).to.equal(model.length);
    }
    expect(collect(rows, { chunk: 0, offset: 0 }, rows.end, false)).to.deep.equal(model);
    expect(collect(rows, { chunk: 0, offset: 0 }, rows.end, true)).to.deep.equal([...model].reverse());
  });

  it('reads a range between two searched positions, forwards and backwards', () => {
    const sorted = Array.from({ length: 40 }, (_, i) => [i, `d${i}`]);
    const rows = new ChunkedRows(2, sorted, 4);
    const from = rows.search((slots, base) => (slots[base] as number) >= 10);
    const to = rows.search((slots, base) => (slots[base] as number) >= 15);
    expect(collect(rows, from, to, false).map(([key]) => key)).to.deep.equal([10, 11, 12, 13, 14]);
    expect(collect(rows, from, to, true).map(([key]) => key)).to.deep.equal([14, 13, 12, 11, 10]);
    expect(rows.at(rows.search(() => false))).to.equal(undefined);
  });

  it('keeps array values as single slots', () => {
    const rows = new ChunkedRows(2, [[[1, 2], 'a'], [[3], 'b']]);
    expect(collect(rows, { chunk: 0, offset: 0 }, rows.end, false)).to.deep.equal([
      [[1, 2], 'a'],
      [[3], 'b'],
    ]);
  });
});
