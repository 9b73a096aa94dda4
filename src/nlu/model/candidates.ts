/**
 * The labels a message's probabilities are spread over: the strongest by raw evidence, plus the
 * out-of-scope label. Training fits the combiner on these candidates only, so classifying must
 * use the same ones: a softmax over all labels would also hand a little probability to each of
 * the hundreds of labels with no evidence at all, and at 2,000 items that tail takes most of it.
 */
import { SIGNAL_COUNT } from './evidence.js';

/** Candidate labels per message (besides the out-of-scope label and, in training, the right one). */
export const CANDIDATES = 30;
/** Signals (nearest, centroid, alias containment, logistic, description) that pick the candidates. */
const STRENGTH = [0, 2, 4, 8, 10];

/** Indexes of the `limit` highest values, best first (a partial selection, not a full sort). */
export function topLabels(scores: Float64Array, limit: number): number[] {
  const best: number[] = [];
  for (let label = 0; label < scores.length; label++) {
    const score = scores[label] ?? 0;
    if (best.length === limit && score <= (scores[best[limit - 1] ?? 0] ?? 0)) continue;
    let at = best.length;
    while (at > 0 && score > (scores[best[at - 1] ?? 0] ?? 0)) at--;
    best.splice(at, 0, label);
    if (best.length > limit) best.pop();
  }
  return best;
}

/** The candidate labels of an evidence table (labels × SIGNAL_COUNT), `also` added; `strength` is scratch space. */
export function candidateLabels(evidence: Float32Array, strength: Float64Array, also: readonly number[]): Int32Array {
  const labels = strength.length;
  for (let label = 0; label < labels; label++) {
    const row = label * SIGNAL_COUNT;
    let sum = 0;
    for (const column of STRENGTH) sum += evidence[row + column] ?? 0;
    strength[label] = sum;
  }
  const chosen = new Set(topLabels(strength, CANDIDATES));
  for (const label of also) chosen.add(label);
  return Int32Array.from(chosen);
}
