/**
 * Weighs the evidence signals into calibrated probabilities: a conditional-logit model (one
 * weight per signal shared by all labels, softmax over labels), fitted by maximum likelihood on
 * held-out predictions from cross-validation. Because it is fitted on messages the indexes did
 * not see, its probabilities are calibrated for new messages — this plays the role of a
 * temperature fitted on cross-validation, with one temperature per signal.
 */
import { SIGNAL_COUNT } from './evidence.js';

/** One held-out message: evidence rows of its candidate labels and which of them is right. */
export interface CombinerExample {
  /** candidates × SIGNAL_COUNT, row-major. */
  rows: Float32Array;
  /** Label ids of the rows. */
  labels: Int32Array;
  /** Position of the right label among the rows. */
  gold: number;
}

const L2 = 1e-3;
const ITERATIONS = 400;
const LEARNING_RATE = 0.05;

/** Label logits: weights · evidence row, for every label. */
export function logits(evidence: Float32Array, weights: readonly number[], out: Float64Array): void {
  const labels = out.length;
  for (let label = 0; label < labels; label++) {
    let sum = 0;
    const row = label * SIGNAL_COUNT;
    for (let k = 0; k < SIGNAL_COUNT; k++) sum += (weights[k] ?? 0) * (evidence[row + k] ?? 0);
    out[label] = sum;
  }
}

/** In-place softmax. */
export function softmax(values: Float64Array): void {
  let max = -Infinity;
  for (const value of values) max = Math.max(max, value);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    values[i] = Math.exp((values[i] ?? 0) - max);
    sum += values[i] ?? 0;
  }
  for (let i = 0; i < values.length; i++) values[i] = (values[i] ?? 0) / sum;
}

/** Mean negative log-likelihood and its gradient at `weights`. */
function lossAndGradient(examples: readonly CombinerExample[], weights: readonly number[]): { loss: number; gradient: number[] } {
  const gradient = new Array<number>(SIGNAL_COUNT).fill(0);
  let loss = 0;
  for (const example of examples) {
    const candidates = example.rows.length / SIGNAL_COUNT;
    const probabilities = new Float64Array(candidates);
    logits(example.rows, weights, probabilities);
    softmax(probabilities);
    loss -= Math.log(Math.max(probabilities[example.gold] ?? 0, 1e-12));
    for (let c = 0; c < candidates; c++) {
      const residual = (probabilities[c] ?? 0) - (c === example.gold ? 1 : 0);
      for (let k = 0; k < SIGNAL_COUNT; k++) gradient[k] = (gradient[k] ?? 0) + residual * (example.rows[c * SIGNAL_COUNT + k] ?? 0);
    }
  }
  const n = Math.max(examples.length, 1);
  return {
    loss: loss / n + L2 * weights.reduce((sum, w) => sum + w * w, 0),
    gradient: gradient.map((g, k) => g / n + 2 * L2 * (weights[k] ?? 0)),
  };
}

/** Fits the signal weights with Adam from `initial`; returns the weights and the final loss. */
export function fitCombiner(examples: readonly CombinerExample[], initial: readonly number[]): { weights: number[]; loss: number } {
  const weights = [...initial];
  const m = new Array<number>(SIGNAL_COUNT).fill(0);
  const v = new Array<number>(SIGNAL_COUNT).fill(0);
  let loss = Infinity;
  for (let step = 1; step <= ITERATIONS; step++) {
    const result = lossAndGradient(examples, weights);
    loss = result.loss;
    for (let k = 0; k < SIGNAL_COUNT; k++) {
      const g = result.gradient[k] ?? 0;
      m[k] = 0.9 * (m[k] ?? 0) + 0.1 * g;
      v[k] = 0.999 * (v[k] ?? 0) + 0.001 * g * g;
      const mHat = (m[k] ?? 0) / (1 - 0.9 ** step);
      const vHat = (v[k] ?? 0) / (1 - 0.999 ** step);
      weights[k] = (weights[k] ?? 0) - (LEARNING_RATE * mHat) / (Math.sqrt(vHat) + 1e-8);
    }
  }
  return { weights, loss };
}
