import { expect } from 'chai';
import { decide } from '../../src/nlu/decide.js';
import type { RankedLabel } from '../../src/nlu/model/intentModel.js';

const item = (code: string, probability: number): RankedLabel => ({ label: { type: 'item', code }, probability });
const none = (probability: number): RankedLabel => ({ label: { type: 'none' }, probability });
const thresholds = { accept: 0.5, ambiguousMargin: 0.1, reject: 0.2 };

describe('nlu decision', () => {
  it('accepts a confident best target clear of the runner-up', () => {
    const result = decide([item('a', 0.8), item('b', 0.1), item('c', 0.05)], thresholds);
    expect(result.decision).to.deep.equal({ type: 'item', code: 'a' });
  });

  it('is ambiguous when the runner-up is within the margin, listing up to 3 close candidates', () => {
    const result = decide([item('a', 0.3), item('b', 0.28), item('c', 0.25), item('d', 0.24)], thresholds);
    expect(result.decision).to.deep.equal({
      type: 'ambiguous',
      candidates: [{ type: 'item', code: 'a' }, { type: 'item', code: 'b' }, { type: 'item', code: 'c' }],
    });
  });

  it('offers a single candidate between the reject and accept thresholds', () => {
    const result = decide([item('a', 0.4), item('b', 0.1)], thresholds);
    expect(result.decision).to.deep.equal({ type: 'ambiguous', candidates: [{ type: 'item', code: 'a' }] });
  });

  it('decides none below the reject threshold', () => {
    expect(decide([item('a', 0.15), item('b', 0.1)], thresholds).decision).to.deep.equal({ type: 'none' });
  });

  it('decides none when the out-of-scope label ranks first, and keeps it out of top', () => {
    const result = decide([none(0.6), item('a', 0.3), item('b', 0.05)], thresholds);
    expect(result.decision).to.deep.equal({ type: 'none' });
    expect(result.top.map((t) => (t.type === 'item' ? t.code : t.type))).to.deep.equal(['a', 'b']);
  });

  it('follows configured thresholds', () => {
    const ranked = [item('a', 0.45), item('b', 0.1)];
    expect(decide(ranked, { ...thresholds, accept: 0.4 }).decision).to.deep.equal({ type: 'item', code: 'a' });
    expect(decide(ranked, { ...thresholds, reject: 0.5 }).decision).to.deep.equal({ type: 'none' });
  });

  it('returns at most 5 targets in top, best first, scores within [0, 1]', () => {
    const ranked = ['a', 'b', 'c', 'd', 'e', 'f'].map((code, i) => item(code, 0.5 - i * 0.05));
    const { top } = decide(ranked, thresholds);
    expect(top).to.have.length(5);
    expect(top.every((t, i) => t.score >= 0 && t.score <= 1 && (i === 0 || t.score <= (top[i - 1]?.score ?? 1)))).to.equal(true);
  });

  it('offers every ranked target named by a bare family name, however sure the best one is', () => {
    const named = (code: string, probability: number): RankedLabel => ({ ...item(code, probability), namedByMessage: true });
    const result = decide([named('a', 0.85), named('b', 0.08), item('c', 0.04), named('d', 0.02), named('e', 0.015)], thresholds);
    expect(result.decision).to.deep.equal({
      type: 'ambiguous',
      candidates: [{ type: 'item', code: 'a' }, { type: 'item', code: 'b' }, { type: 'item', code: 'd' }],
    });
  });

  it('leaves out family members the model gives almost no chance, and needs two of them', () => {
    const named = (code: string, probability: number): RankedLabel => ({ ...item(code, probability), namedByMessage: true });
    expect(decide([named('a', 0.95), item('b', 0.04), named('c', 0.001)], thresholds).decision).to.deep.equal({ type: 'item', code: 'a' });
  });

  it('does not turn a confident answer into a family choice when the best target is not named', () => {
    const named = (code: string, probability: number): RankedLabel => ({ ...item(code, probability), namedByMessage: true });
    expect(decide([item('a', 0.8), named('b', 0.1), named('c', 0.05)], thresholds).decision).to.deep.equal({ type: 'item', code: 'a' });
  });
});
