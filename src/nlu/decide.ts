/**
 * From ranked probabilities to a decision. The out-of-scope label never appears among the
 * candidates shown to the caller; when it ranks first, or the candidates together (the best 3
 * targets) hold less than the reject threshold, the decision is `none`. Otherwise targets within
 * the ambiguity margin of the best make it `ambiguous` (up to 3); a best target below the accept
 * threshold that does not lead every other label by the lead threshold is offered alone as an
 * `ambiguous` single candidate (the conversation asks "did you mean …?"); else it is accepted.
 *
 * Why a lead besides the accept threshold: a probability is spread over the candidate labels, and
 * a message that says little leaves some of it with labels that share a word. A best target at
 * 0.5 with nothing else above 0.1 is a clear answer; one at 0.5 beside one at 0.35 is not.
 * Cross-validation over intents/ decides more phrases right with both rules than
 * with either (src/nlu/README.md). Not when an item known from the catalog alone is among the
 * candidates, though: such an item scores lower on the phrase signals for the same message, so a
 * sibling with phrasings leads it on the words they share even when the message is about it (with
 * the lead for all, silent errors on held-out items went 2.0 → 3.9 %; with this, 1.5 %).
 *
 * Why the candidates' mass and not the best target's probability: the model has an out-of-scope
 * label of its own, so a message about nothing we offer already sends its probability there and
 * ranks it first. A best target that is low while the out-of-scope label is not first is a message
 * whose probability is split among related items (a long paraphrase of 居住证申领 shares words
 * with 居住证续签 and 医保转移): it is in scope and the right answer is to ask which, not to give up.
 * Rejecting on the best target's probability rejected exactly those: on the dev set it caught no
 * out-of-scope line that the out-of-scope label had not caught already.
 */
import type { RankedLabel } from './model/intentModel.js';
import { sameTarget, type Classification, type ScoredTarget, type Target, type Thresholds } from './types.js';

export const TOP_SIZE = 5;
const MAX_CANDIDATES = 3;
/** A family member the model gives less than this is not offered (社保 is in a pension item's full name too). */
const FAMILY_FLOOR = 0.01;

/**
 * Defaults chosen on cross-validation over intents/ by the rule of `npm run eval -- --cv 5 --sweep`
 * (crossValidation.ts, src/nlu/README.md), then checked on the dev set; overridable by NLU_* configuration.
 */
export const DEFAULT_THRESHOLDS: Thresholds = { accept: 0.7, ambiguousMargin: 0.1, reject: 0, lead: 0.35 };

function asTarget(scored: ScoredTarget): Target {
  return scored.type === 'item' ? { type: 'item', code: scored.code } : { type: 'intent', name: scored.name };
}

/**
 * A message that is only a family name (居住证, 公积金) is part of the names of several items
 * (居住证申领, 居住证续签 …): all of them are meant equally, whatever the probabilities say, so
 * the ranked targets it names are the candidates (best first, up to 3).
 */
function familyCandidates(ranked: readonly RankedLabel[]): Target[] {
  const family: Target[] = [];
  for (const entry of ranked) {
    if (entry.label.type === 'none' || entry.namedByMessage !== true || entry.probability < FAMILY_FLOOR) continue;
    family.push({ ...entry.label });
    if (family.length === MAX_CANDIDATES) break;
  }
  return family;
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
  const candidateMass = top.slice(0, MAX_CANDIDATES).reduce((sum, target) => sum + target.score, 0);
  if (best === undefined || ranked[0]?.label.type === 'none' || candidateMass < thresholds.reject) {
    return { decision: { type: 'none' }, top };
  }
  const family = familyCandidates(ranked);
  if (family.length >= 2 && sameTarget(family[0] ?? best, best)) return { decision: { type: 'ambiguous', candidates: family }, top };
  const close = top.slice(0, MAX_CANDIDATES).filter((candidate) => best.score - candidate.score <= thresholds.ambiguousMargin);
  // ranked[0] is the best target (the out-of-scope label ranking first returned above); ranked[1]
  // the strongest other label, out-of-scope included. No lead among items known from the catalog
  // alone: see the note above.
  const leads = !ranked.slice(0, MAX_CANDIDATES).some((entry) => entry.catalogOnly === true) && best.score - Math.max(0, ranked[1]?.probability ?? 0) >= thresholds.lead;
  if (close.length >= 2 || (best.score < thresholds.accept && !leads)) {
    return { decision: { type: 'ambiguous', candidates: close.map(asTarget) }, top };
  }
  return { decision: asTarget(best), top };
}
