import { expect } from 'chai';
import { chooseThresholds, decisionFigures, type HeldOutRanking, type SweepRow } from '../../src/nlu/crossValidation.js';

const row = (accept: number, decidedRight: number, silentErrors: number, outOfScopeRecall: number, falseRejectRate = 0.03): SweepRow => ({
  thresholds: { accept, ambiguousMargin: 0.1, reject: 0.25, lead: 1 },
  accuracyAt1: 0.9,
  accuracyAt3: 0.95,
  decidedRight,
  silentErrors,
  outOfScopeRecall,
  falseRejectRate,
});

describe('nlu: choosing thresholds on cross-validation', () => {
  it('weighs a silent error as three questions back and a false reject as one, among rows with enough out-of-scope recall', () => {
    const rows = [row(0.4, 0.88, 0.07, 0.85), row(0.6, 0.834, 0.039, 0.85), row(0.7, 0.8, 0.031, 0.85), row(0.5, 0.95, 0.0, 0.5)];
    expect(chooseThresholds(rows, 0.8)?.thresholds.accept).to.equal(0.6);
    expect(chooseThresholds(rows, 0.9)).to.equal(undefined);
  });

  it('breaks a tie with out-of-scope recall', () => {
    expect(chooseThresholds([row(0.6, 0.8, 0.03, 0.82), row(0.7, 0.8, 0.03, 0.83)], 0.8)?.thresholds.accept).to.equal(0.7);
    expect(chooseThresholds([row(0.6, 0.8, 0.03, 0.82), row(0.7, 0.8, 0.03, 0.9, 0.05)], 0.8)?.thresholds.accept).to.equal(0.6);
  });

  it('counts decided-right, silent errors and out-of-scope recall from the decisions', () => {
    const item = (code: string): { type: 'item'; code: string } => ({ type: 'item', code });
    const rankings: HeldOutRanking[] = [
      { gold: item('a'), ranked: [{ label: item('a'), probability: 0.9 }] },
      { gold: item('a'), ranked: [{ label: item('b'), probability: 0.9 }] },
      { gold: item('a'), ranked: [{ label: item('a'), probability: 0.5 }, { label: item('b'), probability: 0.45 }] },
      { gold: { type: 'none' }, ranked: [{ label: { type: 'none' }, probability: 0.9 }] },
    ];
    const figures = decisionFigures(rankings, { accept: 0.6, ambiguousMargin: 0.1, reject: 0.25, lead: 1 });
    expect([figures.decidedRight, figures.silentErrors, figures.outOfScopeRecall, figures.accuracyAt1]).to.deep.equal([1 / 3, 1 / 4, 1, 2 / 3]);
  });
});
