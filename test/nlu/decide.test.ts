import { expect } from 'chai';
import { resolveThresholds } from '../../src/nlu/classifier.js';
import { decide, DEFAULT_THRESHOLDS } from '../../src/nlu/decide.js';
import type { RankedLabel } from '../../src/nlu/model/intentModel.js';

const item = (code: string, probability: number): RankedLabel => ({ label: { type: 'item', code }, probability });
const none = (probability: number): RankedLabel => ({ label: { type: 'none' }, probability });
/** No lead rule (a lead of 1 cannot happen) unless a test sets one. */
const thresholds = { accept: 0.5, ambiguousMargin: 0.1, reject: 0.2, lead: 1 };

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

  it('decides none when the best 3 targets together hold less than the reject threshold', () => {
    expect(decide([item('a', 0.08), item('b', 0.06), item('c', 0.05), item('d', 0.04)], thresholds).decision).to.deep.equal({ type: 'none' });
  });

  it('asks back, not rejects, when a low best target shares the probability with its neighbours', () => {
    const result = decide([item('a', 0.15), item('b', 0.1), item('c', 0.06)], thresholds);
    expect(result.decision).to.deep.equal({ type: 'ambiguous', candidates: [{ type: 'item', code: 'a' }, { type: 'item', code: 'b' }, { type: 'item', code: 'c' }] });
  });

  it('decides none when the out-of-scope label ranks first, and keeps it out of top', () => {
    const result = decide([none(0.6), item('a', 0.3), item('b', 0.05)], thresholds);
    expect(result.decision).to.deep.equal({ type: 'none' });
    expect(result.top.map((t) => (t.type === 'item' ? t.code : t.type))).to.deep.equal(['a', 'b']);
  });

  it('follows configured thresholds', () => {
    const ranked = [item('a', 0.45), item('b', 0.1)];
    expect(decide(ranked, { ...thresholds, accept: 0.4 }).decision).to.deep.equal({ type: 'item', code: 'a' });
    expect(decide(ranked, { ...thresholds, reject: 0.6 }).decision).to.deep.equal({ type: 'none' });
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

  describe('at the thresholds exactly', () => {
    // Powers of two, so the sums are exact in floating point.
    const at = { accept: 0.5, ambiguousMargin: 0.125, reject: 0.25, lead: 1 };

    it('a candidate mass exactly at the reject threshold is kept; just below it is rejected', () => {
      expect(decide([item('a', 0.25)], at).decision).to.deep.equal({ type: 'ambiguous', candidates: [{ type: 'item', code: 'a' }] });
      expect(decide([item('a', 0.125), item('b', 0.0625), item('c', 0.0625)], at).decision.type).to.equal('ambiguous');
      expect(decide([item('a', 0.2499)], at).decision).to.deep.equal({ type: 'none' });
    });

    it('a best probability exactly at the accept threshold is accepted; just below it is asked back', () => {
      expect(decide([item('a', 0.5), item('b', 0.25)], at).decision).to.deep.equal({ type: 'item', code: 'a' });
      expect(decide([item('a', 0.4999), item('b', 0.25)], at).decision).to.deep.equal({ type: 'ambiguous', candidates: [{ type: 'item', code: 'a' }] });
    });

    it('a runner-up exactly at the margin makes it ambiguous; just beyond it does not', () => {
      expect(decide([item('a', 0.75), item('b', 0.625)], at).decision).to.deep.equal({ type: 'ambiguous', candidates: [{ type: 'item', code: 'a' }, { type: 'item', code: 'b' }] });
      expect(decide([item('a', 0.75), item('b', 0.6249)], at).decision).to.deep.equal({ type: 'item', code: 'a' });
    });

    it('a best below accept leading the runner-up exactly by the lead threshold is accepted; by less it is asked back', () => {
      const leading = { ...at, lead: 0.25 };
      expect(decide([item('a', 0.375), item('b', 0.125)], leading).decision).to.deep.equal({ type: 'item', code: 'a' });
      expect(decide([item('a', 0.375), item('b', 0.1251)], leading).decision).to.deep.equal({ type: 'ambiguous', candidates: [{ type: 'item', code: 'a' }] });
    });

    it('a lead does not decide when an item known from the catalog alone is among the candidates', () => {
      const leading = { ...at, lead: 0.25 };
      const catalogOnly = (code: string, probability: number): RankedLabel => ({ ...item(code, probability), catalogOnly: true });
      expect(decide([item('a', 0.375), catalogOnly('b', 0.0625)], leading).decision).to.deep.equal({ type: 'ambiguous', candidates: [{ type: 'item', code: 'a' }] });
      expect(decide([catalogOnly('a', 0.375), item('b', 0.0625)], leading).decision).to.deep.equal({ type: 'ambiguous', candidates: [{ type: 'item', code: 'a' }] });
      expect(decide([catalogOnly('a', 0.5), item('b', 0.0625)], leading).decision).to.deep.equal({ type: 'item', code: 'a' });
    });

    it('the out-of-scope label is a runner-up like any other for the lead', () => {
      const leading = { ...at, lead: 0.25 };
      expect(decide([item('a', 0.375), none(0.25), item('b', 0.0625)], leading).decision).to.deep.equal({ type: 'ambiguous', candidates: [{ type: 'item', code: 'a' }] });
      expect(decide([item('a', 0.375), none(0.125), item('b', 0.0625)], leading).decision).to.deep.equal({ type: 'item', code: 'a' });
    });
  });

  describe('the documented defaults (src/nlu/README.md)', () => {
    it('are the ones configuration falls back to', () => {
      expect(DEFAULT_THRESHOLDS).to.deep.equal({ accept: 0.7, ambiguousMargin: 0.1, reject: 0, lead: 0.35 });
      expect(resolveThresholds()).to.deep.equal(DEFAULT_THRESHOLDS);
      expect(resolveThresholds({ reject: 0.3 })).to.deep.equal({ ...DEFAULT_THRESHOLDS, reject: 0.3 });
    });

    it('reject what the out-of-scope label takes, ask back below accept, and accept above it', () => {
      const d = DEFAULT_THRESHOLDS;
      expect(decide([none(0.5), item('a', 0.45), item('b', 0.05)], d).decision).to.deep.equal({ type: 'none' });
      // The out-of-scope label decides what is out of scope; candidates that hold little are asked about, not rejected.
      expect(decide([item('a', 0.2), none(0.04), item('b', 0.02)], d).decision).to.deep.equal({ type: 'ambiguous', candidates: [{ type: 'item', code: 'a' }] });
      expect(decide([item('a', d.accept - 0.01), item('b', d.accept - 0.01 - d.ambiguousMargin - 0.01)], d).decision).to.deep.equal({
        type: 'ambiguous',
        candidates: [{ type: 'item', code: 'a' }],
      });
      expect(decide([item('a', d.accept), item('b', d.accept - d.ambiguousMargin - 0.01)], d).decision).to.deep.equal({ type: 'item', code: 'a' });
    });
  });
});
