/**
 * What a citizen's text is about, in the context of the conversation: the classifier's decision
 * combined with the aspect asked about (aspects.ts) and the item the conversation is on.
 *
 * A *bare* aspect question (要带什么, 电话多少, 这个多久能好) refers to the current item: once the
 * aspect's cue words are taken out, nothing left names anything.
 * A question that names something (居住证要带什么, 最近的大厅在哪) is decided by the classifier as
 * usual, and the aspect goes with the item it names; a close call between items that includes the
 * current one is settled in its favour.
 */
import type { AspectDetector, AspectMatch } from './aspects.js';
import { sameTarget, type AspectName, type Classification, type Classifier, type IntentName, type Target } from './types.js';

export type Subject =
  | { kind: 'item'; code: string; aspect?: AspectName }
  /** Several items (or intents) are close: the citizen chooses; the aspect is kept for after. */
  | { kind: 'choose'; candidates: Target[]; aspect?: AspectName }
  | { kind: 'intent'; name: IntentName }
  | { kind: 'none' };

export interface Understanding {
  subject: Subject;
  classification: Classification;
  aspect?: AspectMatch;
  /** True when the subject came from the conversation's current item, not from the words. */
  followUp: boolean;
}

/** Whatever is left of a message once the aspect's cue words are removed. */
function withoutCues(normalizedCompact: string, cues: readonly string[]): string {
  let rest = normalizedCompact;
  for (const cue of cues) rest = rest.split(cue).join(' ');
  return rest.trim();
}

export class TextUnderstanding {
  constructor(
    private readonly classifier: Classifier,
    private readonly aspects: AspectDetector,
    private readonly normalize: (text: string) => string,
  ) {}

  understand(text: string, currentItem?: string): Understanding {
    const classification = this.classifier.classify(text);
    const aspect = this.aspects.detect(text);
    const decision = classification.decision;
    const result = (subject: Subject, followUp = false): Understanding => ({ subject, classification, ...(aspect ? { aspect } : {}), followUp });
    const aspectName = aspect?.aspect;

    if (aspect !== undefined && currentItem !== undefined && this.isBare(text, aspect)) {
      return result({ kind: 'item', code: currentItem, aspect: aspect.aspect }, true);
    }
    switch (decision.type) {
      case 'item':
        return result({ kind: 'item', code: decision.code, ...(aspectName ? { aspect: aspectName } : {}) });
      case 'intent':
        return result({ kind: 'intent', name: decision.name });
      case 'ambiguous': {
        const isCurrent = (candidate: Target): boolean => currentItem !== undefined && sameTarget(candidate, { type: 'item', code: currentItem });
        if (aspect !== undefined && currentItem !== undefined && decision.candidates.some(isCurrent)) {
          return result({ kind: 'item', code: currentItem, aspect: aspect.aspect }, true);
        }
        return result({ kind: 'choose', candidates: decision.candidates, ...(aspectName ? { aspect: aspectName } : {}) });
      }
      case 'none':
        if (aspect !== undefined && currentItem !== undefined) return result({ kind: 'item', code: currentItem, aspect: aspect.aspect }, true);
        return result({ kind: 'none' });
    }
  }

  /**
   * Nothing but the aspect's own words and filler: what is left names no item (not even a close
   * call between items) and no intent the classifier would accept (这个, 请问 and 干嘛 are only
   * weak guesses at help; 最近的大厅 is hall information).
   */
  private isBare(text: string, aspect: AspectMatch): boolean {
    const rest = withoutCues(this.normalize(text).replace(/ /g, ''), aspect.cues);
    if (!/[\p{Script=Han}a-z0-9]/u.test(rest)) return true;
    const decision = this.classifier.classify(rest).decision;
    if (decision.type === 'ambiguous') return decision.candidates.every((candidate) => candidate.type === 'intent');
    return decision.type === 'none';
  }
}
