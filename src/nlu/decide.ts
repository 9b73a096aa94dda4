/**
 * From ranked probabilities to a decision. The out-of-scope label never appears among the
 * candidates shown to the caller; when it ranks first, or the best target is below the reject
 * threshold, the decision is `none`. Otherwise targets within the ambiguity margin of the best
 * make it `ambiguous` (up to 3); a best target below the accept threshold is offered alone as an
 * `ambiguous` single candidate (the conversation asks "did you mean …?"); else it is accepted.
 */
import type { RankedLabel } from './model/intentModel.js';
import type { Classification, ScoredTarget, Target, Thresholds } from './types.js';

export const TOP_SIZE = 5;
const MAX_CANDIDATES = 3;

/** Defaults chosen on the dev set (see src/nlu/README.md); overridable by NLU_* configuration. */
export const DEFAULT_THRESHOLDS: Thresholds = { accept: 0.6, ambiguousMargin: 0.1, reject: 0.2 };

function asTarget(scored: ScoredTarget): Target {
  return scored.type === 'item' ? { type: 'item', code: scored.code } : { type: 'intent', name: scored.name };
}

/** `ranked` holds every label needed (best first), including the out-of-scope one if it ranks high. */
export function decide(ranked: readonly RankedLabel[], thresholds: Thresholds): Classification {
  const top: ScoredTarget[] = [];
  for (const { label, probability } of ranked) {
    if (label.type === 'none') continue;
    const score = Math.min(1, Math.max(0, probability));
    top.push(label.type === 'item' ? { type: 'item', code: label.code, score } : { type: 'intent', name: label.name, score });
    if (top.length === TOP_SIZE) break;
  }
  const best = top[0];
  if (best === undefined || ranked[0]?.label.type === 'none' || best.score < thresholds.reject) {
    return { decision: { type: 'none' }, top };
  }
  const close = top.slice(0, MAX_CANDIDATES).filter((candidate) => best.score - candidate.score <= thresholds.ambiguousMargin);
  if (close.length >= 2 || best.score < thresholds.accept) {
    return { decision: { type: 'ambiguous', candidates: close.map(asTarget) }, top };
  }
  return { decision: asTarget(best), top };
}
